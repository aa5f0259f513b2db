"""The sources this code can load, from the source registry (``census_base.sources``).

The registry is a plain table, so the report lists sources without importing any collector.
"""

from __future__ import annotations

from census_base.sources import by_source


def known_sources() -> dict[str, str]:
    """Source name -> the commands that load it."""
    return {
        source: " or ".join(f"`{c}`" for e in rows for c in e.commands()) or "its collector"
        for source, rows in by_source().items()
    }
