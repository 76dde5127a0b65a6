"""The one error type for everything a user can cause: ``UserError`` (file, line or field, reason).

Every layer raises a subclass of it for bad input or an unusable environment (a locked or read-only
database, a missing file, a refused edit). The CLI exits 2 on it, the app shows it in a dialog;
anything that is not a ``UserError`` is a bug (CLI exit 1, traceback in the log, a "this is a bug"
dialog). This module imports nothing of ours, so every layer may use it.
"""

from __future__ import annotations

import operator
import re
from array import array
from itertools import accumulate

#: How deeply nested a document read from a file may be before it is refused (JSON, TOML, XML).
MAX_NESTING = 200


class UserError(Exception):
    """Something the user can fix: the message names the file, the line or field, and the reason.

    ``file``, ``line`` and ``field`` are kept apart for callers that show them in their own way; the
    message (``str(exc)``) already contains them, so it can be shown as it is.
    """

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.field = field

    @classmethod
    def at(cls, reason: str, *, file: str | None = None, line: int | None = None,
           field: str | None = None) -> UserError:
        """An error whose message is built as 'file, line N, field F: reason' from the parts given."""
        where = ", ".join(p for p in (file, f"line {line}" if line is not None else None,
                                      f"field {field}" if field else None) if p)
        return cls(f"{where}: {reason}" if where else reason, file=file, line=line, field=field)


def exc_words(exc: BaseException) -> str:
    """What a third-party parser's exception says about a file, in words (never its Python class name):
    the reason a user is shown after 'not a readable ... file'."""
    if isinstance(exc, RecursionError):
        return "it is nested too deeply to read"
    if isinstance(exc, KeyError):
        part = str(exc.args[0]) if exc.args else ""
        return f"a part it needs is missing{': ' + part if part else ''}"
    if isinstance(exc, UnicodeError):
        return "it holds text in an encoding that cannot be read"
    if isinstance(exc, MemoryError):
        return "it is too large to read"
    text = " ".join(str(exc).split())
    return text[:300] if text else "it is damaged or in a form the reader does not know"


def nesting_depth_exceeded(text: str | bytes, limit: int = MAX_NESTING) -> bool:
    """True when brackets/braces (JSON, TOML inline tables and arrays) nest deeper than ``limit``.

    A cheap scan that ignores brackets inside double-quoted strings (backslash escapes honoured) and
    nothing else (TOML's 'literal' strings and comments count); a document refused here would make the
    standard parsers, or code walking what they return, recurse past Python's stack. Each step runs in
    C (replace, split, translate, accumulate): a 20 MB workspace file costs a fraction of its parse.
    """
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    # Drop escaped backslashes, then escaped quotes; what is left between quotes is string content.
    outside = b"".join(data.replace(b"\\\\", b"").replace(b'\\"', b"").split(b'"')[::2])
    steps = array("b", outside.translate(_STEPS, _NOT_BRACKETS))  # +1 per opener, -1 per closer
    depths = list(accumulate(steps, initial=0))
    if min(depths) >= 0:
        return max(depths) > limit
    # A closer without its opener (invalid, or in a TOML comment): depth never goes below 0.
    return max(map(operator.sub, depths, accumulate(depths, min))) > limit


def toml_too_deep(text: str, limit: int = MAX_NESTING) -> bool:
    """True when TOML text nests deeper than ``limit``: brackets and braces (``nesting_depth_exceeded``), or a
    dotted key of more than ``limit`` parts (``a.b.c… = 1``, ``[a.b.c…]``). Python's TOML parser keeps every
    prefix of a dotted key: a 200 KB key of 100,000 parts took 17 GB before the system killed the process.
    Rubrics, templates and rules never need more than a few parts. A cheap regex scan from where a key can
    start (a line, or after '{' or ','); a line of a multi-line string made of hundreds of dotted words would
    count too, which no real file has."""
    if nesting_depth_exceeded(text, limit):
        return True
    if text.count(".") <= limit:
        return False
    return re.search(_KEY_START + _DOTTED_PART * (limit + 1), text, re.MULTILINE) is not None


#: Where a TOML key starts: a line (a table header's brackets too), or after '{' or ',' in an inline table.
_KEY_START = r"(?:^|[{,])[ \t]*\[{0,2}[ \t]*"
#: One part of a dotted TOML key and the dot after it (bare, "basic" or 'literal' key).
_DOTTED_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')[ \t]*\.[ \t]*"""

_NOT_BRACKETS = bytes(range(256)).translate(None, b"[]{}")
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


class DocumentError(UserError):
    """A vendor document the claim finder cannot read: the message names the file and the reason.

    Raised by ``exchange/documents.py`` for a missing, unreadable or oversized file, an unknown
    format, a damaged PDF/DOCX/PPTX or e-mail. ``reason`` is the why without the file name.
    """

    def __init__(self, path: object, reason: str) -> None:
        where = str(path)
        super().__init__(f"{where}: {reason}", file=where)
        self.reason = reason


class UnsupportedDocument(DocumentError):
    """A format the finder does not read (Outlook .msg, legacy .doc/.ppt, RTF, spreadsheets, images...)."""


class EncryptedDocument(DocumentError):
    """A password-protected PDF, DOCX or PPTX: the user saves an unencrypted copy."""


class DocumentBomb(DocumentError):
    """A DOCX/PPTX whose zip would unpack to far more than any real document (a zip bomb)."""


class NoTextLayer(DocumentError):
    """A PDF without any text layer (scanned pages or images only): there is no OCR to read it."""
