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
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .. import files
from ..domain.text import plural
from ..domain.verdict import Duty
from . import charts, fonts
from .brief_data import MAX_LOGO_BYTES, BriefData, ClaimLine, ConditionRow, RankRow

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


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=fonts.LATIN, bulletFontName=fonts.LATIN, fontSize=9.5, leading=12.5,
                          spaceAfter=3)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=9.8, spaceAfter=0),
        "cellko": ParagraphStyle("cellko", parent=base, fontName=fonts.LATIN_BOLD, fontSize=8, leading=9.8,
                                 spaceAfter=0, textColor=RED),
        "small_muted": ParagraphStyle("small_muted", parent=base, fontSize=7, leading=8.6, spaceAfter=0,
                                      textColor=colors.HexColor("#666666")),
        "cellb": ParagraphStyle("cellb", parent=base, fontName=fonts.LATIN_BOLD, fontSize=8, leading=9.8,
                                spaceAfter=0),
        "head": ParagraphStyle("head", parent=base, fontName=fonts.LATIN_BOLD, fontSize=7.5, leading=9,
                               textColor=colors.white, spaceAfter=0),
        "h1": ParagraphStyle("h1", parent=base, fontName=fonts.LATIN_BOLD, fontSize=16, leading=20,
                             spaceBefore=0, spaceAfter=8, textColor=ACCENT),
        "h2": ParagraphStyle("h2", parent=base, fontName=fonts.LATIN_BOLD, fontSize=11.5, leading=14,
                             spaceBefore=8, spaceAfter=4, textColor=ACCENT),
        "section": ParagraphStyle("section", parent=base, fontSize=8, leading=10, spaceAfter=2,
                                  textColor=colors.HexColor("#666666")),
        "h3": ParagraphStyle("h3", parent=base, fontName=fonts.LATIN_BOLD, fontSize=9.5, leading=12,
                             spaceBefore=5, spaceAfter=2),
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

    # --- helpers ------------------------------------------------------------------------------

    def p(self, text: str | None, style: str = "body", *, bold: bool = False, empty: str = "—") -> Paragraph:
        """A paragraph of user text: escaped, CJK runs in the CJK font, CJK lines broken anywhere."""
        st = self.s[style]
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
              extra: Sequence[tuple[Any, ...]] = (), head_size: float = 7.5) -> Table:
        """A table whose header row repeats when it breaks across pages; long cells wrap."""
        head_style = self.s["head"]
        if head_size != head_style.fontSize:
            head_style = ParagraphStyle("head-small", parent=head_style, fontSize=head_size, leading=head_size * 1.2)
        head = [Paragraph(fonts.markup(h), head_style) for h in header]
        body = [[c if isinstance(c, Flowable | list) else self.cell(c, w) for c, w in zip(row, widths, strict=True)]
                for row in rows]
        # splitInRow: a cell taller than a page (a very long claim) continues on the next page
        t = Table([head, *body], colWidths=list(widths), repeatRows=1, splitInRow=1)
        t.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.LATIN),  # reportlab's default cell font is Helvetica
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("LEADING", (0, 0), (-1, -1), 9.8),
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
                return lines
        return self.p(text, "cell", empty="")

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
        # columns that say the same for every row are left out; the sentence names every scenario anyway
        keep = [i for i in (1, 2) if len({(r.leader, r.changed)[i - 1] for r in h.rows}) > 1]
        if h.rows and keep:
            header = ["What is changed", "Ranks first", "First place changes?"]
            widths = [BODY_W * 0.52, BODY_W * 0.24, BODY_W * 0.24]
            cols = [0, *keep]
            out.append(self.table([header[i] for i in cols],
                                  [tuple((r.scenario, r.leader, r.changed)[i] for i in cols) for r in h.rows],
                                  [widths[i] for i in cols], head_size=8))
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
        for i, r in enumerate(rows, start=1):
            ko = "; ".join(r.knockout_reasons) if r.knocked_out else ""
            data.append([str(r.rank), self.p(r.vendor, _name_style(r)), self.num(r.score), self.num(r.claimed),
                         self.num(r.gap), self.pct(r.stability),
                         *([self.p(r.cost or "—", "cell")] if costs else []), self.p(ko or "—", "cell")])
            if r.knocked_out:
                extra.append(("TEXTCOLOR", (0, i), (-1, i), RED))
        widths = [8 * mm, 46 * mm, 25 * mm, 16 * mm, 12 * mm, 16 * mm]
        header = ["#", "Vendor", "Evidence- weighted", "Claimed", "Gap", "Keeps rank"]
        if costs:  # the total over the term, in its own currency: a board weighs score against cost
            widths.append(27 * mm)
            header.append("Total cost (term)")
        widths.append(BODY_W - sum(widths))
        header.append("Knocked out by")
        return self.table(header, data, widths, extra)

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

    def risk_register(self) -> list[Flowable]:
        """The risk register: each risk with its rating, owner, mitigation and residual risk."""
        lines = self.data.risk_register
        if not lines:
            return []
        out: list[Flowable] = [CondPageBreak(60 * mm), self.heading("Risk register", 1, "h2"), self.p(
            "Derived from the scores, claims, commercial terms and dates; impact × likelihood from 1 to 5 each, "
            "highest first. Owners, mitigations and residual risks are the evaluators' entries.", "small")]
        rows = []
        for r in lines:
            what = r.title + (f" — {r.criterion}" if r.criterion else "")
            cause = Paragraph(f"{fonts.markup(what, bold=True)}<br/>{fonts.markup(r.cause)}", self.s["cell"])
            mitigation = Paragraph(fonts.markup(r.mitigation) + (
                f"<br/>{fonts.markup('Residual:', bold=True)} {fonts.markup(r.residual)}" if r.residual else ""),
                self.s["cell"])
            rows.append([cause, r.vendor, r.rating, r.owner, mitigation])
        widths = [62 * mm, 28 * mm, 20 * mm, 26 * mm, BODY_W - 136 * mm]
        out += self.chunked(["Risk and cause", "Vendor", "Impact × likelihood", "Owner", "Mitigation"], rows, widths)
        return out

    def comparison(self) -> list[Flowable]:
        """Comparison table of every area, then the charts."""
        c = self.data.comparison
        out: list[Flowable] = [PageBreak(), self.heading("Comparison")]
        out.append(self.p(
            "Scores from 0 to 100. The ranking uses the overall evidence-weighted score; knocked-out vendors "
            "rank last. Area columns show evidence-weighted scores.", "small"))
        n = len(c.areas)
        header = ["#", "Vendor", "Overall", "Claimed", *[a.title for a in c.areas], "Knocked out"]
        # Area columns get the width of their longest header word; when that does not fit, the header
        # font shrinks instead, so a word never breaks in the middle.
        def widest(size: float) -> float:
            words = [w for h in header[2:] for w in h.split()] or ["0"]
            return max(fonts.string_width(w, size, bold=True) for w in words)

        fixed = 6 * mm + 3 * 16 * mm
        head_size = 7.5
        col_w = widest(head_size) + 7
        room = BODY_W - fixed - 30 * mm
        if n and n * col_w > room:
            col_w = room / n
            head_size = max(5.0, head_size * (col_w - 7) / widest(head_size))
        vendor_w = min(55 * mm, BODY_W - fixed - n * col_w) if n else BODY_W - fixed
        area_w = (BODY_W - fixed - vendor_w) / n if n else 0
        rows = []
        extra: list[tuple[Any, ...]] = [("ALIGN", (2, 1), (-1, -1), "RIGHT")]
        for i, r in enumerate(c.rows, start=1):
            rows.append([str(r.rank), self.p(r.vendor, _name_style(r)), self.num(r.score), self.num(r.claimed),
                         *[self.num(x, 0) for x in r.areas], "yes" if r.knocked_out else ""])
            if r.knocked_out:
                extra.append(("TEXTCOLOR", (0, i), (-1, i), RED))
        widths = [6 * mm, vendor_w, 16 * mm, 16 * mm, *([area_w] * n), 16 * mm]
        out.append(self.table(header, rows, widths, extra, head_size=head_size))
        out += self.claimed_vs_verified()
        if c.rows:
            out += [CondPageBreak(80 * mm), self.heading("Claimed vs evidence-weighted", 1, "h2"),
                    self.p("The gap between the two bars is how much of the score rests on the vendor's own "
                           "word. Knocked-out vendors in red.", "small"),
                    charts.bars([(r.vendor, r.claimed, r.score, r.knocked_out) for r in c.rows], BODY_W)]
        if c.rows and c.areas:
            out += [CondPageBreak(70 * mm), self.heading("Scores by area", 1, "h2"),
                    self.p("Filled: evidence-weighted. Dashed: claimed. Rings at 25, 50, 75 and 100.", "small")]
            labels = [a.title for a in c.areas]
            per_row = 3
            size = BODY_W / per_row - 4
            cells = [charts.radar(r.vendor, labels, r.areas, c.claimed_by_area.get(r.vendor_id, ()), size,
                                  r.knocked_out) for r in c.rows]
            grid = [cells[i:i + per_row] + [""] * (per_row - len(cells[i:i + per_row]))
                    for i in range(0, len(cells), per_row)]
            t = Table(grid, colWidths=[BODY_W / per_row] * per_row)
            t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.LATIN), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
            out.append(t)
        return out

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

    def claim_table(self, lines: Sequence[ClaimLine]) -> Table:
        """Claims with source, status and evidence."""
        rows = [[[self.p(c.text, "cell"), self.p(_short(c.source, 90), "small_muted")],
                 self.p(c.status + (f" — {c.note}" if c.note.strip() else ""), "cell"),
                 self.p(_short(c.evidence, 160), "cell")]
                for c in lines]
        widths = [88 * mm, 32 * mm, BODY_W - 120 * mm]
        return self.table(["Claim (verbatim) and source", "Status", "Evidence"], rows, widths)

    def vendor_pages(self) -> list[Flowable]:
        """One page per vendor."""
        out: list[Flowable] = []
        for i, v in enumerate(self.data.vendors):
            out.append(PageBreak())
            head = self.heading(v.name, 0)
            if i == 0:
                out.append(self.heading("Vendors", 0, "section"))
            head._bookmark = (v.name, 1)
            out.append(head)
            facts = [
                f"Rank: {v.rank if v.rank is not None else '—'}",
                f"Evidence-weighted: {self.num(v.score)}",
                f"Claimed: {self.num(v.claimed)}",
                f"Gap: {self.num(v.gap)}",
                f"Decision: {v.decision}",
            ]
            out.append(self.p("  ·  ".join(facts), "body"))
            if v.product.strip() or v.website.strip():
                out.append(self.p(" — ".join(x for x in (v.product.strip(), v.website.strip()) if x), "small"))
            if v.conditions:
                out.append(self.p("Recorded conditions: " + "; ".join(v.conditions), "small"))
            if v.context:
                out.append(self.p(v.context_sentence, "small"))
            out += [CondPageBreak(25 * mm), self.p("Scores by area", "h3")]
            rows = [[self.p(a.title, "cell"), a.version, self.num(a.evidence_weighted), self.num(a.claimed),
                     self.num(a.gap), f"{a.answered}/{a.total}", "yes" if a.knocked_out else ""] for a in v.areas]
            widths = [54 * mm, 18 * mm, 28 * mm, 18 * mm, 14 * mm, 16 * mm, BODY_W - 148 * mm]
            if rows:
                out.append(self.table(["Area", "Version", "Evidence- weighted", "Claimed", "Gap", "Scored",
                                       "Knock-out"], rows, widths, [("ALIGN", (2, 1), (-2, -1), "RIGHT")]))
            else:
                out.append(self.p("Not scored yet.", "body"))
            out += [CondPageBreak(25 * mm), self.p("Knock-outs", "h3")]
            out += self.bullets(v.knockouts, "None: the vendor passes every knock-out criterion.")
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
        out: list[Flowable] = [PageBreak(), self.heading("Methodology")]
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
                           [[d.rubric_id, self.p(d.criterion, "cell"), d.applies_from, self.p(d.sources, "cell")]
                            for d in duties], duty_w)]

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
                                [[self.p(r.criterion, "cell"), *r.ids] for r in t.rows], widths)
        if self.data.crosswalk_titles:
            out.append(self.p("Ids used", "h3"))
            out += [self.p(f"{name}: " + "; ".join(titles) + ".", "small")
                    for name, titles in self.data.crosswalk_titles]
        return out

    def appendix(self) -> list[Flowable]:
        """Every claim verbatim; every score's rationale."""
        out: list[Flowable] = [PageBreak(), self.heading("Appendix")]
        out.append(self.heading("Claims, verbatim", 1, "h2"))
        if self.data.claims:
            rows = [[self.p(c.vendor, "cellb"), [self.p(c.line.text, "cell"), self.p(c.line.source, "small_muted")],
                     c.line.status + (f" — {c.line.note}" if c.line.note.strip() else ""),
                     c.line.evidence] for c in self.data.claims]
            out += self.chunked(["Vendor", "Claim (verbatim) and source", "Status", "Evidence"], rows,
                                [30 * mm, 72 * mm, 30 * mm, BODY_W - 132 * mm])
        else:
            out.append(self.p("No claims recorded.", "body"))
        out.append(self.heading("Score rationales", 1, "h2"))
        if self.data.rationales:
            vendors = list(dict.fromkeys(r.vendor for r in self.data.rationales))
            for name in vendors:
                mine = [r for r in self.data.rationales if r.vendor == name]
                rows = [[f"{r.rubric_id}: {r.criterion}", f"{r.evaluator}: {r.answer}", r.rationale] for r in mine]
                out.append(CondPageBreak(30 * mm))
                out.append(self.p(name, "h3"))
                out += self.chunked(["Criterion", "Evaluator: score", "Rationale"], rows,
                                    [46 * mm, 46 * mm, BODY_W - 92 * mm])
        else:
            out.append(self.p("No scores recorded.", "body"))
        out += self.crosswalks()
        return out

    def story(self) -> list[Flowable]:
        """Every section in order."""
        return [*self.cover(), NextPageTemplate("body"), PageBreak(), *self.summary(), *self.comparison(),
                *self.why_in_words(), *self.risk_register(), *self.vendor_pages(), *self.methodology(),
                *self.appendix()]


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


