"""Horace He's per-conference paper lists: parsing and the recount from keyword flags.

Each ``data_analysis/data/<conf>_<year>.json`` record has ``metadata.words``: the keywords found
in the paper's text (``pytorch``, ``tensorflow``, ``google.com``, ``fb.com``, ``google brain``,
``opennmt``, ``allennlp``; icml_2019 uses ``pt`` / ``tf``). Lists from 2019 on mostly have empty
flags upstream and cannot be recounted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from census_base.errors import ParseError
from collectors.raw import RawResponse

VENUES = {
    "nips": "NeurIPS",
    "neurips": "NeurIPS",
    "cvpr": "CVPR",
    "iccv": "ICCV",
    "eccv": "ECCV",
    "acl": "ACL",
    "emnlp": "EMNLP",
    "naacl": "NAACL",
    "icml": "ICML",
    "iclr": "ICLR",
    "aistats": "AISTATS",
    "colt": "COLT",
}
PYTORCH_FLAGS = frozenset({"pytorch", "pt"})  # icml_2019 uses pt / tf
TENSORFLOW_FLAGS = frozenset({"tensorflow", "tf"})
AFFILIATION_FLAGS = frozenset({"google.com", "fb.com"})
LIST_NAME = re.compile(r"^([a-z]+)_(\d{4})\.json$")


def canonical_venue(name: str) -> str:
    """``nips`` / ``NeurIPS`` -> ``NeurIPS``; unknown names upper-cased."""
    return VENUES.get(name.strip().lower(), name.strip().upper())


@dataclass(frozen=True)
class PaperList:
    venue: str
    year: int
    flags: list[frozenset[str]]  # per paper: metadata.words

    @property
    def has_flags(self) -> bool:
        return any(self.flags)


def parse_paper_list(raw: RawResponse) -> PaperList:
    """One ``<conf>_<year>.json`` paper list; venue and year from the records (or the name)."""
    body = raw.json()
    if not isinstance(body, list):
        raise ParseError(raw.url, "a paper list must be a JSON array of papers")
    name = LIST_NAME.match(PurePosixPath(unquote(urlsplit(raw.url).path)).name)
    flags = []
    venues, years = set(), set()
    for i, paper in enumerate(body):
        words = paper.get("metadata", {}).get("words") if isinstance(paper, dict) else None
        if not isinstance(words, list):
            raise ParseError(raw.url, f"paper {i} has no metadata.words list")
        flags.append(frozenset(str(w).lower() for w in words))
        venues.add(str(paper.get("conference", "")).lower())
        years.add(str(paper.get("year", "")))
    if name:
        venues, years = {name.group(1)}, {name.group(2)}
    if len(venues) != 1 or len(years) != 1 or not next(iter(years)).isdigit():
        msg = f"cannot tell the conference-year (venues {venues}, years {years})"
        raise ParseError(raw.url, msg)
    return PaperList(canonical_venue(venues.pop()), int(years.pop()), flags)


def recount(papers: PaperList, article_rule: bool) -> dict[str, int]:
    """PyTorch / TensorFlow / both / neither (and excluded) paper counts from keyword flags.

    ``article_rule`` applies the original analysis: papers flagged google.com or fb.com are
    excluded, and papers mentioning both frameworks count for neither (reported as ``both``).
    Without it, ``torch`` and ``tensorflow`` count every paper that mentions the framework.
    """
    counts = dict.fromkeys(["torch", "tensorflow", "both", "neither"], 0)
    if article_rule:
        counts["excluded"] = 0
    for words in papers.flags:
        if article_rule and words & AFFILIATION_FLAGS:
            counts["excluded"] += 1
            continue
        torch, tensorflow = bool(words & PYTORCH_FLAGS), bool(words & TENSORFLOW_FLAGS)
        if torch and tensorflow:
            counts["both"] += 1
            if article_rule:
                continue
        counts["torch"] += torch
        counts["tensorflow"] += tensorflow
        counts["neither"] += not (torch or tensorflow)
    return counts
