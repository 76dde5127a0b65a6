"""A vendor's own document read into located text: the claim finder's input (``DocumentText``).

``read_document(path)`` reads PDF (pypdfium2: PDFium's text layer, page by page), DOCX
(python-docx: paragraphs and table cells under their nearest heading), PPTX (python-pptx: the text of
each slide), HTML saved from the web (the standard library's parser: script, style, navigation and
footers left out; under the nearest h1–h3), TXT/Markdown and e-mail (.eml, the standard library).
The format is told by the file's content (magic bytes) first and its suffix second.

Hostile input is refused before any parser sees it, each with a ``DocumentError`` naming the file:
a FIFO, device, folder or a file over ``MAX_DOCUMENT_BYTES`` (``files.read_bytes``); an encrypted
PDF/DOCX/PPTX; a DOCX/PPTX zip with too many members, too much unpacked data or an absurd
compression ratio (a zip bomb), or with a DOCTYPE or XML nested too deeply; a damaged file; a format
we do not read (Outlook .msg: no library with a licence fit for a proprietary build reads it, so the
user saves the mail as .eml). A PDF without any text layer is said to be one (``NoTextLayer``);
pages without one are listed in ``DocumentText.notes``.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email
import email.policy
import email.utils
import io
import os
import re
import statistics
import threading
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .. import files
from ..domain.passages import DocumentText, Passage
from ..domain.pasted_text import LIST_ITEM, join_pdf_lines
from ..errors import (
    DocumentBomb,
    DocumentError,
    EncryptedDocument,
    NoTextLayer,
    UnsupportedDocument,
    UserError,
    exc_words,
)

#: A document larger than this is refused before it is read (tests patch it).
MAX_DOCUMENT_BYTES = 100 * 1024 * 1024
#: An HTML page larger than this is refused (the standard library's parser reads ~1 MB a second; a
#: page saved from the web is rarely over 5 MB).
MAX_HTML_BYTES = 20 * 1024 * 1024
#: The most text the finder reviews from one document, in characters (about 8,000 pages of prose): more is
#: refused rather than read for minutes into hundreds of thousands of candidate sentences (a 50 MB text
#: file took 7 s to read and split before the finder started). A plain-text file is checked by its size
#: before it is decoded.
MAX_DOCUMENT_CHARS = 20_000_000
#: DOCX/PPTX zip limits, checked before python-docx/python-pptx open the file: members, bytes unpacked
#: in all, and the compression ratio of a member that unpacks to more than ``ZIP_RATIO_FROM`` bytes.
#: A 300-slide deck has ~1,500 parts; text XML compresses 5–30 times; a zip bomb ~1,000 times.
ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_UNPACKED = 400 * 1024 * 1024
ZIP_MAX_RATIO = 200
ZIP_RATIO_FROM = 1024 * 1024

#: What the finder reads, for messages.
READABLE = "PDF, DOCX, PPTX, HTML, TXT/Markdown and e-mail (.eml)"

#: Called after each page (PDF), slide (PPTX) or 256 K characters (HTML) with (done, total); it may
#: raise to cancel the read.
Progress = Callable[[int, int], None]

# PDFium is not thread-safe: one document at a time in this process.
_PDFIUM_LOCK = threading.Lock()
_FPDF_ERR_PASSWORD = 4

_TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".mdown", ".mkd"}
_MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
_REFUSED_SUFFIXES = {
    ".msg": "an Outlook message (.msg), which vendoreval cannot read: no library with a licence fit for this "
            "app reads it. In Outlook choose File > Save As and save the mail as .eml (or drag it to a folder "
            "from Thunderbird or Apple Mail), then open the .eml",
    ".doc": "a Word 97–2003 document (.doc); open it in Word and save it as DOCX or PDF",
    ".ppt": "a PowerPoint 97–2003 presentation (.ppt); open it in PowerPoint and save it as PPTX or PDF",
    ".rtf": "an RTF document; open it in Word and save it as DOCX or PDF",
    ".odt": "an OpenDocument text; save it as DOCX or PDF",
    ".odp": "an OpenDocument presentation; save it as PPTX or PDF",
    ".xlsx": "a spreadsheet; the finder reads documents (" + READABLE + ")",
    ".xls": "a spreadsheet; the finder reads documents (" + READABLE + ")",
    ".csv": "a CSV table; import claims with File > Import instead",
    ".pages": "an Apple Pages document; export it as PDF or DOCX",
    ".key": "an Apple Keynote presentation; export it as PDF or PPTX",
}
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# A list item's marker at the start of a passage: the passage is the item, the marker goes.
_MARKER = re.compile(r"^\s*(?:[•▪◦●‣○■□–—*-]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+(?=\S)")
_LETTER = re.compile(r"[^\W\d_]")
_PAGE_NUMBER = re.compile(r"^[\s\-–—|/]*\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?[\s\-–—|/]*$")


# --------------------------------------------------------------------------------------------------
# Entry point


def read_document(path: str | os.PathLike[str], *, progress: Progress | None = None) -> DocumentText:
    """The located text of the vendor document at ``path``; a ``DocumentError`` (subclass) otherwise.

    ``progress`` is called with (done, total) after each PDF page, PPTX slide or part of an HTML page;
    an exception it raises (a cancel) passes through. Deterministic and offline.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in _REFUSED_SUFFIXES:
        raise UnsupportedDocument(path, "is " + _REFUSED_SUFFIXES[suffix])
    try:
        raw = files.read_bytes(path, max_bytes=MAX_DOCUMENT_BYTES, what="a vendor document")
    except files.FileProblem as exc:
        raise DocumentError(path, exc.reason) from None
    if not raw.strip():
        raise DocumentError(path, "the file is empty")
    kind = _kind(raw, suffix, path)
    if kind == "pdf":
        doc = _read_pdf(raw, path, progress)
    elif kind in ("docx", "pptx"):
        _check_zip(raw, path, kind)
        doc = _read_docx(raw, path) if kind == "docx" else _read_pptx(raw, path, progress)
    elif kind == "html":
        doc = _read_html(raw, path, progress)
    elif kind == "eml":
        doc = _read_eml(raw, path)
    else:
        doc = _read_text(raw, path, markdown=suffix in _MARKDOWN_SUFFIXES)
    if not doc.passages and kind != "pdf":
        raise DocumentError(path, "contains no text to read")
    chars = sum(len(p.text) for p in doc.passages)
    if chars > MAX_DOCUMENT_CHARS:
        raise DocumentError(path, _too_much_text(f"{chars:,} characters of text"))
    return doc


