"""What shapes a CPU result besides the framework: CPU flags, BLAS path, matmul speed, load.

Recorded in every benchmark row (benchmarking.md §2.13-14): PyTorch's CPU wheel runs fp32
matmuls through its bundled MKL, which takes a non-AVX-512 path on AMD CPUs, while
TensorFlow's oneDNN uses AVX-512; and on a 2-core machine another engineer's job moves the
ratio more than the frameworks do. So each process records the CPU's vendor, family and flags,
the math library path each framework reports, a fp32 matmul GFLOP/s measured by the framework
in the same process at the model's sizes, and the CPU time other processes used before and
during the run (from /proc/stat, minus this process's own CPU time).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

FLAGS = ("avx2", "avx512f", "avx512_bf16", "avx512_vnni", "amx_tile", "amx_bf16")
MKL_ENV = ("MKL_ENABLE_INSTRUCTIONS", "MKL_DEBUG_CPU_TYPE", "MKL_CBWR")
LOAD_FLAG_CORES = 0.5  # other processes' CPU use (cores) above which a run is flagged


def cpu_info(cpuinfo: str | None = None) -> dict[str, Any]:
    """Vendor, family, model number and the flags of ``FLAGS`` the CPU has (Linux)."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text()
        except OSError:
            cpuinfo = ""
    fields: dict[str, str] = {}
    for line in cpuinfo.splitlines():
        if not line.strip():
            break  # the first processor block is enough
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    have = set(fields.get("flags", "").split())
    return {
        "cpu_vendor": fields.get("vendor_id"),
        "cpu_family": int(fields["cpu family"]) if fields.get("cpu family", "").isdigit() else None,
        "cpu_model_number": int(fields["model"]) if fields.get("model", "").isdigit() else None,
        "cpu_flags": " ".join(f for f in FLAGS if f in have),
    }


