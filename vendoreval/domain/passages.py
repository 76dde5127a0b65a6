"""Text taken from a vendor's document, with where it stands in it (the claim finder's input).

``exchange/documents.py`` turns a PDF, DOCX, PPTX, HTML, TXT/Markdown or .eml file into a
``DocumentText``; ``domain/claim_finder.py`` turns its passages into candidate claims. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Passage:
    """One paragraph (or table cell, slide shape, list item) of running text.

    ``page`` is the 1-based page of a paged document (PDF), else None; ``location`` says where it is
    otherwise ("slide 3", the nearest heading "Security and compliance", "e-mail body") and may be set
    for PDFs too (the nearest heading on the page). The text keeps the document's words, with hard
    line breaks inside a paragraph already joined.
    """

    text: str
    page: int | None = None
    location: str | None = None
    #: For a sentence from ``split_sentences``: where it starts in its passage's text (to highlight
    #: it there); None otherwise. Not compared: a sentence equals a passage with the same words and place.
    offset: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class DocumentText:
    """The text of one document: its passages in reading order and what the document says of itself."""

    passages: tuple[Passage, ...]
    kind: str  # "pdf", "docx", "pptx", "html", "text", "eml"
    title: str | None = None
    #: The document's own date (ISO-8601 date "YYYY-MM-DD": PDF CreationDate, DOCX/PPTX core
    #: properties, e-mail Date header, HTML <meta> date), else None (the caller uses the file's date).
    date: str | None = None
    pages: int | None = None  # number of pages (PDF) or slides (PPTX)
    notes: tuple[str, ...] = field(default=())  # what the reader should know ("page 4 has no text layer")


# --------------------------------------------------------------------------------------------------
# Sentences

#: Words that a full stop follows without ending the sentence (compared in lower case, without the
#: dot): titles, "e.g."-like Latin, company forms, and references that a number follows.
ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "gen", "rep", "sen", "gov", "pres",
    "e.g", "i.e", "eg", "ie", "cf", "vs", "viz", "approx", "ca", "incl", "excl", "esp", "resp", "al",
    "inc", "ltd", "corp", "co", "llc", "plc", "gmbh", "ag", "bv", "nv", "pty", "s.a", "sa", "srl",
    "no", "nos", "nr", "fig", "figs", "vol", "ch", "sec", "art", "para", "p", "pp", "ed", "eds",
    "dept", "est", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mon", "tue", "wed", "thu", "fri", "sat", "sun",
})
#: Sentence-ending punctuation (an ellipsis too), then closing quotes or brackets, then a space.
_END = re.compile(r"(?:[.!?…]+)[\"'”’)\]]*(?=\s)")
#: A bullet glyph inside a line starts an item of its own ("Features: • fast • accurate").
_BULLET = re.compile(r"\s(?=[•▪◦●‣■□]\s)")
_LINE_BREAK = re.compile(r"[\n\r\u2028\u2029]")
#: Initials and dotted abbreviations: "U.S", "e.g", "J".
_DOTTED = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]$|^[^\W\d_]$")
#: After the white space that follows a full stop: what may open a new sentence (a capital, a digit,
#: an opening quote or bracket, a bullet or a dash), or the end of the passage.
_NEXT = re.compile(r"\s*+(?:([\"'“‘(\[•▪◦●‣■□–—*-]*+[^\W_])|\Z)")
#: No abbreviation is longer than this: the word before a full stop is looked for this far back only.
_WORD_WINDOW = 40


def _ends_sentence(text: str, start: int, end: int) -> bool:
    """Whether the punctuation at text[start:end] (followed by white space) ends a sentence.

    Looks only near ``start`` and ``end`` (never copies the rest of the passage), so splitting takes
    time in proportion to the passage's length.
    """
    m = _NEXT.match(text, end)
    if m is None:
        return False
    if m.group(1) is None:
        return True  # only white space to the end of the passage
    if m.group(1)[-1].islower():
        return False  # "e.g. a detector", "approx. ten": the sentence goes on
    mark = text[start:end].rstrip("\"'”’)]")
    if mark != ".":
        return True  # "!", "?", "...", "…" before a capital: a new sentence
    w = start
    while w > 0 and start - w < _WORD_WINDOW and not text[w - 1].isspace():
        w -= 1
    word = text[w:start].lstrip("\"'“‘([")
    if word.lower() in ABBREVIATIONS or _DOTTED.match(word):
        return False  # "Acme Inc. Chief", "U.S. Army", "J. Smith", "e.g. Google"
    if not (word.isdigit() and len(word) <= 3):
        return True
    # "1. Our model", "... own. 2. It is": the number of a list item, not the end of a sentence
    b = w
    while b > 0 and text[b - 1].isspace():
        b -= 1
    return not (b == 0 or text[b - 1] in ".!?:")


def split_sentences(passage: Passage) -> list[Passage]:
    """The sentences of ``passage``, in order, each with the passage's page and location.

    A sentence ends at ".", "!", "?" or an ellipsis followed by white space and something that can
    open a sentence (a capital, a digit, a quote, a bullet) — not after an abbreviation ("e.g.",
    "Inc.", "U.S.", "Dr."), an initial or a list item's number; a full stop inside a figure
    ("98.5 %", "$6,000.50") is followed by no space and never ends one. A line break and a bullet
    glyph ("•") start a new sentence too. Each sentence's ``offset`` is where it starts in the
    passage's text. Only white space is dropped: the sentences joined keep every other character.
    """
    text = passage.text
    cuts = [0]
    for m in _END.finditer(text):
        if _ends_sentence(text, m.start(), m.end()):
            cuts.append(m.end())
    cuts.extend(m.end() for m in _LINE_BREAK.finditer(text))
    cuts.extend(m.start() for m in _BULLET.finditer(text))
    cuts = sorted(set(cuts))
    out: list[Passage] = []
    for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True):
        chunk = text[a:b]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            out.append(replace(passage, text=stripped, offset=a + lead))
    return out