def _too_much_text(what: str) -> str:
    return (f"holds {what}; the finder reviews at most {MAX_DOCUMENT_CHARS:,} characters (about 8,000 pages) "
            "from one document: split it, or pick the parts that hold the vendor's claims")


def _kind(raw: bytes, suffix: str, path: Path) -> str:
    """The format from the content, then the suffix; UnsupportedDocument for anything else."""
    if b"%PDF-" in raw[:1024]:
        return "pdf"
    if raw.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as zf:
                names = set(zf.namelist())
        except files_zip_errors() as exc:
            raise DocumentError(path, f"not a readable DOCX or PPTX file: the zip is damaged or truncated ({exc})") \
                from None
        if "word/document.xml" in names:
            return "docx"
        if "ppt/presentation.xml" in names:
            return "pptx"
        if "xl/workbook.xml" in names:
            raise UnsupportedDocument(path, "is a spreadsheet; the finder reads documents (" + READABLE + ")")
        raise UnsupportedDocument(path, f"is a zip archive that is no DOCX or PPTX; the finder reads {READABLE}")
    if raw.startswith(_OLE2):
        if suffix in (".docx", ".pptx", ".docm", ".pptm"):
            raise EncryptedDocument(path, "is encrypted (password-protected); open it in Office and save an "
                                          "unencrypted copy, then open that")
        raise UnsupportedDocument(path, "is an old Office file (Word/PowerPoint 97–2003 or an Outlook .msg); "
                                        "save it as DOCX, PPTX, PDF or (a mail) .eml")
    if raw.startswith(_IMAGE_MAGIC):
        raise UnsupportedDocument(path, "is an image; OCR is not available. The finder reads " + READABLE)
    if raw.lstrip()[:5] == b"{\\rtf":
        raise UnsupportedDocument(path, "is " + _REFUSED_SUFFIXES[".rtf"])
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsupportedDocument(path, f"is binary data in a format the finder does not read; it reads {READABLE}")
    if suffix in _HTML_SUFFIXES:
        return "html"
    if suffix == ".eml":
        return "eml"
    if suffix in _TEXT_SUFFIXES:
        return "text"
    if suffix in (".pdf", ".docx", ".pptx"):
        raise DocumentError(path, f"is not a {suffix[1:].upper()} file (its content is text); it may be damaged")
    head = raw[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if suffix == "" and re.match(rb"(?:(?:received|from|to|subject|date|message-id|mime-version|return-path):.*\r?\n)+",
                                 head):
        return "eml"
    shown = suffix or "no suffix"
    raise UnsupportedDocument(path, f"is in a format the finder does not read ({shown}); it reads {READABLE}")


def files_zip_errors() -> tuple[type[BaseException], ...]:
    """What reading a damaged zip can raise (shared with the other importers)."""
    from . import ZIP_ERRORS

    return ZIP_ERRORS


def _clean(text: str) -> str:
    """One line of running text: white space collapsed, soft hyphens gone, a list marker dropped."""
    text = " ".join(text.replace("\u00ad", "").split())
    return _MARKER.sub("", text, count=1)


def _passages(texts: Iterable[tuple[str, int | None, str | None]]) -> tuple[Passage, ...]:
    """Passages from (text, page, location), cleaned; those without a letter or digit (rules, ornaments)
    and bare page numbers ("12", "- 3 -", "4 / 20") left out."""
    out = []
    for text, page, location in texts:
        cleaned = _clean(text)
        if re.search(r"[^\W_]", cleaned) and not _PAGE_NUMBER.match(cleaned):
            out.append(Passage(cleaned, page=page, location=location))
    return tuple(out)


def _iso_date(value: object) -> str | None:
    """'YYYY-MM-DD' from a datetime/date, an ISO-8601 text or a PDF date ("D:20250314...") ; else None."""
    if isinstance(value, dt.datetime | dt.date):
        d = value.date() if isinstance(value, dt.datetime) else value
        return d.isoformat() if 1900 <= d.year <= 2999 else None
    if not isinstance(value, str):
        return None
    m = re.match(r"\s*(?:D:)?(\d{4})-?(\d{2})-?(\d{2})", value)
    if m is None:
        return None
    try:
        return _iso_date(dt.date(int(m[1]), int(m[2]), int(m[3])))
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------------
# PDF


@dataclass
class _Line:
    text: str
    size: float  # font size of its first character (points); 0 when unknown
    top: float
    bottom: float
    right: float


def _read_pdf(raw: bytes, path: Path, progress: Progress | None) -> DocumentText:
    import pypdfium2 as pdfium

    with _PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(raw)
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == _FPDF_ERR_PASSWORD:
                raise EncryptedDocument(path, "is encrypted (it asks for a password); save an unencrypted copy "
                                              "(print it to PDF, or save it without a password) and open that") \
                    from None
            raise DocumentError(path, f"not a readable PDF: it is damaged or truncated ({_pdfium_reason(exc)})") \
                from None
        try:
            total = len(pdf)
            try:
                meta = pdf.get_metadata_dict()
            except (pdfium.PdfiumError, UnicodeDecodeError, ValueError):
                meta = {}
            pages: list[list[_Line]] = []
            unreadable: list[int] = []
            for i in range(total):
                try:
                    pages.append(_pdf_page_lines(pdf, i))
                except pdfium.PdfiumError:
                    pages.append([])
                    unreadable.append(i + 1)
                if progress is not None:
                    progress(i + 1, total)
        finally:
            pdf.close()
    if total == 0:
        raise DocumentError(path, "not a readable PDF: it has no pages")
    blank = [i + 1 for i, lines in enumerate(pages) if not lines and i + 1 not in unreadable]
    if len(blank) + len(unreadable) == total:
        raise NoTextLayer(path, "has no text layer (scanned pages or images only); OCR is not available, so "
                                "there is no text to read. Ask the vendor for a text PDF or the DOCX/PPTX")
    notes = []
    if blank:
        notes.append(f"{_pages_phrase(blank)} no text layer (scanned or images only; OCR is not available): "
                     "not read")
    if unreadable:
        notes.append(f"{_pages_phrase(unreadable)} could not be read (damaged)")
    passages = _pdf_passages(pages)
    title = (meta.get("Title") or "").strip() or None
    return DocumentText(passages=passages, kind="pdf", title=title, date=_iso_date(meta.get("CreationDate", "")),
                        pages=total, notes=tuple(notes))


def _pdfium_reason(exc: Exception) -> str:
    m = re.search(r"PDFium: ([^)]*)", str(exc))
    return m[1].rstrip(".").lower() if m else str(exc)


def _pages_phrase(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"page {numbers[0]} has"
    return "pages " + ", ".join(map(str, numbers)) + " have"


def _pdf_page_lines(pdf: Any, index: int) -> list[_Line]:
    """The printed lines of one page, in PDFium's reading order, with font size and position."""
    import pypdfium2.raw as pdfium_c

    page = pdf[index]
    try:
        tp = page.get_textpage()
        try:
            text = tp.get_text_range()
            geometry = tp.count_chars() == len(text)
            lines = []
            for m in re.finditer(r"[^\r\n]+", text):
                line = m.group()
                if not line.strip():
                    continue
                if geometry:
                    first = m.start() + len(line) - len(line.lstrip())
                    last = m.start() + len(line.rstrip()) - 1
                    _, bottom, _, top = tp.get_charbox(first, loose=True)
                    right = tp.get_charbox(last)[2]
                    size = float(pdfium_c.FPDFText_GetFontSize(tp.raw, first))
                else:
                    top = bottom = right = size = 0.0
                # PDFium joins a word hyphenated at a line end and marks the place with U+FFFE (or STX):
                # the hyphen and the line break go back, so that join_pdf_lines decides as for a paste
                text_ = line.strip().replace("\ufffe", "-\n").replace("\x02", "-\n")
                lines.append(_Line(text_, size, top, bottom, right))
            return lines
        finally:
            tp.close()
    finally:
        page.close()


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split())).casefold()


