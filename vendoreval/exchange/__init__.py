"""Import and export: workspace files, CSV/XLSX, FMTI matrices, signed bundles."""

import contextlib
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from .. import files
from ..errors import UserError

#: What reading a damaged, truncated, encrypted or exotic zip (a bundle, an XLSX) can raise.
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, zlib.error,
              NotImplementedError, RuntimeError, UnicodeDecodeError)


class ExchangeError(UserError):
    """A file that cannot be imported or written; the message names the file, line or field and reason."""


@contextlib.contextmanager
def file_problems() -> Iterator[None]:
    """A problem with a file (vendoreval.files) raised as this layer's ExchangeError, same words, file and line."""
    try:
        yield
    except files.FileProblem as exc:
        raise ExchangeError(str(exc), file=exc.file, line=exc.line) from None


def write_output(path: Path, data: bytes, *, parents: bool = False) -> None:
    """Write an exported file atomically (temp file, fsync, rename): a partial file never replaces a good one."""
    with file_problems():
        files.write_bytes_atomic(path, data, parents=parents)
