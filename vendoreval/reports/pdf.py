"""Render a BriefData to PDF with reportlab platypus: byte-reproducible, every font embedded, user text escaped.

Reproducibility: the canvas runs in invariant mode, its timestamp is the brief's date (midnight UTC),
and nothing depends on the clock, the host or dict order.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFInfo, PDFString
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepInFrame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .. import files
from ..domain.scoring import score_gap
from ..domain.text import plural
from ..domain.verdict import Duty
from . import charts, fonts
from .brief_data import (
    HOW_SURE_HEADER,
    MAX_LOGO_BYTES,
    BriefData,
    ClaimLine,
    ConditionRow,
    RankRow,
    RiskLine,
    how_sure_table,
    knockout_notes,
)

#: The parts a brief's PDF can hold: the board pack, the annex, or the pack followed by the annex.
PACK = "pack"
ANNEX = "annex"
WHOLE = "pack+annex"
PARTS = (PACK, ANNEX, WHOLE)

#: The PDF info key that marks a file as a vendoreval brief and carries what --verify needs.
INFO_KEY = "VendorevalBrief"
KEYWORD_PREFIX = "vendoreval-brief fingerprint="

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
BODY_W = PAGE_W - 2 * MARGIN
ACCENT = colors.HexColor("#1f4e79")
LIGHT = colors.HexColor("#eef2f7")
RULE = colors.HexColor("#c8d0da")
RED = colors.HexColor("#b03a2e")


#: Headings are not keepWithNext (reportlab would then keep a heading and a whole table together and move
#: both to the next page, leaving the rest of this one empty): each is preceded by a CondPageBreak of
#: HEADING_ROOM instead, so a heading never ends a page but a long table still starts under it.
HEADING_ROOM = 25 * mm

#: The smallest sizes the brief uses: running text, and text in tables (tests read these).
MIN_BODY_PT = 10.0
#: The pack's comparison table holds this many vendors side by side; more go into a second table.
VENDORS_PER_TABLE = 5
#: The pack's comparison shows the top of the ranking (two tables); the annex has every vendor.
MAX_PACK_VENDORS = 10
#: A chart of one bar pair per vendor shows at most this many (a page holds about 28).
CHART_VENDORS = 20
#: The chart by area (four areas in two columns of one bar per vendor each) fits a page with this many.
AREA_CHART_VENDORS = 12
#: The pack's risk table lists at most this many rows of the register (the annex has them all).
MAX_PACK_RISKS = 6
MIN_TABLE_PT = 8.0
CELL_PT = 8.5
#: The height of the score-against-cost chart (one currency).
COST_CHART_H = 55 * mm
#: The body frame's height (every page).
FRAME_H = PAGE_H - 2 * MARGIN


def rest_in_annex(shown: int, total: int) -> str:
    """Under the pack's comparison when it shows only the top of the ranking (the PDF's and the DOCX's)."""
    return (f"The {shown} highest-ranked vendors; the other {plural(total - shown, 'vendor')} are in the "
            "annex's comparison in full.")


def _styles() -> dict[str, ParagraphStyle]:
    # allowWidows=0: a paragraph's last line never starts a page on its own
    base = ParagraphStyle("body", fontName=fonts.LATIN, bulletFontName=fonts.LATIN, fontSize=10, leading=13.2,
                          spaceAfter=3)
    grey = colors.HexColor("#555555")
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=10, leading=12.6, textColor=grey),
        "cell": ParagraphStyle("cell", parent=base, fontSize=CELL_PT, leading=10.4, spaceAfter=0),
        "cellko": ParagraphStyle("cellko", parent=base, fontName=fonts.LATIN_BOLD, fontSize=CELL_PT, leading=10.4,
                                 spaceAfter=0, textColor=RED),
        "small_muted": ParagraphStyle("small_muted", parent=base, fontSize=8, leading=9.6, spaceAfter=0,
                                      textColor=colors.HexColor("#666666")),
        "cellb": ParagraphStyle("cellb", parent=base, fontName=fonts.LATIN_BOLD, fontSize=CELL_PT, leading=10.4,
                                spaceAfter=0),
        "head": ParagraphStyle("head", parent=base, fontName=fonts.LATIN_BOLD, fontSize=8, leading=9.6,
                               textColor=colors.white, spaceAfter=0),
        "h1": ParagraphStyle("h1", parent=base, fontName=fonts.LATIN_BOLD, fontSize=16, leading=20,
                             spaceBefore=0, spaceAfter=8, textColor=ACCENT),
        "h2": ParagraphStyle("h2", parent=base, fontName=fonts.LATIN_BOLD, fontSize=12.5, leading=15,
                             spaceBefore=8, spaceAfter=4, textColor=ACCENT),
        "section": ParagraphStyle("section", parent=base, fontSize=10, leading=12, spaceAfter=2,
                                  textColor=colors.HexColor("#666666")),
        "h3": ParagraphStyle("h3", parent=base, fontName=fonts.LATIN_BOLD, fontSize=10.5, leading=13,
                             spaceBefore=6, spaceAfter=2),
        "rec": ParagraphStyle("rec", parent=base, fontName=fonts.LATIN_BOLD, fontSize=11, leading=14,
                              textColor=ACCENT),
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=10, bulletIndent=0, spaceAfter=2),
        "cover_org": ParagraphStyle("cover_org", parent=base, fontSize=14, leading=18, alignment=TA_CENTER,
                                    textColor=colors.HexColor("#444444")),
        "cover_title": ParagraphStyle("cover_title", parent=base, fontName=fonts.LATIN_BOLD, fontSize=26,
                                      leading=32, alignment=TA_CENTER, textColor=ACCENT),
        "cover_line": ParagraphStyle("cover_line", parent=base, fontSize=12, leading=16, alignment=TA_CENTER),
        "cover_line_small": ParagraphStyle("cover_line_small", parent=base, fontSize=10, leading=13,
                                           alignment=TA_CENTER),
        "cover_conf": ParagraphStyle("cover_conf", parent=base, fontName=fonts.LATIN_BOLD, fontSize=11,
                                     leading=14, alignment=TA_CENTER, textColor=RED),
    }


def _ask_styles(base: ParagraphStyle) -> dict[str, ParagraphStyle]:
    """The styles of the document-control box, the draft resolution and the numbered conditions."""
    return {
        "numbered": ParagraphStyle("numbered", parent=base, leftIndent=14, bulletIndent=0, spaceAfter=2),
        "resolution": ParagraphStyle("resolution", parent=base, fontSize=10.5, leading=14, spaceAfter=0),
        "control_label": ParagraphStyle("control_label", parent=base, fontName=fonts.LATIN_BOLD, fontSize=10,
                                        leading=13, spaceAfter=0, textColor=ACCENT),
        "control_value": ParagraphStyle("control_value", parent=base, fontSize=10, leading=13, spaceAfter=0),
    }


