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


def _on_screen_is_current(qtbot, widget) -> bool:  # type: ignore[no-untyped-def]
    """What the window shows of ``widget`` (its backing store) is what painting it now gives: nothing stale."""
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    qtbot.wait(20)
    top = widget.mapTo(widget.window(), widget.rect().topLeft())
    shown = widget.screen().grabWindow(widget.window().winId(), top.x(), top.y(), widget.width(), widget.height())
    return shown.toImage() == widget.grab().toImage()  # type: ignore[no-any-return]


def test_the_conditions_placeholder_is_repainted_at_once_and_a_note_says_the_decision_waits(
        window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A tester picked "Go with conditions" with no condition: nothing said, the header still "Not started", and
    the box kept its old placeholder on screen until the vendor was shown again."""
    import os

    vendors = window.page("vendors")
    ws = window.session.ws
    v = vendors.new_vendor({"name": "Acme"})
    window.show_page("vendors")
    vendors.list.select(v.id)
    profile = vendors.detail.profile
    vendors.detail.tabs.setCurrentWidget(profile)
    assert _on_screen_is_current(qtbot, profile.conditions.viewport())
    assert not profile.decision_note.isVisible()

    _pick(profile, Decision.GO_WITH_CONDITIONS)
    assert "At least one condition" in profile.conditions.placeholderText()
    assert _on_screen_is_current(qtbot, profile.conditions.viewport())  # the new words, painted
    assert ws.vendors.get(v.id).decision == Decision.NOT_STARTED
    note = profile.decision_note
    assert note.isVisible() and note.text() == ("<i>Not saved yet:</i> “Go with conditions” is saved when the "
                                                "first condition is written below.")
    if os.environ.get("SHOTS"):
        window.grab().save(os.environ["SHOTS"] + "/profile-go-with-conditions-waiting.png")
    _pick(profile, Decision.GO)  # a plain go: its own placeholder, painted too
    assert "takes no conditions" in profile.conditions.placeholderText()
    assert _on_screen_is_current(qtbot, profile.conditions.viewport())
    assert not note.isVisible() and ws.vendors.get(v.id).decision == Decision.GO
    _pick(profile, Decision.NO_GO)  # nothing else on the page moves: only the repaint shows the new words
    assert profile.conditions.placeholderText() == "A No-go takes no conditions"
    assert _on_screen_is_current(qtbot, profile.conditions.viewport())

    _pick(profile, Decision.GO_WITH_CONDITIONS)
    profile.conditions.setPlainText("Audit rights")
    profile.conditions_save.flush()  # the first condition records it: the note goes
    assert ws.vendors.get(v.id).decision == Decision.GO_WITH_CONDITIONS
    assert not note.isVisible()
    assert window.messages.errors == []


def test_leaving_a_vendor_whose_go_with_conditions_has_no_condition_says_it_was_not_recorded(
        window, qtbot) -> None:  # type: ignore[no-untyped-def]
    vendors = window.page("vendors")
    ws = window.session.ws
    acme = vendors.new_vendor({"name": "Acme"})
    beta = vendors.new_vendor({"name": "Beta"})
    window.show_page("vendors")
    vendors.list.select(acme.id)
    profile = vendors.detail.profile
    _pick(profile, Decision.GO_WITH_CONDITIONS)
    vendors.list.select(beta.id)  # left without writing a condition
    assert vendors.detail.vendor_id == beta.id
    assert window.statusBar().currentMessage() == ("Acme: “Go with conditions” was not recorded: no condition was "
                                                   "written. The decision stays “Not started”.")
    assert ws.vendors.get(acme.id).decision == Decision.NOT_STARTED
    assert not profile.decision_note.isVisible() and profile.decision.currentData() == Decision.NOT_STARTED
    # written before leaving: recorded, nothing said
    window.statusBar().clearMessage()
    _pick(profile, Decision.GO_WITH_CONDITIONS)
    profile.conditions.setPlainText("Exit plan")
    vendors.list.select(acme.id)
    got = ws.vendors.get(beta.id)
    assert (got.decision, got.conditions) == (Decision.GO_WITH_CONDITIONS, ["Exit plan"])
    assert window.statusBar().currentMessage() == ""
