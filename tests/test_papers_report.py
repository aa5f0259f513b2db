"""Paper analysis, charts (specs, not pixels), figure data and dataset documentation."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from analysis.papers import (
    comparable_years,
    conference_shares,
    framework_shares,
    latest_by_family,
)
from collectors import he_conferences as he
from reports.figures import papers as figures
from reports.figures import papers_bibliographic, papers_pwc, papers_recount
from reports.figures.papers import conference_share_chart
from reports.figures.papers_bibliographic import yearly_works_chart
from reports.figures.papers_pwc import implementation_share_chart
from warehouse.datasets import list_datasets

MY_DATASETS = [
    "paper_mentions",
    "paper_mentions_versions",
    "paper_recount_comparison",
    "paper_counts_yearly",
    "implementations_monthly",
]


def _mentions() -> pd.DataFrame:
    rows = []
    for venue, family, year, torch, tf in [
        ("CVPR", "vision", 2018, 3, 1),
        ("CVPR", "vision", 2015, 0, 0),
        ("ACL", "nlp", 2019, 1, 3),
    ]:
        for framework, papers in (("torch", torch), ("tensorflow", tf)):
            rows.append(
                {
                    "venue": venue,
                    "venue_family": family,
                    "year": year,
                    "framework": framework,
                    "papers": papers,
                    "total_papers": 40,
                    "version": date(2021, 10, 22),
                    "flags": "",
                }
            )
    return pd.DataFrame(rows)


def test_conference_shares_by_hand():
    shares = conference_shares(_mentions())
    assert list(shares["venue"]) == ["ACL", "CVPR"]  # CVPR 2015: neither named -> no share
    cvpr = shares.set_index("venue").loc["CVPR"]
    assert math.isclose(cvpr["share"], 0.75)
    assert math.isclose(cvpr["mention_rate"], 4 / 40)


def test_framework_shares_sum_to_one():
    frame = pd.DataFrame(
        {"month": [1, 1, 2], "framework": ["torch", "tensorflow", "torch"], "repos": [3, 1, 5]}
    )
    shares = framework_shares(frame, "month", "repos")
    assert list(shares["share"]) == [0.75, 0.25, 1.0]


def test_chart_specs():
    spec = conference_share_chart(conference_shares(_mentions())).to_dict()
    assert spec["facet"]["column"]["field"] == "family_label"
    assert "2021-10-22" in spec["facet"]["column"]["title"]
    layers = spec["spec"]["layer"]
    assert [layer["mark"]["type"] for layer in layers] == ["rule", "line", "point"]
    assert layers[1]["encoding"]["y"]["field"] == "share"
    works = pd.DataFrame(
        {
            "source_label": ["arXiv"] * 2,
            "framework": ["torch", "tensorflow"],
            "framework_label": ["PyTorch", "TensorFlow"],
            "year": [2020, 2020],
            "works": [5, 3],
            "is_partial_year": [False, False],
        }
    )
    spec = yearly_works_chart(works).to_dict()
    assert spec["resolve"]["scale"]["y"] == "independent"
    impl = pd.DataFrame(
        {
            "month": pd.to_datetime(["2020-01-01"] * 2),
            "framework": ["torch", "tensorflow"],
            "framework_label": ["PyTorch", "TensorFlow"],
            "repos": [3, 1],
            "share": [0.75, 0.25],
        }
    )
    spec = implementation_share_chart(impl).to_dict()
    assert spec["encoding"]["color"]["scale"]["domain"] == ["PyTorch", "TensorFlow"]


def test_latest_value_is_the_latest_year_with_the_fixed_venue_set():
    rows = [  # venue, family, year, torch, tensorflow, flags
        ("ICLR", "general_ml", 2020, 6, 4, ""),
        ("ICML", "general_ml", 2020, 5, 5, ""),
        ("NeurIPS", "general_ml", 2020, 7, 3, ""),
        ("ICLR", "general_ml", 2022, 9, 1, "denominator_change"),  # alone, submissions
        ("ICML", "general_ml", 2021, 8, 2, ""),
    ]
    mentions = pd.DataFrame(
        [
            (venue, family, year, fw, n, 100, "2021-10-22", flags)
            for venue, family, year, torch, tf, flags in rows
            for fw, n in (("torch", torch), ("tensorflow", tf))
        ],
        columns=[
            "venue",
            "venue_family",
            "year",
            "framework",
            "papers",
            "total_papers",
            "version",
            "flags",
        ],
    )
    fixed = {"general_ml": ["ICLR", "ICML", "NeurIPS"]}
    latest = latest_by_family(conference_shares(mentions), fixed).set_index("venue_family")
    assert latest.loc["general_ml", "year"] == 2020  # 2021 and 2022 lack venues
    assert latest.loc["general_ml", "share"] == pytest.approx(0.6)  # median of .6 .5 .7
    years = comparable_years(conference_shares(mentions), fixed).set_index("year")
    assert not years.loc[2022, "comparable"] and years.loc[2020, "comparable"]


def test_figures_from_the_warehouse(ctx, fixtures):
    he.ingest(ctx, str(fixtures / "he_conferences/tree"))
    data = figures.conference_data(ctx.con)
    assert set(data["venue"]) == {"CVPR", "ECCV", "NeurIPS", "ICLR"}
    title = figures._conference_title(data)
    assert "version 2021-10-22" in title
    # General ML here is ICLR alone (submissions in 2022), never the fixed ICLR + ICML +
    # NeurIPS set: no like-for-like year, so no headline value; vision's CVPR 2019 is one.
    assert "general ML" not in title
    assert "vision 67% (2019)" in title
    comparison = papers_recount.comparison_frame(ctx.con).set_index(["venue", "year"])
    assert comparison.loc[("CVPR", 2019), "latest_pt"] == 6
    assert comparison.loc[("CVPR", 2019), "rule_pt"] == 1
    assert papers_recount._comparison(ctx.con) is not None
    assert papers_bibliographic.works_data(ctx.con).empty
    assert papers_pwc.implementations_data(ctx.con).empty


def test_my_datasets_document_every_column(con):
    documented = list_datasets()
    for name in MY_DATASETS:
        columns = [row[0] for row in con.execute(f"DESCRIBE {name}").fetchall()]
        assert documented[name].description
        assert set(columns) == set(documented[name].columns), name


def test_signal_views_follow_the_contract(con):
    expected = [
        "signal",
        "signal_label",
        "period",
        "granularity",
        "framework",
        "value",
        "flags",
        "source",
    ]
    for view in (
        "signal_paper_mentions",
        "signal_bibliographic_works",
        "signal_pwc_implementations",
    ):
        assert [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()] == expected
