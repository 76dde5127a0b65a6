"""Counted nouns: one vendor, two vendors; one criterion, two criteria."""

from __future__ import annotations

import pytest

from vendoreval.domain.text import page_label, plural, plural_form, singular_form


@pytest.mark.parametrize(("n", "noun", "expected"), [
    (1, "vendor", "1 vendor"),
    (2, "vendor", "2 vendors"),
    (0, "vendor", "0 vendors"),
    (1, "criterion", "1 criterion"),
    (3, "criterion", "3 criteria"),
    (1, "condition", "1 condition"),
    (2, "condition", "2 conditions"),
    (2, "evaluator", "2 evaluators"),
    (2, "question", "2 questions"),
    (2, "risk", "2 risks"),
    (2, "claim", "2 claims"),
    (2, "score", "2 scores"),
    (2, "audit entry", "2 audit entries"),
    (2, "evidence item", "2 evidence items"),
    (4, "evidence", "4 evidence"),
    (2, "key", "2 keys"),  # a vowel before the y: no -ies
    (2, "match", "2 matches"),
    (2, "box", "2 boxes"),
    (2, "rubric version", "2 rubric versions"),
    (2, "Criterion", "2 Criteria"),
])
def test_plural(n: int, noun: str, expected: str) -> None:
    assert plural(n, noun) == expected


def test_an_explicit_plural_wins() -> None:
    assert plural(2, "cactus", "cacti") == "2 cacti"
    assert plural(1, "cactus", "cacti") == "1 cactus"


@pytest.mark.parametrize("noun", ["vendor", "criterion", "audit entry", "evidence", "trusted key", "match",
                                  "weight profile", "scorecard", "box", "agreed score"])
def test_singular_undoes_plural(noun: str) -> None:
    assert singular_form(plural_form(noun)) == noun


def test_singular_of_plural_keys() -> None:
    assert singular_form("vendors") == "vendor"
    assert singular_form("audit entries") == "audit entry"
    assert singular_form("criteria") == "criterion"
    assert singular_form("evidence") == "evidence"
    assert singular_form("access") == "access"  # not a plural: left alone


def test_import_summary_counts_agree() -> None:
    from collections import Counter

    from vendoreval.exchange.detect import ImportFormat
    from vendoreval.services.exchange import ImportResult

    result = ImportResult("team.json", ImportFormat.WORKSPACE, added=Counter({"vendors": 1, "audit entries": 1}),
                          updated=Counter({"claims": 2, "evidence": 1}))
    assert result.summary() == ("Imported team.json (workspace): added 1 audit entry, 1 vendor; "
                                "updated 2 claims, 1 evidence")


@pytest.mark.parametrize(("page", "shown"), [
    ("7", "p. 7"), (" 12 ", "p. 12"), ("7-9", "p. 7-9"), ("7–9", "p. 7–9"), ("clause 9.2", "clause 9.2"),
    ("p. 7", "p. 7"), ("slide 4", "slide 4"), ("Annex B", "Annex B"), ("", ""), ("   ", ""),
])
def test_a_page_number_reads_p_and_anything_else_as_written(page: str, shown: str) -> None:
    assert page_label(page) == shown