def _busy_seconds() -> float | None:
    """CPU seconds all processes spent busy since boot (the aggregate line of /proc/stat)."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return None
    ticks = [int(v) for v in first[1:]]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _own_seconds() -> float:
    times = os.times()
    return times.user + times.system


class OtherLoad:
    """CPU cores used by *other* processes between ``start()`` and ``stop()``.

    Child processes count as others (the run starts measuring after its first step, when
    torch.compile's compile workers have finished).
    """

    busy: float | None = None

    def start(self) -> OtherLoad:
        self.busy, self.own, self.wall = _busy_seconds(), _own_seconds(), time.perf_counter()
        return self

    def stop(self) -> float | None:
        if not hasattr(self, "wall"):
            return None  # never started (training ended in its first step)
        busy = _busy_seconds()
        if busy is None or self.busy is None:
            return None
        wall = time.perf_counter() - self.wall
        others = (busy - self.busy) - (_own_seconds() - self.own)
        return max(0.0, others / wall) if wall > 0 else None


def load_now(seconds: float = 0.5) -> float | None:
    """Cores used by other processes over a short idle window of this process."""
    monitor = OtherLoad().start()
    time.sleep(seconds)
    return monitor.stop()


def torch_blas() -> str:
    """PyTorch's CPU math path, e.g. 'BLAS=mkl MKL 2024.2 mkldnn=on capability=AVX512'."""
    import torch

    config = torch.__config__.show()
    blas = re.search(r"BLAS_INFO=(\w+)", config)
    mkl = re.search(r"Math Kernel Library Version ([\d.]+)", config)
    capability = re.search(r"CPU capability usage: (\w+)", config)
    parts = [
        f"BLAS={blas.group(1) if blas else '?'}",
        f"MKL {mkl.group(1)}" if mkl and torch.backends.mkl.is_available() else "MKL off",
        f"mkldnn={'on' if torch.backends.mkldnn.enabled else 'off'}",
        f"capability={capability.group(1) if capability else '?'}",
    ]
    parts += [f"{k}={os.environ[k]}" for k in MKL_ENV if k in os.environ]
    return " ".join(parts)


def tensorflow_blas() -> str:
    """TensorFlow's CPU kernels: oneDNN on unless TF_ENABLE_ONEDNN_OPTS=0 (x86 default on)."""
    flag = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default(on)")
    return f"oneDNN TF_ENABLE_ONEDNN_OPTS={flag}"


def blas(framework: str) -> str:
    """The math-library path of one framework's CPU kernels."""
    if framework == "torch":
        return torch_blas()
    return tensorflow_blas() if framework == "tensorflow" else "XLA (JAX)"


def time_matmul(call: Callable[[], Any], flops: float, seconds: float = 0.3) -> float:
    """GFLOP/s of ``call`` (one synchronised matmul of ``flops``): median of timed calls."""
    for _ in range(2):
        call()
    times: list[float] = []
    deadline = time.perf_counter() + seconds
    while len(times) < 5 or (time.perf_counter() < deadline and len(times) < 200):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    times.sort()
    return flops / times[len(times) // 2] / 1e9


def matmul_gflops(framework: str, shape: tuple[int, int, int], device: str = "cpu") -> float:
    """fp32 (m, k) x (k, n) matmul GFLOP/s of one framework, in this process."""
    m, k, n = shape
    flops = 2.0 * m * k * n
    if framework == "torch":
        import torch

        a = torch.randn(m, k, device=device)
        b = torch.randn(k, n, device=device)
        sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)

        def run_torch() -> None:
            torch.mm(a, b)
            sync()

        return time_matmul(run_torch, flops)
    if framework == "jax":
        import jax.numpy as jnp
        import numpy as np

        ja = jnp.asarray(np.random.default_rng(0).standard_normal((m, k), dtype=np.float32))
        jb = jnp.asarray(np.random.default_rng(1).standard_normal((k, n), dtype=np.float32))
        return time_matmul(lambda: jnp.dot(ja, jb).block_until_ready(), flops)
    import tensorflow as tf

    ta = tf.random.normal((m, k))
    tb = tf.random.normal((k, n))
    return time_matmul(lambda: tf.linalg.matmul(ta, tb)[0, 0].numpy(), flops)


def threads(framework: str) -> dict[str, int | None]:
    """Intra-op and inter-op thread counts the framework will use (0 = TensorFlow's auto)."""
    if framework == "torch":
        import torch

        return {
            "intra_op_threads": torch.get_num_threads(),
            "inter_op_threads": torch.get_num_interop_threads(),
        }
    if framework == "tensorflow":
        import tensorflow as tf

        return {
            "intra_op_threads": tf.config.threading.get_intra_op_parallelism_threads(),
            "inter_op_threads": tf.config.threading.get_inter_op_parallelism_threads(),
        }
    return {"intra_op_threads": None, "inter_op_threads": None}


def set_threads(framework: str, count: int) -> None:
    """The same intra-op thread count in both frameworks (before any op runs)."""
    if framework == "torch":
        import torch

        torch.set_num_threads(count)
    elif framework == "tensorflow":
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(count)


def matmul_precision(framework: str, precision: str, tf32: bool) -> str:
    """The fp32 matmul precision the run pinned (GPU): bf16, tf32 or highest (TF32 off)."""
    if precision == "bf16":
        return "bf16"
    if framework == "jax":
        return os.environ.get("JAX_DEFAULT_MATMUL_PRECISION", "default (TF32 on Ampere+)")
    return "tf32" if tf32 else "highest"


def gpu_details(framework: str) -> dict[str, Any]:
    """GPU clocks and versions, and the matmul peaks the GPU plan measured in this run."""
    import json
    import subprocess

    fields = "name,driver_version,clocks.sm,clocks.max.sm,clocks.mem,temperature.gpu,power.draw"
    try:
        smi = subprocess.run(
            ["nvidia-smi", f"--query-gpu={fields}", "--format=csv,noheader"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        smi = ""
    values = dict(zip(fields.split(","), smi.split(", "), strict=False))
    details: dict[str, Any] = {"nvidia_smi": values}
    if framework == "torch":
        import torch

        details["cuda"] = torch.version.cuda
        details["cudnn"] = torch.backends.cudnn.version()
        details["cudnn_benchmark"] = torch.backends.cudnn.benchmark
    elif framework == "jax":
        import jax

        details["jax_device"] = jax.devices()[0].device_kind
        details["jax_backend"] = jax.default_backend()
    peaks = os.environ.get("CENSUS_GPU_PEAKS")
    details["peaks_tflops"] = json.loads(peaks) if peaks else None
    return details
