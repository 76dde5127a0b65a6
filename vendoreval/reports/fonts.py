"""Shipped TrueType fonts for briefs, and picking the font per run of text (Latin vs CJK vs unsupported).

reportlab embeds TrueType outlines only and has no per-glyph fallback, so every piece of user text is
split into runs: characters DejaVu Sans covers, characters Droid Sans Fallback covers (Chinese,
Japanese, Korean), and characters no shipped font covers (emoji and the like), which are written as
their Unicode name in brackets so the text around them survives and the reader still sees what was
there.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..paths import resource_path

LATIN = "DejaVuSans"
LATIN_BOLD = "DejaVuSans-Bold"
CJK = "DroidSansFallback"

_FILES = {LATIN: "DejaVuSans.ttf", LATIN_BOLD: "DejaVuSans-Bold.ttf", CJK: "DroidSansFallback.ttf"}
_lock = threading.Lock()
_registered = False

#: Characters dropped silently: joiners, variation selectors and emoji modifiers carry no text.
_SILENT_CATEGORIES = {"Cf", "Mn", "Me", "Cs", "Co", "Cn"}


def register_fonts() -> None:
    """Register the shipped fonts with reportlab once per process (safe to call from any thread)."""
    global _registered
    with _lock:
        if _registered:
            return
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(resource_path("resources", "fonts", filename))))
        pdfmetrics.registerFontFamily(LATIN, normal=LATIN, bold=LATIN_BOLD, italic=LATIN, boldItalic=LATIN_BOLD)
        pdfmetrics.registerFontFamily(CJK, normal=CJK, bold=CJK, italic=CJK, boldItalic=CJK)
        _registered = True


@lru_cache(maxsize=4)
def _coverage(name: str) -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(name)
    return frozenset(font.face.charToGlyph)


@dataclass(frozen=True)
class Run:
    """A stretch of text drawn in one font; ``missing`` marks a character no shipped font covers."""

    font: str
    text: str
    missing: bool = False


def clean(text: str | None) -> str:
    """User text made safe to lay out: no control characters (tabs become spaces), newlines kept."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(ch for ch in text if ch == "\n" or (ch >= " " and not "\x7f" <= ch <= "\x9f"))


def placeholder(ch: str) -> str:
    """What stands in for a character no shipped font covers: its Unicode name in brackets."""
    name = unicodedata.name(ch, "")
    return f"[{name.lower()}]" if name else f"[U+{ord(ch):04X}]"


@lru_cache(maxsize=4)
def _chars(name: str) -> frozenset[str]:
    return frozenset(chr(cp) for cp in _coverage(name))


def runs(text: str | None, bold: bool = False) -> list[Run]:
    """Split text into runs by the font that covers each character (spaces join the current run)."""
    return list(_runs(clean(text), bold))


@lru_cache(maxsize=8192)
def _runs(text: str, bold: bool) -> tuple[Run, ...]:
    latin_font = LATIN_BOLD if bold else LATIN
    latin_chars = _chars(latin_font)
    if not text:
        return ()
    if latin_chars.issuperset(text):  # the common case: one run, no per-character work
        return (Run(latin_font, text),)
    latin, cjk = _coverage(latin_font), _coverage(CJK)
    out: list[Run] = []
    for ch in text:
        cp = ord(ch)
        if ch in " \n" or cp in latin:
            font, piece, missing = latin_font, ch, False
            if ch in " \n" and out and not out[-1].missing and cp in _coverage(out[-1].font):
                font = out[-1].font
        elif cp in cjk:
            font, piece, missing = CJK, ch, False
        elif unicodedata.category(ch) in _SILENT_CATEGORIES:
            continue
        else:
            font, piece, missing = latin_font, placeholder(ch), True
        if out and out[-1].font == font and out[-1].missing == missing and not missing:
            out[-1] = Run(font, out[-1].text + piece)
        else:
            out.append(Run(font, piece, missing))
    return tuple(out)


def markup(text: str | None, bold: bool = False, empty: str = "—") -> str:
    """User text as escaped Paragraph markup, CJK runs in the CJK font; ``empty`` when there is no text.

    Everything the user typed is escaped (``<``, ``&``, ``>``), so markup in a claim such as
    ``<font name="x">`` is printed, never interpreted.
    """
    parts = runs(text, bold)
    if not parts or not "".join(r.text for r in parts).strip():
        return escape(empty)
    html = []
    for r in parts:
        body = escape(r.text).replace("\n", "<br/>")
        if r.font == CJK:
            html.append(f'<font name="{CJK}">{body}</font>')
        elif r.missing:
            html.append(f'<font color="#888888">{body}</font>')
        else:
            html.append(body)
    out = "".join(html)
    return f"<b>{out}</b>" if bold else out


def has_cjk(text: str | None) -> bool:
    """True when some character of the text is drawn with the CJK font."""
    return any(r.font == CJK for r in runs(text))


def string_width(text: str | None, size: float, bold: bool = False) -> float:
    """Width in points of text drawn run by run (as the charts draw it)."""
    return sum(pdfmetrics.stringWidth(r.text, r.font, size) for r in runs(text, bold))


def fit(text: str | None, width: float, size: float, bold: bool = False) -> str:
    """The text shortened with an ellipsis so that it fits ``width`` points (for chart labels)."""
    text = clean(text).replace("\n", " ")
    if string_width(text, size, bold) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if string_width(text[:mid] + "…", size, bold) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"
