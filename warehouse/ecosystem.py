"""Deployment and ecosystem package groups from ``ecosystem.toml`` (a sibling of families.toml).

Each PyPI package belongs to one group (deployment, exchange, built_on), one framework (torch,
tensorflow, or neutral) and one role (edge, serving, optimisation, exchange, library).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

from warehouse.families import write_table

ECOSYSTEM_FILE = Path(__file__).with_name("ecosystem.toml")
FRAMEWORKS = ("torch", "tensorflow", "neutral")


@dataclass(frozen=True)
class EcosystemPackage:
    package: str
    group_name: str
    group_label: str
    framework: str
    role: str


@cache
def load_ecosystem(path: Path = ECOSYSTEM_FILE) -> tuple[EcosystemPackage, ...]:
    """Every package with its group, framework and role; ValueError naming the file on a repeat."""
    config = tomllib.loads(path.read_text())
    seen: dict[str, str] = {}
    rows = []
    for group, spec in config["groups"].items():
        for framework, roles in spec.items():
            if framework == "label":
                continue
            if framework not in FRAMEWORKS:
                msg = f"{path}: group {group!r} has framework {framework!r}; use {FRAMEWORKS}"
                raise ValueError(msg)
            for role, packages in roles.items():
                for package in packages:
                    if package in seen:
                        msg = f"{path}: package {package!r} is in {seen[package]!r} and {group!r}"
                        raise ValueError(msg)
                    seen[package] = group
                    rows.append(EcosystemPackage(package, group, spec["label"], framework, role))
    return tuple(rows)


def ecosystem_package_names() -> frozenset[str]:
    return frozenset(p.package for p in load_ecosystem())


def upsert_ecosystem_packages(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)write the ``ecosystem_packages`` table from the file."""
    write_table(con, "ecosystem_packages", EcosystemPackage, load_ecosystem())
