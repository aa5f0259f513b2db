"""A ResNet-20-style CNN (He et al. 2016, CIFAR variant) as a PyTorch ``nn.Module``.

    python -c "from reference_models.cnn_torch import ResNet; print(ResNet())"

3x3 stem, three stages of basic blocks (widths 16/32/64, stride 2 between stages), 1x1
projection shortcuts where the shape changes ("option B"), global average pooling, linear head.
Input is NCHW. Global pooling means there is no flatten, so the NCHW/NHWC flatten-order trap
does not arise; stride-2 convs pad symmetrically (``padding=1``), which Keras reproduces with
an explicit ``ZeroPadding2D(1)``.
"""

from __future__ import annotations

import torch
from torch import nn

from reference_models.config import CNNConfig


def _bn(width: int, config: CNNConfig) -> nn.BatchNorm2d:
    return nn.BatchNorm2d(width, eps=config.bn_eps, momentum=config.bn_momentum)


class BasicBlock(nn.Module):
    """conv3x3-BN-ReLU-conv3x3-BN plus shortcut, then ReLU."""

    def __init__(self, width_in: int, width: int, stride: int, config: CNNConfig) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(width_in, width, 3, stride=stride, padding=1, bias=False)
        self.bn1 = _bn(width, config)
        self.conv2 = nn.Conv2d(width, width, 3, padding=1, bias=False)
        self.bn2 = _bn(width, config)
        self.shortcut: nn.Module = nn.Identity()
        if stride != 1 or width_in != width:
            self.shortcut = nn.Sequential(
                nn.Conv2d(width_in, width, 1, stride=stride, bias=False), _bn(width, config)
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return torch.relu(out + self.shortcut(x))


class ResNet(nn.Module):
    def __init__(self, config: CNNConfig | None = None) -> None:
        super().__init__()
        config = config or CNNConfig()
        first = config.widths[0]
        self.stem = nn.Conv2d(config.channels, first, 3, padding=1, bias=False)
        self.stem_bn = _bn(first, config)
        blocks = []
        width_in = first
        for stage, width in enumerate(config.widths):
            for i in range(config.blocks_per_stage):
                stride = 2 if stage > 0 and i == 0 else 1
                blocks.append(BasicBlock(width_in, width, stride, config))
                width_in = width
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(width_in, config.classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.stem_bn(self.stem(x)))  # (B, 16, H, W)
        x = self.blocks(x)  # (B, 64, H/4, W/4)
        x = x.mean(dim=(2, 3))  # global average pool -> (B, 64)
        return self.head(x)  # (B, classes) logits
