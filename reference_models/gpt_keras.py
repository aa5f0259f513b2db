"""A character-level GPT in the nanoGPT mould, in Keras 3 (functional API, any backend).

    python -c "from reference_models.gpt_keras import build_gpt; build_gpt().summary()"

Reads in parallel with ``gpt_torch``: ``causal_self_attention``, ``mlp``, ``block`` and
``build_gpt`` here are ``CausalSelfAttention``, ``MLP``, ``Block`` and ``GPT`` there, in the
same order. The fused ``c_attn``/``c_proj`` projections are ordinary Dense layers (weights
port as ``W.T``); the attention itself is a weight-free layer written with ``keras.ops`` only
(PyTorch's ``scaled_dot_product_attention``), so the model runs on the TensorFlow, JAX and
torch backends. LayerNorm ``epsilon`` is PyTorch's 1e-5 (Keras' default is 1e-3) and GELU is
the exact form in both. Layer names are the PyTorch module paths with ``.`` replaced by
``_``. The context length is fixed at ``block_size``.
"""

from __future__ import annotations

import math

import keras
from keras import ops

from reference_models.config import GPTConfig

INIT = keras.initializers.RandomNormal(stddev=0.02)  # GPT-2's init, as GPT._init_weights


class ScaledDotProductAttention(keras.layers.Layer):
    """Multi-head causal attention on a fused (B, T, 3D) q/k/v tensor; no weights."""

    def __init__(self, n_head: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.n_head = n_head

    def call(self, qkv):
        t, width = qkv.shape[1], qkv.shape[2] // 3
        head = width // self.n_head

        def split_heads(z):  # (B, T, D) -> (B, H, T, D/H)
            return ops.transpose(ops.reshape(z, (-1, t, self.n_head, head)), (0, 2, 1, 3))

        q, k, v = (split_heads(z) for z in ops.split(qkv, 3, axis=-1))
        scores = ops.matmul(q, ops.transpose(k, (0, 1, 3, 2))) / math.sqrt(head)
        causal = ops.tril(ops.ones((t, t), dtype="bool"))
        scores = ops.where(causal, scores, ops.cast(float("-inf"), scores.dtype))
        y = ops.matmul(ops.softmax(scores, axis=-1), v)  # (B, H, T, D/H)
        return ops.reshape(ops.transpose(y, (0, 2, 1, 3)), (-1, t, width))  # (B, T, D)


class PositionEmbedding(keras.layers.Layer):
    """Adds a learned (block_size, n_embd) table to the token embeddings (GPT.wpe)."""

    def __init__(self, block_size: int, width: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.block_size, self.width = block_size, width

    def build(self, input_shape) -> None:
        self.embeddings = self.add_weight(
            shape=(self.block_size, self.width), initializer=INIT, name="embeddings"
        )

    def call(self, x):
        return x + ops.cast(self.embeddings, x.dtype)[None, :, :]


def _proj_init(config: GPTConfig) -> keras.initializers.Initializer:
    """GPT-2's scaled init of the residual projections (``c_proj``)."""
    return keras.initializers.RandomNormal(stddev=0.02 / math.sqrt(2 * config.n_layer))


def causal_self_attention(x, name: str, config: GPTConfig):
    """``gpt_torch.CausalSelfAttention``: fused q/k/v projection, attention, output projection."""
    width = config.n_embd
    x = keras.layers.Dense(3 * width, kernel_initializer=INIT, name=f"{name}_c_attn")(x)
    x = ScaledDotProductAttention(config.n_head, name=f"{name}_core")(x)  # (B, T, D)
    return keras.layers.Dense(width, kernel_initializer=_proj_init(config), name=f"{name}_c_proj")(
        x
    )


def mlp(x, name: str, config: GPTConfig):
    """``gpt_torch.MLP``: Dense to 4 x width, GELU, Dense back to width."""
    width = config.n_embd
    x = keras.layers.Dense(4 * width, kernel_initializer=INIT, name=f"{name}_c_fc")(x)
    x = keras.layers.Activation(
        lambda z: keras.activations.gelu(z, approximate=config.gelu_approximate)
    )(x)
    return keras.layers.Dense(width, kernel_initializer=_proj_init(config), name=f"{name}_c_proj")(
        x
    )


def block(x, i: int, config: GPTConfig):
    """``gpt_torch.Block``: pre-norm attention and MLP, each added to the residual stream."""
    name, eps = f"h_{i}", config.ln_eps
    h = keras.layers.LayerNormalization(epsilon=eps, name=f"{name}_ln_1")(x)
    x = keras.layers.Add()([x, causal_self_attention(h, f"{name}_attn", config)])
    h = keras.layers.LayerNormalization(epsilon=eps, name=f"{name}_ln_2")(x)
    return keras.layers.Add()([x, mlp(h, f"{name}_mlp", config)])


def build_gpt(config: GPTConfig | None = None) -> keras.Model:
    """``gpt_torch.GPT``: token + position embeddings, blocks, final LayerNorm, untied head."""
    config = config or GPTConfig()
    idx = keras.Input(shape=(config.block_size,), dtype="int32", name="tokens")  # (B, T)
    x = keras.layers.Embedding(
        config.vocab_size, config.n_embd, embeddings_initializer=INIT, name="wte"
    )(idx)  # (B, T, D)
    x = PositionEmbedding(config.block_size, config.n_embd, name="wpe")(x)
    for i in range(config.n_layer):
        x = block(x, i, config)
    x = keras.layers.LayerNormalization(epsilon=config.ln_eps, name="ln_f")(x)
    logits = keras.layers.Dense(
        config.vocab_size, use_bias=False, kernel_initializer=INIT, name="lm_head"
    )(x)  # (B, T, vocab)
    return keras.Model(idx, logits, name="gpt")
