# SPDX-License-Identifier: Apache-2.0
"""File output: atomic for regular files, in place for devices, FIFOs and descriptors;
and the lock that makes a read-modify-write of a file safe between processes.

A regular file is replaced through a temporary file, so a reader sees the old file or the
complete new one, never a half. Anything else (``/dev/null``, ``/dev/full``, a FIFO,
``/dev/stdout``) is written into, never replaced: replacing ``/dev/null`` with a regular
file, as root, would break it for every process of the machine.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from ospo.errors import InputError, OperationalError


@contextlib.contextmanager
def locked(path: Path, *, timeout: float = 60.0) -> Iterator[None]:
    """Hold ``path`` for a read-modify-write that no other ospo process interleaves with.

    Atomic writes alone keep a file whole, not every change made to it: two processes that
    read it, add one entry each and write it back keep one of the two entries. Whoever
    changes a shared file (the waivers, the sign-offs) reads and writes it inside this.
    The lock is on the file's directory, which must exist: the file itself is replaced by
    every write, and a lock file beside it would be one more file in the user's tree (and
    in its inventory). Files of one directory are thus changed one at a time. A holder that
    keeps it over ``timeout`` seconds is an :class:`OperationalError`, not a wait without
    end.
    """
    import fcntl

    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise OperationalError(f"cannot lock: {exc.strerror}", path=str(directory)) from exc
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OperationalError(
                        f"another process has held it for over {timeout:g} s; try again",
                        path=str(path),
                    ) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # and with it the lock


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same directory."""
    atomic_write_bytes(path, text.encode("utf-8"))


def check_destination(path: Path) -> None:
    """Raise :class:`InputError` if ``path`` cannot be an output: a directory, or a new file
    in a directory that does not exist. Asked before a run's work, so that the work is not
    done for nothing and no other output is written before the error."""
    if _in_place(path) and not path.is_dir():
        return
    if path.is_dir():
        raise InputError("output path is a directory; give a file name", path=str(path))
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError("output directory does not exist", path=str(directory))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory.

    Raises :class:`InputError` when the destination directory does not exist (a usage
    error) and :class:`OperationalError` when writing fails (disk full, permissions).
    """
    if _in_place(path):
        _write_in_place(path, data)
        return
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


def _in_place(path: Path) -> bool:
    """Whether ``path`` is written into rather than replaced: it exists and is not a regular
    file, or it names an open descriptor (``/dev/stdout``, ``/dev/fd/1``)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False  # nothing there (yet): a new regular file
    return not stat.S_ISREG(mode) or _names_a_descriptor(path)


def _names_a_descriptor(path: Path) -> bool:
    """Whether ``path``, or a link it goes through, is an entry of ``/proc/PID/fd``."""
    hop = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on links followed
        if os.path.realpath(os.path.dirname(hop)).startswith("/proc/"):
            return True
        if not os.path.islink(hop):
            return False
        hop = os.path.join(os.path.dirname(hop), os.readlink(hop))
    return False


def _write_in_place(path: Path, data: bytes) -> None:
    """Write all of ``data`` into ``path``, appending (a descriptor opened with ``>>``
    keeps what it held), and report every failure: a full device, a reader gone."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_CLOEXEC", 0))
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
    except OSError as exc:
        raise OperationalError(f"cannot write output: {exc.strerror}", path=str(path)) from exc


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
