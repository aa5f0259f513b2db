"""A ResNet-20-style CNN in Keras 3 (functional API, any backend); mirrors ``cnn_torch``.

    python -c "from reference_models.cnn_keras import build_cnn; build_cnn().summary()"

Input is NHWC. Parity settings: BatchNormalization ``epsilon`` and ``momentum`` set to
PyTorch's values (Keras' defaults are 1e-3 and 0.99); stride-2 3x3 convs use
``ZeroPadding2D(1)`` + ``padding="valid"`` because Keras' ``"same"`` pads 0 top/left and 1
bottom/right for even inputs, while PyTorch pads 1 on every side. Layer names are the PyTorch
module paths with ``.`` replaced by ``_``.
"""

from __future__ import annotations

import keras

from reference_models.config import CNNConfig


def _conv_bn(x, width: int, kernel: int, stride: int, conv: str, bn: str, config: CNNConfig):
    if kernel == 3 and stride == 2:
        x = keras.layers.ZeroPadding2D(1, name=f"{conv}_pad")(x)
        padding = "valid"
    else:
        padding = "same" if kernel == 3 else "valid"
    x = keras.layers.Conv2D(
        width, kernel, strides=stride, padding=padding, use_bias=False, name=conv
    )(x)
    return keras.layers.BatchNormalization(
        epsilon=config.bn_eps, momentum=1.0 - config.bn_momentum, name=bn
    )(x)


def _block(x, index: int, width: int, stride: int, config: CNNConfig):
    name = f"blocks_{index}"
    out = _conv_bn(x, width, 3, stride, f"{name}_conv1", f"{name}_bn1", config)
    out = keras.layers.ReLU()(out)
    out = _conv_bn(out, width, 3, 1, f"{name}_conv2", f"{name}_bn2", config)
    shortcut = x
    if stride != 1 or x.shape[-1] != width:
        shortcut = _conv_bn(x, width, 1, stride, f"{name}_shortcut_0", f"{name}_shortcut_1", config)
    return keras.layers.ReLU()(keras.layers.Add()([out, shortcut]))


def build_cnn(config: CNNConfig | None = None) -> keras.Model:
    config = config or CNNConfig()
    size = config.image_size
    inputs = keras.Input(shape=(size, size, config.channels), name="image")  # (B, H, W, C)
    x = _conv_bn(inputs, config.widths[0], 3, 1, "stem", "stem_bn", config)
    x = keras.layers.ReLU()(x)
    index = 0
    for stage, width in enumerate(config.widths):
        for i in range(config.blocks_per_stage):
            stride = 2 if stage > 0 and i == 0 else 1
            x = _block(x, index, width, stride, config)
            index += 1
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)  # (B, 64)
    logits = keras.layers.Dense(config.classes, name="head")(x)  # (B, classes)
    return keras.Model(inputs, logits, name="resnet")
