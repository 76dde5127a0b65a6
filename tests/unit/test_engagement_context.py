"""The engagement context: parsing answers, the applicability rule, and how scoring treats what does not apply."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import criterion, lvl, non, rubric
from vendoreval.domain.context import (
    CHOICES,
    LIST_KEYS,
    QUESTIONS,
    UNKNOWN,
    ContextError,
    EngagementContext,
    answer_text,
    applicability,
    parse_answer,
)
from vendoreval.domain.models import Answer
from vendoreval.domain.scoring import score_rubric
from vendoreval.errors import UserError

KEYS = list(QUESTIONS)
STATES = ["us-ca", "us-co", "us-ny", "us-tx"]


def _values(key: str) -> list[str]:
    return list(CHOICES[key]) + (STATES if key == "markets" else [])


@st.composite
def answers(draw, key: str):  # type: ignore[no-untyped-def]
    """One valid answer for ``key``."""
    if key in LIST_KEYS:
        return tuple(draw(st.sets(st.sampled_from(_values(key)), max_size=3)))
    return draw(st.sampled_from(_values(key)))


@st.composite
def contexts(draw, keys: list[str] | None = None):  # type: ignore[no-untyped-def]
    chosen = draw(st.sets(st.sampled_from(keys if keys is not None else KEYS)))
    return EngagementContext({k: draw(answers(k)) for k in chosen})


@st.composite
def conditions(draw):  # type: ignore[no-untyped-def]
    """An applies_when table as a rubric writes it."""
    keys = draw(st.sets(st.sampled_from(KEYS), min_size=1, max_size=3))
    out = {}
    for k in keys:
        pool = _values(k) + (["us-*"] if k == "markets" else [])
        out[k] = sorted(draw(st.sets(st.sampled_from(pool), min_size=1, max_size=3)))
    return out


def _crit(applies_when: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    return rubric(criteria=[criterion("c", applies_when=applies_when)]).criteria[0]


# --- parsing ----------------------------------------------------------------------------------------


def test_parse_answers_as_typed():
    assert parse_answer("gpai-model", " Own ") == "own"
    assert parse_answer("generates", "video, text,text") == ("text", "video")
    assert parse_answer("generates", "none") == ()
    assert parse_answer("markets", "us-ny,eu,us-ca,uk") == ("eu", "uk", "us-ca", "us-ny")
    assert parse_answer("annex-iii", "unset") is None
    assert parse_answer("annex-iii", "") is None


@pytest.mark.parametrize(("key", "text", "words"), [
    ("gpai-model", "mine", ["gpai-model", "'mine'", "none, third-party, own"]),
    ("personal-data", "yes", ["personal-data", "processor", "joint-controller"]),
    ("markets", "eu,fr", ["markets", "'fr'", "us-<state>"]),
    ("markets", "us-zz", ["markets", "'us-zz'"]),
    ("markets", "us-*", ["markets", "'us-*'"]),  # a rubric's wildcard, not an answer
    ("generates", "none,text", ["generates", "'none' cannot be combined"]),
    ("generates", "music", ["generates", "text, image, audio, video"]),
    ("colour", "red", ["colour", "gpai-model", "crawls-or-fine-tunes"]),
])
def test_bad_answers_name_the_key_and_what_it_takes(key, text, words):
    with pytest.raises(ContextError) as err:
        parse_answer(key, text)
    assert isinstance(err.value, UserError)
    assert err.value.field == key
    for w in words:
        assert w in str(err.value)


@given(contexts())
def test_answers_round_trip_through_text_and_json(ctx):
    again = EngagementContext({k: parse_answer(k, answer_text(k, v)) for k, v in ctx.answers.items()})
    assert again == ctx
    assert EngagementContext.from_json(ctx.as_json()) == ctx


def test_from_json_refuses_what_a_file_should_not_hold():
    with pytest.raises(ContextError, match=r"contexts\[0\]: markets must be a list"):
        EngagementContext.from_json({"markets": "eu"}, "contexts[0]")
    with pytest.raises(ContextError, match="unknown context question 'x'"):
        EngagementContext.from_json({"x": "y"})
    with pytest.raises(ContextError, match="gpai-model: 'maybe'"):
        EngagementContext.from_json({"gpai-model": "maybe"})


# --- applicability ----------------------------------------------------------------------------------


@given(conditions())
def test_an_unanswered_context_applies_every_criterion(cond):
    assert applicability(_crit(cond), UNKNOWN) is None
    assert applicability(_crit(cond), None) is None


@given(contexts())
def test_a_criterion_without_conditions_always_applies(ctx):
    assert applicability(_crit({}), ctx) is None


@given(conditions(), st.data())
def test_answers_to_unrelated_keys_never_change_applicability(cond, data):
    listed = [k for k in KEYS if k in cond]
    others = [k for k in KEYS if k not in cond]
    ctx = data.draw(contexts(listed))
    extra = data.draw(contexts(others))
    both = EngagementContext({**ctx.answers, **extra.answers})
    assert applicability(_crit(cond), both) == applicability(_crit(cond), ctx)


@given(conditions(), contexts(), st.data())
def test_unanswering_a_question_never_rules_a_criterion_out(cond, ctx, data):
    if ctx.is_empty():
        return
    key = data.draw(st.sampled_from(list(ctx.answers)))
    fewer = ctx.with_answer(key, None)
    if applicability(_crit(cond), ctx) is None:
        assert applicability(_crit(cond), fewer) is None


@given(conditions(), contexts())
def test_the_rule_is_every_listed_key_matches(cond, ctx):
    def matches(key: str) -> bool:
        a = ctx.get(key)
        if a is None:
            return True
        if isinstance(a, tuple):
            return any(v in cond[key] or ("us-*" in cond[key] and v.startswith("us-")) for v in a)
        return a in cond[key]

    reason = applicability(_crit(cond), ctx)
    assert (reason is None) == all(matches(k) for k in cond)
    if reason is not None:
        assert reason.startswith("not applicable: ")


@pytest.mark.parametrize(("cond", "answers", "reason"), [
    ({"gpai-model": ["own"]}, {"gpai-model": "none"}, "not applicable: the product uses no general-purpose AI model"),
    ({"gpai-model": ["own"]}, {"gpai-model": "third-party"},
     "not applicable: the product's general-purpose AI model is a third party's, not the vendor's own"),
    ({"personal-data": ["processor"]}, {"personal-data": "controller"},
     "not applicable: the vendor is an independent controller of the personal data, not our processor"),
    ({"generates": ["image", "video"]}, {"generates": ("text",)}, "not applicable: the product generates only text"),
    ({"generates": ["text"]}, {"generates": ()}, "not applicable: the product generates no content"),
    ({"markets": ["us-*"]}, {"markets": ("eu", "uk")}, "not applicable: we use the product only in EU and UK"),
    ({"markets": ["us-co"]}, {"markets": ("us-ca",)}, "not applicable: we use the product only in US state CA"),
    ({"annex-iii": ["yes"]}, {"annex-iii": "no"}, "not applicable: the product has no Annex III (high-risk) use"),
])
def test_reasons_in_words(cond, answers, reason):
    assert applicability(_crit(cond), EngagementContext(answers)) == reason


def test_us_wildcard_matches_any_state_and_a_shared_value_is_enough():
    crit = _crit({"markets": ["us-*"], "generates": ["image", "video"]})
    assert applicability(crit, EngagementContext({"markets": ("eu", "us-tx"), "generates": ("text", "video")})) is None


# --- scoring ----------------------------------------------------------------------------------------

KO_RUBRIC = rubric("copyright", [
    criterion("copyright-policy", weight=3, knockout_below=2, knockout_reason="No copyright policy",
              applies_when={"gpai-model": ["own"]}),
    criterion("dpa", weight=2, knockout_below=1, knockout_reason="No DPA",
              applies_when={"personal-data": ["processor"]}),
    criterion("indemnity", weight=1),
])
SCORES = {"copyright-policy": non("copyright-policy", Answer.NOT_DISCLOSED), "dpa": lvl("dpa", 0),
          "indemnity": lvl("indemnity", 2)}


def test_no_knock_out_where_the_law_does_not_apply():
    plain = score_rubric(KO_RUBRIC, SCORES)
    assert {k.criterion_id for k in plain.knockouts} == {"copyright-policy", "dpa"}
    ctx = EngagementContext({"gpai-model": "none", "personal-data": "controller"})
    s = score_rubric(KO_RUBRIC, SCORES, context=ctx)
    assert not s.knocked_out
    assert s.claimed == pytest.approx(50.0)  # only indemnity counts: 2 of 4
    by_id = {r.criterion_id: r for r in s.criteria}
    assert by_id["copyright-policy"].answer == Answer.NOT_APPLICABLE
    assert not by_id["copyright-policy"].counts
    assert by_id["copyright-policy"].not_applicable_reason == (
        "not applicable: the product uses no general-purpose AI model")
    assert by_id["indemnity"].not_applicable_reason is None
    assert s.answered == 3


def test_where_the_law_applies_the_knock_out_still_fires():
    ctx = EngagementContext({"gpai-model": "own", "personal-data": "processor"})
    s = score_rubric(KO_RUBRIC, SCORES, context=ctx)
    assert {k.criterion_id for k in s.knockouts} == {"copyright-policy", "dpa"}
    assert s == score_rubric(KO_RUBRIC, SCORES)


@given(contexts())
def test_a_ruled_out_criterion_never_knocks_out_and_the_rest_score_as_if_it_were_na(ctx):
    s = score_rubric(KO_RUBRIC, SCORES, context=ctx)
    out = {r.criterion_id for r in s.criteria if r.not_applicable_reason}
    assert not out & {k.criterion_id for k in s.knockouts}
    as_na = {cid: (non(cid, Answer.NOT_APPLICABLE) if cid in out else sc) for cid, sc in SCORES.items()}
    plain = score_rubric(KO_RUBRIC, as_na)
    assert s.claimed == plain.claimed
    assert s.evidence_weighted == plain.evidence_weighted
    assert s.knockouts == plain.knockouts


@given(st.sampled_from([None, UNKNOWN]))
def test_no_answers_scores_exactly_as_before(ctx):
    assert score_rubric(KO_RUBRIC, SCORES, context=ctx) == score_rubric(KO_RUBRIC, SCORES)


# --- "either of": an array of applies_when tables ------------------------------------------------------

POLICY = [{"gpai-model": ["own"]}, {"crawls-or-fine-tunes": ["yes"]}]


@pytest.mark.parametrize(("answers", "reason"), [
    ({"gpai-model": "own", "crawls-or-fine-tunes": "no"}, None),
    ({"gpai-model": "third-party", "crawls-or-fine-tunes": "yes"}, None),
    ({"gpai-model": "none"}, None),  # crawling unanswered: that alternative still matches
    ({"gpai-model": "none", "crawls-or-fine-tunes": "no"},
     "not applicable: the product uses no general-purpose AI model and the vendor neither crawls the web nor "
     "fine-tunes models"),
    ({"gpai-model": "third-party", "crawls-or-fine-tunes": "no"},
     "not applicable: the product's general-purpose AI model is a third party's, not the vendor's own and the "
     "vendor neither crawls the web nor fine-tunes models"),
])
def test_either_of_applies_when_any_alternative_matches(answers, reason):
    assert applicability(_crit(POLICY), EngagementContext(answers)) == reason


@given(st.lists(conditions(), min_size=1, max_size=3), contexts())
def test_either_of_is_the_or_of_its_alternatives(alts, ctx):
    either = applicability(_crit(alts), ctx)
    each = [applicability(_crit(a), ctx) for a in alts]
    assert (either is None) == any(r is None for r in each)
    if either is not None:  # the reason names why every alternative fails
        for r in each:
            assert r is not None and r.removeprefix("not applicable: ") in either


@given(conditions(), contexts())
def test_one_table_and_an_array_of_that_one_table_agree(cond, ctx):
    assert applicability(_crit(cond), ctx) == applicability(_crit([cond]), ctx)


def test_either_of_in_scoring_never_knocks_out_when_both_fail():
    r = rubric("copyright", [criterion("copyright-policy", weight=3, knockout_below=1, knockout_reason="No policy",
                                       applies_when=POLICY), criterion("indemnity")])
    scores = {"copyright-policy": lvl("copyright-policy", 0), "indemnity": lvl("indemnity", 4)}
    crawler = score_rubric(r, scores, context=EngagementContext({"gpai-model": "third-party",
                                                                 "crawls-or-fine-tunes": "yes"}))
    assert [k.criterion_id for k in crawler.knockouts] == ["copyright-policy"]
    wrapper = score_rubric(r, scores, context=EngagementContext({"gpai-model": "third-party",
                                                                 "crawls-or-fine-tunes": "no"}))
    assert wrapper.knockouts == () and wrapper.claimed == pytest.approx(100.0)


def test_applies_when_in_words():
    from vendoreval.domain.context import applies_when_text

    assert applies_when_text({}) == ""
    # in words, not keys and values (a tester read 'Applies when personal-data is processor')
    assert applies_when_text({"markets": ["us-ca"], "generates": ["text", "image"]}) == (
        "Applies when we use it in California and the product generates text or image")
    assert applies_when_text({"generates": ["text", "image", "audio"]}) == (
        "Applies when the product generates text, image or audio")
    assert applies_when_text(POLICY) == ("Applies when the product's general-purpose AI model is the vendor's own, "
                                         "or the vendor crawls the web or fine-tunes models")
    assert applies_when_text({"personal-data": ["processor"]}) == (
        "Applies when the vendor processes personal data for us as our processor")
    assert applies_when_text({"gpai-model": ["third-party", "own"]}) == (
        "Applies when the product uses a general-purpose AI model (the vendor's own or a third party's)")
    assert applies_when_text({"personal-data": ["processor", "joint-controller"]}) == (
        "Applies when the vendor processes personal data for us (as processor or joint controller)")
