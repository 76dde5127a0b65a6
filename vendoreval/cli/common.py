"""Shared CLI plumbing: the lazily opened workspace, error classes and output helpers."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from ..app import open_workspace
from ..errors import UserError
from ..paths import data_dir
from ..services.workspace import Workspace
from ..store.database import DB_FILENAME, DamagedDatabase

EXIT_OK = 0
EXIT_BUG = 1
EXIT_BAD_INPUT = 2


class CliError(UserError):
    """A refusal with an exit code (default 2) and a message for stderr."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.code = code


def bad_input_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean bad input or an unusable workspace (exit 2), not a bug: UserError alone."""
    return (UserError,)


class Context:
    """What a subcommand needs: parsed global options and the workspace, opened on first use."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._ws: Workspace | None = None

    @property
    def ws(self) -> Workspace:
        """The workspace (opened on first use)."""
        if self._ws is None:
            self._ws = open_workspace(self.args.data_dir, self.args.evaluator)
            if self._ws.read_only_reason:
                print(f"vendoreval: note: the workspace is open read-only: {self._ws.read_only_reason}. Listing, "
                      "scores, exports and briefs work; changes are refused, and no backup is made.", file=sys.stderr)
        return self._ws

    def explain(self, exc: UserError) -> str:
        """The message for a refusal; a damaged (or emptied) workspace database also gets what to do about it."""
        text = str(exc)
        if isinstance(exc, DamagedDatabase):
            folder = Path(data_dir(self.args.data_dir))
            if exc.file is None or Path(exc.file) == folder / DB_FILENAME:
                from ..services.backup import recovery_advice

                text = f"{text}\n{recovery_advice(folder)}"
        return text

    def close(self) -> None:
        """Close the workspace if it was opened."""
        if self._ws is not None:
            self._ws.close()
            self._ws = None


def print_json(data: Any) -> None:
    """Print JSON (UTF-8, indented) to stdout."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def print_table(headers: list[str], rows: list[list[Any]]) -> None:
    """Print a plain-text table with aligned columns."""
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    print("  ".join("-" * w for w in widths))
    for r in cells:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


def fmt(x: float | None, digits: int = 1) -> str:
    """A score for display ('—' when there is none)."""
    return "—" if x is None else f"{x:.{digits}f}"


#: What the command line never sends to a terminal as it is: control characters other than tab, line feed and
#: carriage return (an escape sequence can erase a line and print 'SIGNED … trusted' over 'UNSIGNED'), and the
#: Unicode marks that reverse the direction of text.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with every character of ``_UNPRINTABLE`` written out as an escape ('\\x1b', '\\u202e')."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                            else f"\\u{ord(m.group()):04x}", text)


class VisibleText:
    """A text stream that writes what it is given through ``visible``: text from files (a bundle's manifest, a
    team member's name, a vendor stored before names were checked) reaches the terminal as characters, never
    as commands to it. Everything else is the wrapped stream's."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text`` made visible."""
        return int(self._stream.write(visible(text)))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