def _body_size(pages: list[list[_Line]]) -> float:
    """The font size most of the text is set in (0 when PDFium gave no sizes)."""
    sizes: Counter[float] = Counter()
    for lines in pages:
        for ln in lines:
            if ln.size:
                sizes[round(ln.size, 1)] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _is_heading(ln: _Line, body: float) -> bool:
    """A short line set at least 15 % larger than the body text."""
    return bool(body) and ln.size >= body * 1.15 and len(ln.text) <= 120 and bool(_LETTER.search(ln.text))


def _drop_running_lines(pages: list[list[_Line]], body: float) -> list[list[_Line]]:
    """Running heads and feet (the same line, numbers aside, among the first or last two lines of most
    pages, not in a heading's larger type) kept on the first page they appear on only."""
    with_text = [p for p in pages if p]
    if len(with_text) < 3:
        return pages

    def edges(lines: list[_Line]) -> list[_Line]:
        return [ln for ln in (*lines[:2], *lines[-2:]) if not _is_heading(ln, body)]

    counts: Counter[str] = Counter()
    for lines in with_text:
        counts.update({_running_key(ln.text) for ln in edges(lines)})
    running = {k for k, n in counts.items() if n >= max(3, len(with_text) // 2)}
    if not running:
        return pages
    seen: set[str] = set()
    out = []
    for lines in pages:
        edge = {id(ln) for ln in edges(lines)}
        kept = []
        for ln in lines:
            key = _running_key(ln.text)
            if id(ln) in edge and key in running:
                if key in seen:
                    continue
                seen.add(key)
            kept.append(ln)
        out.append(kept)
    return out


#: A line of at most this many words, without a sentence's end, short of the right edge and followed by a
#: line that starts with a capital, stands alone as a heading (a title set in the body's type).
TITLE_MAX_WORDS = 7


def _title_line(prev: _Line, ln: _Line, right_edge: float) -> bool:
    """True when ``prev``, the first line of its block, reads as a title over ``ln``: a few words, no final
    punctuation, well short of the right edge, and the next line starts a sentence. Its words were read
    into the first sentence ("Acme AI Whitepaper 2026 Our model was trained on…"), which then matched no
    claim recorded by hand."""
    text = prev.text.rstrip()
    return (len(text.split()) <= TITLE_MAX_WORDS and not text.endswith((".", "!", "?", ":", ";", ",", "-"))
            and prev.right < right_edge - 0.15 * max(right_edge, 1.0) and ln.text[:1].isupper())


def _pdf_blocks(lines: list[_Line], body: float) -> list[tuple[list[_Line], bool]]:
    """One page's lines as paragraphs: (lines, is a heading)."""
    if not lines:
        return []
    right_edge = statistics.median(ln.right for ln in lines)
    blocks: list[tuple[list[_Line], bool]] = []
    for ln in lines:
        is_heading = _is_heading(ln, body)
        if blocks:
            block, block_is_heading = blocks[-1]
            prev = block[-1]
            same = not (
                is_heading != block_is_heading
                or (bool(prev.size) and abs(ln.size - prev.size) > 0.1 * prev.size)
                or (prev.bottom - ln.top) > 0.6 * max(ln.size, 1.0)  # a blank line or more between them
                or ln.top > prev.top + 1.0  # back up the page: a new column or box
                or bool(LIST_ITEM.match(ln.text))
                or (prev.text.endswith((".", "!", "?", ":", "\u201d", '"'))
                    and prev.right < right_edge - 0.15 * max(right_edge, 1.0))  # a short last line
            )
            if same and len(block) == 1 and _title_line(prev, ln, right_edge):
                blocks[-1] = (block, True)  # a title in the body's type: "Acme AI Whitepaper 2026" above the text
                same = False
            if same:
                block.append(ln)
                continue
        blocks.append(([ln], is_heading))
    return blocks


def _pdf_passages(pages: list[list[_Line]]) -> tuple[Passage, ...]:
    """Running heads and feet dropped, lines grouped into paragraphs (a gap, a change of font size, a
    short line ending a sentence, a list item), joined and de-hyphenated; a short line in a larger type
    is a heading and the location of what follows it (on its page and after)."""
    pages = _drop_running_lines(pages, _body_size(pages))
    body = _body_size(pages)  # again without the running lines: on sparse pages (slides) they weigh much
    heading: str | None = None
    out: list[tuple[str, int | None, str | None]] = []
    for number, lines in enumerate(pages, start=1):
        for block, is_heading in _pdf_blocks(lines, body):
            text = join_pdf_lines("\n".join(ln.text for ln in block)).replace("\n", " ")
            if is_heading:
                heading = " ".join(text.split())
            out.append((text, number, heading))
    return _passages(out)


# --------------------------------------------------------------------------------------------------
# DOCX and PPTX


def _check_zip(raw: bytes, path: Path, kind: str) -> None:
    """Refuse a zip bomb and hostile XML before python-docx/python-pptx unpack anything."""
    from . import ExchangeError
    from .questionnaire import _check_xml

    name = kind.upper()
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            infos = zf.infolist()
            if len(infos) > ZIP_MAX_MEMBERS:
                raise DocumentBomb(path, f"a {name} with {len(infos):,} parts (at most {ZIP_MAX_MEMBERS:,}); "
                                         "a zip bomb or not a real document — not opened")
            total = sum(i.file_size for i in infos)
            if total > ZIP_MAX_UNPACKED:
                raise DocumentBomb(path, f"unpacks to {total:,} bytes, over the {ZIP_MAX_UNPACKED:,}-byte limit; "
                                         "a zip bomb or not a real document — not opened")
            for info in infos:
                if info.file_size > ZIP_RATIO_FROM and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
                    ratio = info.file_size // max(info.compress_size, 1)
                    raise DocumentBomb(path, f"part '{info.filename}' unpacks {ratio:,} times its size "
                                             f"(at most {ZIP_MAX_RATIO}); a zip bomb — not opened")
            if any(i.flag_bits & 0x1 for i in infos):
                raise EncryptedDocument(path, "is encrypted; save an unencrypted copy and open that")
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels")):
                    try:
                        _check_xml(zf, info, path, f"not a {name} file vendoreval can read")
                    except ExchangeError as exc:
                        raise DocumentError(path, str(exc).removeprefix(f"{path}: ")) from None
    except UserError:
        raise
    except files_zip_errors() as exc:
        raise DocumentError(path, f"not a readable {name} file: it is damaged or truncated ({exc})") from None


def _read_docx(raw: bytes, path: Path) -> DocumentText:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # python-docx raises many types (KeyError, ValueError, lxml errors) on bad files
        raise DocumentError(path, f"not a readable DOCX file ({exc_words(exc)})") from None
    texts: list[tuple[str, int | None, str | None]] = []
    heading: str | None = None
    title: str | None = None
    seen_cells: set[Any] = set()

    def paragraph(p: Paragraph) -> None:
        nonlocal heading, title
        text = " ".join(p.text.split())
        if not text:
            return
        style = _style_name(p)
        if style.startswith("heading") or style in ("title", "subtitle"):
            if style == "title" and title is None:
                title = text
            heading = text
        texts.append((text, None, heading))

    def table(t: Table, depth: int) -> None:
        for row in t.rows:
            for cell in row.cells:
                if cell._tc in seen_cells:  # a merged cell appears once per grid column it spans
                    continue
                seen_cells.add(cell._tc)
                for block in cell.iter_inner_content():
                    if isinstance(block, Paragraph):
                        paragraph(block)
                    elif depth < 5:
                        table(block, depth + 1)

    try:
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                paragraph(block)
            else:
                table(block, 1)
        props = document.core_properties
        title = (props.title or "").strip() or title
        date = _iso_date(props.created) or _iso_date(props.modified)
    except Exception as exc:  # a damaged part python-docx only meets while walking it
        raise DocumentError(path, f"not a readable DOCX file ({exc_words(exc)})") from None
    return DocumentText(passages=_passages(texts), kind="docx", title=title, date=date)


def _style_name(p: Any) -> str:
    try:
        style = p.style
        return (style.name or "").casefold() if style is not None else ""
    except (KeyError, ValueError, AttributeError):
        return ""


def _read_pptx(raw: bytes, path: Path, progress: Progress | None) -> DocumentText:
    import pptx

    def damaged(exc: Exception) -> DocumentError:
        return DocumentError(path, f"not a readable PPTX file ({exc_words(exc)})")

    try:
        deck = pptx.Presentation(io.BytesIO(raw))
        slides = list(deck.slides)
        props = deck.core_properties
        title = (props.title or "").strip() or None
        date = _iso_date(props.created) or _iso_date(props.modified)
    except Exception as exc:  # python-pptx raises many types (KeyError, ValueError, lxml errors) on bad files
        raise damaged(exc) from None
    texts: list[tuple[str, int | None, str | None]] = []
    for number, slide in enumerate(slides, start=1):
        where = f"slide {number}"
        try:
            title_shape = slide.shapes.title
            if title is None and number == 1 and title_shape is not None and title_shape.has_text_frame:
                title = " ".join(title_shape.text_frame.text.split()) or None
            ordered = sorted(slide.shapes, key=lambda s: (s is not title_shape, s.top or 0, s.left or 0))
            texts.extend((text, None, where) for text in _shape_texts(ordered, 0))
        except Exception as exc:  # a damaged part python-pptx only meets while walking it
            raise damaged(exc) from None
        if progress is not None:
            progress(number, len(slides))  # outside the try: a cancel passes through as it is
    return DocumentText(passages=_passages(texts), kind="pptx", title=title, date=date, pages=len(slides))


def _shape_texts(shapes: Iterable[Any], depth: int) -> Iterator[str]:
    """The paragraphs of text frames and table cells, groups opened (speaker notes are not read)."""
    for shape in shapes:
        if getattr(shape, "shape_type", None) == 6 and depth < 10:  # MSO_SHAPE_TYPE.GROUP
            yield from _shape_texts(shape.shapes, depth + 1)
        elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            for p in shape.text_frame.paragraphs:
                yield p.text.replace("\v", " ")
        elif getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                for cell in row.cells:
                    if not cell.is_spanned:
                        for p in cell.text_frame.paragraphs:
                            yield p.text.replace("\v", " ")


# --------------------------------------------------------------------------------------------------
# HTML

_SKIPPED = frozenset({"script", "style", "nav", "footer", "noscript", "template", "svg", "iframe", "head",
                      "object", "select", "button"})
_BLOCKS = frozenset({"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "td",
                     "th", "tr", "table", "thead", "tbody", "tfoot", "caption", "section", "article", "main",
                     "header", "aside", "blockquote", "pre", "figure", "figcaption", "address", "br", "hr",
                     "form", "fieldset", "legend", "details", "summary", "body", "html", "label", "option"})
_HEADINGS = frozenset({"h1", "h2", "h3"})
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "track",
                   "wbr", "param"})
