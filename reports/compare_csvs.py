"""Compare the figure CSVs of two report folders byte for byte (a refactoring check).

    python -m census report --out /tmp/after --force
    python -m reports.compare_csvs BEFORE/latest/figures /tmp/after/latest/figures

Prints one line per CSV that differs, is missing or is new, and exits 1 when any does.
"""

from __future__ import annotations

import argparse
import filecmp
import logging
import sys
from pathlib import Path

log = logging.getLogger(__name__)


def compare(before: Path, after: Path) -> dict[str, str]:
    """``{csv name: 'differs' | 'missing' | 'new'}`` for every CSV that is not identical."""
    old = {p.name for p in before.glob("*.csv")}
    new = {p.name for p in after.glob("*.csv")}
    changes = {name: "missing" for name in old - new} | {name: "new" for name in new - old}
    for name in old & new:
        if not filecmp.cmp(before / name, after / name, shallow=False):
            changes[name] = "differs"
    return dict(sorted(changes.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="figures folder of the baseline report")
    parser.add_argument("after", type=Path, help="figures folder of the new report")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for folder in (args.before, args.after):
        if not folder.is_dir():
            log.error("%s: not a folder of report figures", folder)
            return 2
    changes = compare(args.before, args.after)
    for name, change in changes.items():
        log.info("%s: %s", name, change)
    total = len({p.name for p in args.before.glob("*.csv")} | set(changes))
    log.info("%d CSVs compared, %d not identical", total, len(changes))
    return 1 if changes else 0


if __name__ == "__main__":
    sys.exit(main())
