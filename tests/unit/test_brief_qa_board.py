"""The board tester's findings on the brief (Method vs Glossary factors, one gap, the register's rows,
the DOCX 'How sure' words, headers breaking mid-word, the chart's knocked-out colour), each pinned."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from decimal import Decimal

from tests.factories import criterion, lvl, rubric
from tests.unit.test_verdict import DATE, ranked, vendor
from vendoreval.domain.commercials import Commercials
from vendoreval.domain.models import DEFAULT_DISCOUNTS, EvidenceStrength
from vendoreval.domain.risks import CriterionFacts, RiskNote, VendorFacts, derive_risks, parse_defaults
from vendoreval.domain.scoring import printed, score_gap, score_rubric
from vendoreval.domain.verdict import decide_verdict
from vendoreval.paths import rubrics_dir
from vendoreval.reports import brief_data as bd
from vendoreval.reports.pdf import gap_text

DEFAULTS = parse_defaults(tomllib.loads((rubrics_dir() / "data" / "risk-defaults.toml").read_text("utf-8")))


def _factors(text: str) -> dict[str, float]:
    """'label ×0.75' pairs stated in a text, by label."""
    out = {}
    for s in EvidenceStrength:
        m = re.search(re.escape(s.label.lower()) + r" ×([0-9]+(?:\.[0-9]+)?)", text)
        if m:
            out[s.label.lower()] = float(m.group(1))
    return out


def test_every_text_stating_the_evidence_factors_states_the_domain_ones() -> None:
    glossary = dict(bd.GLOSSARY)["Evidence-weighted"]
    texts = {"method": " ".join(bd.method_short()), "rules": " ".join(bd.scoring_rules()), "glossary": glossary}
    for where, text in texts.items():
        stated = _factors(text)
        for s in EvidenceStrength:
            if DEFAULT_DISCOUNTS[s] < 1.0:
                assert stated.get(s.label.lower()) == DEFAULT_DISCOUNTS[s], (where, s, text)
    # 'in full' only for the strengths the domain counts in full (a contract clause does not: ×0.75)
    in_full = glossary.split("counts in full")[0]
    for s in EvidenceStrength:
        if DEFAULT_DISCOUNTS[s] < 1.0:
            assert s.label.lower() not in in_full
    assert "contract clause" not in glossary


def test_the_gap_is_one_figure_in_the_table_and_in_the_top_risks() -> None:
    # 73.34 - 38.37 = 34.97, printed 73.3 and 38.4: the gap is 34.9 everywhere, what the reader's own
    # subtraction of the printed scores gives (not the 35.0 of the unrounded figures)
    assert score_gap(73.34, 38.37) == 34.9 == round(printed(73.34) - printed(38.37), 1)
    assert gap_text(73.34, 38.37) == "34.9"
    entries = ranked(vendor("Acme", 4, 4, EvidenceStrength.ASSERTION), vendor("Beta", 1, 2))
    acme = entries[0] if entries[0].vendor.name == "Acme" else entries[1]
    o = dataclasses.replace(acme.overall, claimed=73.34, evidence_weighted=38.37)
    entries = [dataclasses.replace(e, overall=o, score=38.37) if e is acme else e for e in entries]
    v = decide_verdict(entries, DATE)
    said = [r for r in v.risks if "points below what it claims" in r]
    assert said and all("34.9 points below" in r for r in said), v.risks


def _contradicted_facts() -> VendorFacts:
    r = score_rubric(rubric("r", [criterion("own", 1.0), criterion("dep", 1.0)]),
                     {"own": lvl("own", 3, EvidenceStrength.OWN_TEST), "dep": lvl("dep", 3, EvidenceStrength.OWN_TEST)})
    claim = ("We run on our own model.",)
    own, dep = (cr._replace(contradicted=True) for cr in r.criteria)
    return VendorFacts("v1", "Brightwave", (CriterionFacts("r", "own", "Own model", own, None, True, claim),
                                            CriterionFacts("r", "dep", "Provider dependency", dep, None, True, claim)),
                       commercials=Commercials("v1", exit_cost=Decimal(0), notice_months=0))


def test_one_contradicted_claim_behind_two_scores_is_one_risk_and_keeps_its_owner() -> None:
    facts = _contradicted_facts()
    for noted in ("r/own", "r/dep"):  # the owner was written on either criterion's row
        notes = [RiskNote("contradicted_claim", "v1", noted, owner="Maya Lind")]
        risks = [x for x in derive_risks([facts], notes, DEFAULTS) if x.kind == "contradicted_claim"]
        assert len(risks) == 1, risks  # not once owned and once 'no owner yet'
        (risk,) = risks
        assert risk.owner == "Maya Lind" and risk.criterion == noted
        assert "Own model" in risk.criterion_title and "Provider dependency" in risk.criterion_title
        assert "“We run on our own model.”" in risk.cause


def test_a_criterion_risk_names_its_criterion_in_pdf_and_docx() -> None:
    r = score_rubric(rubric("r", [criterion("a", 2.0), criterion("b", 2.0)]),
                     {"a": lvl("a", 1, EvidenceStrength.OWN_TEST), "b": lvl("b", 1, EvidenceStrength.OWN_TEST)})
    facts = VendorFacts("v1", "Acme", (CriterionFacts("r", "a", "Proprietary dataset", r.criteria[0], None, True),
                                       CriterionFacts("r", "b", "Funding and runway", r.criteria[1], None, True)),
                        commercials=Commercials("v1", exit_cost=Decimal(0), notice_months=0))
    lines = [ln for ln in bd.risk_lines(derive_risks([facts], [], DEFAULTS)) if ln.vendor == "Acme"]
    assert len(lines) == 2 and len({ln.named for ln in lines}) == 2  # two rows never read the same
    assert {ln.named for ln in lines} == {"Low score on a heavily weighted criterion — Proprietary dataset",
                                          "Low score on a heavily weighted criterion — Funding and runway"}


def _docx_how_sure(rows: tuple[bd.HowSureRow, ...]) -> tuple[list[str], list[list[list[str]]]]:
    import io

    import docx

    from tests.unit.test_brief_data import brief as make_brief
    from tests.unit.test_brief_data import vendor_input
    from vendoreval.reports.docx import render_docx

    data = make_brief([vendor_input("Lumen Copy", {"dpa": 4, "summary": 4}, EvidenceStrength.OWN_TEST)], [1])
    data = dataclasses.replace(data, how_sure=bd.HowSure(rows, "Nothing tested changes the recommendation."))
    buf = io.BytesIO()
    render_docx(data, buf)
    d = docx.Document(io.BytesIO(buf.getvalue()))
    return [p.text for p in d.paragraphs], [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]


def test_the_docx_says_how_sure_in_the_pdfs_words() -> None:
    rows = (bd.HowSureRow("Documentation counted at 0.75 (not 0.5)", "Lumen Copy", "No"),
            bd.HowSureRow("Without the scores of Maya Lind", "Lumen Copy", "Only below first place"))
    paragraphs, tables = _docx_how_sure(rows)
    assert not [p for p in paragraphs if "ranks first (" in p], paragraphs  # 'Lumen Copy ranks first (No)'
    cols, cells = bd.how_sure_table(bd.HowSure(rows, "")) or ((), ())
    header = [bd.HOW_SURE_HEADER[i] for i in cols]
    assert header == ["What is changed", "First place changes?"]  # as the PDF: the same leader is left out
    assert [header, *map(list, cells)] in tables
    # nothing differs: the PDF prints only the sentence, and so does the DOCX
    same = (rows[0], dataclasses.replace(rows[1], changed="No"))
    paragraphs, tables = _docx_how_sure(same)
    assert "Nothing tested changes the recommendation." in paragraphs
    assert not [t for t in tables if t and t[0][0] == "What is changed"]
    assert not [p for p in paragraphs if "ranks first (" in p]


def test_a_header_wider_than_its_column_breaks_after_its_hyphen_not_mid_word() -> None:
    from reportlab.lib.units import mm

    from vendoreval.reports import fonts, pdf

    fonts.register_fonts()
    width = 36 * mm - 7  # the comparison's label column, as the writer's p() measures it
    assert fonts.string_width("(evidence-weighted)", pdf.CELL_PT, True) > width  # reportlab would cut it
    text = pdf.break_long_tokens("Overall (evidence-weighted)", width, pdf.CELL_PT, bold=True)
    assert text == "Overall (evidence-\nweighted)", text
    # a table header goes the same way (the ranking's 'Evidence-weighted' at 8 pt in its column)
    assert pdf.break_long_tokens("Evidence-weighted", 18 * mm - 6, 8, bold=True) == "Evidence-\nweighted"


def test_a_knocked_out_vendors_bars_are_red_as_the_caption_says() -> None:
    from reportlab.graphics.shapes import Rect

    from vendoreval.reports import charts

    def fills(rows: list[tuple[str, float | None, float | None, bool]]) -> list[object]:
        d = charts.bars(rows, 400)
        bars = [s for s in d.contents if isinstance(s, Rect) and s.height > 7]  # the bars, not the legend's keys
        return [b.fillColor for b in bars]

    assert fills([("Nordlicht", 37.0, 18.5, True)]) == [charts.KNOCKED_CLAIMED, charts.KNOCKED]
    assert fills([("Lumen", 73.3, 38.4, False)]) == [charts.CLAIMED, charts.EVIDENCE]
