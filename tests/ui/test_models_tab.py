"""The Models tab: the models behind the product, each provider's FMTI baseline, contradictions flagged."""

from __future__ import annotations

from PySide6.QtCore import Qt

from vendoreval.ui.dialogs.model_dialog import ModelDialog


def _tab(window):  # type: ignore[no-untyped-def]
    vendors = window.page("vendors")
    vendor = vendors.new_vendor({"name": "Brightwave"})
    tab = vendors.detail.models
    vendors.detail.tabs.setCurrentWidget(tab)
    return tab, vendor


def _cells(tab) -> list[list[str]]:  # type: ignore[no-untyped-def]
    m = tab.model
    return [[m.data(m.index(r, c)) for c in range(m.columnCount())] for r in range(m.rowCount())]


def test_a_model_shows_its_baseline_and_undo_redo(window) -> None:
    tab, vendor = _tab(window)
    ws = window.session.ws
    assert "No models recorded" in tab.summary.text()
    tab.add({"provider": "Mistral AI", "model": "Mistral Large", "version": "2411", "own": False,
             "note": "sub-processor list"})
    assert _cells(tab) == [["Mistral AI", "Mistral Large", "2411", "third party", "18/100 (2025)", "",
                            "sub-processor list"]]
    assert "Mistral AI (listed as Mistral): 18/100 in FMTI December 2025." in tab.summary.text()
    window.registry["undo"].trigger()
    assert ws.store.vendor_models(vendor.id) == [] and _cells(tab) == []
    window.registry["redo"].trigger()
    assert [m.model for m in ws.store.vendor_models(vendor.id)] == ["Mistral Large"]
    tab.new_version("2502")
    assert _cells(tab)[0][2] == "2502"
    window.registry["undo"].trigger()
    assert _cells(tab)[0][2] == "2411"


def test_an_own_model_claim_is_flagged_on_the_tab(window) -> None:
    tab, vendor = _tab(window)
    ws = window.session.ws
    ws.claims.add(vendor.id, "Brightwave's proprietary AI model writes every subject line.")
    tab.add({"provider": "OpenAI", "model": "GPT-4o", "version": "", "own": False, "note": ""})
    text = tab.summary.text()
    assert "Sold as own model; a third-party model is behind it: OpenAI GPT-4o" in text
    assert "proprietary AI model writes every subject line" in text


def test_markup_in_names_is_shown_as_text(window) -> None:
    tab, _vendor = _tab(window)
    tab.add({"provider": "<b>Evil</b> & Co", "model": "<i>m</i>", "version": "", "own": False, "note": ""})
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in tab.summary.text()  # escaped in the rich-text summary


def test_a_duplicate_is_refused_with_a_message_and_nothing_saved(window) -> None:
    tab, vendor = _tab(window)
    tab.add({"provider": "OpenAI", "model": "GPT-4o", "version": "", "own": False, "note": ""})
    assert tab.add({"provider": "openai", "model": "gpt-4o", "version": "", "own": False, "note": ""}) is None
    assert len(window.session.ws.store.vendor_models(vendor.id)) == 1
    assert any(kind == "error" and "recorded already" in text for kind, _, text in window.session.messages.shown)


def test_the_dialog_needs_provider_and_model(qtbot) -> None:  # type: ignore[no-untyped-def]
    d = ModelDialog(vendor_name="Brightwave")
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    from PySide6.QtWidgets import QDialogButtonBox

    ok = d.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(d.provider, "OpenAI")
    assert not ok.isEnabled()
    qtbot.keyClicks(d.model, "GPT-4o")
    assert ok.isEnabled()
    qtbot.keyClicks(d.note, "sub-processor list")
    qtbot.keyClick(d.note, Qt.Key.Key_Return)  # Enter in the last field adds the model
    assert d.result() == d.DialogCode.Accepted and d.values()["note"] == "sub-processor list"
    d.own.setCheckState(Qt.CheckState.Checked)
    assert d.values()["own"] is True and d.own.text() == "Brightwave's own model"


def test_undoing_add_model_clears_the_context_answer_it_gave_and_redo_gives_it_again(window) -> None:
    """A tester undid "Add model": the model went, but the engagement context still said the product uses a
    third-party general-purpose model, which decides which criteria apply."""
    tab, vendor = _tab(window)
    ws = window.session.ws
    assert ws.contexts.get(vendor.id).get("gpai-model") is None
    tab.add({"provider": "OpenAI", "model": "GPT-4o", "version": "", "own": False, "note": ""})
    assert ws.contexts.get(vendor.id).get("gpai-model") == "third-party"  # recording a model answers it
    window.registry["undo"].trigger()
    assert ws.store.vendor_models(vendor.id) == [] and ws.contexts.get(vendor.id).get("gpai-model") is None
    window.registry["redo"].trigger()
    assert ws.contexts.get(vendor.id).get("gpai-model") == "third-party"
    # an answer the user gave before the model is theirs: undo leaves it
    other = window.page("vendors").new_vendor({"name": "Cedar"})
    ws.contexts.set(other.id, {"gpai-model": "third-party"})
    tab.add({"provider": "Mistral AI", "model": "Mistral Large", "version": "", "own": False, "note": ""})
    window.registry["undo"].trigger()
    assert ws.store.vendor_models(other.id) == [] and ws.contexts.get(other.id).get("gpai-model") == "third-party"
