"""The sources this code can load, read from the collector modules without importing them.

Importing every collector (and its HTTP and parsing dependencies) costs about half a second of
each report build; the module-level ``SOURCE_INFO``, ``INGESTERS`` and ``COLLECTORS`` they
declare are plain literals, so they are read from the source text instead (a test checks the
result against the imported modules).
"""

from __future__ import annotations

import ast
from pathlib import Path

COLLECTORS_DIR = Path(__file__).resolve().parent.parent / "collectors"


def _string(node: ast.expr | None, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def _first_argument(call: ast.Call, keyword: str, constants: dict[str, str]) -> str | None:
    if call.args:
        return _string(call.args[0], constants)
    return next((_string(k.value, constants) for k in call.keywords if k.arg == keyword), None)


def _module_sources(tree: ast.Module) -> tuple[str | None, list[str]]:
    constants: dict[str, str] = {}
    name, commands = None, []
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        targets = {t.id for t in node.targets if isinstance(t, ast.Name)}
        value = node.value
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            constants.update(dict.fromkeys(targets, value.value))
        elif "SOURCE_INFO" in targets and isinstance(value, ast.Call):
            name = _first_argument(value, "name", constants)
        elif targets & {"INGESTERS", "COLLECTORS"} and isinstance(value, ast.List):
            verb = "ingest" if "INGESTERS" in targets else "collect"
            for call in value.elts:
                if isinstance(call, ast.Call) and (cli := _first_argument(call, "name", constants)):
                    commands.append(f"census {verb} {cli}")
    ingest_first = sorted(commands, key=lambda c: not c.startswith("census ingest"))
    return name, ingest_first


def known_sources(folder: Path = COLLECTORS_DIR) -> dict[str, str]:
    """Source name -> the commands that load it (for sources declaring ``SOURCE_INFO``)."""
    found = {}
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        name, commands = _module_sources(ast.parse(path.read_text()))
        if name:
            found[name] = " or ".join(f"`{c}`" for c in commands) or "its collector"
    return found
