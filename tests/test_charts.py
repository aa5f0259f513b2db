"""Chart code lives in reports/ only; the shared pieces in reports/charts.py."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd

import analysis
from census_base.frameworks import FRAMEWORKS
from reports import charts

ANALYSIS_DIR = Path(analysis.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


# analysis/ is pure pandas/DuckDB: no chart library, and nothing above it (reports, the CLI)
# or beside it (collectors, reference_models). It may import warehouse and census_base.
NOT_IN_ANALYSIS = {"altair", "vl_convert", "reports", "census", "collectors", "reference_models"}


def test_no_analysis_module_imports_altair_or_upward():
    modules = sorted(ANALYSIS_DIR.glob("*.py"))
    assert modules
    offenders = {p.name: _imported_modules(p) & NOT_IN_ANALYSIS for p in modules}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_import_check_sees_an_altair_import(tmp_path):
    module = tmp_path / "charting.py"
    module.write_text("from __future__ import annotations\n\nimport altair.vegalite as alt\n")
    assert _imported_modules(module) & NOT_IN_ANALYSIS == {"altair"}


def test_parity_rule_draws_one_dashed_line_at_half():
    spec = charts.parity_rule().to_dict()
    assert spec["mark"] == {"type": "rule", "strokeDash": [4, 4], "color": "#999"}
    assert spec["encoding"]["y"] == {"field": "share", "type": "quantitative"}
    values = next(iter(spec["datasets"].values()))
    assert values == [{"share": charts.PARITY}]
    assert charts.PARITY == 0.5


def test_framework_scales_follow_the_shared_table():
    ids = charts.known_frameworks(["tensorflow", "unknown", "torch"])
    assert ids == ["torch", "tensorflow"]  # the table's order, unknown ids dropped
    scale = charts.framework_scale(ids).to_dict()
    assert scale["range"] == [FRAMEWORKS["torch"].colour, FRAMEWORKS["tensorflow"].colour]
    labelled = charts.framework_label_scale(ids).to_dict()
    assert labelled["domain"] == ["PyTorch", "TensorFlow"]
    labels = charts.framework_labels(pd.Series(["jax", "other"]))
    assert labels.iloc[0] == "JAX" and pd.isna(labels.iloc[1])  # unknown: no label, not a guess


def test_label_expression_names_each_framework():
    expr = charts.label_expr(["torch", "tensorflow"])
    assert expr == (
        "datum.value == 'torch' ? 'PyTorch' : "
        "datum.value == 'tensorflow' ? 'TensorFlow' : datum.value"
    )


def test_compare_csvs_names_every_difference(tmp_path):
    from reports.compare_csvs import compare, main

    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    after.mkdir()
    (before / "same.csv").write_text("a\n1\n")
    (after / "same.csv").write_text("a\n1\n")
    (before / "changed.csv").write_text("a\n0.0\n")
    (after / "changed.csv").write_text("a\n\n")
    (before / "gone.csv").write_text("a\n")
    (after / "added.csv").write_text("a\n")
    assert compare(before, after) == {
        "added.csv": "new",
        "changed.csv": "differs",
        "gone.csv": "missing",
    }
    assert main([str(before), str(before)]) == 0
    assert main([str(before), str(after)]) == 1


def test_every_figure_module_is_a_listed_topic():
    """reports/figures/ is read from its TOPICS list, not scanned: a new module must be listed."""
    import reports.figures

    folder = Path(reports.figures.__file__).parent
    modules = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
    assert modules == set(reports.figures.TOPICS)
