"""Framework ids, labels and colours: the one table every layer reads.

Colours are the Okabe-Ito palette (distinct under the common colour-vision deficiencies):
PyTorch vermillion, TensorFlow blue, Keras reddish purple, JAX bluish green. (TensorFlow was
orange: too close to PyTorch's vermillion, closer than the brand reds the palette replaced.)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Framework:
    id: str
    label: str
    colour: str


FRAMEWORKS: dict[str, Framework] = {
    f.id: f
    for f in (
        Framework("torch", "PyTorch", "#D55E00"),
        Framework("tensorflow", "TensorFlow", "#0072B2"),
        Framework("keras", "Keras", "#CC79A7"),
        Framework("jax", "JAX", "#009E73"),
        Framework("reference", "Reference", "#888888"),
    )
}
OTHER_COLOUR = "#444444"


def label(framework_id: str) -> str:
    """Display label of a framework id ('torch' -> 'PyTorch'); unknown ids pass through."""
    fw = FRAMEWORKS.get(framework_id)
    return fw.label if fw else framework_id


def colour(framework_id: str) -> str:
    """Chart colour of a framework id (a neutral grey for ids not in the table)."""
    fw = FRAMEWORKS.get(framework_id)
    return fw.colour if fw else OTHER_COLOUR
