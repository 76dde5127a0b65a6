"""domain/passages.split_sentences: sentence ends found, abbreviations, figures and list numbers kept whole."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vendoreval.domain.passages import Passage, split_sentences


def _texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(Passage(text, page=4, location="Accuracy"))]


@pytest.mark.parametrize(("text", "sentences"), [
    ("Our detector is 98.5 % accurate. It costs $6,000. Try it!",
     ["Our detector is 98.5 % accurate.", "It costs $6,000.", "Try it!"]),
    ("Used by brands, e.g. Nike and Adidas. Others, i.e. Puma, too.",
     ["Used by brands, e.g. Nike and Adidas.", "Others, i.e. Puma, too."]),
    ("Acme Inc. Chief Executive Dana Lee said so. Built in the U.S. Army labs. Ask Dr. Smith.",
     ["Acme Inc. Chief Executive Dana Lee said so.", "Built in the U.S. Army labs.", "Ask Dr. Smith."]),
    ("Revenue rose 2.3bn in 2024. 2025 will be better.", ["Revenue rose 2.3bn in 2024.", "2025 will be better."]),
    ("Wait for it... The best AI. Truly… Unmatched.", ["Wait for it...", "The best AI.", "Truly…", "Unmatched."]),
    ("And then... it just works.", ["And then... it just works."]),
    ("1. Our model is our own. 2. It is fast.", ["1. Our model is our own.", "2. It is fast."]),
    ("Features: • fast • 98 % accurate • private", ["Features:", "• fast", "• 98 % accurate", "• private"]),
    ("He said \"It is the first.\" Then he left (quickly.) Done?",
     ["He said \"It is the first.\"", "Then he left (quickly.)", "Done?"]),
    ("First line\nsecond line", ["First line", "second line"]),
    ("See Fig. 3 and No. 1 in the ranking.", ["See Fig. 3 and No. 1 in the ranking."]),
    ("J. R. Smith trained it on 40 billion tokens.", ["J. R. Smith trained it on 40 billion tokens."]),
    ("   ", []),
])
def test_sentences(text: str, sentences: list[str]) -> None:
    assert _texts(text) == sentences


def test_sentences_keep_place_and_offset() -> None:
    text = "  We are first.  We are best."
    out = split_sentences(Passage(text, page=4, location="Accuracy"))
    assert out == [Passage("We are first.", 4, "Accuracy"), Passage("We are best.", 4, "Accuracy")]
    assert [(s.offset, text[s.offset:s.offset + len(s.text)]) for s in out] == [(2, "We are first."),
                                                                                 (17, "We are best.")]


_PIECES = st.sampled_from(["e.g.", "Inc.", "U.S.", "98.5 %", "$6,000.", "...", "…", "•", "1.", "!", "?", " ", "\n",
                           "The", "model", "A.", "x", "(", ")", "\"", "—"])


@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=30).map(" ".join))
def test_sentences_keep_every_non_space_character_in_order(text: str) -> None:
    out = split_sentences(Passage(text, page=2))
    assert "".join("".join(s.text.split()) for s in out) == "".join(text.split())
    for s in out:
        assert s.text and s.text == s.text.strip() and s.page == 2
        assert s.offset is not None and text[s.offset:s.offset + len(s.text)] == s.text


def test_a_long_passage_splits_in_linear_time() -> None:
    """Each sentence end is judged from the words around it (no copy of the rest of the passage):
    30,000 sentences with 120,000 full stops in one 1.2 MB passage split at once."""
    text = "The U.S. team, e.g. Dr. Lee, hit 98.5 %. " * 30_000
    out = split_sentences(Passage(text))
    assert len(out) == 30_000
    assert out[-1].text == "The U.S. team, e.g. Dr. Lee, hit 98.5 %."
