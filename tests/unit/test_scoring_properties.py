"""Property-based tests of the scoring rules: bounds, monotonicity, N/A re-normalisation."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import criterion, rubric
from vendoreval.domain.models import Answer, EvidenceStrength, Score
from vendoreval.domain.scoring import krippendorff_alpha_ordinal, overall_score, rank, score_rubric

TOP = 4
strengths = st.sampled_from(list(EvidenceStrength))


@st.composite
def scored_rubric(draw, min_criteria=1, max_criteria=8):  # type: ignore[no-untyped-def]
    n = draw(st.integers(min_criteria, max_criteria))
    weights = draw(st.lists(st.floats(0.1, 10, allow_nan=False), min_size=n, max_size=n))
    crits = [criterion(f"c{i}", weight=w) for i, w in enumerate(weights)]
    r = rubric(criteria=crits)
    scores = {}
    for i in range(n):
        kind = draw(st.sampled_from(["level", "nd", "dn", "na", "none"]))
        cid = f"c{i}"
        if kind == "level":
            scores[cid] = Score(criterion_id=cid, answer=Answer.LEVEL, level=draw(st.integers(0, TOP)),
                                strength=draw(strengths))
        elif kind == "nd":
            scores[cid] = Score(criterion_id=cid, answer=Answer.NOT_DISCLOSED)
        elif kind == "dn":
            scores[cid] = Score(criterion_id=cid, answer=Answer.DISCLOSED_NO)
        elif kind == "na":
            scores[cid] = Score(criterion_id=cid, answer=Answer.NOT_APPLICABLE)
    return r, scores


@given(scored_rubric())
def test_scores_are_bounded_and_evidence_never_exceeds_claimed(data):
    r, scores = data
    s = score_rubric(r, scores)
    assert 0.0 <= s.scored_share <= 1.0
    if s.claimed is None:
        assert s.evidence_weighted is None
        assert all(sc.answer == Answer.NOT_APPLICABLE for sc in scores.values())
        assert len(scores) == len(r.criteria)
    else:
        assert s.evidence_weighted is not None
        # weights are floats: allow rounding error of a few ulps at the bounds
        assert -1e-9 <= s.evidence_weighted <= s.claimed + 1e-9
        assert -1e-9 <= s.claimed <= 100.0 + 1e-9


@given(scored_rubric(), st.data())
def test_raising_one_level_never_lowers_the_score(data, more):
    r, scores = data
    before = score_rubric(r, scores)
    cid = more.draw(st.sampled_from(r.criterion_ids()))
    old = scores.get(cid)
    old_level = old.level if old is not None and old.answer == Answer.LEVEL else 0
    if old is not None and old.answer == Answer.NOT_APPLICABLE:
        return
    new_level = more.draw(st.integers(old_level or 0, TOP))
    strength = old.strength if old is not None and old.strength else EvidenceStrength.ASSERTION
    if old is not None and old.answer == Answer.LEVEL:
        new = Score(criterion_id=cid, answer=Answer.LEVEL, level=new_level, strength=strength)
    else:
        new = Score(criterion_id=cid, answer=Answer.LEVEL, level=new_level, strength=EvidenceStrength.OWN_TEST)
    after = score_rubric(r, {**scores, cid: new})
    assert before.claimed is not None and after.claimed is not None
    assert after.claimed >= before.claimed - 1e-9
    assert after.evidence_weighted is not None and before.evidence_weighted is not None
    assert after.evidence_weighted >= before.evidence_weighted - 1e-9


@given(scored_rubric(min_criteria=2), st.floats(0.1, 50, allow_nan=False))
def test_not_applicable_renormalises_over_the_rest(data, weight):
    r, scores = data
    base = score_rubric(r, scores)
    extra = criterion("extra", weight=weight)
    r2 = rubric(criteria=[c.model_dump(mode="json") for c in r.criteria] + [extra])
    s2 = score_rubric(r2, {**scores, "extra": Score(criterion_id="extra", answer=Answer.NOT_APPLICABLE)})
    assert s2.claimed == base.claimed or abs((s2.claimed or 0) - (base.claimed or 0)) < 1e-9
    assert abs((s2.evidence_weighted or 0) - (base.evidence_weighted or 0)) < 1e-9


@given(st.lists(st.tuples(st.floats(0, 100, allow_nan=False), st.floats(0.01, 10, allow_nan=False)),
                min_size=1, max_size=7))
def test_overall_lies_between_min_and_max_rubric_score(pairs):
    from vendoreval.domain.scoring import RubricScore

    scores = [RubricScore(f"r{i}", "1", v, v, 1, 1, ()) for i, (v, _) in enumerate(pairs)]
    weights = {f"r{i}": w for i, (_, w) in enumerate(pairs)}
    o = overall_score(scores, weights)
    vals = [v for v, _ in pairs]
    assert o.claimed is not None
    assert min(vals) - 1e-9 <= o.claimed <= max(vals) + 1e-9


@settings(max_examples=60)
@given(st.lists(st.lists(st.integers(0, 4), min_size=1, max_size=4), min_size=1, max_size=10))
def test_alpha_is_at_most_one(units):
    a = krippendorff_alpha_ordinal(units)
    assert a is None or a <= 1.0 + 1e-9


@given(st.lists(st.tuples(st.text(min_size=1, max_size=5), st.one_of(st.none(), st.floats(0, 100)), st.booleans()),
                max_size=12))
def test_rank_orders_and_shares_ranks(entries):
    ranked = rank(entries)
    assert len(ranked) == len(entries)
    assert [r.rank for r in ranked] == sorted(r.rank for r in ranked)
    # passing vendors, then knocked-out ones, then those without any score: never a group above an earlier one
    groups = [0 if not r.knocked_out and r.score is not None else 1 if r.knocked_out else 2 for r in ranked]
    assert groups == sorted(groups), "a knocked-out or unscored vendor ranked above one that passes"
    assert ranked == [] or ranked[0].rank == 1