_DATE_META = ("article:published_time", "date", "dc.date", "dcterms.date", "dc.date.issued", "datepublished",
              "og:published_time", "article:modified_time")


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[tuple[str, int | None, str | None]] = []
        self.heading: str | None = None
        self.title: str | None = None
        self.dates: dict[str, str] = {}
        self._buf: list[str] = []
        self._skip: list[str] = []  # open skipped elements (their text is not read)
        self._in_title = False
        self._title_buf: list[str] = []
        self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            a = {k.lower(): (v or "") for k, v in attrs}
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key in _DATE_META and a.get("content"):
                self.dates.setdefault(key, a["content"])
            return
        if tag == "title" and not self._skip_body():
            self._in_title = True
            return
        if tag in _SKIPPED and tag != "head":
            if tag not in _VOID:
                self._skip.append(tag)
            return
        if tag in _BLOCKS:
            self._flush()
            if tag in _HEADINGS:
                self._in_heading = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
            return
        if self._skip:
            if tag in self._skip:
                while self._skip and self._skip.pop() != tag:
                    pass
            return
        if tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title_buf.append(data)
        elif not self._skip:
            self._buf.append(data)

    def _skip_body(self) -> bool:
        return bool(self._skip)

    def _flush(self) -> None:
        text = " ".join("".join(self._buf).split())
        self._buf.clear()
        if self._in_heading:
            self._in_heading = False
            if text:
                self.heading = text
        if text:
            self.texts.append((text, None, self.heading))

    def close(self) -> None:
        super().close()
        self._flush()
        self.title = " ".join("".join(self._title_buf).split()) or None


