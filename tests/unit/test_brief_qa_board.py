"""The board tester's findings on the brief (Method vs Glossary factors, one gap, the register's rows,
the DOCX 'How sure' words, headers breaking mid-word, the chart's knocked-out colour), each pinned."""

from __future__ import annotations

import dataclasses
import re

from tests.unit.test_verdict import DATE, ranked, vendor
from vendoreval.domain.models import DEFAULT_DISCOUNTS, EvidenceStrength
from vendoreval.domain.scoring import printed, score_gap
from vendoreval.domain.verdict import decide_verdict
from vendoreval.reports import brief_data as bd
from vendoreval.reports.pdf import gap_text


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
    # 73.34 - 38.37 = 34.97 unrounded (35.0), but the table prints 73.3 and 38.4: the gap is 34.9 everywhere
    assert score_gap(73.34, 38.37) == 34.9 == round(printed(73.34) - printed(38.37), 1)
    assert gap_text(73.34, 38.37) == "34.9"
    entries = ranked(vendor("Acme", 4, 4, EvidenceStrength.ASSERTION), vendor("Beta", 1, 2))
    acme = entries[0] if entries[0].vendor.name == "Acme" else entries[1]
    o = dataclasses.replace(acme.overall, claimed=73.34, evidence_weighted=38.37)
    entries = [dataclasses.replace(e, overall=o, score=38.37) if e is acme else e for e in entries]
    v = decide_verdict(entries, DATE)
    said = [r for r in v.risks if "points below what it claims" in r]
    assert said and all("34.9 points below" in r for r in said), v.risks
