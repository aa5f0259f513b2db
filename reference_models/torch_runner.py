"""PyTorch side of the harness: eager and ``torch.compile`` training, evaluation, latency.

Runs under ``torchrun`` too: with ``WORLD_SIZE`` > 1 the model is wrapped in
``DistributedDataParallel`` (gloo on CPU, nccl on CUDA) and each rank trains on its own
slice of every global batch.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F  # noqa: N812

from reference_models.cnn_torch import ResNet
from reference_models.config import TrainConfig
from reference_models.gpt_torch import GPT
from reference_models.mlp_torch import MLP
from reference_models.modes import TORCH_MODES

MODES = TORCH_MODES
BUILDERS: dict[str, Callable[[Any], nn.Module]] = {"mlp": MLP, "cnn": ResNet, "gpt": GPT}


def build_model(model: str, config: Any) -> nn.Module:
    return BUILDERS[model](config)


def pin_numerics(tf32: bool) -> None:
    """TF32 off unless asked (PyTorch matmul default off, cuDNN conv default on)."""
    torch.backends.cuda.matmul.allow_tf32 = tf32
    torch.backends.cudnn.allow_tf32 = tf32
    torch.set_float32_matmul_precision("high" if tf32 else "highest")


def avoid_onednn_clash() -> None:
    """Turn off PyTorch's oneDNN (mkldnn) CPU kernels when TensorFlow shares the process.

    With both libraries loaded, PyTorch's oneDNN convolution backward hung or aborted with
    "double free or corruption" here (torch 2.13 + tensorflow-cpu 2.21); only the tests mix
    them, benchmark processes load one framework each and keep oneDNN on.
    """
    import sys

    if "tensorflow" in sys.modules and torch.backends.mkldnn.enabled:
        torch.backends.mkldnn.enabled = False


def to_tensor(
    model: str, x: np.ndarray, device: torch.device, layout: str = "nchw"
) -> torch.Tensor:
    """uint8 NHWC images -> float NCHW in [0, 1] (channels_last strides if asked); token ids
    -> int64."""
    if model == "gpt":
        return torch.from_numpy(x).long().to(device)
    images = torch.from_numpy(x).permute(0, 3, 1, 2).float().div(255.0).to(device)
    memory = torch.channels_last if layout == "channels_last" else torch.contiguous_format
    return images.contiguous(memory_format=memory)


def init_distributed() -> tuple[int, int]:
    """(rank, world size); starts the process group under torchrun."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1 and not torch.distributed.is_initialized():
        backend = "nccl" if torch.cuda.is_available() else "gloo"
        torch.distributed.init_process_group(backend)
    rank = torch.distributed.get_rank() if world > 1 else 0
    return rank, world


class TorchRunner:
    framework = "torch"

    def __init__(
        self,
        model: str,
        mode: str,
        config: Any,
        train: TrainConfig,
        data: Any,
        precision: str = "fp32",
        device: str = "cpu",
        seed: int = 0,
        init_state: dict[str, np.ndarray] | None = None,
        layout: str = "nchw",
    ) -> None:
        if mode not in MODES:
            msg = f"unknown PyTorch mode {mode!r}; one of {MODES}"
            raise ValueError(msg)
        pin_numerics(train.tf32)
        avoid_onednn_clash()
        torch.manual_seed(seed)
        self.model_name, self.mode, self.train_cfg = model, mode, train
        self.layout = layout if model == "cnn" else "n/a"
        self.rank, self.world = init_distributed()
        self.device = torch.device(
            device if device != "cuda" or self.world == 1 else f"cuda:{self.rank}"
        )
        if self.device.type == "cuda":
            torch.backends.cudnn.benchmark = True  # autotuned convolutions, as XLA autotunes
        self.net = build_model(model, config).to(self.device)
        if init_state is not None:
            self.net.load_state_dict({k: torch.from_numpy(v) for k, v in init_state.items()})
        if self.layout == "channels_last":  # NHWC in memory, as Keras runs its convolutions
            self.net = self.net.to(memory_format=torch.channels_last)  # type: ignore[call-overload]
        self.trained: nn.Module = self.net
        if self.world > 1:
            self.trained = nn.parallel.DistributedDataParallel(self.net)
        self.forward = torch.compile(self.trained) if mode == "torch-compile" else self.trained
        self.autocast = (
            torch.autocast(self.device.type, dtype=torch.bfloat16)
            if precision == "bf16"
            else nullcontext()
        )
        self.optimizer = torch.optim.Adam(
            self.net.parameters(),
            lr=train.learning_rate,
            eps=train.adam_eps,
            betas=(train.adam_beta1, train.adam_beta2),
        )
        self.data = data
        # Ready tensors before any step: the timed step only slices (a view, no copy).
        self.x_train = to_tensor(model, data.x_train, self.device, self.layout)
        self.y_train = torch.from_numpy(data.y_train).long().to(self.device)

    def parameters(self) -> int:
        return sum(p.numel() for p in self.net.parameters() if p.requires_grad)

    def batch(self, step: int) -> tuple[torch.Tensor, torch.Tensor]:
        """The rank's share of global batch ``step`` (pre-materialised; slicing only)."""
        size = self.train_cfg.batch_size
        if self.model_name == "gpt":  # data holds one (B, T) batch per step
            index = step % len(self.x_train)
            return self.x_train[index], self.y_train[index]
        usable = len(self.x_train) // (size * self.world) * size * self.world
        start = (step * size * self.world + self.rank * size) % usable
        return self.x_train[start : start + size], self.y_train[start : start + size]

    def loss(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        with self.autocast:
            logits = self.forward(x)
        return F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), y.reshape(-1))

    def step(self, step: int) -> float:
        x, y = self.batch(step)
        self.optimizer.zero_grad(set_to_none=True)
        loss = self.loss(x, y)
        loss.backward()
        self.optimizer.step()
        return float(loss.item())  # the synchronisation point (like TF's .numpy())

    def train(self, steps: int, on_step: Callable[[int, float], None]) -> None:
        self.net.train()
        for i in range(steps):
            on_step(i, self.step(i))

    def logits(self, x: np.ndarray, chunk: int = 500) -> np.ndarray:
        """Evaluation-mode logits (eager model, no autocast) for NumPy inputs."""
        self.net.eval()
        out = []
        with torch.no_grad():
            for i in range(0, len(x), chunk):
                out.append(
                    self.net(to_tensor(self.model_name, x[i : i + chunk], self.device, self.layout))
                    .float()
                    .cpu()
                    .numpy()
                )
        self.net.train()
        return np.concatenate(out)

    def predictor(self, sample: np.ndarray) -> Callable[[], Any]:
        """A batch-1 inference call in this mode (compiled model for torch-compile)."""
        x = to_tensor(self.model_name, sample, self.device, self.layout)
        model = torch.compile(self.net) if self.mode == "torch-compile" else self.net
        self.net.eval()
        sync = torch.cuda.synchronize if self.device.type == "cuda" else (lambda: None)

        def call() -> None:
            with torch.inference_mode(), self.autocast:
                model(x)
            sync()

        return call

    def peak_device_mb(self) -> float | None:
        if self.device.type != "cuda":
            return None
        return torch.cuda.max_memory_allocated(self.device) / 2**20
