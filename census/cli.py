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
from collectors.errors import CensusError


def command_modules() -> list[object]:
    names = sorted(
        i.name for i in pkgutil.iter_modules(census.commands.__path__) if not i.name.startswith("_")
    )
    return [importlib.import_module(f"census.commands.{name}") for name in names]


def build_parser() -> argparse.ArgumentParser:
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
    for module in command_modules():
        module.register(subparsers)  # type: ignore[attr-defined]
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose + 1, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)
    try:
        return int(args.func(args) or 0)
    except CensusError as exc:
        logging.getLogger("census").error("%s", exc)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
