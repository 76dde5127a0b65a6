"""Against a real Secret Service (gnome-keyring under dbus-run-session): the key lives there, bundles verify.

Skipped unless VENDOREVAL_REAL_KEYRING=1; `.ci/run` starts a private D-Bus session with an unlocked
gnome-keyring in a throwaway HOME and sets it. The locked-keyring test runs last: it leaves the
collection locked (unlocking needs a prompter, which a headless session does not have).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.factories import criterion, rubric
from vendoreval.domain.models import Answer
from vendoreval.exchange.bundle import SignatureState
from vendoreval.secrets import InMemorySecretStore, KeyringSecretStore
from vendoreval.services import Workspace
from vendoreval.services.bundles import BundleService
from vendoreval.services.identity import IdentityService

pytestmark = pytest.mark.skipif(os.environ.get("VENDOREVAL_REAL_KEYRING") != "1",
                                reason="needs a real Secret Service (set VENDOREVAL_REAL_KEYRING=1; see .ci/run)")

RUBRIC = rubric("mini", [criterion("a"), criterion("b")])


def scored_workspace(path: Path, evaluator: str, secrets: object | None = None) -> Workspace:
    ws = Workspace(path, evaluator=evaluator, secrets=secrets)  # type: ignore[arg-type]
    with ws.store.transaction():
        ws.store.save_rubric_version(RUBRIC, origin="user")
    ws.library.remember(RUBRIC)
    card = ws.scorecards.create(ws.vendors.create("Acme AI").id, "mini", "1.0")
    ws.scorecards.set_score(card.id, "a", Answer.LEVEL, level=3)
    return ws


def test_signing_key_lives_in_the_real_secret_service_and_bundles_verify(tmp_path):
    import keyring

    assert type(keyring.get_keyring()).__module__ == "keyring.backends.SecretService"
    ws = scored_workspace(tmp_path / "a", "Claire")  # the default store: the OS keyring
    assert isinstance(ws.secrets, KeyringSecretStore)
    try:
        status = IdentityService(ws).status()
        assert status.problem is None and status.key is not None
        fp = status.key.fingerprint
        assert keyring.get_password("vendoreval", f"signing-key:{fp}")  # really stored there
        out = BundleService(ws).export(tmp_path / "a.vebundle")
        assert out.signed
    finally:
        ws.close()
    # A fresh process-level store finds the same key again (nothing cached in the workspace).
    again = Workspace(tmp_path / "a", evaluator="Claire")
    try:
        info, key, problem = IdentityService(again).signing_key()
        assert problem is None and key is not None and info is not None and info.fingerprint == fp
    finally:
        again.close()
    other = Workspace(tmp_path / "b", evaluator="Paul", secrets=InMemorySecretStore())
    try:
        with BundleService(other).open(out.path) as b:
            assert b.state == SignatureState.VALID and b.signer is not None and b.signer.fingerprint == fp
    finally:
        other.close()
    keyring.delete_password("vendoreval", f"signing-key:{fp}")


def test_locked_real_keyring_means_unsigned_and_the_app_keeps_working(tmp_path):
    import secretstorage

    conn = secretstorage.dbus_init()
    secretstorage.get_default_collection(conn).lock()
    ws = scored_workspace(tmp_path / "c", "Claire")
    try:
        out = BundleService(ws).export(tmp_path / "c.vebundle")
        assert not out.signed
        assert "locked" in (out.manifest.unsigned_reason or "")
        assert ws.store.counts()["scorecards"] == 1  # the workspace itself is unaffected
    finally:
        ws.close()
