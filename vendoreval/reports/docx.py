"""The board pack as a Word document (python-docx), for a company secretary's board template.

Built from the same pure view-model as the PDF (``brief_data.BriefData``): the cover's document control,
the draft resolution, the recommendation, the ranking with cost, the numbered conditions, how sure, the
comparison, the risk register and the glossary. Nothing is computed here; only laid out. The text is the
user's, put in runs (python-docx escapes it), so markup in a vendor's name is printed, never interpreted.
A DOCX is not verified (`brief --verify` works on the PDFs).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from .brief_data import HOW_SURE_HEADER, BriefData, how_sure_table, knockout_notes
from .pdf import MAX_PACK_VENDORS, gap_text, rest_in_annex

MAX_DOCX_RISKS = 12


def _clean(text: object) -> str:
    """Text Word accepts: XML-illegal control characters dropped."""
    s = "" if text is None else str(text)
    return "".join(ch for ch in s if ch in "\t\n" or ord(ch) >= 32)


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}"


def _table(doc: Any, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(_clean(text)).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = _clean(value)


def render_docx(data: BriefData, out: IO[bytes]) -> int:
    """Write the board pack of ``data`` as DOCX to ``out``; returns the number of tables written."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.styles["Normal"].font.size = Pt(10.5)
    core = doc.core_properties
    core.title = _clean(data.cover.title)
    core.subject = "Board paper"
    core.keywords = f"vendoreval brief fingerprint {data.fingerprint}"
    c = data.cover
    if c.organisation:
        doc.add_paragraph(_clean(c.organisation))
    doc.add_heading(_clean(c.title), level=0)
    doc.add_paragraph("Board paper")
    if c.control:
        _table(doc, ["Document control", ""], [(label, value) for label, value in c.control])
    if c.law:
        doc.add_paragraph(_clean(c.law))
    doc.add_paragraph(_clean(c.confidentiality.upper()))

    doc.add_heading("Executive summary", level=1)
    if data.resolution:
        doc.add_heading("Draft resolution", level=2)
        doc.add_paragraph(_clean(data.resolution))
    s = data.summary
    doc.add_heading("Decision asked of the board", level=2)
    doc.add_paragraph(_clean(s.decision_asked))
    doc.add_heading("Recommendation", level=2)
    doc.add_paragraph(_clean(s.recommendation.text))
    doc.add_heading("Ranking", level=2)
    costs = any(r.cost for r in s.ranking)
    marks, notes = knockout_notes(s.ranking)
    _table(doc, ["#", "Vendor", "Evidence-weighted", "Claimed", "Gap", *(["Total cost (term)"] if costs else []),
                 "Knocked out by"],
           [(r.rank, r.vendor, _num(r.score), _num(r.claimed), gap_text(r.claimed, r.score),
             *([r.cost or "—"] if costs else []), marks.get(r.vendor, "—"))
            for r in s.ranking])
    for letter, vendor, reasons in notes:
        doc.add_paragraph(_clean(f"{letter} {vendor} is knocked out: {reasons}"))
    doc.add_heading("Top risks", level=2)
    for text in s.risks or ("No risk stands out in the data.",):
        doc.add_paragraph(_clean(text), style="List Bullet")
    doc.add_heading("Conditions to negotiate", level=2)
    if data.conditions:
        for row in data.conditions:
            extra = f" ({row.positions})" if row.positions else ""
            owner = f" — owner: {row.owner}" if row.owner else ""
            doc.add_paragraph(_clean(f"{row.number}. {row.text}{extra}{owner}"))
    else:
        doc.add_paragraph("No conditions follow from the data.")
    if data.how_sure is not None:
        doc.add_heading("How sure", level=2)
        table = how_sure_table(data.how_sure)
        if table is not None:  # the PDF's table: its columns, its words ('First place changes?' 'No')
            cols, cells = table
            _table(doc, [HOW_SURE_HEADER[i] for i in cols], cells)
        doc.add_paragraph().add_run(_clean(data.how_sure.sentence)).bold = True
        if data.how_sure.reasons:
            doc.add_heading(_clean(data.how_sure.reasons_title), level=3)
            for text in data.how_sure.reasons:
                doc.add_paragraph(_clean(text), style="List Bullet")

    comp = data.comparison
    doc.add_heading("Comparison", level=1)
    doc.add_paragraph("Scores out of 100; area columns are evidence-weighted.")
    shown = comp.rows[:MAX_PACK_VENDORS]  # as in the PDF pack: the top of the ranking; the annex has them all
    _table(doc, ["#", "Vendor", "Overall", "Claimed", *[a.title for a in comp.areas]],
           [(r.rank, r.vendor, _num(r.score), _num(r.claimed), *[_num(x) for x in r.areas]) for r in shown])
    if len(comp.rows) > len(shown):
        doc.add_paragraph(rest_in_annex(len(shown), len(comp.rows)))
    chart = data.cost_chart
    if chart is not None and chart.charts:
        # the PDF's chart as its points: a table reads in any board template (no picture to redraw)
        doc.add_heading("Score against total cost", level=2)
        doc.add_paragraph("Each currency apart (never converted), cheapest first: a higher evidence-weighted score "
                          "for a lower total cost over the term is better.")
        for panel in chart.charts:
            _table(doc, ["Vendor", f"Total cost over the term ({panel.label})", "Evidence-weighted score",
                         "Knocked out"],
                   [(p.name, p.cost_text, _num(p.score), "yes" if p.knocked_out else "—") for p in panel.points])
        for note in chart.notes():
            doc.add_paragraph(_clean(note))

    doc.add_heading("Risks and conditions", level=1)
    if data.risk_register:
        _table(doc, ["Vendor", "Risk and cause", "Impact × likelihood", "Owner", "Mitigation", "Residual"],
               [(r.vendor, f"{r.named}: {r.cause}", r.rating, r.owner, r.mitigation or "—", r.residual or "—")
                for r in data.risk_register[:MAX_DOCX_RISKS]])
        if len(data.risk_register) > MAX_DOCX_RISKS:
            doc.add_paragraph(f"…and {len(data.risk_register) - MAX_DOCX_RISKS} more risks in the annex.")
    else:
        doc.add_paragraph("No risks derived from the data.")

    if data.glossary:
        doc.add_heading("Glossary", level=1)
        _table(doc, ["Term", "Meaning"], data.glossary)
    doc.add_paragraph(_clean(f"Data fingerprint (SHA-256): {data.fingerprint}"))
    doc.save(out)
    return len(doc.tables)
