"""Port weights PyTorch <-> Keras for the reference models.

Keras layers are named after the PyTorch module paths with ``.`` replaced by ``_``, so each
PyTorch module prefix in a state dict names one Keras layer; the Keras layer's type decides the
layout change (benchmarking.md §4):

- Dense: ``kernel = weight.T`` (PyTorch stores (out, in), Keras (in, out)); bias as is.
- Conv2D: OIHW -> HWIO, ``weight.transpose(2, 3, 1, 0)`` (and ``(3, 2, 0, 1)`` back).
- BatchNormalization: gamma, beta, moving mean, moving variance <- weight, bias, running_mean,
  running_var (``num_batches_tracked`` has no Keras counterpart and is left alone).
- LayerNormalization: gamma, beta <- weight, bias. Embedding / PositionEmbedding: copied.

The functions work on NumPy state dicts (``{torch_name: array}``) so a Keras process can load
weights exported by a PyTorch process without importing torch.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

BN_KEYS = ("weight", "bias", "running_mean", "running_var")
SKIPPED_KEYS = ("num_batches_tracked",)


def keras_name(torch_prefix: str) -> str:
    return torch_prefix.replace(".", "_")


def _group(keys: list[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        prefix, leaf = key.rsplit(".", 1)
        if leaf not in SKIPPED_KEYS:
            groups[prefix].append(leaf)
    return groups


def _to_keras(kind: str, tensors: dict[str, np.ndarray]) -> list[np.ndarray]:
    if kind == "Dense":
        return [tensors["weight"].T] + ([tensors["bias"]] if "bias" in tensors else [])
    if kind == "Conv2D":
        return [tensors["weight"].transpose(2, 3, 1, 0)]
    if kind == "BatchNormalization":
        return [tensors[k] for k in BN_KEYS]
    if kind == "LayerNormalization":
        return [tensors["weight"], tensors["bias"]]
    if kind in ("Embedding", "PositionEmbedding"):
        return [tensors["weight"]]
    msg = f"no weight mapping for Keras layer type {kind}"
    raise TypeError(msg)


def _to_torch(kind: str, arrays: list[np.ndarray], leaves: list[str]) -> dict[str, np.ndarray]:
    if kind == "Dense":
        out = {"weight": arrays[0].T}
        if "bias" in leaves:
            out["bias"] = arrays[1]
        return out
    if kind == "Conv2D":
        return {"weight": arrays[0].transpose(3, 2, 0, 1)}
    if kind == "BatchNormalization":
        return dict(zip(BN_KEYS, arrays, strict=True))
    if kind == "LayerNormalization":
        return {"weight": arrays[0], "bias": arrays[1]}
    if kind in ("Embedding", "PositionEmbedding"):
        return {"weight": arrays[0]}
    msg = f"no weight mapping for Keras layer type {kind}"
    raise TypeError(msg)


def _weighted_layers(kmodel: Any) -> dict[str, Any]:
    return {layer.name: layer for layer in kmodel.layers if layer.weights}


def _layer(kmodel: Any, prefix: str) -> Any:
    layers = _weighted_layers(kmodel)
    name = keras_name(prefix)
    if name not in layers:
        msg = f"PyTorch module {prefix!r} has no Keras layer named {name!r} in {kmodel.name}"
        raise KeyError(msg)
    return layers[name]


def load_state_into_keras(state: dict[str, np.ndarray], kmodel: Any) -> int:
    """Set a Keras model's weights from a PyTorch state dict (NumPy arrays); returns layers set.

    Raises KeyError when a module has no Keras layer or a Keras layer gets no weights.
    """
    groups = _group(list(state))
    for prefix, leaves in groups.items():
        layer = _layer(kmodel, prefix)
        tensors = {leaf: np.asarray(state[f"{prefix}.{leaf}"]) for leaf in leaves}
        arrays = _to_keras(type(layer).__name__, tensors)
        layer.set_weights(
            [
                a.astype(w.dtype, copy=False) if hasattr(w, "dtype") else a
                for a, w in zip(arrays, layer.get_weights(), strict=True)
            ]
        )
    missing = set(_weighted_layers(kmodel)) - {keras_name(p) for p in groups}
    if missing:
        msg = f"Keras layers without a PyTorch counterpart: {sorted(missing)}"
        raise KeyError(msg)
    return len(groups)


def keras_to_state(kmodel: Any, torch_keys: list[str]) -> dict[str, np.ndarray]:
    """A PyTorch state dict (NumPy arrays, for the keys given) from a Keras model's weights."""
    state: dict[str, np.ndarray] = {}
    for prefix, leaves in _group(torch_keys).items():
        layer = _layer(kmodel, prefix)
        for leaf, array in _to_torch(type(layer).__name__, layer.get_weights(), leaves).items():
            state[f"{prefix}.{leaf}"] = np.ascontiguousarray(array)
    return state


def torch_state(tmodel: Any) -> dict[str, np.ndarray]:
    """A PyTorch model's state dict as NumPy arrays."""
    return {k: v.detach().cpu().numpy() for k, v in tmodel.state_dict().items()}


def torch_to_keras(tmodel: Any, kmodel: Any) -> int:
    """Copy a PyTorch model's weights into the matching Keras model."""
    return load_state_into_keras(torch_state(tmodel), kmodel)


def keras_to_torch(kmodel: Any, tmodel: Any) -> None:
    """Copy a Keras model's weights into the matching PyTorch model."""
    import torch

    keys = list(tmodel.state_dict())
    state = keras_to_state(kmodel, keys)
    tmodel.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()}, strict=False)


def trainable_parameters(model: Any) -> int:
    """Trainable parameter count of a PyTorch or Keras model (BN running stats excluded)."""
    if hasattr(model, "trainable_weights"):
        return int(sum(int(np.prod(w.shape)) for w in model.trainable_weights))
    return int(sum(p.numel() for p in model.parameters() if p.requires_grad))
