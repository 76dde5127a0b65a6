"""The rubric-format keys added with the 2026.12 library: threshold inclusivity, applicability,
see-also, crosswalks, worked examples and the legal change log."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vendoreval.domain.rubric import RubricError, loads_rubric, unchanged_criteria

BASE = '''
id = "t"
version = "1"
title = "T"
area = "T"

[[criteria]]
id = "tokens"
title = "Tokens"
question = "How many tokens?"
{extra}

[criteria.scale]
kind = "numeric"
thresholds = [1e9, 1e13]
{scale_extra}
levels = [
  {{ level = 0, label = "small", description = "< 1e9" }},
  {{ level = 1, label = "middle", description = "1e9 to 1e13" }},
  {{ level = 2, label = "large", description = "> 1e13" }},
]
'''


def rubric(extra: str = "", scale_extra: str = "", head: str = "") -> str:
    return head + BASE.format(extra=extra, scale_extra=scale_extra)


def test_a_band_closed_at_both_ends_keeps_both_boundaries() -> None:
    r = loads_rubric(rubric(scale_extra='at_threshold = ["higher", "lower"]'))
    scale = r.criterion("tokens").scale
    assert [scale.level_for_figure(f) for f in (9.99e8, 1e9, 5e12, 1e13, 1.01e13)] == [0, 1, 1, 1, 2]


def test_without_at_threshold_a_figure_on_a_threshold_reaches_the_higher_band() -> None:
    scale = loads_rubric(rubric()).criterion("tokens").scale
    assert [scale.level_for_figure(f) for f in (1e9, 1e13)] == [1, 2]


@given(st.floats(min_value=0, max_value=1e16, allow_nan=False))
def test_inclusivity_moves_only_figures_exactly_on_a_threshold(figure: float) -> None:
    default = loads_rubric(rubric()).criterion("tokens").scale
    closed = loads_rubric(rubric(scale_extra='at_threshold = ["higher", "lower"]')).criterion("tokens").scale
    if figure != 1e13:
        assert default.level_for_figure(figure) == closed.level_for_figure(figure)
    else:
        assert (default.level_for_figure(figure), closed.level_for_figure(figure)) == (2, 1)


def test_at_threshold_must_match_the_thresholds() -> None:
    with pytest.raises(RubricError, match="one entry per threshold"):
        loads_rubric(rubric(scale_extra='at_threshold = ["lower"]'))
    with pytest.raises(RubricError, match="at_threshold"):
        loads_rubric(rubric(scale_extra='at_threshold = ["lower", "sideways"]'))


def test_applies_when_takes_known_context_keys_and_values_only() -> None:
    ok = loads_rubric(rubric(extra='applies_when = { gpai-model = ["third-party", "own"], markets = ["eu", "us-*"] }'))
    assert ok.criterion("tokens").applies_when == {"gpai-model": ["third-party", "own"], "markets": ["eu", "us-*"]}
    for bad, why in (('{ gpai = ["own"] }', "unknown context key 'gpai'"),
                     ('{ personal-data = ["maybe"] }', "unknown value 'maybe'"),
                     ('{ markets = ["us-zz"] }', "unknown value 'us-zz'"),
                     ('{ generates = ["none"] }', "not 'none'"),
                     ('{ annex-iii = [] }', "at least one value")):
        with pytest.raises(RubricError, match=why) as info:
            loads_rubric(rubric(extra=f"applies_when = {bad}"))
        assert "criterion 'tokens', field 'applies_when'" in str(info.value)


def test_applies_when_either_of_is_an_array_of_tables() -> None:
    text = 'applies_when = [\n  { gpai-model = ["own"] },\n  { crawls-or-fine-tunes = ["yes"], markets = ["eu"] },\n]'
    ok = loads_rubric(rubric(extra=text))
    assert ok.criterion("tokens").applies_when == [{"gpai-model": ["own"]},
                                                   {"crawls-or-fine-tunes": ["yes"], "markets": ["eu"]}]
    for bad, why in (("[]", "at least one table"),
                     ('[{ gpai-model = ["own"] }, {}]', "alternative 2 is empty"),
                     ('[{ gpai-model = ["own"] }, { markets = ["fr"] }]',
                      "alternative 2: 'markets': unknown value 'fr'")):
        with pytest.raises(RubricError, match=why) as info:
            loads_rubric(rubric(extra=f"applies_when = {bad}"))
        assert "criterion 'tokens', field 'applies_when'" in str(info.value)


def test_see_also_and_crosswalk_are_checked() -> None:
    r = loads_rubric(rubric(extra='see_also = ["gdpr/training-on-customer-data"]\n'
                                  'crosswalk = [{ framework = "iso42001", id = "A.7.4", title = "Quality of data" }]'))
    c = r.criterion("tokens")
    assert c.see_also == ["gdpr/training-on-customer-data"] and c.crosswalk[0].id == "A.7.4"
    with pytest.raises(RubricError, match="see_also"):
        loads_rubric(rubric(extra='see_also = ["no slash here"]'))
    with pytest.raises(RubricError, match="framework"):
        loads_rubric(rubric(extra='crosswalk = [{ framework = "iso9001", id = "1", title = "x" }]'))


def test_the_change_log_and_duties_are_dated() -> None:
    head = ('law_reviewed_on = 2026-12-02\n'
            'changelog = [{ version = "1", date = 2026-12-02, changes = ["Omnibus dates"], sources = ["x"] }]\n'
            'duties = [{ duty = "Mark outputs", source = "AI Act Art. 50(2)", applies_from = 2026-12-02 }]\n')
    r = loads_rubric(rubric(head=head))
    assert r.law_reviewed_on is not None and r.law_reviewed_on.isoformat() == "2026-12-02"
    assert r.changelog[0].changes == ["Omnibus dates"] and r.duties[0].applies_from.year == 2026
    with pytest.raises(RubricError, match="changelog"):
        loads_rubric(rubric(head='changelog = [{ version = "1", date = "soon", changes = [] }]\n'))


def test_unused_new_keys_leave_the_content_hash_as_it_was() -> None:
    plain = loads_rubric(rubric())
    assert '"applies_when"' not in plain.to_json() and '"example"' not in plain.to_json()
    used = loads_rubric(rubric(extra='applies_when = { annex-iii = ["yes"] }'))
    assert used.content_hash != plain.content_hash


def test_a_worked_example_does_not_stop_a_level_carrying_over() -> None:
    old = loads_rubric(rubric())
    new = loads_rubric(rubric().replace('description = "< 1e9" }', 'description = "< 1e9", example = "5e8 tokens" }')
                       .replace('version = "1"', 'version = "2"'))
    assert new.criterion("tokens").scale.levels[0].example == "5e8 tokens"
    assert unchanged_criteria(old, new) == {"tokens"}
    moved = loads_rubric(rubric(scale_extra='at_threshold = ["higher", "lower"]'))
    assert unchanged_criteria(old, moved) == set()