def _html_charset(raw: bytes) -> str | None:
    """The charset a byte-order mark or a <meta> in the first 4 KB declares (Latin-1 read as Windows-1252,
    as browsers do); None when none is declared or the name is unknown."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = raw[:4096].decode("latin-1")
    m = re.search(r"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", head, re.IGNORECASE)
    if m is None:
        return None
    try:
        name = codecs.lookup(m[1]).name
    except LookupError:
        return None
    if name in ("latin-1", "iso8859-1", "ascii", "us-ascii"):
        return "cp1252"
    return "utf-8" if name.startswith("utf-16") else name  # a <meta> that says UTF-16 in 8-bit text is wrong


_HTML_CHUNK = 256 * 1024
_MB = 1024 * 1024
#: A "<" that no ">" closes before the next "<" (or the end) opens no tag: text, as a browser reads it.
_STRAY_LT = re.compile(r"<(?=[^<>]*+(?:<|\Z))|<(?=!\[)")


def _defuse_html(text: str) -> str:
    """``text`` without comments and with every "<" that opens no complete tag written as "&lt;".

    The standard library's parser rescans to the end of the input for each tag it cannot finish
    (24 KB of "<a " took 30 s, 120 KB about 13 minutes); after this, each tag it meets
    ends at the next ">", so parsing takes time in proportion to the page. An unclosed comment hides
    the rest of the page, as in a browser; a CDATA section is text.
    """
    out: list[str] = []
    i = 0
    while (j := text.find("<!--", i)) >= 0:
        out.append(text[i:j])
        k = text.find("-->", j + 4)
        i = len(text) if k < 0 else k + 3
    out.append(text[i:])
    return _STRAY_LT.sub("&lt;", "".join(out))


def _html_text(text: str, progress: Progress | None = None) -> _HtmlText:
    """The page parsed in chunks of ``_HTML_CHUNK`` characters, ``progress`` called after each (the
    parser reads about 1 MB a second: a big page can be cancelled)."""
    parser = _HtmlText()
    text = _defuse_html(text)
    chunks = max(1, -(-len(text) // _HTML_CHUNK))
    for n in range(chunks):
        parser.feed(text[n * _HTML_CHUNK:(n + 1) * _HTML_CHUNK])
        if progress is not None:
            progress(n + 1, chunks)
    parser.close()
    return parser


def _html_date(parser: _HtmlText) -> str | None:
    for key in _DATE_META:
        if key in parser.dates and (d := _iso_date(parser.dates[key])):
            return d
    return None


def _read_html(raw: bytes, path: Path, progress: Progress | None) -> DocumentText:
    if len(raw) > MAX_HTML_BYTES:
        raise DocumentError(path, f"an HTML page of {len(raw) / _MB:.1f} MB; a page may be at most "
                                  f"{MAX_HTML_BYTES / _MB:.1f} MB (save it as 'HTML only', or print it to PDF)")
    charset = _html_charset(raw)
    notes: list[str] = []
    if charset is not None:
        text = raw.decode(charset, errors="replace")
        if "\ufffd" in text and charset not in ("utf-8-sig", "utf-16"):
            notes.append(f"some bytes are not {charset} as the page declares; they read as \ufffd")
    else:
        try:
            text = files.decode_text(raw, path)
        except files.FileProblem:
            text = raw.decode("cp1252", errors="replace")  # what browsers assume for an undeclared page
            notes.append("the page declares no character set and is not UTF-8; read as Windows-1252")
    parser = _html_text(text, progress)
    return DocumentText(passages=_passages(parser.texts), kind="html", title=parser.title, date=_html_date(parser),
                        notes=tuple(notes))


# --------------------------------------------------------------------------------------------------
# TXT / Markdown

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_MD_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
# Inline markup, each bounded (no "[" inside link text, at most 200 characters emphasised): an
# unbounded lazy match rescans the rest of the line for every "*" or "[" (60 KB of "*a " took 44 s).
_MD_IMAGE = re.compile(r"!\[[^\[\]]{0,500}\]\([^()]{0,2000}\)")
_MD_LINK = re.compile(r"\[([^\[\]]{1,500})\]\([^()]{0,2000}\)")
_MD_EMPHASIS = re.compile(r"(?<![\w*_])(\*{1,3}|_{1,3})(?=\S)(.{1,200}?)(?<=\S)\1(?![\w*_])")


def _markdown_inline(text: str) -> str:
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = text.replace("`", "")
    return _MD_EMPHASIS.sub(r"\2", text)


def _text_passages(text: str, *, markdown: bool, location: str | None = None) -> list[tuple[str, int | None,
                                                                                          str | None]]:
    """Paragraphs (blank-line separated; hard line breaks joined, list items apart); Markdown headings
    become passages and the location of what follows, code blocks are left out, table cells are apart."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[tuple[str, int | None, str | None]] = []
    heading = location
    para: list[str] = []

    def flush() -> None:
        if para:
            for item in join_pdf_lines("\n".join(para)).split("\n"):
                out.append((_markdown_inline(item) if markdown else item, None, heading))
            para.clear()

    in_fence = False
    for i, line in enumerate(lines):
        if markdown:
            if _MD_FENCE.match(line):
                flush()
                in_fence = not in_fence
                continue
            if in_fence:
                continue
            m = _MD_HEADING.match(line)
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if m is None and line.strip() and len(para) == 0 and _MD_SETEXT.match(nxt) and not LIST_ITEM.match(line):
                m = re.match(r"()(.*)", line.strip())
                level = 1
            elif m is not None:
                level = len(m[1])
            if m is not None:
                flush()
                text_h = _markdown_inline(m[2]).strip()
                if level <= 3 and text_h:
                    heading = text_h
                out.append((text_h, None, heading))
                continue
            if _MD_SETEXT.match(line) and not para:
                continue  # the underline of a setext heading (or a rule)
            if line.lstrip().startswith("|"):
                flush()
                cells = [c for c in line.strip().strip("|").split("|") if c.strip(" :-")]
                out.extend((_markdown_inline(c), None, heading) for c in cells)
                continue
            if line.lstrip().startswith(">"):
                line = line.lstrip()[1:]
        if not line.strip():
            flush()
        else:
            para.append(line)
    flush()
    return out


