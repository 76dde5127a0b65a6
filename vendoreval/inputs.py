"""The check every file a user hands the app passes before it is opened: it must be a regular file.

Opening a FIFO blocks until some other program writes to it, and a device such as /dev/zero never
ends, so a reader that only checks the size (a FIFO's or device's is 0) hangs forever. Readers call
``input_file_problem`` first and raise their own error with the reason it gives.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def input_file_problem(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` cannot be read as an input file, in the user's words; None for a regular file."""
    try:
        mode = os.stat(Path(path)).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "no such file"
    except OSError as exc:
        return f"cannot read ({exc.strerror or exc})"
    except ValueError:  # a NUL byte in the path
        return "not a valid file name"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a pipe, device or socket); choose a file"
    return None


def display_name(path: str | os.PathLike[str]) -> str:
    """A file's name as text that can be stored and printed.

    On Linux a file name may hold bytes that are not UTF-8; Python keeps them as lone surrogates, which
    SQLite, PDFs and spreadsheets refuse. Those bytes become U+FFFD here; the file still opens by its path.
    """
    return Path(path).name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