def _canvas_maker(data: BriefData, meta: str) -> Callable[..., Canvas]:
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
                header = fonts.fit(data.header, BODY_W * 0.7, 7.5)
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


def brief_metadata(data: BriefData, options: dict[str, Any]) -> str:
    """The JSON stored in the PDF's info dictionary: the fingerprint and what --verify needs to rebuild it."""
    return json.dumps({"format": 1, "fingerprint": data.fingerprint, "options": options},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def render_pdf(data: BriefData, out: IO[bytes] | str | Path, options: dict[str, Any] | None = None) -> int:
    """Write the brief as PDF to a path or binary stream; returns the number of pages."""
    fonts.register_fonts()
    meta = brief_metadata(data, options or {})
    buf = io.BytesIO()
    doc = _Doc(
        buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
        title=fonts.clean(data.cover.title), author=fonts.clean(data.cover.organisation) or "vendoreval",
        subject=f"Board brief, {data.cover.date}", creator="vendoreval", producer="vendoreval (reportlab)",
        keywords=KEYWORD_PREFIX + data.fingerprint, invariant=1,
    )
    frame = Frame(MARGIN, MARGIN, BODY_W, PAGE_H - 2 * MARGIN, id="body", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("cover", [frame]), PageTemplate("body", [frame])])
    doc.build(_Brief(data).story(), canvasmaker=_canvas_maker(data, meta))
    pdf = buf.getvalue()
    if isinstance(out, str | Path):
        files.write_bytes_atomic(out, pdf)
    else:
        out.write(pdf)
    return int(doc.page)


__all__ = ["INFO_KEY", "KEYWORD_PREFIX", "brief_metadata", "parse_brief_metadata", "read_brief_bytes",
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
    return float(stringWidth(word, fonts.LATIN, 8))


def _wrap_plain(text: str, width: float) -> str | None:
    """Greedy line breaking of Latin text at 8 pt; None when a word is wider than the line."""
    space = _word_width(" ")
    out: list[str] = []
    for para in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for word in para.split():
            w = _word_width(word)
            if w > width:
                return None
            if line and used + space + w > width:
                out.append(" ".join(line))
                line, used = [word], w
            else:
                used += (space if line else 0.0) + w
                line.append(word)
        out.append(" ".join(line))
    return "\n".join(out)


def _name_style(row: RankRow) -> str:
    """Vendor names print bold, in red when the vendor is knocked out."""
    return "cellko" if row.knocked_out else "cellb"
