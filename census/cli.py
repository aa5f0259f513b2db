"""census: PyTorch or TensorFlow? Adoption evidence you can regenerate, query and cite.

Every subcommand lives in ``census/commands/<name>.py`` and registers itself with
``register(subparsers)``; its module docstring is its help.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence

import census.commands
from census.failures import configure_logging, describe_failure, secret_values
from census.failures import redact as redact_secrets


def command_names() -> list[str]:
    return sorted(
        i.name for i in pkgutil.iter_modules(census.commands.__path__) if not i.name.startswith("_")
    )


def command_modules(only: str | None = None) -> list[object]:
    """The command modules; just ``only`` when it names one (a fast start for that command)."""
    names = [only] if only in command_names() else command_names()
    return [importlib.import_module(f"census.commands.{name}") for name in names]


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
    """The full parser; given ``argv`` naming a command, only that command is imported and the
    others are listed by their module docstring (``census report`` need not import pandas)."""
    parser = argparse.ArgumentParser(
        prog="census",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--db", help="warehouse file (default: $CENSUS_DB or data/census.duckdb)")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    chosen = _chosen_command(argv) if argv is not None else None
    if chosen not in command_names() or "-h" in argv or "--help" in argv:  # type: ignore[operator]
        chosen = None
    for module in command_modules(chosen):
        module.register(subparsers)  # type: ignore[attr-defined]
    return parser


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
        line = describe_failure(exc)
        if line is None:  # a bug: the traceback always, through the redacting log handler
            log.critical("unexpected error (a bug, please report it): %r", exc, exc_info=True)
            return 1
        log.error("%s", redact_secrets(line, secret_values()), exc_info=args.verbose > 0)
        return 2


if __name__ == "__main__":
    sys.exit(main())
