"""The one table of benchmark modes and the pairings the protocol compares.

A mode is one way to train a model in one framework; ``bench``, ``suite``, ``protocol`` and
``gpu_plan`` all read this table instead of repeating mode lists. A pairing is declared in
advance (issue #16): each framework's out-of-the-box way to train against the other's
(``default``), and the best compiled mode against the best compiled mode (``compiled``), "best"
chosen from the candidates by a separate, recorded pilot.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mode:
    name: str
    framework: str  # torch | tensorflow | jax: the library that runs the training step
    label: str
    keras_backend: str | None = None  # None for native PyTorch
    custom_loop: bool = True  # our own step loop (False: Keras fit)
    compiled: bool = False  # a graph-compiled step (candidate for the compiled pairing)
    jit_compile: bool = False  # XLA (tf.function jit_compile=True)


MODES: dict[str, Mode] = {
    m.name: m
    for m in (
        Mode("torch-eager", "torch", "PyTorch eager"),
        Mode("torch-compile", "torch", "torch.compile", compiled=True),
        Mode("tf-eager", "tensorflow", "TF eager (GradientTape)", "tensorflow"),
        Mode("tf-function", "tensorflow", "tf.function", "tensorflow", compiled=True),
        Mode(
            "tf-xla",
            "tensorflow",
            "tf.function + XLA",
            "tensorflow",
            compiled=True,
            jit_compile=True,
        ),
        Mode("keras-fit", "tensorflow", "Keras fit", "tensorflow", custom_loop=False),
        Mode("keras-jax", "jax", "Keras 3 / JAX backend", "jax", custom_loop=False, compiled=True),
    )
}
ALL_MODES = tuple(MODES)
TORCH_MODES = tuple(name for name, m in MODES.items() if m.framework == "torch")
KERAS_MODES = tuple(name for name, m in MODES.items() if m.keras_backend)


@dataclass(frozen=True)
class Pairing:
    name: str
    torch: tuple[str, ...]  # candidate PyTorch modes (one: no pilot needed)
    tensorflow: tuple[str, ...]  # candidate TensorFlow modes
    description: str


PAIRINGS: dict[str, Pairing] = {
    p.name: p
    for p in (
        Pairing(
            "default",
            ("torch-eager",),
            ("keras-fit",),
            "each framework's out-of-the-box way to train (eager loop vs Keras fit)",
        ),
        Pairing(
            "compiled",
            ("torch-compile",),
            ("tf-function", "tf-xla"),
            "best compiled vs best compiled, the best chosen by the recorded pilot",
        ),
    )
}


def layouts(model: str, mode: str) -> tuple[str, ...]:
    """Memory layouts measured: channels_last (NHWC, like Keras) first for the PyTorch CNN,
    with NCHW reported beside it; other models and frameworks have one layout."""
    if model != "cnn":
        return ("n/a",)
    return ("channels_last", "nchw") if MODES[mode].framework == "torch" else ("nhwc",)
