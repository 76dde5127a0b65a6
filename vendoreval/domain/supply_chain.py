"""The model supply chain: which models a vendor's product is built on, and the public baseline behind them.

A vendor records the models its product uses (provider, model, version, whether the model is the
vendor's own). A provider that is a foundation-model developer scored by the Foundation Model
Transparency Index has a public baseline: the developer's FMTI total per edition (out of 100) and the
indicators that bear on each of our criteria. Pure rules: no I/O, no SQL, no Qt.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .models import new_id, utc_now

#: The longest provider, model and version names kept (a sub-processor list, not an essay).
MAX_NAME = 200
MAX_VERSION = 100
MAX_NOTE = 2000


class SupplyChainError(ValueError):
    """A model entry or a baseline that breaks a rule; the message says which field and why."""


@dataclass(frozen=True)
class ModelUse:
    """One model a vendor's product uses."""

    vendor_id: str
    provider: str
    model: str
    version: str = ""
    own: bool = False  # the vendor's own model (trained or fine-tuned by the vendor from its own base)
    note: str = ""
    id: str = field(default_factory=new_id)
    created_at: str = field(default_factory=utc_now)
    updated_at: str = field(default_factory=utc_now)
    #: Raised by the store on every write (bundles: only a higher revision from the owner key replaces it).
    revision: int = field(default=1, compare=False)

    @property
    def label(self) -> str:
        """'OpenAI GPT-4o (2024-08-06)' or 'Acme Muse (own model)'."""
        name = f"{self.provider} {self.model}" + (f" ({self.version})" if self.version else "")
        return f"{name} (own model)" if self.own else name


def _clean(value: str, what: str, limit: int, *, required: bool) -> str:
    text = " ".join(str(value).split())
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text):
        raise SupplyChainError(f"{what}: control or format characters are not allowed")
    if required and not text:
        raise SupplyChainError(f"{what}: cannot be empty")
    if len(text) > limit:
        raise SupplyChainError(f"{what}: {len(text)} characters; at most {limit}")
    return text


def make_model_use(vendor_id: str, provider: str, model: str, *, version: str = "", own: bool = False,
                   note: str = "") -> ModelUse:
    """A checked ModelUse: names trimmed, no control characters, within the length limits."""
    return ModelUse(
        vendor_id=vendor_id,
        provider=_clean(provider, "provider", MAX_NAME, required=True),
        model=_clean(model, "model", MAX_NAME, required=True),
        version=_clean(version, "version", MAX_VERSION, required=False),
        own=bool(own),
        note=str(note).strip()[:MAX_NOTE],
    )


def same_model(a: ModelUse, b: ModelUse) -> bool:
    """The same provider, model and version (case and spaces ignored): recorded twice."""
    return (norm(a.provider), norm(a.model), norm(a.version)) == (norm(b.provider), norm(b.model), norm(b.version))


def norm(name: str) -> str:
    """A name for comparison: spaces collapsed, case ignored."""
    return " ".join(name.split()).casefold()


def third_party(models: Iterable[ModelUse]) -> list[ModelUse]:
    """The models that are not the vendor's own."""
    return [m for m in models if not m.own]


# --- the supply chain behind the engagement context's gpai-model answer --------------------------------

def gpai_answer(models: Sequence[ModelUse]) -> str | None:
    """The ``gpai-model`` answer the recorded models imply: 'third-party' when any model is someone
    else's, 'own' when all are the vendor's, None when none is recorded (the models say nothing)."""
    if not models:
        return None
    return "third-party" if third_party(models) else "own"


def gpai_conflict(answer: str | None, models: Sequence[ModelUse]) -> str | None:
    """Why the context answer ``answer`` contradicts the recorded models, or None when they agree.

    'none' contradicts any recorded model; 'own' contradicts a third-party model (the product then
    uses someone else's model too); 'third-party' with only own models recorded is allowed (the
    third-party model may simply not be recorded yet). An unanswered question conflicts with nothing.
    """
    if answer is None or not models:
        return None
    if answer == "none":
        return (f"the context says the product uses no general-purpose AI model, but {models[0].label} is recorded "
                "as a model behind it")
    others = third_party(models)
    if answer == "own" and others:
        return (f"the context says the product uses only the vendor's own model, but {others[0].label} "
                "is a third-party model behind it")
    return None


# --- public baselines ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    """One FMTI edition: each developer's 0/1 per indicator (indicator names as that edition spells them)."""

    edition: str  # YYYY-MM
    title: str
    rubric_id: str
    rubric_version: str
    source: str  # where it came from: "shipped" or the imported file's name
    scores: Mapping[str, Mapping[str, int]]  # developer -> indicator -> 0/1

    @property
    def developers(self) -> list[str]:
        """Developers in the edition, by name."""
        return sorted(self.scores, key=str.casefold)

    def total(self, developer: str) -> int:
        """The developer's FMTI score: the number of indicators it satisfies (out of the edition's count)."""
        return sum(self.scores[developer].values())

    @property
    def indicator_count(self) -> int:
        """How many indicators the edition scores (100 in every edition so far)."""
        return max((len(v) for v in self.scores.values()), default=0)


def developer_key(name: str, aliases: Mapping[str, Sequence[str]]) -> str:
    """The canonical developer name for ``name`` (itself when no alias list names it), for matching."""
    wanted = norm(name)
    for canonical, others in aliases.items():
        if wanted == norm(canonical) or any(wanted == norm(o) for o in others):
            return norm(canonical)
    return wanted