def _read_text(raw: bytes, path: Path, *, markdown: bool) -> DocumentText:
    if len(raw) > MAX_DOCUMENT_CHARS:  # UTF-8: at least one byte a character, so fewer bytes cannot be too much
        raise DocumentError(path, _too_much_text(f"{len(raw) / _MB:.1f} MB of text"))
    try:
        text = files.decode_text(raw, path)
    except files.FileProblem as exc:
        raise DocumentError(path, exc.reason) from None
    return DocumentText(passages=_passages(_text_passages(text, markdown=markdown)), kind="text")


# --------------------------------------------------------------------------------------------------
# E-mail


#: The headers the reader parses (of the message and of each part), and how long one may be: Python's
#: header parser takes time in the square of a header's length (40 KB of quotes: 17 s) and recurses
#: on nested comments. Address headers (From, To, Cc) are never parsed, so a long list of recipients
#: is fine.
_PARSED_HEADERS = re.compile(rb"^(subject|date|content-type|content-disposition|content-transfer-encoding)[ \t]*:"
                             rb"((?:[^\r\n]*)(?:\r?\n[ \t][^\r\n]*)*)", re.IGNORECASE | re.MULTILINE)
MAX_HEADER_CHARS = 8 * 1024


def _read_eml(raw: bytes, path: Path) -> DocumentText:
    for m in _PARSED_HEADERS.finditer(raw):
        if len(m[2]) > MAX_HEADER_CHARS:
            name = m[1].decode("ascii", "replace")
            raise DocumentError(path, f"not an e-mail the finder reads: a {name} header of {len(m[2]):,} characters "
                                      f"(at most {MAX_HEADER_CHARS:,})")
    try:
        return _parse_eml(raw, path)
    except UserError:
        raise
    except Exception as exc:  # RecursionError too; the parsers are lenient; anything they still raise: a broken mail
        raise DocumentError(path, f"not a readable e-mail ({exc_words(exc)})") from None


