"""Model FLOPs per training sample, counted analytically from the config.

Forward FLOPs count matrix multiplies and convolutions (1 multiply-add = 2 FLOPs), the same
convention as ``torch.utils.flop_counter.FlopCounterMode`` (a test checks the two agree);
norms, activations and the optimiser are left out. Training FLOPs use the usual model-FLOPs
convention of 3 x forward (backward = 2 x forward), as in MFU (PaLM, nanoGPT's
``estimate_mfu``), so achieved FLOP/s are comparable across frameworks and models.
"""

from __future__ import annotations

from typing import Any

from reference_models.config import CNNConfig, GPTConfig, MLPConfig


def mlp_forward(config: MLPConfig) -> int:
    sizes = [config.input_dim, *config.hidden, config.classes]
    return sum(2 * a * b for a, b in zip(sizes, sizes[1:], strict=False))


def _conv(size: int, c_in: int, c_out: int, kernel: int, stride: int) -> tuple[int, int]:
    out = (size + 2 * (kernel // 2) - kernel) // stride + 1
    return 2 * kernel * kernel * c_in * c_out * out * out, out


def cnn_forward(config: CNNConfig) -> int:
    total, size = _conv(config.image_size, config.channels, config.widths[0], 3, 1)
    width_in = config.widths[0]
    for stage, width in enumerate(config.widths):
        for i in range(config.blocks_per_stage):
            stride = 2 if stage > 0 and i == 0 else 1
            flops1, out = _conv(size, width_in, width, 3, stride)
            flops2, _ = _conv(out, width, width, 3, 1)
            total += flops1 + flops2
            if stride != 1 or width_in != width:
                total += _conv(size, width_in, width, 1, stride)[0]
            size, width_in = out, width
    return total + 2 * width_in * config.classes


def gpt_forward(config: GPTConfig) -> int:
    """Per sequence of ``block_size`` tokens: 2 x (non-embedding weights) + attention scores."""
    d, t, layers = config.n_embd, config.block_size, config.n_layer
    per_layer = d * 3 * d + d * d + d * 4 * d + 4 * d * d  # c_attn, c_proj, c_fc, mlp c_proj
    weights = layers * per_layer + d * config.vocab_size  # + lm_head
    attention = layers * 2 * 2 * t * t * d  # q @ k^T and att @ v over the full (T, T) matrix
    return 2 * weights * t + attention


def forward_flops(model: str, config: Any) -> int:
    """Forward FLOPs per sample (per sequence for the GPT)."""
    return {"mlp": mlp_forward, "cnn": cnn_forward, "gpt": gpt_forward}[model](config)


def train_flops(model: str, config: Any) -> int:
    """Model FLOPs per training sample: 3 x forward."""
    return 3 * forward_flops(model, config)


def matmul_shape(model: str, config: Any, batch: int) -> tuple[int, int, int]:
    """(m, k, n) of a matmul typical of the model's training step, for the BLAS check.

    MLP: the first Linear; CNN: a middle-stage 3x3 convolution as its im2col matmul; GPT: the
    MLP's first Linear over every token of the batch (the largest matmuls of a step).
    """
    if model == "mlp":
        return batch, config.input_dim, config.hidden[0]
    if model == "cnn":
        width = config.widths[len(config.widths) // 2]
        side = config.image_size // 2 ** (len(config.widths) // 2)
        return batch * side * side, 9 * width, width
    return batch * config.block_size, config.n_embd, 4 * config.n_embd