def find_developer(provider: str, baseline: Baseline, aliases: Mapping[str, Sequence[str]]) -> str | None:
    """The developer of ``baseline`` that ``provider`` names (case-insensitive, through the aliases)."""
    key = developer_key(provider, aliases)
    for dev in baseline.scores:
        if developer_key(dev, aliases) == key:
            return dev
    return None


@dataclass(frozen=True)
class EditionScore:
    """A developer's total in one edition."""

    edition: str
    title: str
    developer: str  # as the edition names it
    total: int
    out_of: int


@dataclass(frozen=True)
class ProviderBaseline:
    """What the public record says about one of a vendor's model providers."""

    model: ModelUse
    scores: tuple[EditionScore, ...]  # oldest edition first; empty when no edition names the provider
    relevant: Mapping[str, tuple[tuple[str, int], ...]]  # "rubric:criterion" -> (indicator, 0/1) in the latest

    @property
    def latest(self) -> EditionScore | None:
        """The newest edition's score."""
        return self.scores[-1] if self.scores else None

    @property
    def trend(self) -> str:
        """'35 → 41 → 58' across editions, or '' with fewer than two."""
        return " → ".join(str(s.total) for s in self.scores) if len(self.scores) > 1 else ""

    @property
    def summary(self) -> str:
        """One line for the vendor page and the brief."""
        m = self.model
        if self.latest is None:
            return f"{m.provider}: no FMTI baseline (the index does not score this developer)"
        s = self.latest
        listed = f" (listed as {s.developer})" if norm(s.developer) != norm(m.provider) else ""
        trend = f"; {self.trend} across {len(self.scores)} editions" if self.trend else ""
        return f"{m.provider}{listed}: {s.total}/{s.out_of} in {s.title}{trend}"


def provider_baselines(models: Iterable[ModelUse], baselines: Sequence[Baseline],
                       aliases: Mapping[str, Sequence[str]],
                       relevance: Mapping[str, Sequence[str]]) -> list[ProviderBaseline]:
    """The public baseline of each third-party model's provider (own models have none: the vendor is no
    FMTI developer unless it is one, which the FMTI import covers)."""
    ordered = sorted(baselines, key=lambda b: b.edition)
    out = []
    for m in third_party(models):
        scores = []
        relevant: dict[str, tuple[tuple[str, int], ...]] = {}
        for b in ordered:
            dev = find_developer(m.provider, b, aliases)
            if dev is None:
                continue
            scores.append(EditionScore(b.edition, b.title, dev, b.total(dev), b.indicator_count))
            values = {norm(k): v for k, v in b.scores[dev].items()}
            relevant = {key: tuple((name, values[norm(name)]) for name in names if norm(name) in values)
                        for key, names in relevance.items()}
        out.append(ProviderBaseline(m, tuple(scores), {k: v for k, v in relevant.items() if v}))
    return out


# --- contradictions between what the vendor says and the public record ----------------------------------

_OWN_MODEL = re.compile(
    r"\b(our|its|their)\s+(very\s+)?own\s+(ai\s+|foundation\s+|language\s+|large\s+language\s+)?models?\b"
    r"|\bproprietary\s+(ai\s+|foundation\s+|language\s+|large\s+language\s+)?models?\b"
    r"|\bin-house\s+(ai\s+|foundation\s+|language\s+)?models?\b"
    r"|\bbuilt\s+(our|its)\s+own\s+(ai|llm|model)\b"
    r"|\bown\s+(llm|foundation\s+model)\b",
    re.IGNORECASE)


def claims_own_model(text: str) -> bool:
    """The text asserts the vendor's own model ("our own model", "proprietary LLM", "in-house model")."""
    return bool(_OWN_MODEL.search(text))


@dataclass(frozen=True)
class Contradiction:
    """A vendor's claim that the public record (its own model list and the baselines) contradicts."""

    claim_id: str
    claim_text: str
    model: ModelUse
    baseline: EditionScore | None

    @property
    def sentence(self) -> str:
        """'Sold as own model; a third-party model is behind it: OpenAI GPT-4o (FMTI 2025 score 35/100).'"""
        extra = (f"; {self.model.provider}'s FMTI {self.baseline.edition[:4]} score is "
                 f"{self.baseline.total}/{self.baseline.out_of}") if self.baseline else ""
        return f"Sold as own model; a third-party model is behind it: {self.model.label}{extra}."


def own_model_contradictions(claims: Iterable[tuple[str, str]], models: Sequence[ModelUse],
                             baselines: Sequence[ProviderBaseline]) -> list[Contradiction]:
    """Claims (id, text) asserting an own model while the recorded supply chain holds a third-party model.

    A vendor that records both its own model and a third-party one still contradicts "our own model"
    only when it has no own model at all; with one, the claim may be true for that part of the product.
    """
    if any(m.own for m in models):
        return []
    others = third_party(models)
    if not others:
        return []
    by_model = {b.model.id: b.latest for b in baselines}
    # name the model the public record knows best: the first with a baseline, else the first recorded
    first = next((m for m in others if by_model.get(m.id) is not None), others[0])
    return [Contradiction(cid, text, first, by_model.get(first.id))
            for cid, text in claims if claims_own_model(text)]
