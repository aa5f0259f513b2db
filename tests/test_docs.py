"""Every offline command example in README.md and docs/*.md runs as written.

The examples are the lines starting with ``census`` in fenced code blocks (a line whose quotes
are open continues on the next). Each runs in-process (``census.cli.main``) against one
warehouse restored from the shipped snapshot, in a scratch folder (so ``output/`` lands there)
holding links to the checkout's input folders (``../shared/data``, the checkout's sibling, is
read where it is; those examples skip where it is absent); it must exit 0 and, where the text
states an output, produce it. Examples that need the network or take minutes are skipped with the
reason. Charts are not rendered to pixels (the browser and report tests do that): the renderer
writes the spec instead, so the suite stays fast.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_report_index import StubRenderer  # tests/ is on sys.path

from census.cli import main
from census_base.paths import SOURCE_ROOT
from warehouse.ensure import ensure_warehouse

DOC_FILES = [SOURCE_ROOT / "README.md", *sorted((SOURCE_ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^\s*```")
INPUT_DIRS = ("collectors", "reference_models")  # inputs the examples name, relative to the root
SHARED_PREFIX = "../shared/data"  # the upstream archives, beside the checkout
DATED = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Example:
    where: str  # file:line
    argv: tuple[str, ...]  # after "census"
    comment: str

    def option(self, name: str) -> str | None:
        return self.argv[self.argv.index(name) + 1] if name in self.argv else None


def examples(path: Path) -> list[Example]:
    """The ``census`` command lines of the fenced code blocks of ``path``."""
    found, inside, pending, start = [], False, "", 0
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if FENCE.match(line):
            inside, pending = not inside, ""
            continue
        if not inside:
            continue
        text = (pending + " " + line.strip()) if pending else line.strip().removeprefix("$ ")
        if not text.startswith("census "):
            continue
        start = start if pending else number
        try:
            tokens = shlex.split(text, comments=True)
        except ValueError:  # an open quote: the command goes on
            pending = text
            continue
        pending = ""
        comment = text.split(" # ", 1)[1].strip() if " # " in text else ""
        found.append(Example(f"{path.name}:{start}", tuple(tokens[1:]), comment))
    return found


ALL = [example for path in DOC_FILES for example in examples(path)]


def skip_reason(example: Example) -> str | None:
    argv = example.argv
    command = argv[0]
    if command == "collect" and "--dry-run" not in argv:
        return "network: census collect without --dry-run sends requests"
    if command == "bench":
        return "long: trains and times the reference models (tests/test_reference_models*.py)"
    if command == "snapshot":
        return "long: re-ingests every upstream archive (tests/test_snapshot_command.py)"
    if command == "perf":
        return "long: ingests the upstream PyPI archive and renders a report (minutes)"
    if command == "ingest":
        target = argv[2]
        if target.startswith(("http://", "https://")):
            return "network: ingests from a URL"
        if not (SOURCE_ROOT / target).exists():
            return f"names a file the reader downloads first ({target})"
    if command == "report" and "--loads-before" in argv:
        return (
            "needs loads finished before that date; every shipped load is dated the day of "
            "the restore (tests/test_report_index.py covers the cut)"
        )
    return None


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docs")
    for name in INPUT_DIRS:
        (folder / name).symlink_to(SOURCE_ROOT / name)
    db = folder / "census.duckdb"
    ensure_warehouse(db)
    return folder, db


def test_examples_are_found():
    commands = {e.argv[0] for e in ALL}
    assert {"report", "query", "collect", "ingest", "cite", "perf"} <= commands
    assert len(ALL) >= 30


def _check_output(example: Example, folder: Path, out: str) -> None:
    argv, command = example.argv, example.argv[0]
    if command == "report":
        date = example.option("--as-of")
        report = folder / "output" / (date or "latest")
        for name in ("index.html", "report.md", "summary.md", "changes.md", "changes.json"):
            assert (report / name).is_file(), f"{example.where}: no {name} in {report}"
        if date:
            assert f"Data as of {date}" in (report / "summary.md").read_text()
            latest = json.loads((folder / "output/latest/provenance.json").read_text())
            assert latest["as_of"] != date, "a past report replaced output/latest"
        if since := example.option("--since"):
            changes = json.loads((report / "changes.json").read_text())
            assert changes["base"].startswith(since if DATED.match(since) else Path(since).name)
    elif command == "collect":  # --dry-run: the full URLs a refresh sends, one per line
        rows = [line.split("\t") for line in out.splitlines() if "\t" in line]
        assert rows and all(r[2].startswith(("https://", "http://")) for r in rows), out[:500]
    elif command == "query" and "LIMIT 3" in " ".join(argv):
        assert len(out.strip().splitlines()) == 4, out  # a header and three rows
    elif command == "cite":
        assert argv[1] in out and "sha256" in out.lower(), out
    elif command == "datasets":
        assert "adoption_signals:" in out


@pytest.mark.parametrize("example", ALL, ids=[f"{e.where} {' '.join(e.argv)[:60]}" for e in ALL])
def test_documented_command_runs(example, scratch, monkeypatch, capsys, request):
    if reason := skip_reason(example):
        pytest.skip(reason)
    folder, db = scratch
    argv = list(example.argv)
    if any(a.startswith(SHARED_PREFIX) for a in argv):
        shared = request.getfixturevalue("shared_data")  # skips where the folder is absent
        argv = [str(shared) + a[len(SHARED_PREFIX) :] if a.startswith(SHARED_PREFIX) else a
                for a in argv]  # fmt: skip
    monkeypatch.chdir(folder)
    monkeypatch.setattr("reports.render.Renderer", StubRenderer)  # specs, not pixels
    code = main(["--db", str(db), *argv])
    captured = capsys.readouterr()
    assert code == 0, f"{example.where}: census {' '.join(example.argv)}\n{captured.err[-2000:]}"
    _check_output(example, folder, captured.out)
