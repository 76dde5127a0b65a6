"""Opening a user's input file for an importer: a regular file, readable, within a size limit."""

from __future__ import annotations

from pathlib import Path

from ..inputs import input_file_problem
from . import ExchangeError


def checked_size(path: Path, max_bytes: int, what: str) -> int:
    """The file's size; ExchangeError naming the file when it is not a readable regular file or too big."""
    problem = input_file_problem(path)
    if problem is not None:
        raise ExchangeError(f"{path}: {problem}")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExchangeError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if size > max_bytes:
        raise ExchangeError(f"{path}: {size} bytes is over the {max_bytes}-byte limit for {what}")
    return size
