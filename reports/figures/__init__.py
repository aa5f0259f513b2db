"""Report blocks, one module per topic; each declares ``BLOCKS``."""

from __future__ import annotations

import importlib
import pkgutil

from reports.figure import SECTION_KEYS, Figure, TextBlock


def all_blocks() -> list[Figure | TextBlock]:
    blocks: list[Figure | TextBlock] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        blocks.extend(getattr(module, "BLOCKS", []))
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
