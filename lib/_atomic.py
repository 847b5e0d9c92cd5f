"""Atomic writes: every cache and derived file is written beside its target, then swapped in with one rename,
so a crash or a second process never leaves a half-written file or folder behind.

The helpers raise OSError (a read-only disk, say); each caller decides whether that only costs a rebuild.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


def _aside(path: Path) -> Path:
    """A temporary name beside `path`, distinct per process (two processes may write the same cache)."""
    return path.with_name(f".{path.name}.tmp{os.getpid()}")


@contextmanager
def open_atomic(path: Path, mode: str = "w", **kwargs) -> Iterator[IO]:
    """Open a temporary file beside `path`; on a clean exit it replaces `path`, on an error it is removed."""
    path = Path(path)
    tmp = _aside(path)
    try:
        with tmp.open(mode, **kwargs) as handle:
            yield handle
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: Path, text: str) -> None:
    """UTF-8 text into `path`, atomically."""
    with open_atomic(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def save_npy(path: Path, array) -> None:
    """One array as .npy (never pickled), atomically."""
    import numpy as np  # here: the NOC layer uses this module too and stays free of numpy

    with open_atomic(path, "wb") as handle:
        np.save(handle, array, allow_pickle=False)


@contextmanager
def replace_dir(folder: Path) -> Iterator[Path]:
    """Yield an empty temporary folder beside `folder`; on a clean exit it becomes `folder`.

    When another process has put a complete `folder` in place meanwhile, the rename fails and theirs is kept.
    """
    folder = Path(folder)
    tmp = _aside(folder)
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        yield tmp
        shutil.rmtree(folder, ignore_errors=True)
        try:
            tmp.rename(folder)
        except OSError:
            pass        # another process saved the same folder first: keep theirs
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
