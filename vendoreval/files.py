"""Files the user hands the app and files the app writes for the user; usable from every layer.

Reading: every input file passes ``check_input_file`` (or ``read_bytes``, which calls it) before it
is opened. It must be a regular file: opening a FIFO blocks until some other program writes to it and
a device such as /dev/zero never ends, so a reader that only checked the size (a FIFO's or device's
is 0) would hang. It must be readable and within the caller's size limit. Text is UTF-8, with or
without a byte-order mark (``decode_text``); nothing else is guessed at, because a wrong guess turns
every accented name into something else without a word.

Writing: ``atomic_output`` (and ``write_bytes_atomic`` / ``write_text_atomic`` on top of it) writes
to a temporary file beside the target, flushes it to disk and renames it over the target, so a
crash, a full disk or a failing writer leaves the old file as it was and no half-written one. The
temporary file has a recognisable name (``.<target>.vendoreval-partial-<pid>-<random>.tmp``, see
``partial_name``) and is locked while it is written; one left behind by a killed process is removed
by the next write into that folder (``remove_stale_partials``).

Every failure is a ``FileProblem`` (a ``UserError``) whose message names the file and the reason;
``OSError`` and ``UnicodeDecodeError`` never leak out. Layers with their own error type turn it into
theirs with ``exc.reason``. This module imports only the standard library and ``vendoreval.errors``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .errors import UserError

#: Permission bits of a new output file: an export is an ordinary document (mkstemp makes 0600).
OUTPUT_MODE = 0o644

_MB = 1024 * 1024


class FileProblem(UserError):
    """A file that cannot be read or written; ``reason`` is the why without the file name."""

    def __init__(self, path: str | os.PathLike[str], reason: str, *, line: int | None = None) -> None:
        where = f"{os.fspath(path)}, line {line}" if line is not None else os.fspath(path)
        super().__init__(f"{where}: {reason}", file=os.fspath(path), line=line)
        self.reason = reason


class DiskFull(FileProblem):
    """A file that could not be written because its disk (or the user's quota) is full."""


#: The errors that mean "no space left": a full disk, or a full quota.
_NO_SPACE = frozenset(e for e in (getattr(errno, "ENOSPC", None), getattr(errno, "EDQUOT", None)) if e is not None)


def is_disk_full(exc: BaseException) -> bool:
    """True for an OSError that says the disk or the quota is full (ENOSPC, EDQUOT)."""
    return isinstance(exc, OSError) and exc.errno in _NO_SPACE


def write_problem(path: str | os.PathLike[str], exc: OSError) -> FileProblem:
    """The FileProblem for an OSError raised while writing ``path`` (DiskFull when the disk is full)."""
    if is_disk_full(exc):
        return DiskFull(path, f"cannot write ({_os_reason(exc)}): the disk is full; nothing was written. "
                              "Free some space and try again")
    return FileProblem(path, f"cannot write ({_os_reason(exc)})")


def _os_reason(exc: OSError) -> str:
    return str(exc.strerror or exc)


def _amount(size: int) -> str:
    return f"{size} bytes" if size < _MB else f"{size / _MB:.1f} MB"


def _too_big(size: int, max_bytes: int, what: str) -> str:
    return f"the file is {_amount(size)}; {what} may be at most {_amount(max_bytes)}"


# --------------------------------------------------------------------------------------------------
# Reading


def input_file_problem(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` cannot be read as an input file, in the user's words; None for a regular file."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "no such file"
    except OSError as exc:
        return f"cannot read ({_os_reason(exc)})"
    except ValueError:  # a NUL byte in the path
        return "not a valid file name"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a pipe, device or socket); choose a file"
    return None


def check_input_file(path: str | os.PathLike[str], *, max_bytes: int | None, what: str) -> int:
    """The size of a readable regular file of at most ``max_bytes`` (None: no limit); else FileProblem.

    For readers that open the file themselves (zip archives, SQLite, streamed copies); ``what`` names
    the kind of file in the message ("a bundle").
    """
    problem = input_file_problem(path)
    if problem is not None:
        raise FileProblem(path, problem)
    try:
        size = os.stat(path).st_size
        if not os.access(path, os.R_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    except OSError as exc:
        raise FileProblem(path, f"cannot read ({_os_reason(exc)})") from None
    if max_bytes is not None and size > max_bytes:
        raise FileProblem(path, _too_big(size, max_bytes, what))
    return size


def read_bytes(path: str | os.PathLike[str], *, max_bytes: int, what: str) -> bytes:
    """The bytes of a readable regular file of at most ``max_bytes``; FileProblem otherwise.

    The file is checked, then opened without blocking and checked again through the open handle, so
    one swapped for a FIFO in between is still refused; a file that grows past the limit while it is
    read is refused too.
    """
    check_input_file(path, max_bytes=max_bytes, what=what)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise FileProblem(path, f"cannot read ({_os_reason(exc)})") from None
    try:
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise FileProblem(path, "is not a regular file (a pipe, device or socket); choose a file")
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise FileProblem(path, f"cannot read ({_os_reason(exc)})") from None
    if len(data) > max_bytes:
        raise FileProblem(path, _too_big(len(data), max_bytes, what))
    return data


def decode_text(raw: bytes, source: str | os.PathLike[str], *, advice: str = "save the file as UTF-8") -> str:
    """UTF-8 text with any byte-order mark dropped; FileProblem naming the line of the first bad byte.

    UTF-8 is the only encoding read. UTF-16 (Excel's "Unicode Text") is recognised by its byte-order
    mark and refused by name; for a byte that is not UTF-8 the message says what it would be in
    Windows-1252, the usual culprit. ``advice`` ends the message (how to save the file properly).
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem(source, f"UTF-16 text (Excel's 'Unicode Text'); {advice}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start:exc.start + 1]
        try:
            hint = f" (as Windows-1252 it would read '{bad.decode('cp1252')}')"
        except UnicodeDecodeError:
            hint = ""
        line = raw.count(b"\n", 0, exc.start) + 1
        raise FileProblem(source, f"not UTF-8 text (byte 0x{bad.hex()} at offset {exc.start}){hint}; {advice}",
                          line=line) from None


def read_text(path: str | os.PathLike[str], *, max_bytes: int, what: str) -> str:
    """A UTF-8 text file (``read_bytes`` then ``decode_text``)."""
    return decode_text(read_bytes(path, max_bytes=max_bytes, what=what), path)


def display_name(path: str | os.PathLike[str]) -> str:
    """A file's name as text that can be stored and printed.

    On Linux a file name may hold bytes that are not UTF-8; Python keeps them as lone surrogates, which
    SQLite, PDFs and spreadsheets refuse. Those bytes become U+FFFD here; the file still opens by its path.
    """
    return Path(path).name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


# --------------------------------------------------------------------------------------------------
# Writing

#: What every temporary file of ours has in its name, so one left by a killed process is recognised.
PARTIAL_MARK = "vendoreval-partial"
_PARTIAL_RE = re.compile(r"^\..+\." + PARTIAL_MARK + r"-(\d+)-[A-Za-z0-9_]*\.tmp(-journal|-wal|-shm)?$")
#: When this process started (near enough: when this module was imported). A temporary file last
#: written before that cannot be one this process is still writing.
PROCESS_START = time.time()


def partial_prefix(target_name: str) -> str:
    """The start of a temporary file's name for ``target_name`` (``mkstemp`` adds the random part)."""
    return f".{target_name}.{PARTIAL_MARK}-{os.getpid()}-"


def make_partial(target: Path) -> tuple[int, Path]:
    """Create and lock a new temporary file beside ``target``: (open fd, path). OSError if it cannot be made.

    The lock (``flock`` where the system has it) is held as long as the fd is open, so another
    process can tell a file still being written from one left behind.
    """
    fd, name = tempfile.mkstemp(prefix=partial_prefix(target.name), suffix=".tmp", dir=target.parent)
    _lock(fd)
    return fd, Path(name)


def _lock(fd: int) -> bool:
    """Take an exclusive lock on ``fd`` without waiting; False when someone else holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: an open file cannot be deleted there anyway
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def is_partial(name: str) -> bool:
    """True for the name of one of our temporary files (or its SQLite journal)."""
    return _PARTIAL_RE.match(name) is not None


def remove_stale_partials(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove our temporary files in ``folder`` that nobody is writing any more; returns those removed.

    Stale means: last written before this process started, and not locked (the process that made it
    was killed, or crashed). Anything else is left alone, and a failure to remove is ignored (the
    next run tries again). Called before every write, so a kill leaves at most one leftover per folder.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not is_partial(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_mtime >= PROCESS_START:
                continue
            fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
            try:
                if not _lock(fd):
                    continue  # another process is still writing it
                os.unlink(entry.path)
            finally:
                os.close(fd)
            removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _target(path: Path, parents: bool) -> tuple[Path, int]:
    """The file to replace (a symlink's target) and the permission bits the new file gets."""
    try:
        target = Path(os.path.realpath(path)) if path.is_symlink() else path
        try:
            st: os.stat_result | None = os.stat(target)
        except FileNotFoundError:
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise FileProblem(path, "cannot write: it is a folder")
        if st is not None and not stat.S_ISREG(st.st_mode):
            raise FileProblem(path, "cannot write: it is not a regular file (a pipe, device or socket)")
        if parents:
            target.parent.mkdir(parents=True, exist_ok=True)
        elif not target.parent.is_dir():
            raise FileProblem(path, f"cannot write: the folder {target.parent} does not exist")
    except OSError as exc:
        raise FileProblem(path, f"cannot write ({_os_reason(exc)})") from None
    except ValueError:  # a NUL byte in the path
        raise FileProblem(path, "not a valid file name") from None
    # A file that is replaced keeps its permissions (a private export stays private).
    return target, stat.S_IMODE(st.st_mode) if st is not None else OUTPUT_MODE


def _fsync_path(path: Path, flags: int = os.O_RDONLY) -> None:
    """fsync a file or folder through a new handle (Windows needs a writable one for a file)."""
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], mode: str = "wb", *, parents: bool = False,
                  encoding: str | None = None, newline: str | None = None) -> Iterator[IO[Any]]:
    """A file object (mode "wb" or "w") whose content replaces ``path`` when the block ends.

    The data goes to a temporary file in the same folder, is flushed and fsynced, then renamed over
    ``path``, and the folder is fsynced (best effort). If the block raises, or anything fails, the
    temporary file is removed and ``path`` is left as it was; an ``OSError`` (permission denied, disk
    full) becomes a FileProblem naming ``path``, other exceptions pass through as they are. A new file
    gets mode 0644; a replaced one keeps its permissions. A symlink is followed (the link stays).
    ``parents`` creates missing folders; otherwise a missing folder is a FileProblem. Text mode ("w")
    writes UTF-8 unless ``encoding`` says otherwise.

    Streaming writers take the file object: ``zipfile.ZipFile(fh, "w")``, ``workbook.save(fh)``,
    reportlab's ``Canvas(fh)``. Closing it inside the block is allowed.
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_output writes with mode 'wb' or 'w', not {mode!r}")
    path = Path(path)
    target, permissions = _target(path, parents)
    remove_stale_partials(target.parent)
    try:
        fd, tmp = make_partial(target)
    except OSError as exc:
        raise write_problem(path, exc) from None
    try:
        try:
            fh = os.fdopen(fd, mode, encoding=(encoding or "utf-8") if mode == "w" else None, newline=newline)
        except BaseException:
            os.close(fd)
            raise
        with fh:
            yield fh
            closed_early = fh.closed
            if not closed_early:
                fh.flush()
                os.fsync(fh.fileno())
        if closed_early:  # the writer closed the file itself: sync it through a new handle
            _fsync_path(tmp, os.O_RDWR)
        os.chmod(tmp, permissions)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise write_problem(path, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):  # make the rename durable; not every system opens folders (Windows)
        _fsync_path(target.parent)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes, *, parents: bool = False) -> None:
    """Replace ``path`` with ``data`` atomically (see ``atomic_output``)."""
    with atomic_output(path, "wb", parents=parents) as fh:
        fh.write(data)


def write_text_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8", *,
                      parents: bool = False) -> None:
    """Replace ``path`` with ``text`` atomically; line ends are written as they are in ``text``."""
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise FileProblem(path, f"cannot write: character {text[exc.start]!r} has no {encoding} form") from None
    write_bytes_atomic(path, data, parents=parents)
