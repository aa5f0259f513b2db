"""The MNIST-tutorial MLP (784-128-64-10, ReLU) in Keras 3 (functional API, any backend).

    python -c "from reference_models.mlp_keras import build_mlp; build_mlp().summary()"

Layer names follow the PyTorch module paths with ``.`` replaced by ``_`` (``hidden_0``,
``head``), which is how ``reference_models.port`` pairs the weights.
"""

from __future__ import annotations

import keras

from reference_models.config import MLPConfig


def build_mlp(config: MLPConfig | None = None) -> keras.Model:
    """Flatten, then Dense-ReLU layers and a linear classifier returning logits."""
    config = config or MLPConfig()
    inputs = keras.Input(shape=(28, 28, 1), name="image")  # (B, 28, 28, 1)
    x = keras.layers.Flatten(name="flatten")(inputs)  # (B, 784), row-major like torch
    for i, width in enumerate(config.hidden):
        x = keras.layers.Dense(width, activation="relu", name=f"hidden_{i}")(x)
    logits = keras.layers.Dense(config.classes, name="head")(x)  # (B, classes)
    return keras.Model(inputs, logits, name="mlp")
