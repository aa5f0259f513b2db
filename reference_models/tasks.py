"""What each model trains on and how it is scored: data loading (nothing timed) and metrics."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import numpy as np

from reference_models import data as datasets


def load_data(
    model: str, name: str, train: Any, config: Any, seed: int, shards: int = 1, shard: int = 0
) -> tuple[Any, Any]:
    """(data namespace, model config with the corpus vocabulary); nothing timed here."""
    if model != "gpt":
        images = datasets.load_images(name)
        return SimpleNamespace(
            name=images.name,
            x_train=images.x_train,
            y_train=images.y_train,
            x_eval=images.x_test[: train.eval_samples],
            y_eval=images.y_test[: train.eval_samples],
        ), config
    text = datasets.load_kjv()
    config = replace(config, vocab_size=len(text.chars))
    train_tokens, val_tokens = datasets.text_split(text)
    x, y = datasets.text_batches(
        train_tokens, train.steps, train.batch_size * shards, config.block_size, seed * 1000 + shard
    )
    vx, vy = datasets.text_batches(val_tokens, 1, train.eval_samples, config.block_size, 12345)
    return SimpleNamespace(name=text.name, x_train=x, y_train=y, x_eval=vx[0], y_eval=vy[0]), config


def metric_of(model: str, logits: np.ndarray, labels: np.ndarray) -> tuple[str, float]:
    """Test accuracy for the classifiers, validation cross-entropy (nats/char) for the GPT."""
    if model != "gpt":
        return "test_accuracy", float((logits.argmax(-1) == labels).mean())
    z = logits.astype(np.float64).reshape(-1, logits.shape[-1])
    z -= z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return "val_loss", float(-logp[np.arange(len(z)), labels.reshape(-1)].mean())
