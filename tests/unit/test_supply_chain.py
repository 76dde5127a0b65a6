"""Rules of the model supply chain: names, own-model claims, provider matching, baselines per provider."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vendoreval.domain.supply_chain import (
    Baseline,
    SupplyChainError,
    claims_own_model,
    find_developer,
    make_model_use,
    own_model_contradictions,
    provider_baselines,
)

ALIASES = {"Mistral": ("Mistral AI",), "Stability AI": ("Stability",)}


def baseline(edition: str, scores: dict[str, dict[str, int]]) -> Baseline:
    return Baseline(edition, f"FMTI {edition}", "fmti", "x", "test", scores)


@pytest.mark.parametrize(("text", "expected"), [
    ("Powered by our own AI model.", True),
    ("We built our own LLM from scratch.", True),
    ("A proprietary large language model trained on marketing data.", True),
    ("Its in-house model handles segmentation.", True),
    ("Our very own foundation model.", True),
    ("We use models from leading providers.", False),
    ("You own the model outputs.", False),
    ("Bring your own model (BYOM) is supported.", False),
])
def test_own_model_claims(text: str, expected: bool) -> None:
    assert claims_own_model(text) is expected


def test_provider_matches_case_insensitively_and_through_aliases() -> None:
    b = baseline("2025-12", {"Mistral": {"a": 1}, "OpenAI": {"a": 0}})
    assert find_developer("mistral ai", b, ALIASES) == "Mistral"
    assert find_developer("  OPENAI ", b, ALIASES) == "OpenAI"
    assert find_developer("Tiny Lab", b, ALIASES) is None


def test_trend_and_relevant_indicators_come_from_every_edition_naming_the_provider() -> None:
    old = baseline("2024-05", {"Stability": {"Data size": 1, "Wages": 1}})
    new = baseline("2025-12", {"Stability AI": {"Data size": 0, "Crawling": 1, "Other": 1}})
    m = make_model_use("v", "Stability AI", "SDXL")
    (pb,) = provider_baselines([m], [new, old], ALIASES, {"t:size": ["Data size"], "c:crawl": ["crawling"],
                                                         "x:none": ["Nope"]})
    assert [(s.edition, s.total) for s in pb.scores] == [("2024-05", 2), ("2025-12", 2)]
    assert pb.trend == "2 → 2" and pb.latest is not None and pb.latest.developer == "Stability AI"
    assert dict(pb.relevant) == {"t:size": (("Data size", 0),), "c:crawl": (("crawling", 1),)}
    assert pb.summary == "Stability AI: 2/3 in FMTI 2025-12; 2 → 2 across 2 editions"
    assert provider_baselines([make_model_use("v", "Acme", "Muse", own=True)], [new], ALIASES, {}) == []


def test_contradiction_needs_a_third_party_model_and_no_own_one() -> None:
    claims = [("c1", "Our own AI model writes every email."), ("c2", "Fully GDPR compliant.")]
    third = make_model_use("v", "OpenAI", "GPT-4o")
    own = make_model_use("v", "Acme", "Muse", own=True)
    (c,) = own_model_contradictions(claims, [third], [])
    assert c.claim_id == "c1" and c.sentence == "Sold as own model; a third-party model is behind it: OpenAI GPT-4o."
    assert own_model_contradictions(claims, [third, own], []) == []
    assert own_model_contradictions(claims, [], []) == []


printable = st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs")), min_size=1, max_size=60)


@given(provider=printable, model=printable)
def test_names_are_trimmed_and_collapsed_idempotently(provider: str, model: str) -> None:
    try:
        m = make_model_use("v", provider, model)
    except SupplyChainError as exc:
        assert "cannot be empty" in str(exc)  # only all-blank names are refused
        assert not provider.split() or not model.split()
        return
    again = make_model_use("v", m.provider, m.model)
    assert (again.provider, again.model) == (m.provider, m.model)
    assert m.provider == " ".join(provider.split()) and m.label.startswith(m.provider)
