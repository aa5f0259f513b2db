"""Where the checkout is: the one place that does path arithmetic from this file's location."""

from __future__ import annotations

from pathlib import Path

# The folder holding the top-level packages: the checkout root in a checkout, site-packages
# in an installed wheel. Use `checkout_root()` where only a checkout makes sense.
SOURCE_ROOT = Path(__file__).resolve().parent.parent


# Upstream archives beside the checkout (`census snapshot --shared` overrides it).
SHARED_DATA_DEFAULT = SOURCE_ROOT.parent / "shared" / "data"


def checkout_root() -> Path | None:
    """The git checkout this code runs from, or None when installed (no pyproject beside it)."""
    return SOURCE_ROOT if (SOURCE_ROOT / "pyproject.toml").is_file() else None
