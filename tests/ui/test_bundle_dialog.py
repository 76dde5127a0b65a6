"""Export and import dialogs: signing status, signer and trust, warnings, rubric confirmation, refusals."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from tests.integration.test_bundle_roundtrip import add_rubric, score_card, snapshot, tamper_content
from vendoreval.secrets import InMemorySecretStore
from vendoreval.services import Workspace
from vendoreval.services.bundles import BundleService
from vendoreval.ui.dialogs import bundle_dialog
from vendoreval.ui.dialogs.bundle_dialog import ExportBundleDialog, ImportBundleDialog
from vendoreval.ui.messages import RecordingMessages


def make_ws(path: Path, evaluator: str, *, keyring: bool = True, vendors: tuple[str, ...] = ("Acme AI",)) -> Workspace:
    secrets = InMemorySecretStore() if keyring else InMemorySecretStore(unavailable="No usable OS keyring (test)")
    ws = Workspace(path, evaluator=evaluator, secrets=secrets)
    add_rubric(ws)
    for name in vendors:
        score_card(ws, ws.vendors.create(name).id, {"lawful_basis": 3, "dpa": 2})
    return ws


@pytest.fixture
def cmo(tmp_path: Path):  # type: ignore[no-untyped-def]
    ws = make_ws(tmp_path / "cmo", "Claire (CMO)", vendors=("Acme AI", "Beta Labs"))
    yield ws
    ws.close()


@pytest.fixture
def proc(tmp_path: Path):  # type: ignore[no-untyped-def]
    ws = Workspace(tmp_path / "proc", evaluator="Paul", secrets=InMemorySecretStore())
    yield ws
    ws.close()


def test_export_dialog_shows_the_key_and_exports_the_checked_vendors(qtbot, cmo, tmp_path):
    messages = RecordingMessages()
    dlg = ExportBundleDialog(cmo, messages=messages)
    qtbot.addWidget(dlg)
    fp = cmo.store.settings()["identity.fingerprint"]
    assert "Signed with your key" in dlg.signing.text() and fp[:4].upper() in dlg.signing.text()
    assert [dlg.vendors.item(i).text() for i in range(dlg.vendors.count())] == ["Acme AI", "Beta Labs"]
    dlg.vendors.item(1).setCheckState(Qt.CheckState.Unchecked)
    dlg.path.setText(str(tmp_path / "only-acme"))
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted
    out = tmp_path / "only-acme.vebundle"
    assert out.exists() and dlg.result_ is not None and dlg.result_.signed and dlg.result_.vendors == 1
    assert "Signed by Claire (CMO)" in messages.shown[-1][2]


def test_export_dialog_without_keyring_says_unsigned(qtbot, tmp_path):
    ws = make_ws(tmp_path / "nokey", "Nadia", keyring=False)
    try:
        messages = RecordingMessages()
        dlg = ExportBundleDialog(ws, messages=messages)
        qtbot.addWidget(dlg)
        assert "UNSIGNED" in dlg.signing.text() and "No usable OS keyring" in dlg.signing.text()
        dlg.path.setText(str(tmp_path / "u.vebundle"))
        dlg.do_export()
        assert "UNSIGNED" in messages.shown[-1][2]
    finally:
        ws.close()


def test_import_dialog_shows_signer_trust_rubrics_and_changes_before_importing(qtbot, cmo, proc, tmp_path):
    bundle = BundleService(cmo).export(tmp_path / "b.vebundle").path
    plan = BundleService(proc).preview(bundle)
    dlg = ImportBundleDialog(proc, bundle, plan, messages=RecordingMessages())
    qtbot.addWidget(dlg)
    dlg.show()
    assert "Claire (CMO)" in dlg.signer.text() and "NOT trusted" in dlg.signer.text()
    assert dlg.trust.isVisible() and not dlg.trust.isChecked()
    assert "not trusted yet" in dlg.warnings.text()
    summary = [dlg.summary.item(i).text() for i in range(dlg.summary.count())]
    assert "New vendor: Acme AI" in summary and any(s.startswith("New scorecard: Beta Labs") for s in summary)
    assert any("Rubric version not in this workspace" in s for s in summary)
    assert not dlg.import_button.isEnabled()  # the missing rubric version must be accepted first
    dlg.accept_rubrics.setChecked(True)
    assert dlg.import_button.isEnabled()
    dlg.trust.setChecked(True)
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert proc.store.counts()["scorecards"] == 2
    assert BundleService(proc).preview(bundle).trusted


def test_import_bundle_function_refuses_a_tampered_file_with_nothing_imported(qtbot, cmo, proc, tmp_path):
    good = BundleService(cmo).export(tmp_path / "g.vebundle").path
    bad = tamper_content(good, tmp_path / "bad.vebundle")
    messages = RecordingMessages()
    before = snapshot(proc)
    assert bundle_dialog.import_bundle(proc, None, messages=messages, path=bad) is None
    assert messages.errors and "changed after it was signed" in messages.errors[0]
    assert snapshot(proc) == before


def test_import_bundle_function_for_an_unsigned_bundle(qtbot, proc, tmp_path, monkeypatch):
    nokey = make_ws(tmp_path / "nokey", "Nadia", keyring=False)
    try:
        out = BundleService(nokey).export(tmp_path / "u.vebundle").path
    finally:
        nokey.close()
    seen: dict[str, object] = {}

    def fake_exec(self: ImportBundleDialog) -> int:
        seen["signer"] = self.signer.text()
        seen["trust_visible"] = not self.trust.isHidden()
        self.accept_rubrics.setChecked(True)
        seen["enabled_before"] = self.import_button.isEnabled()  # an unsigned bundle needs its own confirmation
        self.accept_unsigned.setChecked(True)
        self.do_import()
        return int(self.result())

    monkeypatch.setattr(ImportBundleDialog, "exec", fake_exec)
    messages = RecordingMessages()
    result = bundle_dialog.import_bundle(proc, None, messages=messages, path=out)
    assert result is not None and str(seen["signer"]).startswith("UNSIGNED") and seen["trust_visible"] is False
    assert seen["enabled_before"] is False
    assert messages.shown[-1][1] == "Bundle imported" and "UNSIGNED" in messages.shown[-1][2]
    assert proc.vendors.find("Acme AI")
    assert zipfile.is_zipfile(out)


def test_import_dialog_lists_the_team_records_and_the_refused_ones(qtbot, tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from tests.integration.test_bundle_format2 import CLAIRE, Team, _bump, _first
    from tests.integration.test_bundle_tamper import Key, forge

    team = Team(tmp_path)
    try:
        genuine = _first(team)
        team.claire.conditions.set(team.vendor.id, 1, target="€3M cap")
        team.claire.commercials.set(team.vendor.id, {"annual": "4800.00"})
        newer = team.export("claire-2.vebundle")
        mallory = Key(Ed25519PrivateKey.generate(), "Mallory")
        # Mallory's copy of Claire's newer bundle, with her own commercials edit on top
        bad = forge(newer, tmp_path / "mallory.vebundle", mallory, name=CLAIRE,
                    edit=_bump("commercials", one_off="1.00"))
        plan = BundleService(team.paul).preview(bad)
        dlg = ImportBundleDialog(team.paul, bad, plan, messages=RecordingMessages())
        qtbot.addWidget(dlg)
        dlg.show()
        refused = [dlg.refused.item(i).text() for i in range(dlg.refused.count())]
        assert dlg.refused_box.isVisible()
        assert any(t.startswith("Acme AI — condition \"Cap IP indemnity at €2M\"\n    it belongs to Claire (CMO)'s key")
                   for t in refused)
        assert any(t.startswith("Acme AI — commercial terms record\n    it belongs to") for t in refused)
        if os.environ.get("VENDOREVAL_SCREENSHOTS"):  # docs/screenshots/bundle-import-refused.png, on request only
            assert dlg.grab().save(str(Path(os.environ["VENDOREVAL_SCREENSHOTS"]) / "bundle-import-refused.png"))
        assert genuine.exists()
    finally:
        team.close()
