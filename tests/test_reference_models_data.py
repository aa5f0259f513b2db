"""Offline datasets of the reference models: the IDX reader, digits fallback, KJV corpus."""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest

from reference_models import data


def write_idx(path, array: np.ndarray, code: int = 0x08, compress: bool = False) -> None:
    header = bytes([0, 0, code, array.ndim]) + b"".join(struct.pack(">I", d) for d in array.shape)
    body = header + array.astype(array.dtype.newbyteorder(">")).tobytes()
    if compress:
        with gzip.open(path, "wb") as handle:
            handle.write(body)
    else:
        path.write_bytes(body)


def test_read_idx_images_and_labels(tmp_path):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    write_idx(tmp_path / "img-idx3-ubyte.gz", images, compress=True)
    read = data.read_idx(tmp_path / "img-idx3-ubyte.gz")
    assert read.shape == (2, 3, 4)
    assert read[1, 2, 3] == 23
    np.testing.assert_array_equal(read, images)
    assert read.flags.writeable


def test_read_idx_big_endian_types(tmp_path):
    values = np.array([[1.5, -2.25], [3.0, 1e6]], dtype=np.float32)
    write_idx(tmp_path / "f.idx", values, code=0x0D)
    np.testing.assert_array_equal(data.read_idx(tmp_path / "f.idx"), values)
    ints = np.array([70000, -5], dtype=np.int32)
    write_idx(tmp_path / "i.idx", ints, code=0x0C)
    assert data.read_idx(tmp_path / "i.idx").tolist() == [70000, -5]


def test_read_idx_rejects_bad_magic_and_truncation(tmp_path):
    (tmp_path / "bad").write_bytes(b"\x01\x02\x08\x01\x00\x00\x00\x01\x05")
    with pytest.raises(ValueError, match="not an IDX file"):
        data.read_idx(tmp_path / "bad")
    write_idx(tmp_path / "short", np.zeros((4, 2), np.uint8))
    (tmp_path / "short").write_bytes((tmp_path / "short").read_bytes()[:-3])
    with pytest.raises(ValueError, match=r"promises \[4, 2\]"):
        data.read_idx(tmp_path / "short")


def test_load_idx_dir_in_mnist_layout(tmp_path):
    rng = np.random.default_rng(0)
    shapes = {
        "train-images-idx3-ubyte": (5, 28, 28),
        "train-labels-idx1-ubyte": (5,),
        "t10k-images-idx3-ubyte": (2, 28, 28),
        "t10k-labels-idx1-ubyte": (2,),
    }
    for stem, shape in shapes.items():
        array = rng.integers(0, 10, shape).astype(np.uint8)
        write_idx(tmp_path / f"{stem}.gz", array, compress=True)
    loaded = data.load_idx_dir(tmp_path)
    assert loaded.x_train.shape == (5, 28, 28, 1)
    assert loaded.x_test.shape == (2, 28, 28, 1)
    assert loaded.y_train.shape == (5,)


def test_missing_fashion_mnist_names_the_debian_package(tmp_path):
    with pytest.raises(data.DatasetMissing, match="dataset-fashion-mnist"):
        data.load_fashion_mnist(tmp_path / "absent")


def test_missing_kjv_names_the_debian_packages(monkeypatch):
    monkeypatch.setattr(data.shutil, "which", lambda name: None)
    with pytest.raises(data.DatasetMissing, match="bible-kjv-text"):
        data.load_kjv()


def test_fashion_mnist_from_debian():
    if not data.FASHION_MNIST_DIR.is_dir():
        pytest.skip("needs the Debian package dataset-fashion-mnist")
    loaded = data.load_fashion_mnist()
    assert loaded.x_train.shape == (60_000, 28, 28, 1)
    assert loaded.x_test.shape[0] == 10_000
    assert np.bincount(loaded.y_train).tolist() == [6000] * 10  # 6,000 per class


def test_kjv_corpus_from_debian():
    try:
        text = data.load_kjv()
    except data.DatasetMissing as exc:
        pytest.skip(str(exc))
    assert text.text.startswith("In the beginning God created the heaven and the earth.\n")
    assert text.text.rstrip().endswith("Amen.")
    assert not any(c.isdigit() for c in text.chars)  # verse references stripped
    assert text.text.count("\n") == 31_102  # one line per verse


def test_text_batches_shift_targets_by_one():
    tokens = np.arange(100, dtype=np.int32)
    x, y = data.text_batches(tokens, count=3, batch=2, block=8, seed=0)
    assert x.shape == y.shape == (3, 2, 8)
    np.testing.assert_array_equal(y, x + 1)


def test_digits_fallback_is_28_by_28():
    pytest.importorskip("sklearn")
    digits = data.load_digits_28()
    assert digits.x_train.shape[1:] == (28, 28, 1)
    assert digits.x_train.dtype == np.uint8
    assert len(digits.x_train) + len(digits.x_test) == 1797
    assert digits.x_train.max() == 255
