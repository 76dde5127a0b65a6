"""The claim finder's labelled corpus: read the specs (``*.toml`` beside this file) and render them.

Each spec is one vendor document written to resemble a real one (a deck, a data sheet, a web page, an
e-mail, a white paper, a press release): its ``format``, ``title``, ``date``, ``split`` ("tune" — used
while writing the rules — or "held_out" — only measured), and its pages (PDF), slides (PPTX) or
sections (the rest), each with a list of sentences labelled ``is_claim`` and, for claims, ``kind``. A
sentence's page is the number of the page or slide it stands on.

``load_specs()`` reads them; ``spec_passages(spec)`` gives the finder's input straight from a spec
(one ``Passage`` per sentence, page/location as the reader gives them); ``build(spec, folder)`` and
``build_all(folder)`` render each spec into its real format (reportlab PDF with one spec page per PDF
page, python-docx, python-pptx, HTML, .eml, .txt) for the end-to-end benchmark and the reader's tests.

    python tests/data/claim_corpus/build.py OUT_DIR
"""

from __future__ import annotations

import datetime as dt
import html
import sys
import tomllib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from vendoreval.domain.passages import Passage

HERE = Path(__file__).resolve().parent
FORMATS = {"pdf": "pages", "pptx": "slides", "docx": "sections", "html": "sections", "eml": "sections",
           "txt": "sections"}
SUFFIX = {"pdf": ".pdf", "pptx": ".pptx", "docx": ".docx", "html": ".html", "eml": ".eml", "txt": ".txt"}


@dataclass(frozen=True)
class Label:
    """One sentence of a spec and what it is."""

    text: str
    is_claim: bool
    kind: str | None
    page: int | None  # the PDF page or PPTX slide it stands on; None for the unpaged formats
    location: str | None  # "slide 3" (PPTX) or the section heading (DOCX, HTML, e-mail, text)
    role: str  # "title", "bullet" or "text"


@dataclass(frozen=True)
class Unit:
    """A page, slide or section of a spec."""

    number: int
    heading: str | None
    labels: tuple[Label, ...]


@dataclass(frozen=True)
class Spec:
    """One document of the corpus."""

    name: str
    format: str
    title: str
    date: str
    split: str
    units: tuple[Unit, ...]
    sender: str = "sales@vendor.example"
    to: str = "buyer@customer.example"

    @property
    def labels(self) -> list[Label]:
        return [label for unit in self.units for label in unit.labels]


def load_spec(path: Path) -> Spec:
    """A spec file; ValueError naming the file and sentence when a label is incomplete."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    fmt = data["format"]
    key = FORMATS[fmt]
    units = []
    for number, raw in enumerate(data[key], start=1):
        heading = raw.get("heading")
        labels = []
        for item in raw["sentences"]:
            is_claim = bool(item["is_claim"])
            kind = item.get("kind")
            if is_claim != (kind is not None):
                raise ValueError(f"{path.name}: {item['text']!r}: a claim needs a kind, a non-claim has none")
            if fmt == "pdf":
                page, location = number, None
            elif fmt == "pptx":
                page, location = None, f"slide {number}"
            else:
                page, location = None, heading
            labels.append(Label(item["text"], is_claim, kind, page, location, item.get("role", "text")))
        units.append(Unit(number, heading, tuple(labels)))
    split = data.get("split", "tune")
    if split not in ("tune", "held_out"):
        raise ValueError(f"{path.name}: split is 'tune' or 'held_out', not {split!r}")
    return Spec(path.stem, fmt, data["title"], data["date"], split, tuple(units),
                data.get("sender", "sales@vendor.example"), data.get("to", "buyer@customer.example"))


def load_specs(folder: Path = HERE) -> list[Spec]:
    """Every spec of the corpus, by file name."""
    return [load_spec(p) for p in sorted(folder.glob("*.toml"))]


def spec_passages(spec: Spec) -> list[Passage]:
    """The finder's input for a spec: one passage per sentence, located as the reader locates it."""
    return [Passage(label.text, page=label.page, location=label.location) for label in spec.labels]