class _Brief:
    """Builds the flowables for one brief."""

    def __init__(self, data: BriefData) -> None:
        self.data = data
        self.s = _styles()
        self._chart_in_pack: bool | None = None

    # --- helpers ------------------------------------------------------------------------------

    def p(self, text: str | None, style: str = "body", *, bold: bool = False, empty: str = "—",
          width: float | None = None) -> Paragraph:
        """A paragraph of user text: escaped, CJK runs in the CJK font, CJK lines broken anywhere.

        With ``width`` (the column's), a URL or file name wider than the column breaks after a '/', '.',
        '-' or '_' rather than mid-word.
        """
        st = self.s[style]
        if width is not None and text:
            text = break_long_tokens(fonts.clean(text), width - 7, st.fontSize, bold or "Bold" in st.fontName)
        if fonts.has_cjk(text):
            st = ParagraphStyle(st.name + "-cjk", parent=st, wordWrap="CJK")
        return Paragraph(fonts.markup(text, bold=bold, empty=empty), st)

    def heading(self, text: str, level: int = 0, style: str = "h1") -> Paragraph:
        """A heading that also becomes a PDF bookmark."""
        para = self.p(text, style)
        para._bookmark = (text, level)
        return para

    def bullets(self, items: Sequence[str], empty: str) -> list[Flowable]:
        """A bulleted list of user text, or one line saying there is nothing."""
        if not items:
            return [self.p(empty, "body")]
        return [Paragraph(fonts.markup(t), self.s["bullet"], bulletText="•") for t in items]

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float],
              extra: Sequence[tuple[Any, ...]] = (), head_size: float = 8.0) -> Table:
        """A table whose header row repeats when it breaks across pages; long cells wrap."""
        head_style = self.s["head"]
        if head_size != head_style.fontSize:
            head_style = ParagraphStyle("head-small", parent=head_style, fontSize=head_size, leading=head_size * 1.2)
        # a header word wider than its column breaks after a hyphen or slash, never mid-word where it has one
        head = [Paragraph(fonts.markup(break_long_tokens(fonts.clean(h), w - 6, head_size, bold=True)), head_style)
                for h, w in zip(header, widths, strict=True)]
        body = [[c if isinstance(c, Flowable | list) else self.cell(c, w) for c, w in zip(row, widths, strict=True)]
                for row in rows]
        # splitInRow: a cell taller than a page (a very long claim) continues on the next page
        t = Table([head, *body], colWidths=list(widths), repeatRows=1, splitInRow=1)
        t.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.LATIN),  # reportlab's default cell font is Helvetica
            ("FONTSIZE", (0, 0), (-1, -1), CELL_PT),
            ("LEADING", (0, 0), (-1, -1), 10.4),
            ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, LIGHT]),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            *extra,
        ]))
        return t

    def cell(self, value: Any, width: float) -> Any:
        """A table cell: Latin-only text is wrapped here and drawn as plain lines (no markup is parsed, and it
        is much faster than a Paragraph); anything else (CJK, missing glyphs, overlong words) is a Paragraph."""
        text = "" if value is None else fonts.clean(str(value))
        parts = fonts.runs(text)
        if not parts:
            return ""
        if len(parts) == 1 and parts[0].font == fonts.LATIN and not parts[0].missing:
            lines = _wrap_plain(text, width - 7)
            if lines is not None:
                # one line: a table string; more: one text object for the lot (a string cell draws each
                # line as a text object of its own)
                return lines if "\n" not in lines else _Lines([[(ln, fonts.LATIN)] for ln in lines.split("\n")])
        return self.p(text, "cell", empty="", width=width)

    def rich(self, paras: Sequence[Sequence[tuple[str, bool]]], width: float, style: str = "cell") -> Any:
        """A table cell of paragraphs of (text, bold) runs: plain lines (``_Lines``) when all of it is Latin,
        else Paragraphs (CJK runs in the CJK font, a missing glyph named)."""
        st = self.s[style]
        texts = [(fonts.clean(t), bold) for para in paras for t, bold in para]
        if all(self._latin(t, bold) for t, bold in texts):
            font = {False: fonts.LATIN, True: fonts.LATIN_BOLD}
            lines = wrap_segments([[(fonts.clean(t), font[bold]) for t, bold in para if t] for para in paras],
                                  width - 7, st.fontSize)
            return _Lines(lines, st.fontSize, st.leading, st.textColor)
        return [self.p(para[0][0], f"{style}b" if para[0][1] else style, width=width) if len(para) == 1
                else Paragraph(" ".join(fonts.markup(t, bold=bold, empty="") for t, bold in para if t), st)
                for para in paras]

    @staticmethod
    def _latin(text: str, bold: bool) -> bool:
        parts = fonts.runs(text, bold)
        return not parts or (len(parts) == 1 and parts[0].font in (fonts.LATIN, fonts.LATIN_BOLD)
                             and not parts[0].missing)

    def chunked(self, header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float],
                size: int = 30) -> list[Flowable]:
        """A long table as consecutive tables of ``size`` rows.

        reportlab re-lays out the rest of a table at every page break, which is quadratic in the rows;
        short tables keep a 2,500-row appendix linear. Each part repeats the header.
        """
        return [self.table(header, rows[i:i + size], widths) for i in range(0, len(rows), size)] or [
            self.table(header, [], widths)]

    @staticmethod
    def num(x: float | None, digits: int = 1) -> str:
        """A score for print ('—' when there is none)."""
        return "—" if x is None else f"{x:.{digits}f}"

    @staticmethod
    def pct(x: float | None) -> str:
        """A share as a whole percentage."""
        return "—" if x is None else f"{round(100 * x)}%"

    # --- sections -----------------------------------------------------------------------------

    def cover(self) -> list[Flowable]:
        """Logo, organisation, title, the document-control box, the law's date, confidentiality.

        The data fingerprint is not printed here: it is in every page's footer and in the PDF's metadata.
        """
        self.s.update(_ask_styles(self.s["body"]))
        c = self.data.cover
        out: list[Flowable] = [Spacer(1, 40 * mm)]
        if c.logo:
            logo = _logo(c.logo)
            if logo is not None:
                out += [logo, Spacer(1, 8 * mm)]
        if c.organisation:
            out += [self.p(c.organisation, "cover_org"), Spacer(1, 6 * mm)]
        title = self.p(c.title, "cover_title")
        title._bookmark = ("Cover", 0)
        out += [title, Spacer(1, 4 * mm), self.p("Board paper", "cover_line"), Spacer(1, 12 * mm)]
        if c.control:
            out.append(self.control_box(c.control))
        else:
            out.append(self.p(c.date, "cover_line"))
        if c.law:
            out += [Spacer(1, 6 * mm), self.p(c.law, "cover_line_small")]
        out += [Spacer(1, 22 * mm), self.p(c.confidentiality.upper(), "cover_conf")]
        return out

    def control_box(self, rows: Sequence[tuple[str, str]]) -> Table:
        """The document-control box: label and value per row, centred on the cover."""
        label_w, value_w = 38 * mm, 82 * mm
        body = [[self.p(label, "control_label"), self.p(value, "control_value")] for label, value in rows]
        t = Table(body, colWidths=[label_w, value_w], hAlign="CENTER")
        t.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.LATIN),  # reportlab's default cell font is Helvetica
            ("BOX", (0, 0), (-1, -1), 0.8, ACCENT),
            ("LINEBELOW", (0, 0), (-1, -2), 0.4, RULE),
            ("BACKGROUND", (0, 0), (0, -1), LIGHT),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
        ]))
        return t

    def summary(self) -> list[Flowable]:
        """The executive summary, kept on one page: the draft resolution first, one numbered list of conditions."""
        self.s.update(_ask_styles(self.s["body"]))
        s = self.data.summary
        rec = s.recommendation
        body: list[Flowable] = []
        if self.data.resolution:
            body += [self.p("Draft resolution", "h3"), self.resolution_box(self.data.resolution)]
        body += [
            self.p("Decision asked of the board", "h3"),
            self.p(s.decision_asked),
            self.p("Recommendation", "h3"),
            self.p(rec.text, "rec"),
        ]
        body.append(self.p("Ranking", "h3"))
        body.append(self.ranking_table(s.ranking, compact=True))
        body += self.knockout_notes(s.ranking)
        if s.more_vendors:
            body.append(self.p(f"…and {plural(s.more_vendors, 'more vendor')}: see the comparison.", "small"))
        body += [self.p("Top risks", "h3"), *self.bullets(s.risks, "No risk stands out in the data.")]
        body += [self.p("Conditions to negotiate", "h3"), *self.condition_list()]
        body += [self.p("How solid the ranking is", "h3"), *self.bullets(s.solidity, "—")]
        body += self.how_sure()
        frame_h = PAGE_H - 2 * MARGIN - 30 * mm
        return [self.heading("Executive summary"), KeepInFrame(BODY_W, frame_h, body, mode="shrink")]

    def how_sure(self) -> list[Flowable]:
        """'How sure': the ranking under other discounts, without each evaluator, with unscored criteria left
        out (scenario → who leads → does first place change), the sentence, and why the leader beats the next."""
        h = self.data.how_sure
        if h is None:
            return []
        out: list[Flowable] = [self.p("How sure", "h3")]
        table = how_sure_table(h)
        if table is not None:
            cols, cells = table
            widths = [BODY_W * 0.52, BODY_W * 0.24, BODY_W * 0.24]
            out.append(self.table([HOW_SURE_HEADER[i] for i in cols], cells, [widths[i] for i in cols], head_size=8))
            out.append(Spacer(1, 2 * mm))
        out.append(self.p(h.sentence, bold=True))
        if h.reasons:
            out += [self.p(h.reasons_title, "h3"), *self.bullets(h.reasons, "—")]
        return out

    def resolution_box(self, text: str) -> Table:
        """The draft resolution in a shaded box with an accent rule on its left."""
        t = Table([[self.p(text, "resolution")]], colWidths=[BODY_W])
        t.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.LATIN),
            ("BACKGROUND", (0, 0), (-1, -1), LIGHT),
            ("LINEBEFORE", (0, 0), (0, -1), 2.5, ACCENT),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]))
        return t

    def condition_list(self) -> list[Flowable]:
        """The conditions as one numbered list; a table when any has positions or an owner."""
        rows = self.data.conditions
        if not rows:
            return [self.p("No conditions follow from the data.", "body")]
        out: list[Flowable] = []
        if all(r.proposed for r in rows):
            out.append(self.p("Suggested by the evidence: no conditions are recorded for the recommended vendor yet.",
                              "small"))

        def what(r: ConditionRow) -> str:
            return r.text + (" (knock-out criterion)" if r.knockout else "")

        if any(r.positions or r.owner for r in rows):
            widths = [8 * mm, BODY_W - 92 * mm, 56 * mm, 28 * mm]
            out.append(self.table(["#", "Condition", "Now → target → walk-away", "Owner"],
                                  [[str(r.number), self.p(what(r), "cell"), self.p(r.positions or "—", "cell"),
                                    self.p(r.owner or "—", "cell")] for r in rows], widths))
        else:
            out += [Paragraph(fonts.markup(what(r)), self.s["numbered"], bulletText=f"{r.number}.") for r in rows]
        return out

    def ranking_table(self, rows: Sequence[RankRow], compact: bool = False) -> Table:
        """Rank, vendor, evidence-weighted and claimed scores, gap, knock-outs."""
        data = []
        extra: list[tuple[Any, ...]] = []
        costs = any(r.cost for r in rows)
        marks = knockout_notes(rows)[0]
        for i, r in enumerate(rows, start=1):
            ko = marks.get(r.vendor, "")
            data.append([str(r.rank), self.p(r.vendor, _name_style(r)), self.num(r.score), self.num(r.claimed),
                         gap_text(r.claimed, r.score), self.pct(r.stability),
                         *([self.p(r.cost or "—", "cell")] if costs else []), self.p(ko or "—", "cell")])
            if r.knocked_out:
                extra.append(("TEXTCOLOR", (0, i), (-1, i), RED))
        widths = [8 * mm, 46 * mm, 25 * mm, 16 * mm, 12 * mm, 16 * mm]
        header = ["#", "Vendor", "Evidence-weighted", "Claimed", "Gap", "Keeps rank"]
        if costs:  # the total over the term, in its own currency: a board weighs score against cost
            widths.append(27 * mm)
            header.append("Total cost (term)")
        widths.append(BODY_W - sum(widths))
        header.append("Knocked out by")
        last = len(header) - 1
        # columns that say the same for every vendor are left out: Keeps rank, Knocked out by
        same = {5: len({self.pct(r.stability) for r in rows}) <= 1, last: len({r.knocked_out for r in rows}) <= 1}
        keep = [i for i in range(len(header)) if not same.get(i, False)]
        if len(keep) < len(header):
            spare = sum(w for i, w in enumerate(widths) if i not in keep)
            widths = [w + (spare if i == 1 else 0) for i, w in enumerate(widths)]
            header, widths = [header[i] for i in keep], [widths[i] for i in keep]
            data = [[row[i] for i in keep] for row in data]
        return self.table(header, data, widths, extra)

    def knockout_notes(self, rows: Sequence[RankRow]) -> list[Flowable]:
        """One line under the ranking per knocked-out vendor: the letter of its mark, the vendor, the reasons."""
        notes = [[Paragraph(f"{fonts.markup(letter, bold=True)} {fonts.markup(vendor, bold=True)} is knocked out: "
                            f"{fonts.markup(reasons)}", self.s["small"])]
                 for letter, vendor, reasons in knockout_notes(rows)[1]]
        if not notes:
            return []
        # a one-column table as wide as the ranking, so the notes line up under it
        table = Table(notes, colWidths=[BODY_W])
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.LATIN),  # not reportlab's Helvetica
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
        return [Spacer(1, 1.5 * mm), table]

    def why_in_words(self) -> list[Flowable]:
        """Each vendor's use case and expected benefit, the claim the benefit rests on, and whether the vendors
        are real alternatives."""
        cases = self.data.cases
        if not cases:
            return []
        out: list[Flowable] = [CondPageBreak(50 * mm), self.heading("Why, in words", 1, "h2")]
        if self.data.alternatives:
            out.append(self.p(self.data.alternatives, "body"))
        rows = []
        for c in cases:
            want = fonts.markup(c.use_case, empty="No use case recorded")
            if c.benefit:
                want += f"<br/>{fonts.markup('Expected benefit:', bold=True)} {fonts.markup(c.benefit)}"
            if c.rests_on is not None:
                basis = Paragraph(f"“{fonts.markup(c.rests_on.text)}”<br/>{fonts.markup(c.rests_on.status)}; "
                                  f"{fonts.markup(c.rests_on.source)}", self.s["cell"])
            else:
                basis = self.p("No claim chosen" if c.benefit else "—", "cell")
            rows.append([c.vendor, c.category or "—", Paragraph(want, self.s["cell"]), basis])
        widths = [34 * mm, 30 * mm, 60 * mm, BODY_W - 124 * mm]
        out += self.chunked(["Vendor", "Category", "Use case and expected benefit", "The benefit rests on"], rows,
                            widths)
        return out

    def comparison(self) -> list[Flowable]:
        """The comparison on one page: a table of areas by vendor, labelled bars (overall, per area), and the
        score against total cost when the page has room for it (else that chart opens the annex)."""
        out = self._comparison()
        if self.cost_chart_in_pack():
            out += self.cost_section()
        return out

    def cost_chart_in_pack(self) -> bool:
        """Whether the score-against-cost chart goes on the pack's comparison page: only when the page, chart
        included, still fits one page (the pack keeps its five pages). Decided from the data alone, so the
        pack and the annex, rendered apart, agree on where the chart is."""
        if self._chart_in_pack is None:
            section = self.cost_section()
            self._chart_in_pack = bool(section) and _fits_one_page([*self._comparison()[1:], *section])
        return self._chart_in_pack

    def cost_section(self) -> list[Flowable]:
        """'Score against total cost': one chart per currency (never converted), and what is not on it."""
        chart = self.data.cost_chart
        if chart is None or not chart.charts:
            return []
        n = len(chart.charts)
        cols = 1 if n == 1 else 2
        w = BODY_W / cols
        height = COST_CHART_H if n == 1 else COST_CHART_H * 0.85
        drawings = [charts.cost_scatter(c, w, height, chart.any_knocked_out) for c in chart.charts]
        out: list[Flowable] = [
            CondPageBreak(COST_CHART_H + 16 * mm), self.heading("Score against total cost", 1, "h2"),
            self.p("Up and to the left is better: more evidence-weighted score for less total cost over the term.",
                   "small")]
        if cols == 1:
            out.append(drawings[0])
        else:
            grid = [drawings[i:i + cols] + [""] * (cols - len(drawings[i:i + cols])) for i in range(0, n, cols)]
            t = Table(grid, colWidths=[w] * cols)
            t.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
            out.append(t)
        out += [self.p(n, "small") for n in chart.notes()]
        return out

    def _comparison(self) -> list[Flowable]:
        c = self.data.comparison
        rows = c.rows[:MAX_PACK_VENDORS]
        out: list[Flowable] = [PageBreak(), self.heading("Comparison")]
        out.append(self.p("Scores out of 100, ranked by the overall evidence-weighted score: knocked-out vendors "
                          "after the others, unscored ones last. Area rows show evidence-weighted scores.", "small"))
        out += self.comparison_tables(rows)
        if len(c.rows) > len(rows):
            out.append(self.p(rest_in_annex(len(rows), len(c.rows)), "small"))
        if c.rows:
            bars = rows[:CHART_VENDORS]
            out.append(KeepTogether([
                self.heading("Claimed vs evidence-weighted", 1, "h2"),
                self.p("The gap between the two bars is how much of the score rests on the vendor's own "
                       "word. Knocked-out vendors in red." + self._top_note(len(bars), len(c.rows)), "small"),
                charts.bars([(r.vendor, r.claimed, r.score, r.knocked_out) for r in bars], BODY_W)]))
        if c.rows and c.areas:
            shown = rows[:AREA_CHART_VENDORS]
            block: list[Flowable] = [self.heading("Evidence-weighted scores by area", 1, "h2")]
            if len(shown) < len(c.rows):
                block.append(self.p(self._top_note(len(shown), len(c.rows)).strip(), "small"))
            block.append(charts.area_bars([a.title for a in c.areas],
                                          [(r.vendor, r.areas, r.knocked_out) for r in shown], BODY_W))
            out += [CondPageBreak(50 * mm), KeepTogether(block)]  # the heading never ends a page alone
        return out

    def comparison_tables(self, rows: Sequence[Any]) -> list[Flowable]:
        """The comparison's tables, VENDORS_PER_TABLE vendors each."""
        out: list[Flowable] = []
        for part in range(0, len(rows), VENDORS_PER_TABLE):
            out.append(self.comparison_table(rows[part:part + VENDORS_PER_TABLE]))
            out.append(Spacer(1, 3 * mm))
        return out

    def comparison_in_full(self) -> list[Flowable]:
        """The annex's comparison of every vendor, when the pack shows only the top MAX_PACK_VENDORS."""
        rows = self.data.comparison.rows
        if len(rows) <= MAX_PACK_VENDORS:
            return []
        return [PageBreak(), self.heading("Comparison in full", 0, "h1"),
                self.p(f"All {len(rows)} vendors, in ranking order. Scores out of 100; area rows show "
                       "evidence-weighted scores.", "small"), *self.comparison_tables(rows)]

    @staticmethod
    def _top_note(shown: int, total: int) -> str:
        """' The 12 highest-ranked of 20 vendors.' when a chart shows only the top of the ranking."""
        return f" The {shown} highest-ranked of {total} vendors." if shown < total else ""

    def claimed_vs_verified(self) -> list[Flowable]:
        """'Claimed versus verified': face-value vs evidence rank, each vendor's largest gaps, and contradicted
        ownership or training-data claims (domain.signals); nothing when no vendor is scored."""
        sig = self.data.signals
        scored = [v for v in sig.vendors if v.face_rank is not None] if sig is not None else []
        if sig is None or not scored:
            return []
        moved = [v.rank_sentence for v in sig.moved]
        gaps = [f"{v.name}: " + "; ".join(g.text() for g in v.area_gaps[:2]) for v in scored if v.area_gaps]
        out: list[Flowable] = [
            CondPageBreak(45 * mm), self.heading("Claimed versus verified", 1, "h2"),
            self.p("At face value: ranked by the claimed score, as if every claim were true. On evidence: by the "
                   "evidence-weighted score, as ranked above. Gaps in points out of 100, claimed minus on evidence.",
                   "small"),
            *self.bullets(moved, "Every vendor ranks the same on evidence as at face value."),
            self.p("Largest gaps by area", "h3"),
            *self.bullets(gaps, "No vendor's score rests on unproven claims."),
        ]
        if sig.claim_signals:
            out.append(self.p("Ownership and training data", "h3"))
            out += self.bullets([f"{v.name}: {c.sentence}" for v, c in sig.claim_signals], "")
        return out
    def comparison_table(self, rows: Sequence[RankRow]) -> Table:
        """Areas down, vendors across; rows that say the same for every vendor are left out."""
        c = self.data.comparison
        label_w = 36 * mm
        col_w = (BODY_W - label_w) / max(1, len(rows))
        lines: list[tuple[str, list[str]]] = [
            ("Rank", [str(r.rank) for r in rows]),
            ("Overall (evidence-weighted)", [self.num(r.score) for r in rows]),
            ("Claimed", [self.num(r.claimed) for r in rows]),
            ("Gap", [gap_text(r.claimed, r.score) for r in rows]),
            ("Keeps rank", [self.pct(r.stability) for r in rows]),
            ("Knocked out", ["yes" if r.knocked_out else "—" for r in rows]),
            *[(a.title, [self.num(r.areas[i]) for r in rows]) for i, a in enumerate(c.areas)],
        ]
        droppable = {"Keeps rank", "Knocked out"}
        lines = [ln for ln in lines if ln[0] not in droppable or len(set(ln[1])) > 1 or len(rows) == 1]
        # width: '(evidence-weighted)' is wider than the column; it breaks after its hyphen, not mid-word
        body = [[self.p(label, "cellb" if i < 2 else "cell", width=label_w), *vals]
                for i, (label, vals) in enumerate(lines)]
        header = ["Score", *[r.vendor for r in rows]]
        extra: list[tuple[Any, ...]] = [("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                                        ("FONTNAME", (1, 2), (-1, 2), fonts.LATIN_BOLD)]
        for j, r in enumerate(rows, start=1):
            if r.knocked_out:
                extra.append(("TEXTCOLOR", (j, 1), (j, -1), RED))
        return self.table(header, body, [label_w, *([col_w] * len(rows))], extra)

    def claim_table(self, lines: Sequence[ClaimLine]) -> Table:
        """Claims with source, status and evidence."""
        widths = [88 * mm, 32 * mm, BODY_W - 120 * mm]
        rows = [[[self.p(c.text, "cell", width=widths[0]),
                  self.p(_short(c.source, 90), "small_muted", width=widths[0])],
                 self.p(c.status + (f" — {c.note}" if c.note.strip() else ""), "cell", width=widths[1]),
                 self.p(_short(c.evidence, 160), "cell", width=widths[2])]
                for c in lines]
        return self.table(["Claim (verbatim) and source", "Status", "Evidence"], rows, widths)

    def vendor_pages(self) -> list[Flowable]:
        """One page per vendor."""
        out: list[Flowable] = []
        for v in self.data.vendors:
            # vendors follow each other; a new one starts a page only when the rest of this one is short
            out.append(CondPageBreak(110 * mm))
            head = self.heading(v.name, 0, "h2")
            head._bookmark = (v.name, 1)
            out.append(head)
            facts = [
                f"Rank: {v.rank if v.rank is not None else '—'}",
                f"Evidence-weighted: {self.num(v.score)}",
                f"Claimed: {self.num(v.claimed)}",
                f"Gap: {gap_text(v.claimed, v.score)}",
                f"Decision: {v.decision}",
            ]
            out.append(self.p("  ·  ".join(facts), "body"))
            if v.product.strip() or v.website.strip():
                out.append(self.p(" — ".join(x for x in (v.product.strip(), v.website.strip()) if x), "small",
                                  width=BODY_W))
            if v.conditions:
                out.append(self.p("Recorded conditions: " + "; ".join(v.conditions), "small"))
            if v.context:
                out.append(self.p(v.context_sentence, "small"))
            out += [CondPageBreak(25 * mm), self.p("Scores by area", "h3")]
            rows = [[self.p(a.title, "cell"), a.version, self.num(a.evidence_weighted), self.num(a.claimed),
                     gap_text(a.claimed, a.evidence_weighted), f"{a.answered}/{a.total}",
                     "yes" if a.knocked_out else ""] for a in v.areas]
            header = ["Area", "Version", "Evidence-weighted", "Claimed", "Gap", "Scored", "Knock-out"]
            widths = [54 * mm, 18 * mm, 28 * mm, 18 * mm, 14 * mm, 16 * mm, BODY_W - 148 * mm]
            keep = [j for j in range(len(header))
                    if header[j] not in ("Version", "Knock-out", "Scored") or len({r[j] for r in rows}) > 1]
            spare = sum(w for j, w in enumerate(widths) if j not in keep)
            widths = [w + (spare if j == 0 else 0) for j, w in enumerate(widths)]
            if rows:
                out.append(self.table([header[j] for j in keep], [[r[j] for j in keep] for r in rows],
                                      [widths[j] for j in keep], [("ALIGN", (1, 1), (-1, -1), "RIGHT")]))
                out.append(charts.bars([(a.title, a.claimed, a.evidence_weighted, a.knocked_out) for a in v.areas],
                                       BODY_W))
            else:
                out.append(self.p("Not scored yet.", "body"))
            out += [CondPageBreak(25 * mm), self.p("Knock-outs", "h3")]
            out += self.bullets(v.knockouts, "None: the vendor passes every knock-out criterion." if rows else
                                "Not checked yet: nobody has scored this vendor.")
            if v.not_applicable:
                out += [CondPageBreak(25 * mm), self.p("Not applicable in this engagement", "h3")]
                out += self.bullets(v.not_applicable, "")
            if v.public_record:
                out += [CondPageBreak(25 * mm), self.p("Public record", "h3")]
                out += self.bullets(v.public_record, "")
            out += [CondPageBreak(25 * mm), self.p("Contradicted claims", "h3")]
            if v.contradicted:
                out.append(self.claim_table(v.contradicted))
            else:
                out.append(self.p("No claim is contradicted by the evidence.", "body"))
            out += [CondPageBreak(25 * mm), self.p("Key claims", "h3")]
            if v.key_claims:
                out.append(self.claim_table(v.key_claims))
                if v.more_claims:
                    out.append(self.p(f"…and {plural(v.more_claims, 'more claim')} in the appendix.", "small"))
            else:
                out.append(self.p("No claims recorded.", "body"))
        return out

    def methodology(self) -> list[Flowable]:
        """Rubrics, weights, evaluators and agreement, rules, legal duties."""
        m = self.data.methodology
        out: list[Flowable] = [CondPageBreak(120 * mm), self.heading("Methodology in full", 0, "h2")]
        out.append(self.p(f"Weight profile: {m.profile or 'default'}.", "body"))
        out += [CondPageBreak(25 * mm), self.p("Rubrics", "h3")]
        rows = [[r.rubric_id, self.p(r.title, "cell"), r.version, f"{r.weight:g}",
                 self.p(r.content_hash, "cell")] for r in m.rubrics]
        out.append(self.table(["Rubric", "Title", "Version", "Weight", "Content hash (SHA-256)"], rows,
                              [24 * mm, 48 * mm, 18 * mm, 14 * mm, BODY_W - 104 * mm]))
        out += [CondPageBreak(25 * mm), self.p("Evaluators and their agreement", "h3")]
        rows = [[a.rubric_id, self.p(", ".join(a.evaluators) or "—", "cell"), self.pct(a.percent),
                 self.num(a.alpha, 2), str(a.flagged)] for a in m.agreement]
        out.append(self.table(["Rubric", "Evaluators", "Agreement", "Krippendorff's α", "Differ by ≥2"], rows,
                              [24 * mm, BODY_W - 100 * mm, 22 * mm, 30 * mm, 24 * mm]))
        out.append(self.p("Agreement needs two evaluators or more on a criterion; '—' where there were not.",
                          "small"))
        out += [CondPageBreak(25 * mm), self.p("How the scores are computed", "h3")]
        out += self.bullets(m.rules, "")
        if m.law:
            out += [CondPageBreak(25 * mm), self.p("The law behind the rubrics", "h3"), self.p(m.law, "body")]
        out += [CondPageBreak(25 * mm), self.p(f"Legal duties in force on {self.data.cover.date}", "h3")]
        out += self.duty_table(m.duties_in_force,
                               "None of the rubrics used names a legal duty in force on this date.")
        soon = set(m.duties_soon)
        out += [CondPageBreak(25 * mm),
                self.p(f"Legal duties starting within the next 12 months (by {m.soon_until})", "h3")]
        out += self.duty_table(m.duties_soon, "None.")
        out += [CondPageBreak(25 * mm), self.p("Legal duties starting later", "h3")]
        out += self.duty_table([d for d in m.duties_to_come if d not in soon], "None.")
        return out

    def duty_table(self, duties: Sequence[Duty], empty: str) -> list[Flowable]:
        """Rubric, duty, date and sources; one line saying ``empty`` when there are none."""
        if not duties:
            return [self.p(empty, "body")]
        duty_w = [24 * mm, 62 * mm, 24 * mm, BODY_W - 110 * mm]
        return [self.table(["Rubric", "Duty (criterion)", "Applies from", "Sources"],
                           [[d.rubric_id, self.p(d.criterion, "cell", width=duty_w[1]), d.applies_from,
                             self.p(d.sources, "cell", width=duty_w[3])] for d in duties], duty_w)]

    def crosswalks(self) -> list[Flowable]:
        """Per rubric used: criterion → ISO/IEC 42001 and NIST AI RMF ids (only rubrics that map any)."""
        if not self.data.crosswalks:
            return []
        out: list[Flowable] = [CondPageBreak(40 * mm),
                               self.heading("Crosswalk to ISO/IEC 42001 and NIST AI RMF", 1, "h2"),
                               self.p("The ISO/IEC 42001:2023 Annex A controls and NIST AI RMF 1.0 subcategories "
                                      "each criterion maps to ('—' where none); the ids' short titles follow the "
                                      "tables.", "small")]
        for t in self.data.crosswalks:
            n = len(t.frameworks)
            crit_w = BODY_W * 0.46
            widths = [crit_w, *([(BODY_W - crit_w) / n] * n)]
            out += [CondPageBreak(30 * mm), self.p(f"{t.title} ({t.rubric_id} {t.version})", "h3")]
            out += self.chunked(["Criterion", *t.frameworks],
                                [[self.p(r.criterion, "cell", width=crit_w), *r.ids] for r in t.rows], widths)
        if self.data.crosswalk_titles:
            out += [CondPageBreak(25 * mm), self.p("Ids used", "h3")]
            out += [self.p(f"{name}: " + "; ".join(titles) + ".", "small")
                    for name, titles in self.data.crosswalk_titles]
        return out

    def claims_and_rationales(self) -> list[Flowable]:
        """Every claim verbatim; the rationales that say something."""
        out: list[Flowable] = [CondPageBreak(40 * mm), self.heading("Claims, verbatim", 0, "h2")]
        if self.data.claims:
            widths = [30 * mm, 72 * mm, 30 * mm, BODY_W - 132 * mm]
            rows = [[self.p(c.vendor, "cellb"),
                     [self.p(c.line.text, "cell", width=widths[1]),
                      self.p(c.line.source, "small_muted", width=widths[1])],
                     c.line.status + (f" — {c.line.note}" if c.line.note.strip() else ""),
                     c.line.evidence] for c in self.data.claims]
            out += self.chunked(["Vendor", "Claim (verbatim) and source", "Status", "Evidence"], rows, widths)
        else:
            out.append(self.p("No claims recorded.", "body"))
        out += [CondPageBreak(60 * mm), self.heading("Score rationales", 0, "h2")]
        left = self.data.rationales_left_out
        if left:
            out.append(self.p(f"{plural(left, 'rationale')} that only restate the score (empty, or a stock phrase "
                              "such as \u201cfrom the documents reviewed\u201d) are left out; every score is in the "
                              "workspace.", "small"))
        if self.data.rationales:
            vendors = list(dict.fromkeys(r.vendor for r in self.data.rationales))
            for name in vendors:
                mine = [r for r in self.data.rationales if r.vendor == name]
                rows = [[f"{r.rubric_id}: {r.criterion}", f"{r.evaluator}: {r.answer}", r.rationale] for r in mine]
                out.append(CondPageBreak(30 * mm))
                out.append(self.p(name, "h3"))
                out += self.chunked(["Criterion", "Evaluator: score", "Rationale"], rows,
                                    [46 * mm, 46 * mm, BODY_W - 92 * mm])
        elif not left:
            out.append(self.p("No scores recorded.", "body"))
        return out

    def risks_and_conditions(self) -> list[Flowable]:
        """The pack's page of what could go wrong and what is asked of each vendor."""
        d = self.data
        out: list[Flowable] = [PageBreak(), self.heading("Risks and conditions")]
        if d.risk_register:
            out.append(self.p("Risk register", "h3"))
            out += self.risk_table(d.risk_register[:MAX_PACK_RISKS])
            if len(d.risk_register) > MAX_PACK_RISKS:
                out.append(self.p(f"…and {plural(len(d.risk_register) - MAX_PACK_RISKS, 'more risk')} in the annex.",
                                  "small"))
        out.append(self.p("What stands against each vendor", "h3"))
        pages = {v.vendor_id: v for v in d.vendors}
        ranked = d.comparison.rows[:MAX_PACK_VENDORS]  # the pack's vendors; every vendor has its annex page
        rest = len(d.comparison.rows) - len(ranked)
        rows = []
        for r in ranked:
            v = pages.get(r.vendor_id)
            items = [f"Knocked out: {k}" for k in r.knockout_reasons] if r.knocked_out else []
            if v is not None:
                items += [f"Contradicted claim: \u201c{_short(c.text, 140)}\u201d" for c in v.contradicted]
            if r.score is None:
                items.append("Not scored yet: nothing it claims has been assessed.")
            gap = score_gap(r.claimed, r.score)
            if gap is not None and gap >= 20:
                items.append(f"{gap:.1f} points of its score rest on its own word (claimed minus evidence-weighted).")
            rows.append([self.p(r.vendor, _name_style(r)), self.p("\n".join(items) or "Nothing stands out.", "cell",
                                                                  width=BODY_W - 45 * mm)])
        out.append(self.table(["Vendor", "Risks the data shows"], rows, [45 * mm, BODY_W - 45 * mm])
                   if rows else self.p("No vendor is ranked.", "body"))
        if rest:
            out.append(self.p(f"The {len(ranked)} highest-ranked vendors; the other {plural(rest, 'vendor')} each "
                              "have their page in the annex.", "small"))
        crow = []
        for r in ranked:
            v = pages.get(r.vendor_id)
            if v is None or v.vendor_id == d.recommended_id or not v.conditions:
                continue  # the recommended vendor's conditions are the summary's one numbered list
            conds = "\n".join(f"{i}. {c}" for i, c in enumerate(v.conditions, start=1)) or "—"
            crow.append([self.p(v.name, _name_style(r)), v.decision, self.p(conds, "cell", width=BODY_W - 85 * mm)])
        if crow:
            out.append(self.p("Conditions recorded for the other vendors", "h3"))
            out.append(self.table(["Vendor", "Decision", "Conditions"], crow, [45 * mm, 40 * mm, BODY_W - 85 * mm]))
        return out

    def risk_table(self, risks: Sequence[RiskLine]) -> list[Flowable]:
        """The register's rows: risk and cause, impact x likelihood, owner, mitigation."""
        widths = [34 * mm, 60 * mm, 14 * mm, 28 * mm, BODY_W - 136 * mm]
        # plain lines, not Paragraphs: the annex's register runs to hundreds of rows
        rows = [[self.rich([[(r.vendor or "The evaluation", True)]], widths[0]),
                 self.rich([[(r.named, True)], [(r.cause, False)]], widths[1]),
                 f"{r.impact}×{r.likelihood}", self.rich([[(r.owner or "—", False)]], widths[3]),
                 self.rich([[(r.mitigation or "—", False)], *([[("Residual:", True), (r.residual, False)]]
                                                       if r.residual else [])], widths[4])] for r in risks]
        return self.chunked(["Vendor", "Risk and cause", "I×L", "Owner", "Mitigation"], rows, widths)

    def method_page(self) -> list[Flowable]:
        """The pack's method on one page: the rubrics, the evaluators, the rules in short, a glossary."""
        d = self.data
        m = d.methodology
        out: list[Flowable] = [PageBreak(), self.heading("Method and glossary")]
        out.append(self.p(f"Weight profile: {m.profile or 'default'}. The scores come from these rubrics "
                          "(the version each vendor was scored on, and its weight):", "body"))
        agree = {a.rubric_id: a for a in m.agreement}
        rows = [[self.p(r.title, "cell", width=70 * mm), r.version, f"{r.weight:g}",
                 self.pct(agree[r.rubric_id].percent) if r.rubric_id in agree else "—"] for r in m.rubrics]
        if rows:
            out.append(self.table(["Rubric", "Version", "Weight", "Evaluators agree"], rows,
                                  [BODY_W - 80 * mm, 30 * mm, 20 * mm, 30 * mm],
                                  [("ALIGN", (2, 1), (-1, -1), "RIGHT")]))
        evaluators = sorted({e for a in m.agreement for e in a.evaluators}, key=str.casefold)
        if evaluators:
            out.append(self.p("Evaluators: " + ", ".join(evaluators) + ". \u201cEvaluators agree\u201d is the "
                              "share of criteria on which they gave the same level.", "small"))
        out.append(self.p("How the scores are made", "h3"))
        out += self.bullets(d.method_short, "")
        out.append(self.p("Glossary", "h3"))
        out.append(self.table(["Term", "Meaning"], [[self.p(t, "cellb"), self.p(x, "cell")] for t, x in d.glossary],
                              [40 * mm, BODY_W - 40 * mm]))
        out.append(Spacer(1, 3 * mm))
        out.append(self.p("The annex has the vendor pages, the rules in full with the rubrics' content hashes, the "
                          "legal duties, the crosswalks, every claim verbatim and the score rationales.", "small"))
        return out

    def annex_title(self) -> list[Flowable]:
        """The annex's own title page, so it reads as a separate part even inside the pack's file."""
        c = self.data.cover
        title = self.p("Annex", "cover_title")
        title._bookmark = ("Annex", 0)
        contents = [*(["Score against total cost"] if self.data.cost_chart and not self.cost_chart_in_pack() else []),
                    *(["Comparison in full"] if len(self.data.comparison.rows) > MAX_PACK_VENDORS else []),
                    "Vendors, one after another: scores by area, knock-outs, claims",
                    "Methodology in full and the legal duties",
                    *(["Crosswalk to ISO/IEC 42001 and NIST AI RMF"] if self.data.crosswalks else []),
                    *(["Risk register in full"] if len(self.data.risk_register) > MAX_PACK_RISKS else []),
                    "Claims, verbatim", "Score rationales that say something"]
        return [Spacer(1, 60 * mm), title, Spacer(1, 4 * mm),
                self.p(f"to the board pack \u201c{c.title}\u201d", "cover_line"), Spacer(1, 4 * mm),
                self.p(c.date, "cover_line"), Spacer(1, 14 * mm),
                *[Paragraph(fonts.markup(t), self.s["bullet"], bulletText=f"{i}.") for i, t in enumerate(contents, 1)],
                Spacer(1, 20 * mm), self.p(c.confidentiality.upper(), "cover_conf")]

    def pack(self) -> list[Flowable]:
        """The board pack: cover, summary, comparison, risks and conditions, method (five pages for five vendors)."""
        return [*self.cover(), NextPageTemplate("body"), PageBreak(), *self.summary(), *self.comparison(),
                *self.risks_and_conditions(), *self.method_page()]

    def annex(self) -> list[Flowable]:
        """The annex, from its title page on."""
        cost = [] if self.cost_chart_in_pack() else self.cost_section()
        out = [*self.annex_title(), PageBreak(), *cost[1:], *self.claimed_vs_verified(), *self.why_in_words(),
               *self.comparison_in_full(),
               PageBreak(), self.heading("Vendors", 0, "h1"), *self.vendor_pages(),
               *self.methodology(), *self.crosswalks()]
        if len(self.data.risk_register) > MAX_PACK_RISKS:
            out += [CondPageBreak(60 * mm), self.heading("Risk register in full", 0, "h2"),
                    *self.risk_table(self.data.risk_register)]
        return out + self.claims_and_rationales()

    def story(self, part: str = WHOLE) -> list[Flowable]:
        """The sections of one part: the pack, the annex, or both in one file (the annex after the pack)."""
        if part == PACK:
            return self.pack()
        if part == ANNEX:
            return self.annex()
        return [*self.pack(), PageBreak(), *self.annex()]


def _fits_one_page(flowables: Sequence[Flowable]) -> bool:
    """Whether the flowables, laid out one after another in the body frame, fit one page (with a few points
    to spare); a conditional page break that would break counts as not fitting."""
    used = 0.0
    flat: list[Flowable] = []
    for f in flowables:  # a block kept together is measured by its parts (it wraps only on a page's canvas)
        flat.extend(f._content if isinstance(f, KeepTogether) else [f])
    for i, f in enumerate(flat):
        if isinstance(f, CondPageBreak):
            if FRAME_H - used < f.height:
                return False
            continue
        _w, h = f.wrap(BODY_W, FRAME_H)
        used += h + f.getSpaceAfter() + (f.getSpaceBefore() if i else 0)
    return used <= FRAME_H - 6


def _logo(raw: bytes) -> Image | None:
    """The organisation's logo scaled into 60 x 25 mm, or None when it cannot be read."""
    if len(raw) > MAX_LOGO_BYTES:
        return None
    try:
        from reportlab.lib.utils import ImageReader

        reader = ImageReader(io.BytesIO(raw))
        w, h = reader.getSize()
        if w <= 0 or h <= 0:
            return None
        scale = min(60 * mm / w, 25 * mm / h)
        return Image(io.BytesIO(raw), width=w * scale, height=h * scale)
    except Exception:  # an unreadable logo must not stop the brief
        return None


class _FixedTime:
    """A reportlab timestamp fixed at midnight UTC of the brief's date."""

    def __init__(self, date: dt.date) -> None:
        self.t = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC).timestamp()
        self.lt = (date.year, date.month, date.day, 0, 0, 0, 0, 0, 0)
        self.YMDhms = (date.year, date.month, date.day, 0, 0, 0)
        self.dhh = 0
        self.dmm = 0
        self.tzname = "UTC"


class _BriefInfo(PDFInfo):
    """Document info with one extra key that carries the fingerprint and the export options."""

    extra: str = ""

    def format(self, document: Any) -> bytes:
        out: bytes = super().format(document)
        if not self.extra:
            return out
        # append /VendorevalBrief (...) before the closing >> of the info dictionary
        extra = PDFDictionary({INFO_KEY: PDFString(self.extra)}).format(document)
        inner = extra.strip()[2:-2].strip()
        head, sep, tail = out.rpartition(b">>")
        return head + inner + b"\n" + sep + tail


def _canvas_maker(data: BriefData, meta: str, part: str = WHOLE) -> Callable[..., Canvas]:
    """A canvas class that numbers pages 'Page X of Y' and draws the header and footer at save."""

    class BriefCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = kwargs.get("initialFontName") or fonts.LATIN
            kwargs["invariant"] = 1
            super().__init__(*args, **kwargs)
            info = _BriefInfo()
            info.extra = meta
            self._doc.info = info
            self._doc._timeStamp = _FixedTime(data.date)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for number, state in enumerate(self._saved, start=1):
                self.__dict__.update(state)
                self._decorate(number, total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _decorate(self, number: int, total: int) -> None:
            self.saveState()
            self.setFont(fonts.LATIN, 7.5)
            self.setFillColor(colors.HexColor("#666666"))
            if number > 1:
                header = fonts.fit(data.header + (" · Annex" if part == ANNEX else ""), BODY_W * 0.7, 7.5)
                _draw_runs(self, MARGIN, PAGE_H - MARGIN + 6 * mm, header, 7.5)
                conf = "CONFIDENTIAL"
                self.drawRightString(PAGE_W - MARGIN, PAGE_H - MARGIN + 6 * mm, conf)
                self.setStrokeColor(RULE)
                self.setLineWidth(0.5)
                self.line(MARGIN, PAGE_H - MARGIN + 4.5 * mm, PAGE_W - MARGIN, PAGE_H - MARGIN + 4.5 * mm)
            self.drawString(MARGIN, MARGIN - 9 * mm, f"{data.cover.date} · fingerprint {data.fingerprint[:16]}")
            self.drawRightString(PAGE_W - MARGIN, MARGIN - 9 * mm, f"Page {number} of {total}")
            self.restoreState()

    return BriefCanvas


def _draw_runs(c: Canvas, x: float, y: float, text: str, size: float) -> None:
    for r in fonts.runs(text):
        c.setFont(r.font, size)
        c.drawString(x, y, r.text)
        x += stringWidth(r.text, r.font, size)


class _Doc(BaseDocTemplate):
    """Adds a PDF bookmark (outline entry) for every heading flowable."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._marks = 0

    def afterFlowable(self, flowable: Flowable) -> None:
        mark = getattr(flowable, "_bookmark", None)
        if mark is None:
            return
        title, level = mark
        self._marks += 1
        key = f"b{self._marks}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(fonts.clean(title).replace("\n", " ")[:120] or "—", key, level=level,
                                  closed=level > 0)


def brief_metadata(data: BriefData, options: dict[str, Any], part: str = WHOLE) -> str:
    """The JSON stored in the PDF's info dictionary: the fingerprint, what --verify needs to rebuild it, and
    which part of the brief the file holds (PACK, ANNEX or WHOLE)."""
    return json.dumps({"format": 1, "fingerprint": data.fingerprint, "options": options, "part": part},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def render_pdf(data: BriefData, out: IO[bytes] | str | Path, options: dict[str, Any] | None = None,
               part: str = WHOLE) -> int:
    """Write one part of the brief (the pack, the annex, or both) as PDF to a path or binary stream; returns
    the number of pages."""
    if part not in PARTS:
        raise ValueError(f"unknown brief part {part!r}")
    fonts.register_fonts()
    meta = brief_metadata(data, options or {}, part)
    buf = io.BytesIO()
    doc = _Doc(
        buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
        title=fonts.clean(data.cover.title), author=fonts.clean(data.cover.organisation) or "vendoreval",
        subject=f"Board {'brief annex' if part == ANNEX else 'brief'}, {data.cover.date}",
        creator="vendoreval", producer="vendoreval (reportlab)",
        keywords=KEYWORD_PREFIX + data.fingerprint, invariant=1,
    )
    frame = Frame(MARGIN, MARGIN, BODY_W, PAGE_H - 2 * MARGIN, id="body", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("cover", [frame]), PageTemplate("body", [frame])])
    doc.build(_Brief(data).story(part), canvasmaker=_canvas_maker(data, meta, part))
    pdf = buf.getvalue()
    if isinstance(out, str | Path):
        files.write_bytes_atomic(out, pdf)
    else:
        out.write(pdf)
    return int(doc.page)


__all__ = ["ANNEX", "INFO_KEY", "KEYWORD_PREFIX", "PACK", "PARTS", "WHOLE",
           "brief_metadata", "parse_brief_metadata", "read_brief_bytes",
           "read_brief_metadata", "render_pdf"]


_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f",
            ord("("): b"(", ord(")"): b")", ord("\\"): b"\\"}


def _literal(raw: bytes, start: int) -> bytes:
    """Decode the PDF literal string whose opening '(' is at ``start``."""
    out = bytearray()
    depth = 0
    i = start
    while i < len(raw):
        ch = raw[i]
        if ch == ord("\\"):
            nxt = raw[i + 1] if i + 1 < len(raw) else None
            if nxt is None:
                break
            if nxt in _ESCAPES:
                out += _ESCAPES[nxt]
                i += 2
                continue
            if 48 <= nxt <= 55:  # up to three octal digits
                j = i + 1
                while j < len(raw) and j < i + 4 and 48 <= raw[j] <= 55:
                    j += 1
                out.append(int(raw[i + 1:j], 8) & 0xFF)
                i = j
                continue
            i += 2  # a backslash before anything else (e.g. a line break) is dropped
            continue
        if ch == ord("("):
            depth += 1
            if depth > 1:
                out.append(ch)
        elif ch == ord(")"):
            depth -= 1
            if depth == 0:
                return bytes(out)
            out.append(ch)
        else:
            out.append(ch)
        i += 1
    raise ValueError("unterminated string in the PDF info")


#: A brief larger than this is refused by ``read_brief_metadata`` before it is read (tests patch it).
MAX_BRIEF_BYTES = 200 * 1024 * 1024


def read_brief_metadata(path: Path) -> dict[str, Any]:
    """The fingerprint and options a brief stored in its info dictionary (ValueError if it is not a brief).

    Reads the raw file rather than parsing the PDF: the app has no PDF reader at run time, and the
    key is written uncompressed by render_pdf.
    """
    return parse_brief_metadata(read_brief_bytes(path))


def read_brief_bytes(path: Path) -> bytes:
    """The bytes of a file given as a brief (ValueError, with the reason, when it cannot be read)."""
    try:
        return files.read_bytes(path, max_bytes=MAX_BRIEF_BYTES, what="a brief")
    except files.FileProblem as exc:
        raise ValueError(exc.reason) from None


def parse_brief_metadata(raw: bytes) -> dict[str, Any]:
    """The fingerprint and options stored in the bytes of a brief (ValueError if it is not a brief)."""
    if not raw.startswith(b"%PDF-"):
        raise ValueError("not a PDF file")
    key = b"/" + INFO_KEY.encode("ascii")
    at = raw.rfind(key)
    if at < 0:
        raise ValueError("no vendoreval brief information in this PDF")
    start = raw.find(b"(", at + len(key))
    if start < 0 or raw[at + len(key):start].strip():
        raise ValueError("malformed vendoreval brief information")
    text = _literal(raw, start).decode("ascii")
    try:
        data = json.loads(text)
    except RecursionError:  # a crafted file: Python's parser gives up on deep nesting with this, not ValueError
        raise ValueError("malformed vendoreval brief information (nested too deeply)") from None
    if not isinstance(data, dict) or data.get("format") != 1 or not isinstance(data.get("fingerprint"), str):
        raise ValueError("unknown vendoreval brief information")
    return data


def _short(text: str, limit: int) -> str:
    """Text cut to ``limit`` characters with an ellipsis (the appendix prints it in full)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@lru_cache(maxsize=65536)
def _word_width(word: str) -> float:
    return float(stringWidth(word, fonts.LATIN, CELL_PT))


#: Where a URL, path or file name too wide for its column may break: after one of these.
SEPARATORS = "/.-_?&=#\\"


def break_word(word: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """A word wider than ``width`` cut into pieces that each fit, after a separator ('/', '.', '-', '_')
    where one is in reach, mid-word only where none is (a 500-letter word)."""
    pieces: list[str] = []
    rest = word
    while rest and measure(rest) > width:
        # the longest prefix that fits
        lo, hi = 1, len(rest)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if measure(rest[:mid]) <= width:
                lo = mid
            else:
                hi = mid - 1
        cut = lo
        at = max((i + 1 for i in range(1, cut) if rest[i] in SEPARATORS), default=0)
        if at > cut // 3:  # a separator not too near the start: break after it
            cut = at
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        pieces.append(rest)
    return pieces


def break_long_tokens(text: str, width: float, size: float, bold: bool = False) -> str:
    """Text whose tokens wider than ``width`` are broken onto lines of their own at separators."""
    if width <= 0 or not text:
        return text
    out: list[str] = []
    for line in text.split("\n"):
        words = line.split(" ")
        # cheap: nothing can be too wide (no glyph of the fonts is wider than 1.2 em, Bold W is 1.1; at 0.35 em
        # a word of DejaVu Bold's 0.6-0.7 em letters passed as fitting and reportlab broke it mid-word)
        if all(len(w) * size * 1.2 <= width for w in words):
            out.append(line)
            continue
        fixed = []
        for w in words:
            if w and fonts.string_width(w, size, bold) > width:
                fixed.append("\n".join(break_word(w, width, lambda t: fonts.string_width(t, size, bold))))
            else:
                fixed.append(w)
        out.append(" ".join(fixed))
    return "\n".join(out)


def _wrap_plain(text: str, width: float) -> str | None:
    """Greedy line breaking of Latin text at the table size; a word wider than the line (a URL, a file
    name) breaks after a separator ('/', '.', '-', '_'), mid-word only when it has none."""
    space = _word_width(" ")
    out: list[str] = []
    for para in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for word in para.split():
            w = _word_width(word)
            pieces = [word] if w <= width else break_word(word, width, _word_width)
            for k, piece in enumerate(pieces):
                w = _word_width(piece)
                if k or (line and used + space + w > width):  # the rest of a broken word: a line of its own
                    out.append(" ".join(line))
                    line, used = [piece], w
                else:
                    used += (space if line else 0.0) + w
                    line.append(piece)
        out.append(" ".join(line))
    return "\n".join(out)


@lru_cache(maxsize=65536)
def _text_width(text: str, font: str, size: float) -> float:
    return float(stringWidth(text, font, size))


Segment = tuple[str, str]  # text, font


def wrap_segments(paras: Sequence[Sequence[Segment]], width: float, size: float = CELL_PT) -> list[list[Segment]]:
    """Greedy line breaking of Latin text given as paragraphs of (text, font) runs; a word wider than the
    line breaks after a separator ('/', '.', '-', '_'), mid-word only when it has none. Each line is a list
    of runs, consecutive words in one font joined."""
    out: list[list[Segment]] = []
    for para in paras:
        line: list[Segment] = []
        used = 0.0
        for text, font in para:
            space = _text_width(" ", font, size)

            def measure(t: str, f: str = font) -> float:
                return _text_width(t, f, size)

            for word in text.split():
                w = measure(word)
                pieces = [word] if w <= width else break_word(word, width, measure)
                for k, piece in enumerate(pieces):
                    w = _text_width(piece, font, size)
                    if k or (line and used + space + w > width):
                        out.append(line)
                        line, used = [(piece, font)], w
                    elif line and line[-1][1] == font:
                        used += space + w
                        line[-1] = (f"{line[-1][0]} {piece}", font)
                    else:
                        used += (space if line else 0.0) + w
                        line.append((piece, font))
        out.append(line)
    return out


class _Lines(Flowable):
    """Lines already broken, each a list of (text, font) runs, drawn in one text object: a table cell of plain
    Latin text without a Paragraph's markup parsing and re-wrapping (the annex has thousands). The first
    baseline sits where a Paragraph's or a table string's would (the top less the font size)."""

    def __init__(self, lines: list[list[Segment]], size: float = CELL_PT, leading: float = 10.4,
                 color: colors.Color | None = None) -> None:
        super().__init__()
        self.lines, self.size, self.leading, self.color = lines, size, leading, color
        self.height = len(lines) * leading

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.height

    def draw(self) -> None:
        c = self.canv
        t = c.beginText(0, self.height - self.size)
        if self.color is not None:
            t.setFillColor(self.color)
        font = ""
        for i, line in enumerate(self.lines):
            if i:
                t.moveCursor(0, self.leading)
            for j, (text, f) in enumerate(line):
                if f != font:
                    t.setFont(f, self.size, self.leading)
                    font = f
                t.textOut(f" {text}" if j else text)
        c.drawText(t)


def gap_text(claimed: float | None, score: float | None) -> str:
    """The gap for print (``domain.scoring.score_gap``: the exact gap rounded once), one decimal."""
    gap = score_gap(claimed, score)
    return "—" if gap is None else f"{gap:.1f}"


def _name_style(row: RankRow) -> str:
    """Vendor names print bold, in red when the vendor is knocked out."""
    return "cellko" if row.knocked_out else "cellb"
