"""census: PyTorch or TensorFlow? Adoption evidence you can regenerate, query and cite.

Every subcommand is one row of ``COMMANDS`` (name -> module, one-line help); its module
``census/commands/<name>.py`` has ``register(subparsers)`` and ``run(args)`` and is imported only
when that command runs, so ``census --help`` loads no command and no heavy library.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from types import ModuleType

from census.failures import configure_logging, describe_failure, secret_values
from census.failures import redact as redact_secrets

# name -> (module, one-line help). The help line is the first line of the module docstring;
# a test checks the two agree and that every command is documented in README.md.
COMMANDS: dict[str, tuple[str, str]] = {
    "bench": (
        "census.commands.bench",
        "Benchmark the reference models (MLP, ResNet-20-style CNN, char-level GPT) in both "
        "frameworks.",
    ),
    "cite": (
        "census.commands.cite",
        "Print the citation of a report chart: id, title, data period, sources, report date, code.",
    ),
    "collect": (
        "census.commands.collect",
        "Refresh the warehouse from live sources, incrementally.",
    ),
    "datasets": (
        "census.commands.datasets",
        "List the datasets (SQL views) with their columns and meaning.",
    ),
    "export": (
        "census.commands.export",
        "Write datasets (the documented views) as Parquet or CSV files.",
    ),
    "ingest": (
        "census.commands.ingest",
        "Load a published archive (file, folder or URL) into the warehouse.",
    ),
    "perf": (
        "census.commands.perf",
        "Time the commands a user waits for, each against a baseline measured in the same run.",
    ),
    "query": (
        "census.commands.query",
        "Run one read-only SQL query against the warehouse and print the result.",
    ),
    "report": (
        "census.commands.report",
        "Regenerate the trend report: output/<as-of>/ and output/latest/ (in the current folder).",
    ),
    "snapshot": (
        "census.commands.snapshot",
        "Rebuild the shipped snapshot (warehouse/shipped_snapshot/, package data) from upstream "
        "archives.",
    ),
}


def command_module(name: str) -> ModuleType:
    """The module of command ``name`` (imported now)."""
    return importlib.import_module(COMMANDS[name][0])


def _chosen_command(argv: Sequence[str]) -> str | None:
    """The subcommand named on the command line, found without importing any command."""
    tokens = iter(argv)
    for token in tokens:
        if token == "--db":
            next(tokens, None)
        elif not token.startswith("-"):
            return token
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser. Given ``argv`` naming a command, only that command's module is imported and
    the others are listed by their help line; with ``argv=None`` every command is registered."""
    parser = argparse.ArgumentParser(
        prog="census",
        description=(__doc__ or "").split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--db", help="warehouse file (default: $CENSUS_DB or data/census.duckdb)")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    chosen = _chosen_command(argv) if argv is not None else None
    for name, (_, short) in COMMANDS.items():
        if argv is None or name == chosen:
            command_module(name).register(subparsers)
        else:
            subparsers.add_parser(name, help=short)
    return parser


def interrupted(exc: BaseException) -> bool:
    """True for DuckDB's answer to Ctrl-C during a statement ('Query interrupted')."""
    import duckdb

    if isinstance(exc, duckdb.InterruptException):
        return True
    return isinstance(exc, RuntimeError) and str(exc).startswith("Query interrupted")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; a failure the user can act on is one line and exit 2 (-v: traceback)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    from warehouse.access import set_owner_label

    set_owner_label(f"census {args.command}")
    log = logging.getLogger("census")
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        log.error("interrupted; the warehouse keeps only loads that finished")
        return 130
    except Exception as exc:
        if interrupted(exc):  # Ctrl-C reached DuckDB first: it raises instead of Python
            log.error("interrupted; the warehouse keeps only loads that finished")
            return 130
        line = describe_failure(exc)
        if line is None:  # a bug: the traceback always, through the redacting log handler
            log.critical("unexpected error (a bug, please report it): %r", exc, exc_info=True)
            return 1
        log.error("%s", redact_secrets(line, secret_values()), exc_info=args.verbose > 0)
        return 2


if __name__ == "__main__":
    sys.exit(main())
