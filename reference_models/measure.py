"""Timing, environment and memory helpers shared by both frameworks' runs."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from census_base.gitinfo import git
from census_base.paths import SOURCE_ROOT as REPO
from census_base.progress import Progress

WINDOWS = 5  # steady-state steps are split into this many windows for the in-process spread


class BudgetSpent(RuntimeError):
    """The run's time budget for training is spent (the GPU plan cuts steps, and says so)."""


class Clock:
    """Times each training step; the clock is paused while evaluating for time-to-target.

    With ``budget_s``, the step that takes training time after the first step (compilation)
    past the budget raises
    ``BudgetSpent`` after it is recorded (and evaluated), ending training early.
    """

    def __init__(
        self,
        train: Any,
        evaluate: Callable[[], float],
        lower_is_better: bool,
        task: str,
        quiet: bool = False,
        budget_s: float | None = None,
    ) -> None:
        self.train, self.evaluate, self.lower = train, evaluate, lower_is_better
        self.budget_s = budget_s
        self.step_times: list[float] = []
        self.losses: list[float] = []
        self.evaluations: list[tuple[float, int, float]] = []  # (train seconds, steps, metric)
        self.time_to_target: float | None = None
        self.steps_to_target: int | None = None
        self.progress = None if quiet else Progress(f"train {task}", train.steps, interval=5.0)
        self.last = time.perf_counter()

    def step_done(self, step: int, loss: float) -> None:
        now = time.perf_counter()
        self.step_times.append(now - self.last)
        self.losses.append(loss)
        done = len(self.step_times)
        if done % self.train.eval_every == 0 or done == self.train.steps:
            self._evaluate(done)
            now = time.perf_counter()
        if self.progress:
            self.progress.advance(note=f"loss {loss:.4f}")
        self.last = now
        # The first step (trace / compile, timed apart) does not count against the budget.
        if self.budget_s is not None and sum(self.step_times[1:]) > self.budget_s:
            if not self.evaluations or self.evaluations[-1][1] != done:
                self._evaluate(done)
            self.last = time.perf_counter()
            msg = f"training budget {self.budget_s} s spent after {done} steps"
            raise BudgetSpent(msg)

    def _evaluate(self, done: int) -> None:
        metric = self.evaluate()
        elapsed = float(sum(self.step_times))  # includes the first (compile) step, like MLPerf
        self.evaluations.append((elapsed, done, metric))
        reached = metric <= self.train.target if self.lower else metric >= self.train.target
        if reached and self.time_to_target is None:
            self.time_to_target, self.steps_to_target = elapsed, done

    def throughput(self, batch: int) -> dict[str, float]:
        """Samples/s over the steps after warm-up: median, min and max of the windows."""
        steady = np.array(self.step_times[1 + self.train.warmup_steps :])
        if len(steady) == 0:
            msg = f"no steady-state steps: {len(self.step_times)} steps <= warm-up + 1"
            raise ValueError(msg)
        windows = [w for w in np.array_split(steady, min(WINDOWS, len(steady))) if len(w)]
        rates = [batch * len(w) / w.sum() for w in windows]
        return {
            "median": float(np.median(rates)),
            "min": float(min(rates)),
            "max": float(max(rates)),
            "step_ms_p50": float(np.percentile(steady, 50) * 1e3),
            "step_ms_p95": float(np.percentile(steady, 95) * 1e3),
        }


def latency_ms(call: Callable[[], Any], calls: int, warmup: int = 3) -> tuple[float, float, float]:
    """(first call, p50, p99) of a batch-1 inference call, in milliseconds."""
    t0 = time.perf_counter()
    call()
    first = (time.perf_counter() - t0) * 1e3
    for _ in range(warmup):
        call()
    times = []
    for _ in range(calls):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    ms = np.array(times) * 1e3
    return first, float(np.percentile(ms, 50)), float(np.percentile(ms, 99))


def peak_rss_mb() -> float:
    """Peak resident memory of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def gpu_info() -> tuple[str | None, str | None]:
    """(GPU name, driver version) from nvidia-smi, or (None, None)."""
    if not shutil.which("nvidia-smi"):
        return None, None
    out = (
        subprocess.run(
            ["nvidia-smi", "--query-gpu=name,driver_version", "--format=csv,noheader"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        .stdout.strip()
        .splitlines()
    )
    if not out:
        return None, None
    name, _, driver = out[0].partition(",")
    return name.strip(), driver.strip()


def version(*names: str) -> str | None:
    for name in names:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


# Results are appended inside the tree while a benchmark runs; they are output, not the code
# measured, so they do not make a run "dirty".
RESULTS_PATHSPEC = ":(exclude)reference_models/results"


def git_state() -> tuple[str | None, bool]:
    """(commit, working tree dirty? -- changes to benchmark results aside) of this repository."""

    sha = git("rev-parse", "HEAD")
    if sha:
        return sha, bool(git("status", "--porcelain", "--", ".", RESULTS_PATHSPEC))
    # A copy without .git (the GPU machine): the commit the GPU pack was made from.
    packed = REPO / ".whl" / "git_sha.txt"
    if packed.exists():
        commit, _, dirty = packed.read_text().partition(" ")
        return commit.strip() or None, dirty.strip() == "dirty"
    return None, False


def environment(args: Any) -> dict[str, Any]:
    """The row's identity, hardware and versions, taken before the run starts."""
    sha, dirty = git_state()
    gpu, driver = gpu_info()
    return {
        "run_id": str(uuid.uuid4()),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "model": args.model,
        "mode": args.mode,
        "size": args.size,
        "precision": args.precision,
        "device": args.device,
        "seed": args.seed,
        # Inductor's on-disk cache: cold | warm (census bench labels it); other modes keep
        # no persistent compile cache, so XLA and tracing happen from scratch in every process.
        "compile_cache": args.compile_cache
        or ("unknown" if args.mode == "torch-compile" else "n/a"),
        "git_sha": sha,
        "git_dirty": dirty,
        "cpu_model": cpu_model(),
        "cpu_cores": os.cpu_count(),
        "gpu_name": gpu,
        "gpu_driver": driver,
        "python_version": platform.python_version(),
        "numpy_version": version("numpy"),
        "torch_version": version("torch"),
        "tensorflow_version": version("tensorflow", "tensorflow-cpu"),
        "keras_version": version("keras"),
        "jax_version": version("jax"),
        "platform": f"{sys.platform}-{platform.machine()}",
        "load_avg_1m_start": os.getloadavg()[0],
    }
