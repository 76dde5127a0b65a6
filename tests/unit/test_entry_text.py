"""Figures as people write them, and text pasted from a PDF, read the way the user meant them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vendoreval.domain.figures import FigureError, display_figure, parse_figure
from vendoreval.domain.pasted_text import LIST_ITEM, join_pdf_lines


@pytest.mark.parametrize(("text", "value"), [
    ("40 billion", 40e9), ("40B", 40e9), ("40 bn", 40e9), ("2.3bn", 2.3e9), ("4e10", 4e10),
    ("40 billion ", 40e9), ("6,000", 6000.0), ("40,000,000", 40e6), ("650 million", 650e6), ("650M", 650e6),
    ("1.5 trillion", 1.5e12), ("3T", 3e12), ("12k", 12000.0), ("0.98", 0.98), ("1_000", 1000.0),
    ("-2.5", -2.5), ("4E+10", 4e10), ("2.3 Bn.", 2.3e9), (".5", 0.5), ("40 000", 40000.0),
])
def test_figures_people_write_are_read(text: str, value: float) -> None:
    assert parse_figure(text) == value


@pytest.mark.parametrize(("text", "unit", "value"), [
    ("40 billion tokens", "tokens", 40e9), ("1 token", "tokens", 1.0), ("650M images", "images", 650e6),
    ("40B Tokens", "tokens", 40e9), ("40 billion", "tokens", 40e9), ("1,200 hours", "hours", 1200.0),
])
def test_the_criterion_unit_may_follow_the_figure(text: str, unit: str, value: float) -> None:
    assert parse_figure(text, unit) == value


def test_another_unit_is_not_taken_for_the_criterion_unit() -> None:
    with pytest.raises(FigureError):
        parse_figure("40 billion images", "tokens")
    with pytest.raises(FigureError):
        parse_figure("40 billionstokens", "tokens")


@pytest.mark.parametrize(("text", "message"), [
    ("lots", "is not a figure"), ("40 gazillion", "'gazillion' is not a scale"), ("", "is not a figure"),
    ("1,5", "is not a figure"), ("40,00", "is not a figure"), ("1e400", "too large"), ("4 0", "is not a figure"),
])
def test_what_is_not_a_figure_is_refused_with_the_accepted_forms(text: str, message: str) -> None:
    with pytest.raises(FigureError, match=message):
        parse_figure(text)


@pytest.mark.parametrize(("value", "shown"), [
    (40e9, "40 billion"), (2.3e9, "2.3 billion"), (650e6, "650 million"), (1.5e12, "1.5 trillion"),
    (6000.0, "6,000"), (0.98, "0.98"), (0.0, "0"), (-4e10, "-40 billion"), (1234567.0, "1.234567 million"),
    (1e15, "1,000 trillion"), (1e25, "1e+25"), (4e-07, "4e-07"), (999999.5, "999,999.5"),
])
def test_figures_are_shown_in_words(value: float, shown: str) -> None:
    assert display_figure(value) == shown


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_shown_figure_reads_back_exactly(x: float) -> None:
    back = parse_figure(display_figure(x))
    assert back == x  # -0.0 shows as "0" and reads as 0.0, which equals it


@given(st.integers(min_value=0, max_value=10**18), st.sampled_from(["", " thousand", " million", " billion"]))
def test_written_integers_with_a_scale_read_as_that_many(n: int, scale: str) -> None:
    power = {"": 0, " thousand": 3, " million": 6, " billion": 9}[scale]
    assert parse_figure(f"{n:,}{scale}") == float(n * 10**power)


def test_pdf_line_breaks_are_joined_and_paragraphs_kept() -> None:
    pasted = ("Our proprietary model was trained on 40 bil-\r\nlion tokens of licensed mar-\nketing copy,\n"
              "curated by our state-of-the-\nart pipeline.\n\n  \nAI-\nPowered insights for every\nteam.\n")
    assert join_pdf_lines(pasted) == ("Our proprietary model was trained on 40 billion tokens of licensed marketing "
                                      "copy, curated by our state-of-the-art pipeline.\n\n"
                                      "AI-Powered insights for every team.")


def test_list_items_keep_their_lines_and_soft_hyphens_go() -> None:
    pasted = "Certified:\n• ISO 27001\n• SOC 2 Type\nII\n1. Hosted in the EU\nGDPR com\u00adpliant"
    assert join_pdf_lines(pasted) == "Certified:\n• ISO 27001\n• SOC 2 Type II\n1. Hosted in the EU GDPR compliant"


def test_text_without_line_breaks_is_unchanged() -> None:
    assert join_pdf_lines("  98 %  accurate ") == "  98 %  accurate "


@settings(max_examples=500)
@given(st.lists(st.text(alphabet="abc XYZ.-•1)", min_size=1, max_size=12), min_size=1, max_size=6))
def test_joined_text_has_no_line_break_inside_a_paragraph_and_is_stable(lines: list[str]) -> None:
    joined = join_pdf_lines("\n".join(lines))
    # a line break survives inside a paragraph only before a list item
    assert all(LIST_ITEM.match(line) for para in joined.split("\n\n") for line in para.split("\n")[1:])
    assert join_pdf_lines(joined) == joined
