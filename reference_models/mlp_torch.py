"""The MNIST-tutorial MLP (784-128-64-10, ReLU) as a PyTorch ``nn.Module``.

python -c "from reference_models.mlp_torch import MLP; print(MLP())"
"""

from __future__ import annotations

import torch
from torch import nn

from reference_models.config import MLPConfig


class MLP(nn.Module):
    """Flatten, then Linear-ReLU layers and a linear classifier returning logits."""

    def __init__(self, config: MLPConfig | None = None) -> None:
        super().__init__()
        config = config or MLPConfig()
        sizes = [config.input_dim, *config.hidden]
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes, sizes[1:], strict=False))
        self.head = nn.Linear(sizes[-1], config.classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.reshape(x.shape[0], -1)  # (B, 28, 28[, 1]) -> (B, 784), row-major like Keras
        for layer in self.hidden:
            x = torch.relu(layer(x))
        return self.head(x)  # (B, classes) logits
