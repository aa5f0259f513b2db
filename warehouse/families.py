"""Framework families from ``families.toml`` (packages per family, channel and role).

The top-level lists of a family are PyPI names (``package_families``, unchanged); sub-tables
``[families.<family>.<channel>]`` add conda and npm names (``channel_package_families``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

import duckdb

from census_base.frameworks import label

FAMILIES_FILE = Path(__file__).with_name("families.toml")
ROLES = ("core", "companion", "dependency")
CHANNELS = ("pypi", "conda", "npm")


@dataclass(frozen=True)
class PackageFamily:
    package: str
    family: str
    family_label: str
    role: str


@dataclass(frozen=True)
class ChannelPackage:
    channel: str
    package: str
    family: str
    family_label: str
    role: str


@cache
def load_channel_families(path: Path = FAMILIES_FILE) -> tuple[ChannelPackage, ...]:
    """Every package of every channel with its family and role (one family per channel)."""
    config = tomllib.loads(path.read_text())
    seen: dict[tuple[str, str], str] = {}
    rows = []
    for family, spec in config["families"].items():
        for channel in CHANNELS:
            lists = spec if channel == "pypi" else spec.get(channel, {})
            for role in ROLES:
                for package in lists.get(role, []):
                    if (channel, package) in seen:
                        msg = (
                            f"{path}: {channel} package {package!r} is in "
                            f"{seen[channel, package]!r} and {family!r}"
                        )
                        raise ValueError(msg)
                    seen[channel, package] = family
                    rows.append(ChannelPackage(channel, package, family, label(family), role))
    return tuple(rows)


@cache
def load_families(path: Path = FAMILIES_FILE) -> tuple[PackageFamily, ...]:
    """Every PyPI package with its family and role; a package may belong to one family only."""
    return tuple(
        PackageFamily(p.package, p.family, p.family_label, p.role)
        for p in load_channel_families(path)
        if p.channel == "pypi"
    )


def tracked_packages() -> frozenset[str]:
    return frozenset(p.package for p in load_families())


def channel_packages(
    channel: str, roles: tuple[str, ...] = ROLES, families: tuple[str, ...] | None = None
) -> list[str]:
    """Package names of one channel, in file order, optionally only some roles or families."""
    return [
        p.package
        for p in load_channel_families()
        if p.channel == channel and p.role in roles and (families is None or p.family in families)
    ]


def upsert_package_families(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)write ``package_families`` (PyPI) and ``channel_package_families`` (all channels)."""
    write_table(con, "package_families", PackageFamily, load_families())
    write_table(con, "channel_package_families", ChannelPackage, load_channel_families())


def write_table(
    con: duckdb.DuckDBPyConnection, table: str, kind: type, rows: tuple[object, ...]
) -> None:
    """``CREATE OR REPLACE TABLE table`` from dataclass rows of string fields (one VARCHAR
    column per field, in field order); the values are bound as one list per column."""
    names = [f.name for f in fields(kind)]
    columns = ", ".join(f'unnest(CAST(? AS VARCHAR[])) AS "{name}"' for name in names)
    values = [[getattr(row, name) for row in rows] for name in names]
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {columns}", values)
