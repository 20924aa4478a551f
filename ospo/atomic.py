# SPDX-License-Identifier: Apache-2.0
"""Atomic file output: a reader sees the old file or the complete new one, never a half."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ospo.errors import InputError, OperationalError


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same directory."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory.

    Raises :class:`InputError` when the destination directory does not exist (a usage
    error) and :class:`OperationalError` when writing fails (disk full, permissions).
    """
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError("output directory does not exist", path=str(directory))
    fd, tmp_name = _create_temporary(directory, path.name)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):
            raise OperationalError(f"cannot write output: {exc.strerror}", path=str(path)) from exc
        raise


def _create_temporary(directory: Path, name: str) -> tuple[int, str]:
    """Create a new file ``.NAME.RANDOM.tmp`` in ``directory``, readable by the owner only.

    What :func:`tempfile.mkstemp` does, without importing :mod:`tempfile` (with
    :mod:`shutil`, :mod:`random` and :mod:`lzma` it costs a tenth of a cached rescan).
    """
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp_name = os.path.join(directory, f".{name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(tmp_name, flags, 0o600), tmp_name
        except FileExistsError:
            continue
        except OSError as exc:
            raise OperationalError(
                f"cannot write output: {exc.strerror}", path=str(directory)
            ) from exc
    raise OperationalError("cannot create a temporary file", path=str(directory))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
