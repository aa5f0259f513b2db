"""Offline datasets: IDX image sets (Fashion-MNIST), scikit-learn's digits, the KJV text.

Nothing is downloaded. Fashion-MNIST comes from Debian's ``dataset-fashion-mnist`` package
(``/usr/share/datasets/fashion-mnist``), but :func:`read_idx` reads any standard IDX file
(gzipped or not) and :func:`load_idx_dir` any folder in the MNIST file layout. scikit-learn's
8x8 digits (pip-only) are the fallback, upscaled to 28x28. The GPT's corpus is the King James
Bible from Debian's ``bible-kjv`` + ``bible-kjv-text`` packages (the ``bible`` program).
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FASHION_MNIST_DIR = Path("/usr/share/datasets/fashion-mnist")
IDX_FILES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
KJV_RANGE = "Gen1:1-Rev22:21"
KJV_ENV = "CENSUS_KJV_TEXT"  # a packed copy of the stripped text (.txt or .txt.gz), GPU plan
VERSE_PREFIX = re.compile(r"^[1-3]?[A-Za-z]+\d+:\d+ ", re.MULTILINE)


class DatasetMissing(FileNotFoundError):
    """A dataset is not installed; the message names the package that provides it."""


@dataclass(frozen=True)
class ImageData:
    """Images as uint8 (N, 28, 28, 1) NHWC and integer labels."""

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


@dataclass(frozen=True)
class TextData:
    name: str
    text: str
    chars: str  # the vocabulary, sorted

    def encode(self, text: str | None = None) -> np.ndarray:
        index = {c: i for i, c in enumerate(self.chars)}
        return np.array([index[c] for c in (self.text if text is None else text)], dtype=np.int32)


def read_idx(path: str | Path) -> np.ndarray:
    """Read one IDX file (``.gz`` or raw): magic 0x0000 + dtype byte + ndim, big-endian dims."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        raw = handle.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in IDX_DTYPES:
        msg = f"{path}: not an IDX file (bad magic {raw[:4].hex()})"
        raise ValueError(msg)
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    dtype = np.dtype(IDX_DTYPES[raw[2]])
    body = raw[4 + 4 * ndim :]
    expected = int(np.prod(dims)) * dtype.itemsize
    if len(body) != expected:
        msg = f"{path}: IDX header promises {dims} ({expected} bytes), file holds {len(body)}"
        raise ValueError(msg)
    return np.frombuffer(body, dtype=dtype).reshape(dims).copy()  # writable, native order


def _find(folder: Path, stem: str) -> Path:
    for candidate in (folder / f"{stem}.gz", folder / stem, folder / stem.replace("-idx", ".idx")):
        if candidate.exists():
            return candidate
    msg = f"{folder}: no {stem}[.gz]"
    raise DatasetMissing(msg)


def load_idx_dir(folder: str | Path, name: str | None = None) -> ImageData:
    """Load an MNIST-layout folder (train/t10k images and labels, gzipped or not)."""
    folder = Path(folder)
    arrays = {key: read_idx(_find(folder, stem)) for key, stem in IDX_FILES.items()}
    for split in ("train", "test"):
        if len(arrays[f"x_{split}"]) != len(arrays[f"y_{split}"]):
            msg = f"{folder}: {split} images and labels differ in length"
            raise ValueError(msg)
    return ImageData(
        name or folder.name,
        arrays["x_train"][..., None],
        arrays["y_train"],
        arrays["x_test"][..., None],
        arrays["y_test"],
    )


def load_fashion_mnist(folder: Path = FASHION_MNIST_DIR) -> ImageData:
    """Fashion-MNIST (60,000 + 10,000 28x28 images) from Debian's package."""
    if not folder.is_dir():
        msg = (
            f"Fashion-MNIST not found at {folder}: install the Debian package "
            "dataset-fashion-mnist (apt-get install dataset-fashion-mnist), "
            "or use --data digits"
        )
        raise DatasetMissing(msg)
    return load_idx_dir(folder, "fashion-mnist")


def load_digits_28() -> ImageData:
    """scikit-learn's 1,797 8x8 digits, upscaled 3x and padded to 28x28 (pip-only fallback)."""
    try:
        from sklearn.datasets import load_digits
    except ImportError as exc:
        msg = "the digits fallback needs scikit-learn (pip install scikit-learn)"
        raise DatasetMissing(msg) from exc
    digits = load_digits()
    images = np.kron(digits.images, np.ones((3, 3)))  # (N, 24, 24), values 0..16
    images = np.pad(images, ((0, 0), (2, 2), (2, 2)))
    images = (images * (255 / 16)).round().astype(np.uint8)[..., None]
    rng = np.random.default_rng(0)
    order = rng.permutation(len(images))
    cut = int(len(images) * 0.8)
    train, test = order[:cut], order[cut:]
    labels = digits.target.astype(np.uint8)
    return ImageData("sklearn-digits", images[train], labels[train], images[test], labels[test])


def load_images(name: str) -> ImageData:
    """``fashion-mnist``, ``digits``, or a path to an IDX folder."""
    if name == "fashion-mnist":
        return load_fashion_mnist()
    if name == "digits":
        return load_digits_28()
    return load_idx_dir(name)


def load_kjv() -> TextData:
    """The King James Bible as one string, verse references stripped (about 4.3 MB)."""
    packed = os.environ.get(KJV_ENV)
    if packed:
        path = Path(packed)
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            text = handle.read()
        return TextData("kjv", text, "".join(sorted(set(text))))
    program = shutil.which("bible")
    if program is None or not Path("/usr/lib/bible.data").exists():
        msg = (
            "the KJV corpus needs the Debian packages bible-kjv and bible-kjv-text "
            "(apt-get install bible-kjv bible-kjv-text)"
        )
        raise DatasetMissing(msg)
    out = subprocess.run(
        [program, "-f", KJV_RANGE], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    text = VERSE_PREFIX.sub("", out)
    return TextData("kjv", text, "".join(sorted(set(text))))


def text_split(data: TextData, val_fraction: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Encoded train and validation token arrays (the last ``val_fraction`` is validation)."""
    tokens = data.encode()
    cut = int(len(tokens) * (1 - val_fraction))
    return tokens[:cut], tokens[cut:]


def text_batches(
    tokens: np.ndarray, count: int, batch: int, block: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """``count`` batches of random windows: inputs and next-character targets, (count, B, T)."""
    rng = np.random.default_rng(seed)
    starts = rng.integers(0, len(tokens) - block - 1, size=(count, batch))
    offsets = np.arange(block)
    x = tokens[starts[..., None] + offsets]
    y = tokens[starts[..., None] + offsets + 1]
    return x.astype(np.int32), y.astype(np.int32)
