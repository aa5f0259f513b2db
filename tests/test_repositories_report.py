"""Repository datasets, signal views and figures, with the recorded fixtures loaded."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import responses
import vl_convert as vlc
from test_github_repos import FakeGitHub  # the fake GitHub API of the collector tests

from analysis.repositories import one_source_per_month, source_priority, star_shares, with_runs
from collectors import github_dependents, github_ranking, github_repos, hf_hub
from collectors.http import HttpClient
from collectors.registry import RunContext
from collectors.repos import TrackedRepo
from reports.figures import dependents, hub_models, repositories
from warehouse.db import VIEWS_DIR, connect

FIXTURES = Path(__file__).resolve().parent / "fixtures"

MY_FIGURES = [*repositories.BLOCKS, *dependents.BLOCKS, *hub_models.BLOCKS]
SIGNAL_COLUMNS = [
    "signal",
    "signal_label",
    "period",
    "granularity",
    "framework",
    "value",
    "flags",
    "source",
]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """Every source of this topic loaded from its recorded responses (once per module)."""
    fixtures = FIXTURES
    raw = tmp_path_factory.mktemp("raw")
    http = HttpClient(raw, sleep=lambda seconds: None, backoff=0.5)
    ctx = RunContext(con=connect(":memory:"), http=http, raw_root=raw)
    github_ranking.ingest(ctx, str(fixtures / "github_ranking"))
    fake = FakeGitHub(fixtures)
    pytorch = TrackedRepo("pytorch/pytorch", "torch")
    tf = TrackedRepo("tensorflow/tensorflow", "tensorflow", dependents=True)
    fake.repo(pytorch.name)
    fake.repo(tf.name)
    folder = fixtures / "github_dependents"
    hub = fixtures / "hf_hub"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.GET, re.compile(r"https://api\.github\.com/.*"), callback=fake)
        mock.get(
            github_dependents.PAGE_URL.format(repo=tf.name),
            body=(folder / "network-dependents-tensorflow.html").read_text(),
        )
        mock.get(
            re.compile(r"https://huggingface\.co/api/models\?filter=pytorch.*"),
            body=(hub / "models-pytorch-page2.json").read_text(),
        )
        mock.get(
            re.compile(r"https://huggingface\.co/api/models\?filter=tf.*"),
            body=(hub / "models-tf-page1.json").read_text(),
        )
        ctx.options |= {"repos": (pytorch, tf), "hub_libraries": ["pytorch", "tf"]}
        github_repos.collect(ctx)
        github_dependents.collect(ctx)
        hf_hub.collect(ctx)
    yield ctx.con
    ctx.con.close()


@pytest.mark.parametrize("figure", MY_FIGURES, ids=lambda f: f.id)
def test_figure_renders_from_fixtures(loaded, figure):
    frame = figure.data(loaded)
    assert not frame.empty
    spec = figure.chart(frame).properties(title=figure.title(frame)).to_dict()
    assert figure.caption(frame)
    png = vlc.vegalite_to_png(spec, scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_live_sources_the_live_figures_are_empty(ctx, fixtures):
    github_ranking.ingest(ctx, str(fixtures / "github_ranking"))
    empty = [f.id for f in MY_FIGURES if f.data(ctx.con).empty]
    assert empty == ["repos-dependents", "repos-hub-models"]


def test_titles_state_computed_numbers(loaded):
    by_id = {f.id: f for f in MY_FIGURES}
    dep = by_id["repos-dependents"]
    assert dep.title(dep.data(loaded)).startswith(
        "TensorFlow has the most dependent repositories on GitHub: 289,342"
    )
    stars = by_id["repos-stars-monthly"].data(loaded)
    events = stars[stars["layer"] == "event"]
    assert set(events["text"]) == {"google/jax -> jax-ml/jax", "fchollet/keras -> keras-team/keras"}


def test_star_share_has_no_value_where_one_side_is_missing(con):
    frame = pd.DataFrame(
        {
            "repo": ["pytorch/pytorch"] * 3 + ["tensorflow/tensorflow"] * 2,
            "framework": ["torch"] * 3 + ["tensorflow"] * 2,
            "month": pd.to_datetime(
                ["2020-01-01", "2020-02-01", "2020-03-01", "2020-01-01", "2020-03-01"]
            ),
            "stars": [100, 110, 120, 300, 360],
            "new_stars": [None] * 5,
            "source": ["github_ranking"] * 5,
            "flags": [""] * 5,
        }
    )
    shares = star_shares(frame, source_priority(con))
    assert shares["month"].dt.strftime("%Y-%m").tolist() == ["2020-01", "2020-03"]
    assert shares["share"].tolist() == pytest.approx([0.25, 0.25])
    assert shares["run"].tolist() == [1, 2]  # the missing month breaks the line


def test_runs_break_at_missing_months():
    frame = pd.DataFrame(
        {
            "repo": ["a", "a", "a", "b"],
            "month": pd.to_datetime(["2020-01-01", "2020-02-01", "2020-05-01", "2020-05-01"]),
        }
    )
    assert with_runs(frame)["run"].tolist() == [1, 1, 2, 3]


def test_one_source_per_month_in_stars_and_signal(loaded):
    monthly = loaded.execute(
        "SELECT source, count(*) FROM repo_stats_monthly GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert [s for s, _ in monthly] == ["github_ranking", "github_repos", "github_stars_history"]
    signal = loaded.execute("SELECT * FROM signal_github_stars").df()
    assert list(signal.columns) == SIGNAL_COLUMNS
    assert not signal.duplicated(["period", "framework"]).any()
    assert signal.groupby("period")["source"].nunique().max() == 1
    jan = signal[signal["period"] == pd.Timestamp(date(2019, 1, 1))].set_index("framework")
    # New stars that month (a flow), never the cumulative count; JAX has no measured month.
    assert jan["value"].to_dict() == {"tensorflow": 901.0, "torch": 1050.0, "keras": 600.0}
    hub = loaded.execute("SELECT * FROM signal_hub_models").df()
    assert list(hub.columns) == SIGNAL_COLUMNS
    assert set(hub["framework"]) == {"torch", "tensorflow"}


def test_repositories_and_headline_share_use_the_same_source_rule(loaded):
    """The share of stars gained per month in the repositories section equals the headline's
    github_stars signal (a flow); the stock share stays in the repositories section."""
    figure = repositories.share_data(loaded)
    stock = figure[figure["measure"] == "stars gained that month"].set_index("month")["share"]
    stock = stock.dropna()
    signal = loaded.execute(
        "SELECT period, framework, value FROM signal_github_stars"
        " WHERE framework IN ('torch', 'tensorflow')"
    ).df()
    wide = signal.pivot(index="period", columns="framework", values="value")
    headline = (wide["torch"] / (wide["torch"] + wide["tensorflow"])).rename_axis("month")
    assert len(stock) > 0
    pd.testing.assert_series_equal(
        stock, headline.loc[stock.index], check_names=False, check_dtype=False
    )
    assert set(headline.index) == set(stock.index)


def test_one_source_for_both_frameworks_in_a_share_month(con):
    """Ranking has only PyTorch in March: that month the metadata (both) is used for both."""
    frame = pd.DataFrame(
        {
            "repo": ["pytorch/pytorch", "tensorflow/tensorflow", "pytorch/pytorch"] * 1
            + ["tensorflow/tensorflow"],
            "framework": ["torch", "tensorflow", "torch", "tensorflow"],
            "month": pd.to_datetime(["2020-03-01"] * 4),
            "stars": [100, 300, 90, 310],
            "source": ["github_ranking", "github_repos", "github_repos", "github_repos"],
        }
    )
    priority = source_priority(con)
    per_repo = one_source_per_month(frame, "stars", priority)
    assert sorted(per_repo["source"]) == ["github_ranking", "github_repos"]
    together = one_source_per_month(frame, "stars", priority, together=("torch", "tensorflow"))
    assert set(together["source"]) == {"github_repos"}
    assert together.set_index("framework")["stars"].to_dict() == {"torch": 90, "tensorflow": 310}


@pytest.mark.parametrize("name", ["repo_stats_monthly", "repo_events", "hub_models_monthly"])
def test_dataset_columns_are_documented(con, name):
    text = (VIEWS_DIR / f"{name}.sql").read_text()
    assert f"-- dataset: {name}" in text
    documented = set(re.findall(r"^-- column (\w+):", text, flags=re.MULTILINE))
    columns = {row[0] for row in con.execute(f"DESCRIBE {name}").fetchall()}
    assert columns == documented
