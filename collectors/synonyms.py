"""Framework synonym lists (``collectors/framework_synonyms.toml``) and mention matching."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SYNONYMS_FILE = Path(__file__).with_name("framework_synonyms.toml")


@dataclass(frozen=True)
class Synonyms:
    framework: str  # torch | tensorflow | jax
    label: str
    fulltext: tuple[str, ...]
    search: tuple[str, ...]

    @property
    def pattern(self) -> re.Pattern[str]:
        """Whole-word, case-insensitive match of any full-text term (spaces match any blank)."""
        terms = sorted(self.fulltext, key=len, reverse=True)
        alternatives = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in terms)
        return re.compile(rf"(?<![\w.-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class SynonymConfig:
    first_year: int
    frameworks: dict[str, Synonyms]


@lru_cache(maxsize=4)
def load_synonyms(path: Path = SYNONYMS_FILE) -> SynonymConfig:
    """Read the synonym file; a missing list or an empty one raises ValueError naming the file."""
    data = tomllib.loads(path.read_text())
    frameworks = {}
    for key, entry in data.get("frameworks", {}).items():
        fulltext, search = entry.get("fulltext", []), entry.get("search", [])
        if not fulltext or not search:
            msg = f"{path}: framework {key!r} needs non-empty 'fulltext' and 'search' lists"
            raise ValueError(msg)
        frameworks[key] = Synonyms(key, entry.get("label", key), tuple(fulltext), tuple(search))
    if not frameworks:
        msg = f"{path}: no [frameworks.*] tables"
        raise ValueError(msg)
    return SynonymConfig(int(data.get("first_year", 2015)), frameworks)


def count_mentions(text: str, config: SynonymConfig | None = None) -> dict[str, int]:
    """Occurrences of each framework's full-text synonyms in ``text``."""
    config = config or load_synonyms()
    # PDF text breaks words at line ends with a hyphen: "tensor-\nflow" -> "tensorflow".
    joined = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    return {key: len(syn.pattern.findall(joined)) for key, syn in config.frameworks.items()}
