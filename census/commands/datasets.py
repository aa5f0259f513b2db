"""List the datasets (SQL views) with their columns and meaning.

`--markdown` prints the same as the README's dataset section.
"""

from __future__ import annotations

import argparse
import sys

from census.commands._common import help_of
from warehouse.datasets import datasets_markdown, list_datasets


def register(subparsers: argparse._SubParsersAction) -> None:
    short, full = help_of(__doc__)
    parser = subparsers.add_parser("datasets", help=short, description=full)
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.markdown:
        sys.stdout.write(datasets_markdown() + "\n")
        return 0
    for ds in list_datasets().values():
        sys.stdout.write(f"{ds.name}: {ds.description}\n")
        for column, text in ds.columns.items():
            sys.stdout.write(f"    {column:<20} {text}\n")
    return 0
