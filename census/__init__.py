"""framework-census: PyTorch or TensorFlow adoption evidence as a dataset package.

``from census import load, datasets`` (see :mod:`census.api`); imported lazily so that the CLI
(``census --help``, ``census query``) does not pay for the warehouse modules it does not use.
"""

from __future__ import annotations

from typing import Any

__all__ = ["datasets", "load"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from census import api

        return getattr(api, name)
    msg = f"module 'census' has no attribute {name!r}"
    raise AttributeError(msg)
