"""Survey views, signals and report figures on small fixtures."""

from __future__ import annotations

import pytest

from collectors.kaggle_survey import ingest as ingest_kaggle
from collectors.published_figures import TABLE_FILE
from collectors.published_figures import ingest as ingest_published
from collectors.stackoverflow_tags import ingest as ingest_tags
from reports.figures import qa, surveys, surveys_countries
from warehouse.datasets import list_datasets

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


@pytest.fixture
def loaded(ctx, con, fixtures):
    ingest_kaggle(ctx, str(fixtures / "kaggle_survey"))
    ingest_tags(ctx, str(fixtures / "stackoverflow_tags"))
    ingest_published(ctx, str(TABLE_FILE))
    return con


@pytest.mark.parametrize("name", ["survey_shares", "qa_questions_monthly", "published_figures"])
def test_datasets_document_every_column(con, name):
    documented = list(list_datasets()[name].columns)
    actual = [d[0] for d in con.execute(f"SELECT * FROM {name} LIMIT 0").description]
    assert documented == actual


@pytest.mark.parametrize("view", ["signal_survey_kaggle", "signal_qa_questions"])
def test_signal_contract(loaded, view):
    frame = loaded.execute(f"SELECT * FROM {view}").df()
    assert list(frame.columns) == SIGNAL_COLUMNS
    assert not frame.empty


def test_kaggle_signal_flags_changed_wording(loaded):
    rows = dict(
        loaded.execute(
            "SELECT year(period), flags FROM signal_survey_kaggle WHERE framework = 'tensorflow'"
        ).fetchall()
    )
    assert rows == {2017: "question_wording", 2020: ""}


def test_shares_view_share_and_interval(loaded):
    share, low, high = loaded.execute(
        "SELECT share, ci_low, ci_high FROM survey_shares WHERE year = 2020 "
        "AND segment = 'all' AND framework = 'tensorflow'"
    ).fetchone()
    assert share == 3 / 6
    assert low < share < high


def test_figures_render_specs_and_state_findings(loaded):
    figures = {b.id: b for b in surveys.BLOCKS + qa.BLOCKS if hasattr(b, "chart")}
    kaggle = figures["surveys-kaggle-shares"]
    frame = kaggle.data(loaded)
    assert set(frame["year"]) == {2017, 2020}
    spec = kaggle.chart(frame).to_dict()
    layers = spec["spec"]["layer"]
    assert [layer["mark"]["type"] for layer in layers] == ["line", "rule", "point", "point"]
    assert layers[1]["encoding"]["y2"]["field"] == "ci_high"
    assert "TensorFlow 50% vs PyTorch 50%" in kaggle.title(frame)
    assert "2020: 6" in kaggle.caption(frame)  # the denominator is in the caption
    assert figures["surveys-stackoverflow-shares"].data(loaded).empty  # not loaded: skipped
    share_figure = figures["surveys-qa-pytorch-share"]
    shares = share_figure.data(loaded)
    # The month before the first pytorch question has no share (the tag's pre-existence), not 0.
    assert shares["share"].round(4).tolist() == [round(12 / 1062, 4)]
    assert "PyTorch had 1%" in share_figure.title(shares)


def test_country_figure(loaded):
    figure = next(b for b in surveys_countries.BLOCKS if b.id == "surveys-kaggle-countries")
    frame = figure.data(loaded)
    # 2020 fixture: India answered 2 (both PyTorch), then the US, Brazil, Germany
    assert frame["segment_label"].iloc[0] == "India"
    assert set(frame["framework"]) == {"tensorflow", "torch"}
    assert "to 100% (India)" in figure.title(frame)


def test_table_block_lists_denominators(loaded):
    block = next(b for b in surveys.BLOCKS if b.id == "surveys-shares-table")
    content = block.render(loaded)
    assert "| kaggle | 2020 | PyTorch | 3 | 6 | 50.0% |" in content.markdown
