"""The claim finder: sentences → candidate claims with kind, figure, criteria (with why) and questions.

Exact expectations on single sentences; the rules file checked against the shipped rubrics; and the
labelled corpus (tests/data/claim_corpus) measured as a whole and on its held-out documents.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.data.claim_corpus.build import load_specs, spec_passages
from vendoreval.domain.claim_finder import (
    KINDS,
    Candidate,
    Figure,
    FinderRulesError,
    classify,
    find_candidates,
    find_figures,
)
from vendoreval.domain.passages import Passage
from vendoreval.domain.rubric import load_rubric_file
from vendoreval.errors import UserError
from vendoreval.services.claim_rules import load_finder_rules, rules_path, shipped_criterion_refs

REPO = Path(__file__).resolve().parents[2]
RUBRICS = [load_rubric_file(p) for p in sorted((REPO / "rubrics").glob("*.toml"))]


@pytest.fixture(scope="module")
def rules():  # type: ignore[no-untyped-def]
    return load_finder_rules()


def one(text: str, rules, page: int | None = 3, location: str | None = None) -> Candidate:  # type: ignore[no-untyped-def]
    found = find_candidates([Passage(text, page=page, location=location)], rules, RUBRICS)
    assert len(found) == 1, f"expected one candidate for {text!r}, got {found}"
    return found[0]


def refs(c: Candidate) -> list[str]:
    return [m.ref for m in c.criteria]


# --- kinds, figures, criteria --------------------------------------------------------------------

def test_an_accuracy_figure_is_read_with_its_unit_and_mapped_to_evaluations(rules) -> None:  # type: ignore[no-untyped-def]
    c = one("Our AI Content Detector is 98% accurate on any kind of text.", rules)
    assert (c.kind, c.page, c.location) == ("accuracy", 3, None)
    assert c.figure == Figure(98.0, "%", "98%")
    assert refs(c) == ["capabilities:evaluations", "capabilities:external-reproducibility"]
    assert c.criteria[0].why == "an accuracy or performance figure needs an evaluation we can reproduce"
    assert c.kind_why == "accuracy: “accurate”"
    assert any("test set" in q for q in c.questions)
    assert any("error rates" in q and "by segment" in q for q in c.questions)


def test_a_training_data_scale_claim_names_tokens_and_licences(rules) -> None:  # type: ignore[no-untyped-def]
    c = one("LumoraLM was trained on 40 billion tokens of licensed marketing copy.", rules)
    assert c.kind == "training_data"
    assert c.figure == Figure(40e9, "tokens", "40 billion tokens")
    assert refs(c) == ["training-data:source-decomposition", "ai-act:training-summary", "training-data:text-tokens",
                       "training-data:licensed-data", "copyright:lawful-access"]
    by_ref = {m.ref: m.why for m in c.criteria}
    assert by_ref["training-data:text-tokens"] == "training data claim mentioning “tokens”"
    assert by_ref["training-data:licensed-data"] == "training data claim mentioning “licensed”"
    assert any("before or after augmentation" in q for q in c.questions)


def test_images_go_to_the_image_count_criterion(rules) -> None:  # type: ignore[no-untyped-def]
    c = one("The vision model learned from 650 million images of storefronts.", rules)
    assert c.kind == "training_data"
    assert c.figure == Figure(650e6, "images", "650 million images")
    assert "training-data:image-count" in refs(c)
    assert "training-data:text-tokens" not in refs(c)


@pytest.mark.parametrize(("text", "kind", "figure"), [
    ("Accuracy reached 98 percent in an independent test.", "accuracy", Figure(98.0, "%", "98 percent")),
    ("Customers save $6,000 per month on agency fees.", "outcome_roi", Figure(6000.0, "USD", "$6,000")),
    ("The training set includes 2.3bn product descriptions.", "training_data", Figure(2.3e9, None, "2.3bn")),
    ("Presto handles 95% of orders with no human intervention.", "automation", Figure(95.0, "%", "95%")),
    ("The studio is available 99.95% of the time, backed by our SLA.", "availability", Figure(99.95, "%", "99.95%")),
    ("Customers see a 3.5x return on investment in the first year.", "outcome_roi", Figure(3.5, "x", "3.5x")),
    ("Our model was trained on 40B tokens.", "training_data", Figure(40e9, "tokens", "40B tokens")),
    ("It is the world's first robot lawyer.", "superlative", None),
    ("Lumora runs on a proprietary language model we trained from scratch.", "model_ownership", None),
    ("Predict is built on GPT-4o from OpenAI, combined with our own ranking models.", "model_ownership", None),
    ("We never use your content to train our models.", "customer_data", None),
    ("We are SOC 2 Type II and ISO 27001 certified.", "compliance", None),
    ("Smarter marketing with the power of AI.", "ai_powered", None),
    ("Rated #1 by G2 for AI writing assistants.", "superlative", None),
    ("Deploy in your own VPC or on premises.", "availability", None),
    ("We process over 10 million API calls per day.", "accuracy", Figure(10e6, None, "10 million")),
])
def test_kind_and_figure(rules, text: str, kind: str, figure: Figure | None) -> None:  # type: ignore[no-untyped-def]
    c = one(text, rules)
    assert (c.kind, c.figure) == (kind, figure)


def test_several_kinds_take_the_highest_priority_and_keep_every_criterion(rules) -> None:  # type: ignore[no-untyped-def]
    # A "most accurate" claim is first a comparison (superlative), and still bears on the evaluations.
    c = one("It is the most accurate AI-content detector on the market, with a false-positive rate below 0.5%.",
            rules)
    assert c.kind == "superlative"
    assert c.figure == Figure(0.5, "%", "0.5%")
    assert refs(c) == ["capabilities:limitations", "capabilities:evaluations", "capabilities:external-reproducibility"]
    assert any("Compared with whom" in q for q in c.questions)
    assert any("median customer" in q for q in c.questions)


def test_model_ownership_and_customer_data_criteria(rules) -> None:  # type: ignore[no-untyped-def]
    own = one("Our speech recognition engine is proprietary and developed entirely by Cadence.", rules)
    assert refs(own) == ["training-data:own-model", "viability:model-provider-dependency", "ai-security:ai-bom"]
    data = one("Briefs and drafts are deleted 30 days after a campaign closes.", rules)
    assert data.kind == "customer_data"
    assert data.figure == Figure(30.0, "days", "30 days")
    assert refs(data) == ["gdpr:dpa", "gdpr:retention-deletion", "copyright:customer-content-rights"]
    eu = one("All customer data is stored in Frankfurt and never leaves the EU.", rules)
    assert "gdpr:residency-transfers" in refs(eu)


def test_automation_questions_ask_for_the_share_of_work_done_by_people(rules) -> None:  # type: ignore[no-untyped-def]
    c = one("Campaigns go live without a human touching the copy.", rules)
    assert c.kind == "automation"
    assert refs(c) == ["capabilities:human-oversight", "capabilities:what-it-does"]
    assert any("share of the work is done by people" in q for q in c.questions)


def test_criteria_of_rubrics_not_at_hand_are_left_out(rules) -> None:  # type: ignore[no-untyped-def]
    only_capabilities = [r for r in RUBRICS if r.id == "capabilities"]
    [c] = find_candidates([Passage("Our model was trained on 40 billion tokens and is 98% accurate.")],
                          rules, only_capabilities)
    assert c.kind == "training_data"
    assert c.criteria == ()
    [c] = find_candidates([Passage("Our model was trained on 40 billion tokens.")], rules)  # no rubrics: all
    assert "training-data:text-tokens" in refs(c)


# --- what is never proposed ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "why"), [
    ("© 2026 Lumora GmbH. All rights reserved.", "boilerplate: copyright"),
    ("Veritext Inc., 500 Boylston Street, Suite 1200, Boston, MA 02116", "boilerplate: address"),
    ("Lumora GmbH, Torstraße 140, 10119 Berlin, Germany", "boilerplate: address"),
    ("Phone: +1 617 555 0142", "boilerplate: phone or e-mail"),
    ("Our offices are open Monday to Friday, 9:00 to 17:30 CET.", "boilerplate: opening hours"),
    ("Payment terms: net 45 days from invoice date.", "boilerplate: payment terms"),
    ("Invoices are payable within 30 days of issue.", "boilerplate: payment terms"),
    ("We use cookies to improve your experience. Accept all cookies", "boilerplate: cookie banner"),
    ("Home | Product | Pricing | Customers | Blog | Log in", "boilerplate: navigation"),
    ("This release contains forward-looking statements that involve risks and uncertainties.",
     "boilerplate: legal notice"),
    ("How accurate is the model on your data?", "not a claim: question"),
    ("Book a demo to see how accurate it is.", "not a claim: call to action"),
    ("Best regards,", "not a claim: greeting or sign-off"),
    ("Built on our own language model", "a heading"),
    ("Accuracy depends on the quality of the data you provide.", "a hedge without a figure"),
    ("First, connect your CMS and your social accounts in Settings.", "no kind matched"),
    ("AI is changing how marketing teams work.", "no kind matched"),
    ("Quanta Support was founded in 2019 and is headquartered in Amsterdam.", "no kind matched"),
])
def test_boilerplate_and_non_claims_are_dropped_with_the_reason(rules, text: str, why: str) -> None:  # type: ignore[no-untyped-def]
    assert classify(text, rules).kind is None
    assert classify(text, rules).why == why
    assert find_candidates([Passage(text, page=1)], rules, RUBRICS) == []


def test_a_hedge_with_a_figure_is_still_a_claim(rules) -> None:  # type: ignore[no-untyped-def]
    c = one("Accuracy depends on the language, from 91% on Finnish to 97% on English.", rules)
    assert (c.kind, c.figure) == ("accuracy", Figure(91.0, "%", "91%"))


def test_years_dates_times_versions_and_standards_are_not_figures(rules) -> None:  # type: ignore[no-untyped-def]
    text = "Since 2019, on 19 May 2026 at 9:00, Autopilot 2 met ISO 27001, SOC 2 and 24/7 support via GPT-4o."
    assert find_figures(text, rules) == []
    assert find_figures("Fewer than 1 in 200 drafts, 10k users, 1,000,000 pages, 4x faster", rules) == [
        Figure(1.0, None, "1"), Figure(200.0, None, "200"), Figure(10e3, "users", "10k users"),
        Figure(1e6, "pages", "1,000,000 pages"), Figure(4.0, "x", "4x")]


def test_candidates_keep_reading_order_location_and_are_proposed_once(rules) -> None:  # type: ignore[no-untyped-def]
    passages = [
        Passage("Lumora is SOC 2 Type II certified.", location="slide 7"),
        Passage("© 2026 Lumora GmbH. All rights reserved.", location="slide 7"),
        Passage("Teams publish campaigns 4x faster than with agency workflows.", location="slide 8"),
        Passage("Lumora is  SOC 2 Type II\ncertified.", location="slide 9"),  # repeated on a later slide
    ]
    found = find_candidates(passages, rules, RUBRICS)
    assert [(c.kind, c.location, c.page) for c in found] == [("compliance", "slide 7", None),
                                                             ("outcome_roi", "slide 8", None)]
    assert found[0].as_json() == {
        "text": "Lumora is SOC 2 Type II certified.", "page": None, "location": "slide 7", "kind": "compliance",
        "figure": None,
        "criteria": [{"rubric": "viability", "criterion": "security-certifications",
                      "why": "a certification claim is checked against the certificate"}],
        "questions": list(found[0].questions),
    }
    assert found[1].as_json()["figure"] == {"value": 4.0, "unit": "x", "text": "4x"}


@given(st.lists(st.sampled_from([label.text for spec in load_specs() for label in spec.labels]), max_size=25))
def test_deterministic_and_independent_of_neighbours(texts: list[str]) -> None:
    rules = load_finder_rules()
    passages = [Passage(t, page=i + 1) for i, t in enumerate(texts)]
    first = find_candidates(passages, rules, RUBRICS)
    assert first == find_candidates(passages, rules, RUBRICS)
    # Each candidate is what the sentence gives on its own (no state carried between sentences).
    for c in first:
        assert find_candidates([Passage(c.text, page=c.page)], rules, RUBRICS) == [c]


# --- the rules file ------------------------------------------------------------------------------

def test_every_criterion_the_rules_name_exists_in_the_shipped_rubrics(rules) -> None:  # type: ignore[no-untyped-def]
    assert rules.criterion_refs() <= shipped_criterion_refs()
    assert {k.id for k in rules.kinds} == set(KINDS)
    assert all(k.questions for k in rules.kinds)


def _copy_rules(tmp_path: Path, old: str, new: str) -> Path:
    text = rules_path().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "claim-rules.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_rule_naming_a_missing_criterion_is_refused_naming_it(tmp_path: Path) -> None:
    path = _copy_rules(tmp_path, '"capabilities:evaluations"', '"capabilities:evaluation"')
    with pytest.raises(FinderRulesError) as err:
        load_finder_rules(path)
    assert isinstance(err.value, UserError)
    assert str(path) in str(err.value)
    assert re.search(r"criteria\[1\]: criterion 'capabilities:evaluation' is not in any rubric", str(err.value))


@pytest.mark.parametrize(("old", "new", "message"), [
    ('id = "ai_powered"', 'id = "ai_washing"', "id 'ai_washing' is not a kind"),
    ("priority = 95", 'priority = "high"', "priority must be a whole number"),
    ("'\\buptime\\b'", "'(uptime'", "is not a regular expression"),
    ('kinds = ["ai_powered"]', 'kinds = ["vague"]', "kind 'vague' is not defined"),
    ("[[kinds]]\nid = \"superlative\"", "[[kinds]\nid = \"superlative\"", "not a readable TOML file"),
    ('why = "a vague AI claim: ask what the AI actually does"',
     'why = "a vague AI claim"\nhedges = []', "unknown key hedges (a top-level key written after a [[table]]"),
])
def test_a_broken_rules_file_is_refused_with_the_entry(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(FinderRulesError, match=re.escape(message)):
        load_finder_rules(_copy_rules(tmp_path, old, new))


# --- the labelled corpus -------------------------------------------------------------------------

def _score(split: str | None) -> tuple[float, float, float, int]:
    rules = load_finder_rules()
    tp = fp = fn = kind_right = claims = 0
    for spec in load_specs():
        if split is not None and spec.split != split:
            continue
        labels = {label.text: label for label in spec.labels}
        found = {c.text: c for c in find_candidates(spec_passages(spec), rules, RUBRICS)}
        for text, label in labels.items():
            claims += label.is_claim
            c = found.get(" ".join(text.split()))
            if c is not None and label.is_claim:
                tp += 1
                kind_right += c.kind == label.kind
                assert (c.page, c.location) == (label.page, label.location)
            elif c is not None:
                fp += 1
            elif label.is_claim:
                fn += 1
    return tp / (tp + fn), tp / (tp + fp), kind_right / tp, claims


def test_the_corpus_is_big_and_varied_enough() -> None:
    specs = load_specs()
    labels = [label for spec in specs for label in spec.labels]
    assert len(specs) >= 5 and len(labels) >= 150
    assert len({s.format for s in specs}) >= 5
    assert {s.split for s in specs} == {"tune", "held_out"}
    assert sum(not label.is_claim for label in labels) >= 60
    assert {label.kind for label in labels if label.is_claim} == set(KINDS)


@pytest.mark.parametrize("split", [None, "held_out"])
def test_recall_precision_and_kind_accuracy_on_the_corpus(split: str | None) -> None:
    recall, precision, kind_accuracy, claims = _score(split)
    assert claims >= 30
    assert recall >= 0.90, recall
    assert precision >= 0.80, precision
    assert kind_accuracy >= 0.80, kind_accuracy


_WORDS = sorted({w for spec in load_specs() for label in spec.labels for w in label.text.split()}
                | {"SOC", "ISO", "27001", "#1", "on-premises", "in-house", "24/7", "©", "AI-powered", "GPT-4o"})


@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=14).map(" ".join))
def test_the_literal_gates_never_change_what_matches(text: str) -> None:
    # The finder searches a rule's patterns only when one of the literals they need is in the text;
    # the verdict must be the same as searching every pattern.
    rules = load_finder_rules()
    groups = [*rules.kinds, *rules.boilerplate, *rules.not_claims, *rules.criteria]
    for group in groups:
        plain = any(p.search(text) for p in group.patterns)
        assert (group.matcher.search(text, text.lower()) is not None) == plain, (group, text)


def test_the_literal_gates_agree_on_every_corpus_sentence(rules) -> None:  # type: ignore[no-untyped-def]
    groups = [*rules.kinds, *rules.boilerplate, *rules.not_claims, *rules.criteria]
    for text in {label.text for spec in load_specs() for label in spec.labels}:
        for group in groups:
            assert (group.matcher.search(text, text.lower()) is not None) == \
                any(p.search(text) for p in group.patterns), (group, text)


def test_in_house_people_are_not_a_model_ownership_claim(rules) -> None:  # type: ignore[no-untyped-def]
    """Found using the review pane on the Helix white paper: 'In-house legal teams review …' was proposed as an
    own-model claim; 'in-house' names who does the work there, not who built the model."""
    from vendoreval.domain.claim_finder import classify

    assert classify("In-house legal teams review thousands of NDAs and supplier agreements every year.",
                    rules).kind is None
    assert classify("Our in-house marketers write every brief by hand today.", rules).kind is None
    assert classify("The ranking model was built in-house by our research team.", rules).kind == "model_ownership"
    assert classify("Everything runs on models we trained in-house.", rules).kind == "model_ownership"


@pytest.mark.parametrize("text", [
    "We offer a Data Processing Agreement (to all customers).",
    "We sign a DPA with every customer.",
    "Our data processing addendum covers every sub-processor.",
])
def test_a_dpa_sentence_is_a_candidate_on_the_dpa_criterion(text: str) -> None:
    """A tester's 'We offer a Data Processing Agreement (to all customers).' was never proposed, in a PDF or
    a DOCX, though the DPA is a knock-out criterion."""
    (found,) = find_candidates([Passage(text)], load_finder_rules())
    assert found.kind == "customer_data"
    assert ("gdpr", "dpa") in {(m.rubric, m.criterion) for m in found.criteria}
