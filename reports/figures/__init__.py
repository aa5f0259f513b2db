"""Report blocks, one module per topic; each declares ``BLOCKS``.

``TOPICS`` is the explicit list of those modules (no discovery scan; a test checks that every
module in this folder is listed).
"""

from __future__ import annotations

import importlib

from reports.figure import SECTION_KEYS, Figure, TextBlock

TOPICS = (
    "headline",
    "headline_table",
    "headline_growth",
    "verdicts",
    "downloads",
    "downloads_channels",
    "pypi_growth",
    "deployment",
    "repositories",
    "dependents",
    "best_of_ml",
    "hub_models",
    "papers",
    "papers_bibliographic",
    "papers_pwc",
    "papers_recount",
    "surveys",
    "surveys_countries",
    "surveys_published",
    "qa",
    "qa_vintages",
    "jobs",
    "performance",
    "performance_table",
    "performance_pairs",
    "methodology",
    "coverage",
)


def all_blocks() -> list[Figure | TextBlock]:
    blocks: list[Figure | TextBlock] = []
    for topic in TOPICS:
        module = importlib.import_module(f"{__name__}.{topic}")
        blocks.extend(module.BLOCKS)
    ids = [b.id for b in blocks]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        msg = f"duplicate report block ids: {sorted(duplicates)}"
        raise ValueError(msg)
    unknown = {b.section for b in blocks} - set(SECTION_KEYS)
    if unknown:
        msg = f"unknown report sections: {sorted(unknown)}"
        raise ValueError(msg)
    return sorted(blocks, key=lambda b: (SECTION_KEYS.index(b.section), b.order, b.id))
