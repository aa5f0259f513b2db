"""He conference counts: every CSV version, the flag recount, views, failures (no network)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest
import responses

from census_base.errors import ParseError
from collectors import he_conferences as he
from collectors.raw import RawResponse

TREE = "he_conferences/tree"


def _raw(url: str, body: bytes) -> RawResponse:
    return RawResponse("he_conferences", url, 200, body, datetime(2026, 1, 1, tzinfo=UTC))


def test_parse_lowercase_crlf_version(fixtures):
    path = fixtures / TREE / "history/2019-09-05_22b9413/data_analysis/data.csv"
    raw = _raw(path.as_uri(), path.read_bytes())
    version = he.version_of(raw)
    assert version == he.Version(date(2019, 9, 5), "22b9413")
    rows = he.parse_published_csv(raw, version)
    nips = rows[rows["venue"] == "NeurIPS"].set_index("framework")
    assert nips.loc["torch", "papers"] == 1
    assert nips.loc["tensorflow", "papers"] == 4
    assert nips.loc["torch", "total_papers"] == 50
    assert nips.loc["torch", "conference_month"] == date(2017, 12, 1)
    assert set(rows["venue"]) == {"ECCV", "NeurIPS", "CVPR"}
    assert set(rows["method"]) == {"published"}


def test_version_from_pinned_url_and_unknown_file():
    url = (
        "https://raw.githubusercontent.com/Chillee/pytorch-vs-tensorflow/"
        "a0c745e4eeb04dc225ec98360b24e58aeb8be8e1/data_analysis/data.csv"
    )
    assert he.version_of(_raw(url, b"x")).version_date == date(2021, 2, 12)
    with pytest.raises(ParseError, match="which published version"):
        he.version_of(_raw("file:///tmp/data.csv", b"CVPR,06/19,1,2,3\r\n"))


@pytest.mark.parametrize(
    ("name", "reason"), [("bad_row.csv", "expected conference"), ("bad_month.csv", "bad MM/YY")]
)
def test_bad_csv_names_the_line(fixtures, name, reason):
    path = fixtures / "he_conferences" / name
    raw = _raw(path.as_uri(), path.read_bytes())
    with pytest.raises(ParseError, match=reason) as info:
        he.parse_published_csv(raw, he.Version(date(2020, 1, 1), "x"))
    assert name in str(info.value)


def test_recount_with_and_without_the_article_rule(fixtures):
    path = fixtures / TREE / "data_analysis/data/cvpr_2019.json"
    papers = he.parse_paper_list(_raw(path.as_uri(), path.read_bytes()))
    assert (papers.venue, papers.year) == ("CVPR", 2019)
    # by hand: torch flags on papers 1, 2, 4; tensorflow on 2, 3, 6; paper 5 has none
    assert he.recount(papers, article_rule=False) == {
        "torch": 3,
        "tensorflow": 3,
        "both": 1,
        "neither": 1,
    }
    # rule: papers 3 (google.com) and 4 (fb.com) out; paper 2 mentions both
    assert he.recount(papers, article_rule=True) == {
        "torch": 1,
        "tensorflow": 1,
        "both": 1,
        "neither": 1,
        "excluded": 2,
    }


def test_icml_2019_pt_tf_flags(fixtures):
    path = fixtures / TREE / "data_analysis/data/icml_2019.json"
    papers = he.parse_paper_list(_raw(path.as_uri(), path.read_bytes()))
    assert he.recount(papers, article_rule=False) == {
        "torch": 2,
        "tensorflow": 2,
        "both": 1,
        "neither": 0,
    }


def test_ingest_tree_views_and_idempotence(ctx, fixtures):
    written = he.ingest(ctx, str(fixtures / TREE))
    assert written > 0
    con = ctx.con
    versions = con.execute(
        "SELECT DISTINCT version FROM paper_mentions_versions WHERE method = 'published' ORDER BY 1"
    ).fetchall()
    assert [v for (v,) in versions] == [date(2019, 9, 5), date(2021, 10, 22)]
    latest = con.execute(
        "SELECT DISTINCT version FROM paper_mentions WHERE method = 'published'"
    ).fetchall()
    assert latest == [(date(2021, 10, 22),)]
    cvpr = con.execute(
        "SELECT framework, papers FROM paper_mentions WHERE venue = 'CVPR' "
        "AND year = 2019 AND method = 'published' ORDER BY 1"
    ).fetchall()
    assert cvpr == [("tensorflow", 3), ("torch", 6)]
    compare = con.execute(
        "SELECT version, published_torch, rule_torch, rule_torch_diff, "
        "any_tensorflow, status FROM paper_recount_comparison "
        "WHERE venue = 'CVPR' AND year = 2019 ORDER BY version"
    ).fetchall()
    assert compare == [
        (date(2019, 9, 5), 5, 1, -4, 3, "recounted"),
        (date(2021, 10, 22), 6, 1, -5, 3, "recounted"),
    ]
    iclr = con.execute(
        "SELECT status FROM paper_recount_comparison WHERE venue = 'ICLR' AND year = 2022"
    ).fetchall()
    assert iclr == [("no flags upstream",)]
    kinds = {
        k
        for (k,) in con.execute(
            "SELECT kind FROM data_flags WHERE source = 'he_conferences'"
        ).fetchall()
    }
    assert {"not_recounted", "no_affiliation_flags", "version_change"} <= kinds
    before = con.execute("SELECT count(*) FROM paper_mention_counts").fetchone()
    assert he.ingest(ctx, str(fixtures / TREE)) == 0
    assert con.execute("SELECT count(*) FROM paper_mention_counts").fetchone() == before


def test_bad_input_stores_nothing(ctx, fixtures, tmp_path):
    folder = tmp_path / "history/2020-01-01_abcdef1/data_analysis"
    folder.mkdir(parents=True)
    (folder / "data.csv").write_bytes((fixtures / "he_conferences/bad_row.csv").read_bytes())
    good = tmp_path / "history/2019-09-05_22b9413/data_analysis"
    good.mkdir(parents=True)
    (good / "data.csv").write_bytes(
        (fixtures / TREE / "history/2019-09-05_22b9413/data_analysis/data.csv").read_bytes()
    )
    with pytest.raises(ParseError, match="line 1"):
        he.ingest(ctx, str(tmp_path))
    assert ctx.con.execute("SELECT count(*) FROM paper_mention_counts").fetchone() == (0,)


@responses.activate
def test_ingest_pinned_url(ctx, fixtures):
    url = (
        "https://raw.githubusercontent.com/Chillee/pytorch-vs-tensorflow/"
        "a0c745e4eeb04dc225ec98360b24e58aeb8be8e1/data_analysis/data.csv"
    )
    body = (fixtures / TREE / "history/2021-10-22_3ef0c7d/data_analysis/data.csv").read_bytes()
    responses.get(url, body=body)
    he.ingest(ctx, url)
    row = ctx.con.execute(
        "SELECT version, source_url FROM paper_mentions WHERE venue = 'ICLR'"
    ).fetchone()
    assert row == (date(2021, 2, 12), url)


@pytest.mark.shared_data
def test_every_published_version_of_the_shared_dataset(ctx, shared_data):
    he.ingest(ctx, str(shared_data / "horace-he-pytorch-vs-tensorflow"))
    frame = ctx.con.execute("SELECT * FROM paper_mentions_versions WHERE method = 'published'").df()
    per_version = frame.groupby("version")["venue"].count() // 2  # two framework rows per line
    # line counts of the five data.csv files (wc -l)
    assert per_version.to_dict() == {
        pd.Timestamp(d): n
        for d, n in [
            ("2019-09-05", 23),
            ("2019-10-10", 24),
            ("2019-11-16", 25),
            ("2021-02-12", 33),
            ("2021-10-22", 35),
        ]
    }

    def cell(version: str, venue: str, year: int) -> tuple[int, int, int]:
        rows = frame[
            (frame["version"] == pd.Timestamp(version))
            & (frame["venue"] == venue)
            & (frame["year"] == year)
        ].set_index("framework")
        return (
            rows.loc["torch", "papers"],
            rows.loc["tensorflow", "papers"],
            rows.loc["torch", "total_papers"],
        )

    old = frame[frame["version"] == pd.Timestamp("2019-10-10")]["source_url"].unique()
    assert list(old) == [
        "https://raw.githubusercontent.com/Chillee/pytorch-vs-tensorflow/"
        "1a19299c7136e8f3424469bc317743e57d56f115/data_analysis/data.csv"
    ]
    assert cell("2021-10-22", "CVPR", 2019) == (294, 148, 1294)  # CVPR,06/19,294,148,1294
    assert cell("2021-10-22", "ICLR", 2022) == (1091, 208, 3388)
    assert cell("2019-09-05", "ECCV", 2018) == (97, 95, 776)  # lower-case eccv,09/18
    assert cell("2019-09-05", "NeurIPS", 2017) == (9, 66, 679)  # nips,12/17
    assert cell("2019-10-10", "NeurIPS", 2017) == (9, 68, 679)
    assert cell("2021-02-12", "NeurIPS", 2017) == (12, 85, 679)
    any_torch = ctx.con.execute(
        "SELECT papers FROM paper_mentions WHERE venue = 'CVPR' AND year = 2019 "
        "AND method = 'flags_any' AND framework = 'torch'"
    ).fetchone()
    assert any_torch == (313,)  # NOTES.md: 313 pytorch flags in cvpr_2019.json
    not_recounted = ctx.con.execute(
        "SELECT count(*) FROM data_flags WHERE kind = 'not_recounted'"
    ).fetchone()
    assert not_recounted == (13,)  # 39 lists, 26 with flags
