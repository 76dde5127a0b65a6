"""What must be re-scored after an upgrade: exactly the new version's criteria whose levels do not carry over."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests import factories
from vendoreval.domain.rubric import see_also_label, see_also_text, to_rescore, unchanged_criteria

ids = st.lists(st.sampled_from(list("abcdef")), min_size=1, max_size=6, unique=True)


@given(ids, ids, st.sets(st.sampled_from(list("abcdef"))), st.sets(st.sampled_from(list("abcdef"))))
def test_rescore_and_carried_split_the_new_version(old_ids: list[str], new_ids: list[str], reworded: set[str],
                                                    examples: set[str]) -> None:
    old = factories.rubric("r", [factories.criterion(c) for c in old_ids])
    new_crits = []
    for c in new_ids:
        crit = factories.criterion(c)
        if c in reworded:
            crit["question"] = "Reworded?"
        if c in examples:  # a worked example never stops a level carrying over
            crit["scale"]["levels"][1]["example"] = "e.g."
        new_crits.append(crit)
    new = factories.rubric("r", new_crits, version="2.0")
    rescore = to_rescore(old, new)
    keep = unchanged_criteria(old, new)
    assert [r.criterion_id for r in rescore] == [c for c in new_ids if c not in keep]
    assert keep == {c for c in new_ids if c in old_ids and c not in reworded}
    assert all(r.reason == ("changed" if r.criterion_id in old_ids else "new") for r in rescore)


def test_see_also_titles_come_from_the_library_or_stay_as_written() -> None:
    gdpr = factories.rubric("gdpr", [{**factories.criterion("training"), "title": "Training on customer data"}],
                            area="GDPR")
    crit = factories.rubric("c", [factories.criterion("x", see_also=["gdpr/training", "gdpr/gone", "nope/x"])])
    find = {"gdpr": gdpr}.get
    assert see_also_label("gdpr/training", find) == "GDPR › Training on customer data"
    assert see_also_text(crit.criteria[0], find) == "Scored in: GDPR › Training on customer data; gdpr/gone; nope/x"
    assert see_also_text(gdpr.criteria[0], find) == ""
