"""The full-text pipeline end to end on recorded index pages and PDFs made by the tests."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pandas as pd
import pytest
import responses
from pdfs import make_pdf

from census_base.errors import ParseError
from collectors import paper_fulltext as fulltext
from collectors.raw import RawResponse
from warehouse.load import begin_load

INDEX = "https://proceedings.mlr.press/v202/"
PDFS = {
    "one23a/one23a.pdf": ["Our model is implemented in PyTorch with torchvision."],
    "three23a/three23a.pdf": ["We compare fairseq against tf.keras and Tensor-", "Flow baselines."],
    "four23a/four23a.pdf": ["Written in JAX and Flax."],
    "five23a/five23a.pdf": ["A theory paper without code."],
}


def _raw(fixtures, name: str, url: str) -> RawResponse:
    return RawResponse(
        "paper_fulltext",
        url,
        200,
        (fixtures / "paper_fulltext" / name).read_bytes(),
        datetime(2026, 11, 22, tzinfo=UTC),
    )


def test_parse_pmlr_index_resolves_relative_links(fixtures):
    papers = fulltext.parse_index(_raw(fixtures, "2026-11-22-pmlr-index.html", INDEX))
    assert len(papers) == 5
    assert papers[0] == fulltext.Paper("Paper One: Scaling Widgets", INDEX + "one23a/one23a.pdf")
    assert papers[1].pdf_url == INDEX + "three23a/three23a.pdf"


def test_parse_cvf_index_takes_the_paper_not_the_supplement(fixtures):
    url = "https://openaccess.thecvf.com/CVPR2023?day=all"
    papers = fulltext.parse_index(_raw(fixtures, "2026-11-22-cvf-index.html", url))
    assert [p.title for p in papers] == ["Seeing Things", "More Things"]
    assert papers[0].pdf_url == (
        "https://openaccess.thecvf.com/content/CVPR2023/papers/"
        "Alpha_Seeing_Things_CVPR_2023_paper.pdf"
    )


def test_changed_layout_is_a_clear_error(fixtures):
    with pytest.raises(ParseError, match="no papers") as info:
        fulltext.parse_index(_raw(fixtures, "2026-11-22-changed-layout.html", INDEX))
    assert info.value.selector
    assert "div.paper" in info.value.selector


def test_target_needs_venue_and_year():
    assert fulltext.parse_target(INDEX + "#ICML-2023") == fulltext.VenueJob("ICML", 2023, INDEX)
    with pytest.raises(ParseError, match="#VENUE-YEAR"):
        fulltext.parse_target("https://example.org/proceedings/")


def _serve(fixtures) -> None:
    responses.get(
        INDEX,
        body=(fixtures / "paper_fulltext/2026-11-22-pmlr-index.html").read_bytes(),
        content_type="text/html",
    )
    for path, lines in PDFS.items():
        responses.get(INDEX + path, body=make_pdf(lines), content_type="application/pdf")
    responses.get(
        INDEX + "six23a/six23a.pdf",
        body=b"%PDF-1.4\nnot really a pdf",
        content_type="application/pdf",
    )


@responses.activate
def test_end_to_end_counts_and_rerun_downloads_nothing(ctx, fixtures, sleeps):
    _serve(fixtures)
    assert fulltext.ingest(ctx, INDEX + "#ICML-2023") > 0
    rows = dict(
        ctx.con.execute(
            "SELECT framework, papers FROM paper_mentions WHERE method = 'fulltext_synonyms' "
            "AND venue = 'ICML' AND year = 2023"
        ).fetchall()
    )
    # by hand: 1 PyTorch, 2 fairseq + tf.keras + hyphenated TensorFlow, 3 JAX, 4 none, 5 broken
    assert rows == {"torch": 2, "tensorflow": 1, "jax": 1, "both": 1, "neither": 2, "unreadable": 1}
    assert any(0.5 <= s <= 1.0 for s in sleeps)  # PDFs paced at 1 s per host
    pdf_calls = sum(c.request.url.endswith(".pdf") for c in responses.calls)
    assert pdf_calls == 5
    fulltext.ingest(ctx, INDEX + "#ICML-2023")
    pdf_calls_after = sum(c.request.url.endswith(".pdf") for c in responses.calls)
    assert pdf_calls_after == pdf_calls  # text cache: no PDF asked again
    shutil.rmtree(ctx.raw_root.parent / "cache")  # text gone: PDFs come from the raw archive
    fulltext.ingest(ctx, INDEX + "#ICML-2023")
    assert sum(c.request.url.endswith(".pdf") for c in responses.calls) == pdf_calls
    again = dict(
        ctx.con.execute(
            "SELECT framework, papers FROM paper_mentions WHERE method = 'fulltext_synonyms'"
        ).fetchall()
    )
    assert again == rows


@responses.activate
def test_changed_index_stores_nothing(ctx, fixtures):
    responses.get(
        INDEX, body=(fixtures / "paper_fulltext/2026-11-22-changed-layout.html").read_bytes()
    )
    with pytest.raises(ParseError):
        fulltext.ingest(ctx, INDEX + "#ICML-2023")
    assert ctx.con.execute("SELECT count(*) FROM paper_mention_counts").fetchone() == (0,)


OPENREVIEW = "https://api2.openreview.net/notes?content.venueid=ICLR.cc/2024/Conference"


@responses.activate
def test_openreview_index_is_paged_and_counted(ctx, fixtures):
    folder = fixtures / "paper_fulltext"
    responses.get(
        "https://api2.openreview.net/notes",
        body=(folder / "2026-11-22-openreview-page1.json").read_bytes(),
        match=[
            responses.matchers.query_param_matcher({"content.venueid": "ICLR.cc/2024/Conference"})
        ],
    )
    responses.get(
        "https://api2.openreview.net/notes",
        body=(folder / "2026-11-22-openreview-page2.json").read_bytes(),
        match=[
            responses.matchers.query_param_matcher(
                {"content.venueid": "ICLR.cc/2024/Conference", "offset": "2"}
            )
        ],
    )
    responses.get(
        "https://openreview.net/pdf/0a1b2c3d4e5f.pdf",
        body=make_pdf(["Code: github.com/x/y (PyTorch)."]),
    )
    responses.get("https://openreview.net/pdf?id=eFgH456", body=make_pdf(["Keras model."]))
    responses.get("https://openreview.net/pdf/9f8e7d6c5b4a.pdf", body=make_pdf(["JAX."]))
    fulltext.ingest(ctx, OPENREVIEW + "#ICLR-2024")
    rows = dict(
        ctx.con.execute(
            "SELECT framework, papers FROM paper_mentions WHERE venue = 'ICLR'"
        ).fetchall()
    )
    assert rows["torch"] == 1
    assert rows["tensorflow"] == 1
    assert rows["jax"] == 1
    total = ctx.con.execute("SELECT DISTINCT total_papers FROM paper_mentions").fetchall()
    assert total == [(3,)]


def test_openreview_json_without_notes_is_an_error():
    raw = RawResponse(
        "paper_fulltext",
        OPENREVIEW,
        200,
        b'{"name": "ForbiddenError"}',
        datetime(2026, 11, 22, tzinfo=UTC),
    )
    with pytest.raises(ParseError, match="notes"):
        fulltext.parse_index(raw)


def test_latest_full_text_version_is_per_venue_year(con):
    rows = []
    for venue, day, papers in (
        ("ICML", "2026-01-05", 1),
        ("CVPR", "2026-02-01", 2),
        ("ICML", "2026-03-01", 3),
    ):
        rows.append(
            {
                "venue": venue,
                "year": 2023,
                "method": "fulltext_synonyms",
                "version_date": day,
                "framework": "torch",
                "papers": papers,
                "total_papers": 10,
                "source": "paper_fulltext",
                "source_url": "u",
                "fetched_at": "2026-03-01 00:00:00+00",
                "raw_sha256": "x",
            }
        )
    with begin_load(con, "paper_fulltext") as load:
        load.upsert("paper_mention_counts", pd.DataFrame(rows))
    shown = con.execute("SELECT venue, papers FROM paper_mentions ORDER BY venue").fetchall()
    assert shown == [("CVPR", 2), ("ICML", 3)]  # CVPR kept although ICML ran later
