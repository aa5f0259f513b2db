"""Framework families from ``families.toml`` (packages per family and their roles)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

FAMILIES_FILE = Path(__file__).with_name("families.toml")
ROLES = ("core", "companion", "dependency")


@dataclass(frozen=True)
class PackageFamily:
    package: str
    family: str
    family_label: str
    role: str


@cache
def load_families(path: Path = FAMILIES_FILE) -> tuple[PackageFamily, ...]:
    """Every package with its family and role; a package may belong to one family only."""
    config = tomllib.loads(path.read_text())
    seen: dict[str, str] = {}
    rows = []
    for family, spec in config["families"].items():
        for role in ROLES:
            for package in spec.get(role, []):
                if package in seen:
                    msg = f"{path}: package {package!r} is in {seen[package]!r} and {family!r}"
                    raise ValueError(msg)
                seen[package] = family
                rows.append(PackageFamily(package, family, spec["label"], role))
    return tuple(rows)


def tracked_packages() -> frozenset[str]:
    return frozenset(p.package for p in load_families())


def upsert_package_families(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)write the ``package_families`` reference table from the config file."""
    frame = pd.DataFrame([p.__dict__ for p in load_families()])
    con.register("families_incoming", frame)
    con.execute("CREATE OR REPLACE TABLE package_families AS SELECT * FROM families_incoming")
    con.unregister("families_incoming")