# --- rendering ----------------------------------------------------------------------------------

def _date(spec: Spec) -> dt.datetime:
    return dt.datetime.fromisoformat(spec.date).replace(hour=9, tzinfo=dt.UTC)


def _pdf(spec: Spec, path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    story: list[object] = []
    for i, unit in enumerate(spec.units):
        if i:
            story.append(PageBreak())
        for label in unit.labels:
            style = styles["Heading1"] if label.role == "title" else styles["BodyText"]
            story.append(Paragraph(html.escape(label.text), style))
            story.append(Spacer(1, 4))
    doc = SimpleDocTemplate(str(path), pagesize=A4, title=spec.title, author="Vendor", invariant=True)
    doc.build(story)  # type: ignore[arg-type]


def _docx(spec: Spec, path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = spec.title
    document.core_properties.created = _date(spec).replace(tzinfo=None)
    document.add_heading(spec.title, level=0)
    for unit in spec.units:
        if unit.heading:
            document.add_heading(unit.heading, level=1)
        for label in unit.labels:
            style = "List Bullet" if label.role == "bullet" else None
            document.add_paragraph(label.text, style=style)
    document.save(str(path))


def _pptx(spec: Spec, path: Path) -> None:
    from pptx import Presentation

    deck = Presentation()
    deck.core_properties.title = spec.title
    deck.core_properties.created = _date(spec).replace(tzinfo=None)
    layout = deck.slide_layouts[1]  # title and content
    for unit in spec.units:
        slide = deck.slides.add_slide(layout)
        titles = [label for label in unit.labels if label.role == "title"]
        rest = [label for label in unit.labels if label.role != "title"]
        slide.shapes.title.text = titles[0].text if titles else ""
        body = slide.placeholders[1].text_frame
        for j, label in enumerate(rest):
            paragraph = body.paragraphs[0] if j == 0 else body.add_paragraph()
            paragraph.text = label.text
    deck.save(str(path))


def _html(spec: Spec, path: Path) -> None:
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>{html.escape(spec.title)}</title>",
             f'<meta name="date" content="{spec.date}">', "</head><body>"]
    for unit in spec.units:
        tag = {"navigation": "nav", "footer": "footer"}.get(unit.heading or "", "section")
        parts.append(f"<{tag}>")
        if tag == "section" and unit.heading:
            parts.append(f"<h2>{html.escape(unit.heading)}</h2>")
        for label in unit.labels:
            parts.append(f"<p>{html.escape(label.text)}</p>")
        parts.append(f"</{tag}>")
    parts.append("</body></html>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def _eml(spec: Spec, path: Path) -> None:
    message = EmailMessage()
    message["Subject"] = spec.title
    message["From"] = spec.sender
    message["To"] = spec.to
    message["Date"] = format_datetime(_date(spec))
    body = "\n\n".join(label.text for label in spec.labels)
    message.set_content(body + "\n")
    path.write_bytes(bytes(message))


def _txt(spec: Spec, path: Path) -> None:
    lines: list[str] = []
    for unit in spec.units:
        if unit.heading:
            lines += [f"# {unit.heading}", ""]
        for label in unit.labels:
            lines += [label.text, ""]
    path.write_text("\n".join(lines), encoding="utf-8")


_RENDER = {"pdf": _pdf, "docx": _docx, "pptx": _pptx, "html": _html, "eml": _eml, "txt": _txt}


def build(spec: Spec, folder: Path) -> Path:
    """Render one spec into ``folder`` in its own format; the path written."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{spec.name}{SUFFIX[spec.format]}"
    _RENDER[spec.format](spec, path)
    return path


def build_all(folder: Path) -> dict[str, Path]:
    """Render every spec; spec name → file."""
    return {spec.name: build(spec, folder) for spec in load_specs()}


if __name__ == "__main__":  # pragma: no cover - a developer's tool
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "claim-corpus")
    for name, written in build_all(out).items():
        print(f"{name}: {written}")
