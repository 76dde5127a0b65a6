"""Text taken from a vendor's document, with where it stands in it (the claim finder's input).

``exchange/documents.py`` turns a PDF, DOCX, PPTX, HTML, TXT/Markdown or .eml file into a
``DocumentText``; ``domain/claim_finder.py`` turns its passages into candidate claims. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
