"""The public face of the dataset: documented SQL views.

A view file in ``warehouse/views`` is a public dataset when its header has ``-- dataset: NAME``;
``-- description:`` and ``-- column NAME: text`` lines document it (the README table and
``census datasets`` come from here, and a test checks every column is documented).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:  # pandas is loaded by DuckDB's .df() only when a dataset is read
    import pandas as pd

from warehouse.db import VIEWS_DIR, set_as_of

_HEADER = re.compile(r"^--\s*(dataset|description|column)\s*([^:]*):\s*(.*)$")


@dataclass
class Dataset:
    name: str
    description: str = ""
    columns: dict[str, str] = field(default_factory=dict)


def list_datasets() -> dict[str, Dataset]:
    """Every documented dataset, by name."""
    found: dict[str, Dataset] = {}
    for path in sorted(VIEWS_DIR.glob("*.sql")):
        current: Dataset | None = None
        for line in path.read_text().splitlines():
            match = _HEADER.match(line.strip())
            if not match:
                if not line.startswith("--"):
                    break
                continue
            kind, arg, text = match.group(1), match.group(2).strip(), match.group(3).strip()
            if kind == "dataset":
                current = Dataset(text)
                found[text] = current
            elif current and kind == "description":
                current.description = text
            elif current and kind == "column":
                current.columns[arg] = text
    return found


def load_dataset(
    con: duckdb.DuckDBPyConnection, name: str, as_of: date | None = None
) -> pd.DataFrame:
    """A dataset as a DataFrame, optionally as the warehouse stood at ``as_of``."""
    if name not in list_datasets():
        msg = f"unknown dataset {name!r}; known: {', '.join(sorted(list_datasets()))}"
        raise KeyError(msg)
    set_as_of(con, as_of)
    try:
        return con.execute(f"SELECT * FROM {name}").df()
    finally:
        set_as_of(con, None)


def datasets_markdown() -> str:
    """The datasets and their columns as Markdown (pasted into the README)."""
    parts = []
    for ds in list_datasets().values():
        parts.append(f"### `{ds.name}`\n\n{ds.description}\n\n| column | meaning |\n|---|---|")
        parts.extend(f"| `{col}` | {text} |" for col, text in ds.columns.items())
        parts.append("")
    return "\n".join(parts)
