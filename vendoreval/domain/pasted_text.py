"""Text pasted from a PDF: the hard line breaks of its layout joined, its paragraphs and lists kept.

A PDF viewer copies each printed line with a line break after it, and words split at a line end with a
hyphen ("mar-\\nketing"). ``join_pdf_lines`` undoes that: lines of one paragraph become one line,
a word hyphenated at a line end is joined again ("marketing"), blank lines stay paragraph breaks, and
a line that starts a list item (•, -, *, 1.) starts a new line. Pure: no Qt.
"""

from __future__ import annotations

import re

_PARAGRAPH = re.compile(r"\n[ \t\f\v]*\n\s*")
#: A bullet or an item number followed by the item's words (a bare "a." is no list item).
LIST_ITEM = re.compile(r"^\s*(?:[•▪◦●‣○■□–—*-]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+\S")
# A letter, a hyphen at the end of the line, and a lower-case letter starting the next one.
_SPLIT_WORD = re.compile(r"(?<=[^\W\d_])[-\u2010\u00ad]$")


def _last_word(pieces: list[str]) -> str:
    """The last word of the line made of ``pieces`` (its last 64 characters at most: no real word is longer)."""
    tail = ""
    for piece in reversed(pieces):
        i = piece.rfind(" ")
        if i >= 0:
            return piece[i + 1:] + tail
        tail = piece + tail
        if len(tail) > 64:
            break
    return tail[-64:]


def _join_paragraph(block: str) -> str:
    """One paragraph's lines as one line (list items keep their own lines).

    Each output line is kept as a list of pieces joined once at the end, and only the end of the line
    so far is looked at: a paragraph of 20,000 lines (a text file without blank lines) joins in
    linear time (appending to one growing string and searching it took minutes).
    """
    out: list[list[str]] = []
    for raw in block.split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        if not out or LIST_ITEM.match(raw):
            out.append([line])
            continue
        pieces = out[-1]
        if _SPLIT_WORD.search(pieces[-1][-2:]):
            last_word = _last_word(pieces)
            if line[0].islower() and not re.search(r"[-\u2010]", last_word[:-1]):
                pieces[-1] = pieces[-1][:-1]  # "mar-" + "keting": the hyphen only split the word
            # else "state-of-the-" + "art", "AI-" + "Powered": a real hyphen
            pieces.append(line)
        else:
            pieces.append(" " + line)
    return "\n".join("".join(pieces) for pieces in out)


def join_pdf_lines(text: str) -> str:
    """``text`` with the line breaks inside paragraphs joined; paragraphs stay apart (one blank line).

    Soft hyphens (U+00AD) are removed. Text without line breaks comes back unchanged.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    if "\n" not in text:
        return text.replace("\u00ad", "")
    blocks = [_join_paragraph(b) for b in _PARAGRAPH.split(text.strip("\n"))]
    return "\n\n".join(b for b in blocks if b).replace("\u00ad", "")
