"""Pack what the GPU plan needs on a machine without network: Keras 3 wheels and the data.

    census bench --pack-gpu                 # or: python -m reference_models.gpu_pack
    -> .whl/*.whl (Keras 3 + small pure-Python deps, Python 3.12 manylinux x86-64)
       .whl/data/fashion-mnist/*.gz, .whl/data/kjv.txt.gz, .whl/git_sha.txt (the commit)

Pack again (``--no-wheels`` keeps the wheels) after the last commit before a GPU run, so the
rows name the commit that measured them.

The GPU machines (H200/H100) have Python 3.12, PyTorch and JAX but no TensorFlow, no Keras and
no network; at most 64 MiB of the working tree travels with a command (``.whl`` is ignored by
git, so it is named in the run's ``carry``). Packages the machine already has for JAX (NumPy,
ml_dtypes) are not packed: installed with ``--target`` they would shadow JAX's own. The pack is
refused when it (plus the tracked tree) exceeds the limit.
"""

from __future__ import annotations

import argparse
import gzip
import logging
import shutil
import subprocess
import sys
from pathlib import Path

from reference_models.data import FASHION_MNIST_DIR, IDX_FILES, load_kjv
from reference_models.measure import REPO, git_state

log = logging.getLogger("reference_models.gpu_pack")
PACK_DIR = REPO / ".whl"
LIMIT_BYTES = 64 * 2**20
# Keras 3 and what it imports that JAX's machine lacks; each downloaded without its deps.
WHEELS = (
    "keras==3.15.1",
    "absl-py",
    "rich",
    "markdown-it-py",
    "mdurl",
    "pygments",
    "namex",
    "h5py",
    "optree",
    "packaging",
)


class PackTooLarge(ValueError):
    """The pack and the tracked tree would exceed the 64 MiB a device command carries."""


def download_wheels(folder: Path, python: str = "3.12") -> list[Path]:
    """``pip download --only-binary`` each of ``WHEELS`` for the GPU machine's Python."""
    folder.mkdir(parents=True, exist_ok=True)
    for spec in WHEELS:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "--python-version",
                python,
                "--platform",
                "manylinux2014_x86_64",
                "--platform",
                "manylinux_2_17_x86_64",
                "-d",
                str(folder),
                spec,
            ],
            check=True,
        )
    return sorted(folder.glob("*.whl"))


def pack_data(folder: Path, fashion: Path = FASHION_MNIST_DIR) -> list[Path]:
    """Copy Fashion-MNIST's gzipped IDX files and write the KJV text (gzipped)."""
    images = folder / "fashion-mnist"
    images.mkdir(parents=True, exist_ok=True)
    written = []
    for stem in IDX_FILES.values():
        source = fashion / f"{stem}.gz"
        if not source.exists():
            msg = f"{source}: missing (apt-get install dataset-fashion-mnist)"
            raise FileNotFoundError(msg)
        written.append(Path(shutil.copy2(source, images / source.name)))
    kjv = folder / "kjv.txt.gz"
    with gzip.open(kjv, "wt", encoding="utf-8") as handle:
        handle.write(load_kjv().text)
    written.append(kjv)
    return written


def tracked_bytes() -> int:
    """Bytes of the files git tracks (they travel with every device command)."""
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=False
    ).stdout
    return sum(
        (REPO / name).stat().st_size
        for name in out.decode().split("\0")
        if name and (REPO / name).is_file()
    )


def check_size(paths: list[Path], base: int = 0, limit: int = LIMIT_BYTES) -> int:
    """Total bytes of ``paths`` plus ``base``; raises PackTooLarge above ``limit``."""
    total = base + sum(p.stat().st_size for p in paths)
    if total > limit:
        msg = f"pack {total / 2**20:.1f} MiB (tree included) exceeds {limit / 2**20:.0f} MiB"
        raise PackTooLarge(msg)
    return total


def pack(folder: Path = PACK_DIR, wheels: bool = True) -> int:
    """Download the wheels, write the data, check the size; returns the total bytes."""
    paths = download_wheels(folder) if wheels else sorted(folder.glob("*.whl"))
    paths += pack_data(folder / "data")
    sha, dirty = git_state()  # the copy sent to the GPU machine has no .git
    (folder / "git_sha.txt").write_text(f"{sha} {'dirty' if dirty else 'clean'}\n")
    total = check_size(paths, tracked_bytes())
    log.warning(
        "GPU pack: %d files, %.1f MiB with the tracked tree (limit 64 MiB) in %s",
        len(paths),
        total / 2**20,
        folder,
    )
    return total


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, default=PACK_DIR)
    parser.add_argument("--no-wheels", action="store_true", help="data only")
    a = parser.parse_args()
    pack(a.folder, wheels=not a.no_wheels)
