"""Imports run one way: census (CLI) -> reports -> analysis -> warehouse -> census_base, and
collectors -> warehouse -> census_base; reference_models imports only census_base.

Read from the source with ``ast`` (every ``import``/``from`` at any depth, lazy ones included).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("census", "reports", "analysis", "collectors", "warehouse", "reference_models")
ALLOWED = {
    "census_base": set(),
    "warehouse": {"census_base"},
    "collectors": {"warehouse", "census_base"},
    "analysis": {"warehouse", "census_base"},
    "reports": {"analysis", "warehouse", "census_base"},
    "reference_models": {"census_base"},
    "census": {"reports", "analysis", "collectors", "warehouse", "reference_models", "census_base"},
}


def project_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & set(ALLOWED)
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_no_upward_or_sideways_import(package):
    wrong = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        name = str(path.relative_to(ROOT))
        bad = {m for m in project_imports(path) - ALLOWED[package] - {package}}
        if bad:
            wrong[name] = sorted(bad)
    assert wrong == {}