def _parse_eml(raw: bytes, path: Path) -> DocumentText:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    names = {k.lower() for k in msg}  # names only: From and To are never parsed
    if not isinstance(msg, EmailMessage) or not names & {"from", "subject", "date"}:
        raise DocumentError(path, "not an e-mail: it has no From, Subject or Date header")
    where = "e-mail body"
    try:
        subject = " ".join(str(msg.get("Subject", "")).split()) or None
    except Exception:  # a malformed encoded word in the header
        subject = None
    date = None
    try:
        if "date" in names:
            date = _iso_date(email.utils.parsedate_to_datetime(str(msg["Date"])))
    except (TypeError, ValueError, IndexError):
        date = None
    notes: list[str] = []
    body = msg.get_body(preferencelist=("plain", "html"))
    texts: list[tuple[str, int | None, str | None]] = []
    if body is not None:
        try:
            content = body.get_content()
        except (LookupError, UnicodeError, ValueError, AssertionError, KeyError):
            payload = body.get_payload(decode=True)
            content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
            notes.append("the body's character set is unknown or wrong; read as UTF-8")
        if not isinstance(content, str):
            content = ""
        if body.get_content_subtype() == "html":
            if len(content) > MAX_HTML_BYTES:
                raise DocumentError(path, f"an HTML body of {len(content) / _MB:.1f} MB; at most "
                                          f"{MAX_HTML_BYTES / _MB:.1f} MB is read")
            texts = [(t, None, where) for t, _, _ in _html_text(content).texts]
        else:
            texts = _text_passages(content, markdown=False, location=where)
    attached = [part.get_filename() for part in msg.iter_attachments() if part.get_filename()]
    if attached:
        notes.append("attachments not read (open each on its own): " + ", ".join(str(a) for a in attached))
    passages = _passages(texts)
    if not passages:
        raise DocumentError(path, "the e-mail has no text body to read" + (
            f" (its attachments: {', '.join(str(a) for a in attached)}; open each on its own)" if attached else ""))
    return DocumentText(passages=passages, kind="eml", title=subject, date=date, notes=tuple(notes))
