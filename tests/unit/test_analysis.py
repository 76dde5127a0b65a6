"""Exact tests of the comparison rules in docs/comparison.md: ranking, flip, rank stability, sentences."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import criterion, lvl, non, rubric
from vendoreval.domain.analysis import (
    VendorInput,
    compare_vendors,
    format_share,
    ordinal,
    overall_at_share,
    percent_words,
    rank_stability,
    shares_of,
)
from vendoreval.domain.models import Answer, EvidenceStrength
from vendoreval.domain.scoring import RubricScore, score_rubric

GDPR = rubric("gdpr", [criterion("a"), criterion("b")])
CAP = rubric("cap", [criterion("a"), criterion("b")])
TITLES = {"gdpr": "GDPR", "cap": "Capabilities"}


def vendor(name: str, gdpr: tuple[int, int] | None, cap: tuple[int, int] | None) -> VendorInput:
    """A vendor scored (verified by us, so claimed == evidence-weighted) with levels 0..4 per criterion."""
    scores = {}
    if gdpr is not None:
        scores["gdpr"] = score_rubric(GDPR, {"a": lvl("a", gdpr[0]), "b": lvl("b", gdpr[1])})
    if cap is not None:
        scores["cap"] = score_rubric(CAP, {"a": lvl("a", cap[0]), "b": lvl("b", cap[1])})
    return VendorInput(name.lower(), name, scores)


def run(vendors, weights=None, **kw):  # type: ignore[no-untyped-def]
    return compare_vendors(vendors, ["gdpr", "cap"], weights or {"gdpr": 2, "cap": 1},
                           rubric_titles=TITLES, **kw)


def test_ranking_flip_and_sentences_hand_computed():
    # Acme: GDPR 100, Cap 25 -> (2*100 + 25)/3 = 75; Beta: 50/50 -> 50; Gamma: 25/100 -> 50
    c = run([vendor("Gamma", (1, 1), (4, 4)), vendor("Acme", (4, 4), (1, 1)), vendor("Beta", (2, 2), (2, 2))])
    assert [(r.name, r.rank) for r in c.ranking] == [("Acme", 1), ("Beta", 2), ("Gamma", 2)]
    assert [r.overall for r in c.ranking] == pytest.approx([75.0, 50.0, 50.0])
    assert c.shares == pytest.approx({"gdpr": 200 / 3, "cap": 100 / 3})
    # Acme(x) = 100x + 25(1-x), Beta(x) = 50 -> they cross at x = 1/3 (GDPR share), from 2/3
    f = c.flip
    assert f is not None
    assert (f.rubric_id, f.swaps) == ("gdpr", ("Acme", "Beta"))
    assert f.from_share == pytest.approx(200 / 3)
    assert f.to_share == pytest.approx(100 / 3)
    # Capabilities would have to rise from 33.3 % to 66.7 %: the same distance; GDPR comes first in order
    assert f.sentence == ("Acme stays first unless GDPR weighs less than 33.4 % of the total (now 66.7 %); "
                          "then Beta leads.")
    assert c.stability_sentences[0] == f.sentence
    assert c.ranking[0].rank_stability == 1.0
    assert c.ranking[0].stability_sentence == "Acme keeps first place in 100 % of 1,000 weightings."
    assert "shared second place" in c.ranking[1].stability_sentence


def test_flip_upwards_says_more_than():
    # Acme 75/50 -> (2*75+50)/3 = 66.7; Beta 25/100 -> 50. Acme(x) = 50+25x, Beta(x) = 100-75x: x = 0.5
    c = run([vendor("Acme", (3, 3), (2, 2)), vendor("Beta", (1, 1), (4, 4))])
    f = c.flip
    assert f is not None
    # GDPR falling from 66.7 % to 50 % and Capabilities rising from 33.3 % to 50 % are the same move
    assert abs(f.to_share - f.from_share) == pytest.approx(100 / 6)
    assert f.rubric_id == "gdpr" and f.to_share == pytest.approx(50.0)
    # name the rubric that must grow: with cap listed first it wins the tie of distances
    c3 = compare_vendors([vendor("Acme", (3, 3), (2, 2)), vendor("Beta", (1, 1), (4, 4))], ["cap", "gdpr"],
                         {"gdpr": 2, "cap": 1}, rubric_titles=TITLES)
    assert c3.flip is not None and c3.flip.rubric_id == "cap"
    assert c3.flip.sentence == ("Acme stays first unless Capabilities weighs more than 50 % of the total "
                                "(now 33.3 %); then Beta leads.")


def test_ties_share_a_rank_listed_by_name_and_have_no_flip():
    c = run([vendor("beta", (2, 2), (2, 2)), vendor("Alpha", (2, 2), (2, 2)), vendor("Cobalt", (1, 1), (1, 1))])
    assert [(r.name, r.rank) for r in c.ranking] == [("Alpha", 1), ("beta", 1), ("Cobalt", 3)]
    assert c.flip is None
    assert c.stability_sentences[0] == ("Alpha and beta are tied for first place; "
                                        "the weights cannot separate them.")
    # identical scores tie under every weighting: both always keep shared first place
    assert c.ranking[0].rank_stability == 1.0 and c.ranking[1].rank_stability == 1.0
    assert c.ranking[0].stability_sentence == "Alpha keeps shared first place in 100 % of 1,000 weightings."


def test_vendor_whose_every_answer_is_a_non_answer():
    silent = VendorInput("s", "Silent", {
        "gdpr": score_rubric(GDPR, {"a": non("a", Answer.NOT_DISCLOSED), "b": non("b", Answer.NOT_DISCLOSED)}),
        "cap": score_rubric(CAP, {"a": non("a", Answer.NOT_DISCLOSED), "b": non("b", Answer.DISCLOSED_NO)}),
    })
    moot = VendorInput("m", "Moot", {
        "gdpr": score_rubric(GDPR, {"a": non("a", Answer.NOT_APPLICABLE), "b": non("b", Answer.NOT_APPLICABLE)}),
    })
    c = run([moot, silent, vendor("Acme", (1, 1), (1, 1))])
    assert [(r.name, r.rank) for r in c.ranking] == [("Acme", 1), ("Silent", 2), ("Moot", 3)]
    s, m = c.ranking[1], c.ranking[2]
    # not disclosed counts as the lowest level: a real 0, fully answered
    assert (s.overall, s.claimed, s.gap, s.scored_share) == (0.0, 0.0, 0.0, 1.0)
    # every criterion not applicable: no score at all, after the scored vendors, no stability figure
    assert m.overall is None and m.claimed is None and m.gap is None
    assert m.rank_stability is None and m.stability_sentence == ""
    assert m.missing_rubrics == ("cap",)
    # Acme 25 vs Silent 0 under every share: no single-rubric change swaps them
    assert c.flip is None
    assert c.stability_sentences[0] == "Acme stays ahead of Silent whatever the share of any single rubric."


def test_single_vendor():
    c = run([vendor("Solo", (3, 1), (2, 2))])
    (row,) = c.ranking
    assert row.rank == 1 and row.overall == pytest.approx((2 * 50 + 50) / 3)
    assert row.rank_stability == 1.0
    assert c.flip is None
    assert c.stability_sentences == ("Only one vendor is compared: Solo.",
                                     "Solo keeps first place in 100 % of 1,000 weightings.")


def test_no_vendors():
    c = run([])
    assert c.ranking == () and c.flip is None and c.stability_sentences == ()


def _twenty() -> list[VendorInput]:
    wide = rubric("gdpr", [criterion("a", n_levels=11), criterion("b", n_levels=11)])
    wide_cap = rubric("cap", [criterion("a", n_levels=11), criterion("b", n_levels=11)])
    out = []
    for i in range(20):
        # GDPR = 5i, Capabilities = 100 - 5i (levels out of 10 on two criteria)
        g = (min(i, 10), i - min(i, 10))
        k = (20 - i - min(20 - i, 10), min(20 - i, 10))
        out.append(VendorInput(f"v{i}", f"Vendor {i:02d}", {
            "gdpr": score_rubric(wide, {"a": lvl("a", g[0]), "b": lvl("b", g[1])}),
            "cap": score_rubric(wide_cap, {"a": lvl("a", k[0]), "b": lvl("b", k[1])}),
        }))
    return out


def test_twenty_vendors():
    c = run(_twenty(), {"gdpr": 3, "cap": 1})
    # overall_i = (3 * 5i + (100 - 5i)) / 4 = 25 + 2.5 i: Vendor 19 first, Vendor 00 last
    assert [r.name for r in c.ranking] == [f"Vendor {i:02d}" for i in range(19, -1, -1)]
    assert [r.rank for r in c.ranking] == list(range(1, 21))
    assert [r.overall for r in c.ranking] == pytest.approx([25 + 2.5 * i for i in range(19, -1, -1)])
    # leader 5 + 90x vs runner-up 10 + 80x cross at x = 0.5 (GDPR share, now 75 %)
    assert c.flip is not None
    assert (c.flip.rubric_id, c.flip.from_share, c.flip.to_share) == ("gdpr", pytest.approx(75), pytest.approx(50))
    assert c.flip.swaps == ("Vendor 19", "Vendor 18")
    # perturbed GDPR shares stay within [0.643, 0.833], all above 0.5: the order never changes
    assert all(r.rank_stability == 1.0 for r in c.ranking)
    assert len(c.stability_sentences) == 4  # the flip and the top three


def test_all_vendors_knocked_out():
    ko_rubric = rubric("gdpr", [criterion("a", knockout_below=2, knockout_reason="No DPA"), criterion("b")])
    vendors = [
        VendorInput(f"v{i}", name, {"gdpr": score_rubric(ko_rubric, {"a": lvl("a", 1), "b": lvl("b", b)})})
        for i, (name, b) in enumerate([("Low", 0), ("High", 4), ("Mid", 2)])
    ]
    c = compare_vendors(vendors, ["gdpr"], {"gdpr": 1}, rubric_titles=TITLES)
    assert [(r.name, r.rank, r.knocked_out) for r in c.ranking] == [
        ("High", 1, True), ("Mid", 2, True), ("Low", 3, True)]
    assert c.ranking[0].overall == pytest.approx((25 + 100) / 2)
    assert c.ranking[0].knockout_reasons == ("No DPA (A: level 1, minimum 2)",)
    assert c.flip is None
    assert c.stability_sentences[0] == ("No vendor passes the knock-out criteria; "
                                        "none can be recommended as they stand.")
    assert c.leader is None


def test_knocked_out_vendor_ranks_after_the_passing_ones_before_the_unscored_and_is_no_flip_party():
    ko_cap = rubric("cap", [criterion("a", knockout_below=1), criterion("b")])
    best_but_out = VendorInput("x", "Xeno", {
        "gdpr": score_rubric(GDPR, {"a": lvl("a", 4), "b": lvl("b", 4)}),
        "cap": score_rubric(ko_cap, {"a": lvl("a", 0), "b": lvl("b", 4)}),
    })
    unscored = VendorInput("u", "Unscored", {})
    c = run([best_but_out, unscored, vendor("Acme", (2, 2), (2, 2)), vendor("Beta", (1, 1), (3, 3))])
    assert [r.name for r in c.ranking] == ["Acme", "Beta", "Xeno", "Unscored"]
    assert [r.rank for r in c.ranking] == [1, 2, 3, 4]
    assert c.ranking[2].knocked_out and c.ranking[2].knockout_reasons == (
        "A below the required minimum (A: level 0, minimum 1)",)
    # Acme 50 flat; Beta(x) = 25x + 75(1-x): equal at x = 0.5 (GDPR share now 2/3)
    assert c.flip is not None and c.flip.swaps == ("Acme", "Beta")
    assert c.flip.to_share == pytest.approx(50)
    assert c.ranking[3].rank_stability is None  # no score, no figure
    assert c.ranking[2].rank_stability == 1.0  # alone among the knocked-out: it keeps its place


def test_rank_stability_matches_the_analytic_probability():
    a = vendor("A", (4, 4), (0, 0))
    gdpr_b = score_rubric(GDPR, {"a": lvl("a", 2), "b": lvl("b", 1, EvidenceStrength.OWN_TEST)})
    b = VendorInput("b", "B", {"gdpr": gdpr_b, "cap": vendor("B", None, (2, 2)).rubric_scores["cap"]})
    # A = 100x; B: GDPR (2+1)/8 = 37.5, Cap 50 -> B(x) = 37.5x + 50(1-x); crossing 100x = 50 - 12.5x -> x = 4/9
    stab = rank_stability([a, b], {"gdpr": 1, "cap": 1}, ["gdpr", "cap"], samples=4000, seed=7)
    # swap when f_g/(f_g+f_c) < 4/9  <=>  f_g < 0.8 f_c: P = 4 * [0.4 f^2 - 0.75 f] from 0.9375 to 1.25
    p = 4 * ((0.4 * 1.25**2 - 0.75 * 1.25) - (0.4 * 0.9375**2 - 0.75 * 0.9375))
    assert p == pytest.approx(0.15625)
    assert stab[0] == stab[1]
    assert stab[0] == pytest.approx(1 - p, abs=0.02)
    # a fixed seed gives the same figures every time; the default seed and samples are in the result
    assert rank_stability([a, b], {"gdpr": 1, "cap": 1}, ["gdpr", "cap"], samples=4000, seed=7) == stab
    # the draws are exactly random.Random(seed).uniform(0.75, 1.25) per rubric in order
    rng = random.Random(7)
    kept = 0
    for _ in range(4000):
        fg, fc = rng.uniform(0.75, 1.25), rng.uniform(0.75, 1.25)
        x = fg / (fg + fc)
        kept += 100 * x > 37.5 * x + 50 * (1 - x)
    assert stab[0] == kept / 4000


def test_zero_samples_gives_no_stability():
    c = run([vendor("A", (4, 4), (0, 0)), vendor("B", (2, 2), (2, 2))], samples=0)
    assert all(r.rank_stability is None for r in c.ranking)


def test_flip_with_a_vendor_lacking_a_rubric_is_exact():
    # Beta has no GDPR score: its overall is its Capabilities score whatever the GDPR share.
    # Acme(x) = 100x (weights 1:1, x = 0.5 -> 50); Beta = 37.5 -> tie at x = 0.375.
    c = compare_vendors([vendor("Acme", (4, 4), (0, 0)), vendor("Beta", None, (2, 1))], ["gdpr", "cap"],
                        {"gdpr": 1, "cap": 1}, rubric_titles=TITLES)
    assert c.ranking[1].overall == pytest.approx(37.5)
    assert c.flip is not None and c.flip.to_share == pytest.approx(37.5)


def test_words():
    assert [ordinal(n) for n in (1, 2, 3, 10, 11, 12, 13, 21, 22, 103)] == [
        "first", "second", "third", "tenth", "11th", "12th", "13th", "21st", "22nd", "103rd"]
    assert percent_words(0.994) == "99 %" and percent_words(0.9996) == "99 %" and percent_words(1.0) == "100 %"
    assert percent_words(0.0004) == "1 %" and percent_words(0.0) == "0 %"
    assert format_share(18.0, 25) == "18" and format_share(18.31, 25) == "18.4" and format_share(18.31, 10) == "18.3"


# --- properties ---------------------------------------------------------------------------------

RIDS = ["r1", "r2", "r3"]


@st.composite
def vendor_sets(draw):  # type: ignore[no-untyped-def]
    n = draw(st.integers(min_value=2, max_value=6))
    vendors = []
    for i in range(n):
        scores = {}
        for rid in RIDS:
            if draw(st.integers(0, 5)) == 0:
                continue  # now and then a vendor lacks a rubric
            ev = draw(st.floats(0, 100, allow_nan=False))
            scores[rid] = RubricScore(rid, "1", ev, ev, 1, 1, ())
        vendors.append(VendorInput(f"v{i}", f"V{i}", scores))
    weights = {rid: draw(st.floats(0.1, 5)) for rid in RIDS}
    return vendors, weights


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vendor_sets())
def test_properties_of_ranking_stability_and_flip(data):  # type: ignore[no-untyped-def]
    vendors, weights = data
    c = compare_vendors(vendors, RIDS, weights, samples=200)
    for r in c.ranking:
        assert r.rank_stability is None or 0.0 <= r.rank_stability <= 1.0
    scored = [r.overall for r in c.ranking if r.overall is not None]
    assert scored == sorted(scored, reverse=True)
    flip = c.flip
    by_name = {v.name: v for v in vendors}
    base = {r: s / 100 for r, s in c.shares.items()}
    if flip is None:
        return
    leader, runner = by_name[flip.swaps[0]], by_name[flip.swaps[1]]
    x0, x1 = flip.from_share / 100, flip.to_share / 100
    direction = 1 if x1 > x0 else -1

    def gap(x: float) -> float:  # runner-up minus leader at share x of the flip rubric
        lo, ro = overall_at_share(leader, flip.rubric_id, x, base), overall_at_share(runner, flip.rubric_id, x, base)
        assert lo is not None and ro is not None
        return ro - lo

    assert abs(gap(x1)) < 1e-6  # they tie at the reported share ...
    beyond = x1 + direction * 1e-6
    if 0 <= beyond <= 1:
        assert gap(beyond) > 0  # ... the runner-up is ahead just beyond it ...
    for k in range(1, 50):  # ... and not before it, for this rubric or any other with a smaller change
        x = x0 + (x1 - x0) * k / 50
        assert gap(x) <= 1e-7
    for rid in RIDS:
        if rid not in base or rid == flip.rubric_id or base[rid] >= 1:
            continue
        for k in range(1, 50):
            for sign in (-1, 1):
                x = base[rid] + sign * abs(x1 - x0) * k / 50
                if 0 < x < 1:
                    lo = overall_at_share(leader, rid, x, base)
                    ro = overall_at_share(runner, rid, x, base)
                    assert lo is not None and ro is not None and ro - lo <= 1e-7


@settings(max_examples=40, deadline=None)
@given(vendor_sets())
def test_shares_sum_to_100_and_stability_is_deterministic(data):  # type: ignore[no-untyped-def]
    vendors, weights = data
    c1 = compare_vendors(vendors, RIDS, weights, samples=100, seed=3)
    c2 = compare_vendors(vendors, RIDS, weights, samples=100, seed=3)
    assert [r.rank_stability for r in c1.ranking] == [r.rank_stability for r in c2.ranking]
    if c1.shares:
        assert sum(c1.shares.values()) == pytest.approx(100)
    assert shares_of({}, []) == {}


def test_whole_percents_add_up_to_exactly_100() -> None:
    from vendoreval.domain.analysis import whole_percents

    # 38 % and five of 12.4 %: rounded one by one they read 38 + 5 × 12 = 98 %
    shown = whole_percents({"a": 38.0, **{k: 12.4 for k in "bcdef"}})
    assert sum(shown.values()) == 100 and shown["a"] == 38
    assert sorted(shown.values()) == [12, 12, 12, 13, 13, 38]
    assert whole_percents({k: 100 / 7 for k in "abcdefg"}) == {"a": 15, "b": 15, **{k: 14 for k in "cdefg"}}
    assert whole_percents({"a": 50.0, "b": 50.0}) == {"a": 50, "b": 50}
    assert whole_percents({"a": 0.0, "b": 0.0}) == {"a": 0, "b": 0}
    assert whole_percents({}) == {}
