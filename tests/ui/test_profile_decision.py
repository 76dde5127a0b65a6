"""The vendor profile's decision and conditions follow the domain's rule: no path ends in a refusal loop."""

from __future__ import annotations

from vendoreval.domain.models import Decision


def _pick(profile, decision: Decision) -> None:  # type: ignore[no-untyped-def]
    i = list(Decision).index(decision)
    profile.decision.setCurrentIndex(i)
    profile.decision.activated.emit(i)


def test_go_with_conditions_is_recorded_with_its_first_condition_then_back_to_go(window) -> None:
    vendors = window.page("vendors")
    ws = window.session.ws
    v = vendors.new_vendor({"name": "Acme"})
    ws.vendors.decide(v.id, Decision.GO)
    profile = vendors.detail.profile
    profile.refresh()
    # a plain go takes no conditions: the box says so and takes no typing
    assert profile.conditions.isReadOnly() and "takes no conditions" in profile.conditions.placeholderText()

    # picking "go with conditions" waits for the first condition instead of being refused
    _pick(profile, Decision.GO_WITH_CONDITIONS)
    assert ws.vendors.get(v.id).decision == Decision.GO
    assert not profile.conditions.isReadOnly() and "At least one condition" in profile.conditions.placeholderText()
    profile.conditions.setPlainText("Audit rights\n\nExit plan")
    profile.conditions_save.flush()
    got = ws.vendors.get(v.id)
    assert (got.decision, got.conditions) == (Decision.GO_WITH_CONDITIONS, ["Audit rights", "Exit plan"])
    assert window.messages.errors == []

    # back to a plain go: asked first, then the conditions go with it, in one undoable step
    _pick(profile, Decision.GO)
    assert window.messages.shown[-1][0] == "confirm" and "Remove the 2 conditions" in window.messages.shown[-1][2]
    got = ws.vendors.get(v.id)
    assert (got.decision, got.conditions) == (Decision.GO, [])
    assert profile.conditions.toPlainText() == "" and profile.conditions.isReadOnly()
    window.registry["undo"].trigger()
    got = ws.vendors.get(v.id)
    assert (got.decision, got.conditions) == (Decision.GO_WITH_CONDITIONS, ["Audit rights", "Exit plan"])
    assert profile.decision.currentData() == Decision.GO_WITH_CONDITIONS
    assert profile.conditions.toPlainText() == "Audit rights\nExit plan"
    assert window.messages.errors == []


def test_no_go_kept_when_the_user_keeps_the_conditions(window) -> None:
    vendors = window.page("vendors")
    ws = window.session.ws
    v = vendors.new_vendor({"name": "Beta"})
    ws.vendors.decide(v.id, Decision.GO_WITH_CONDITIONS, ["Cap liability"])
    profile = vendors.detail.profile
    profile.refresh()
    window.messages.answer = False  # the user says no to dropping the conditions
    _pick(profile, Decision.NO_GO)
    got = ws.vendors.get(v.id)
    assert (got.decision, got.conditions) == (Decision.GO_WITH_CONDITIONS, ["Cap liability"])
    assert profile.decision.currentData() == Decision.GO_WITH_CONDITIONS


def test_emptying_the_conditions_of_go_with_conditions_is_refused_and_said(window) -> None:
    vendors = window.page("vendors")
    ws = window.session.ws
    v = vendors.new_vendor({"name": "Gamma"})
    ws.vendors.decide(v.id, Decision.GO_WITH_CONDITIONS, ["Cap liability"])
    profile = vendors.detail.profile
    profile.refresh()
    profile.conditions.setPlainText("")
    profile.conditions_save.flush()
    assert ws.vendors.get(v.id).conditions == ["Cap liability"]
    assert len(window.messages.errors) == 1 and "needs at least one condition" in window.messages.errors[0]
    assert window.saved_label.text() == "Last change NOT saved"
