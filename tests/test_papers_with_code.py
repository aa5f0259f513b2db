"""Papers with Code archive: records, months, gzip, failures (no network)."""

from __future__ import annotations

import gzip
import shutil
from datetime import date

import pytest
import responses

from census_base.errors import ParseError
from collectors import papers_with_code as pwc

FOLDER = "papers_with_code"


@pytest.mark.parametrize(
    ("arxiv_id", "month"),
    [
        ("1805.07499", date(2018, 5, 1)),
        ("2306.12345v2", date(2023, 6, 1)),
        ("cs/0112017", date(2001, 12, 1)),
        ("hep-th/9901001", date(1999, 1, 1)),
        ("math.AG/0309136", date(2003, 9, 1)),
        (None, None),
        ("not-an-id", None),
        ("1813.00001", None),
    ],
)
def test_arxiv_month(arxiv_id, month):
    assert pwc.arxiv_month(arxiv_id) == month


def _load(ctx, tmp_path, fixtures, with_abstracts: bool, gz: bool = False) -> int:
    source = fixtures / FOLDER / "links-between-papers-and-code.json"
    if gz:
        (tmp_path / "links-between-papers-and-code.json.gz").write_bytes(
            gzip.compress(source.read_bytes())
        )
    else:
        shutil.copy(source, tmp_path)
    if with_abstracts:
        shutil.copy(fixtures / FOLDER / "papers-with-abstracts.json", tmp_path)
    return pwc.ingest(ctx, str(tmp_path))


def _rows(ctx) -> list[tuple]:
    return ctx.con.execute(
        "SELECT framework, month, month_basis, repos, links, official_links "
        "FROM implementations_monthly ORDER BY month, framework"
    ).fetchall()


def test_ingest_with_paper_dates_counts_by_hand(ctx, tmp_path, fixtures):
    _load(ctx, tmp_path, fixtures, with_abstracts=True, gz=True)
    assert _rows(ctx) == [
        ("none", date(2001, 12, 1), "arxiv_id", 1, 1, 0),
        ("tensorflow", date(2018, 5, 1), "arxiv_id", 1, 1, 1),
        # two links, one repository (trailing slash normalised)
        ("torch", date(2018, 5, 1), "arxiv_id", 1, 2, 0),
        ("torch", date(2023, 5, 1), "paper_date", 1, 1, 1),
        ("jax", date(2023, 6, 1), "arxiv_id", 1, 1, 1),
        ("mxnet", date(2023, 6, 1), "arxiv_id", 1, 1, 0),
    ]
    notes = dict(
        ctx.con.execute(
            "SELECT kind, note FROM data_flags WHERE source = 'papers_with_code'"
        ).fetchall()
    )
    assert notes["undated_records"].startswith("1 links")
    assert "partial_period" in notes
    signal = ctx.con.execute(
        "SELECT framework, value FROM signal_pwc_implementations "
        "WHERE period = '2018-05-01' ORDER BY 1"
    ).fetchall()
    assert signal == [("tensorflow", 1.0), ("torch", 1.0)]


def test_without_paper_dates_conference_papers_are_undated(ctx, tmp_path, fixtures):
    _load(ctx, tmp_path, fixtures, with_abstracts=False)
    assert all(basis == "arxiv_id" for _, _, basis, *_ in _rows(ctx))
    note = ctx.con.execute("SELECT note FROM data_flags WHERE kind = 'undated_records'")
    assert note.fetchone()[0].startswith("2 links")
    assert _load(ctx, tmp_path, fixtures, with_abstracts=False) == 0  # same input, same rows


def test_bad_record_and_truncated_gzip_store_nothing(ctx, tmp_path, fixtures):
    bad = tmp_path / "bad"
    bad.mkdir()
    shutil.copy(fixtures / FOLDER / "missing-repo.json", bad / "links-between-papers-and-code.json")
    with pytest.raises(ParseError, match="record 0 lacks repo_url"):
        pwc.ingest(ctx, str(bad))
    cut = tmp_path / "cut"
    cut.mkdir()
    body = (fixtures / FOLDER / "links-between-papers-and-code.json").read_bytes()
    (cut / "links-between-papers-and-code.json").write_bytes(body[:500])
    with pytest.raises(ParseError, match="not JSON"):
        pwc.ingest(ctx, str(cut))
    assert ctx.con.execute("SELECT count(*) FROM pwc_implementations_monthly").fetchone() == (0,)


@responses.activate
def test_ingest_from_the_archive_url(ctx, fixtures):
    url = (
        "https://huggingface.co/datasets/pwc-archive/files/resolve/main/"
        "links-between-papers-and-code.json.gz"
    )
    body = gzip.compress((fixtures / FOLDER / "links-between-papers-and-code.json").read_bytes())
    responses.get(url, body=body)
    assert pwc.ingest(ctx, url) > 0
    assert ctx.con.execute(
        "SELECT DISTINCT source_url FROM implementations_monthly"
    ).fetchall() == [(url,)]


@pytest.mark.parametrize(
    ("url", "identity"),
    [
        ("https://github.com/Owner/Repo", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo/", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo.git", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo/tree/master", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo/tree/dev/src/", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo/blob/main/train.py", "https://github.com/owner/repo"),
        ("http://www.github.com/owner/repo", "https://github.com/owner/repo"),
        ("github.com/owner/repo", "https://github.com/owner/repo"),
        ("git@github.com:owner/repo.git", "https://github.com/owner/repo"),
        ("https://gitlab.com/group/sub/repo/-/tree/main", "https://gitlab.com/group/sub/repo"),
        ("https://bitbucket.org/team/repo/src/master/", "https://bitbucket.org/team/repo"),
    ],
)
def test_repo_identity(url, identity):
    assert pwc.repo_identity(url) == identity


def test_tree_blob_and_git_links_count_as_one_repository(ctx, tmp_path, fixtures):
    # A real record links ".../attention-is-all-you-need-pytorch/tree/master"; the same
    # repository also arrives bare, with .git, with www. and mixed case, and via /blob/.
    shutil.copy(fixtures / FOLDER / "url-variants-links-between-papers-and-code.json", tmp_path)
    pwc.ingest(ctx, str(tmp_path))
    assert _rows(ctx) == [
        ("tensorflow", date(2017, 6, 1), "arxiv_id", 1, 1, 1),
        ("torch", date(2017, 6, 1), "arxiv_id", 2, 5, 0),
    ]
