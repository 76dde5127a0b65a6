"""Import and export: workspace files, CSV/XLSX, FMTI matrices, signed bundles."""

import zipfile
import zlib

from ..errors import UserError

#: What reading a damaged, truncated, encrypted or exotic zip (a bundle, an XLSX) can raise.
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, zlib.error,
              NotImplementedError, RuntimeError, UnicodeDecodeError)


class ExchangeError(UserError):
    """A file that cannot be imported or written; the message names the file, line or field and reason."""
