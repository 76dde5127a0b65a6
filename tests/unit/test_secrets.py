"""Secret stores: keyring trouble of any kind means 'no keyring', said once; the key pair lives only there."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import KeyringLocked, NoKeyringError

from vendoreval.secrets import InMemorySecretStore, KeyringSecretStore, SecretStoreUnavailable
from vendoreval.services import Workspace
from vendoreval.services.identity import IdentityService, group_fingerprint

ROOT = Path(__file__).resolve().parents[2]


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring backend that counts how often it is asked."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, error: BaseException | None = None) -> None:
        super().__init__()
        self.data: dict[tuple[str, str], str] = {}
        self.calls = 0
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        self.calls += 1
        if self.error:
            raise self.error
        return self.data.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls += 1
        if self.error:
            raise self.error
        self.data[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.calls += 1
        self.data.pop((service, username), None)


@pytest.fixture
def use_backend() -> Iterator[Any]:
    """Install a keyring backend for the test and put the previous one back after."""
    previous = keyring.get_keyring()

    def install(backend: Any) -> Any:
        keyring.set_keyring(backend)
        return backend

    yield install
    keyring.set_keyring(previous)


def test_in_memory_store_round_trip_and_unavailable_variant():
    s = InMemorySecretStore()
    assert s.unavailable_reason() is None and s.get("k") is None
    s.set("k", "v")
    assert s.get("k") == "v"
    s.delete("k")
    assert s.get("k") is None
    off = InMemorySecretStore(unavailable="no keyring here")
    with pytest.raises(SecretStoreUnavailable, match="no keyring here"):
        off.set("k", "v")


def test_keyring_store_uses_a_working_backend(use_backend):
    backend = use_backend(MemoryKeyring())
    s = KeyringSecretStore()
    s.set("signing-key:x", "secret")
    assert backend.data == {("vendoreval", "signing-key:x"): "secret"}
    assert s.get("signing-key:x") == "secret"
    s.delete("signing-key:x")
    assert s.get("signing-key:x") is None


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_fail_and_null_backends_count_as_no_keyring(use_backend, backend):
    use_backend(backend)
    s = KeyringSecretStore()
    reason = s.unavailable_reason()
    assert reason is not None and "No usable OS keyring" in reason and "unsigned" in reason
    with pytest.raises(SecretStoreUnavailable):
        s.set("k", "v")  # the null backend would silently drop it: never pretend it was kept


@pytest.mark.parametrize(
    ("error", "words"),
    [(KeyringLocked("locked"), "the keyring is locked"), (NoKeyringError("none"), "NoKeyringError"),
     (RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown"), "DBus")],
)
def test_backend_errors_mean_no_keyring_and_are_reported_once(use_backend, error, words):
    backend = use_backend(MemoryKeyring(error=error))
    s = KeyringSecretStore()
    assert s.unavailable_reason() is None  # looks fine until it is used
    with pytest.raises(SecretStoreUnavailable, match=words):
        s.get("k")
    calls = backend.calls
    assert words in (s.unavailable_reason() or "")
    with pytest.raises(SecretStoreUnavailable):
        s.set("k", "v")
    assert backend.calls == calls  # the broken keyring is not asked again this session


def test_opening_a_workspace_does_not_touch_the_keyring(use_backend, data_dir):
    backend = use_backend(MemoryKeyring())
    ws = Workspace(data_dir, evaluator="ann")
    try:
        v = ws.vendors.create("Acme")
        ws.claims.add(v.id, "We never train on your data")
        assert IdentityService(ws).public() is None
        assert backend.calls == 0
        info = IdentityService(ws).status().key
        assert info is not None and backend.calls > 0
    finally:
        ws.close()


def test_identity_created_on_first_use_private_key_only_in_the_store(data_dir):
    secrets = InMemorySecretStore()
    ws = Workspace(data_dir, evaluator="ann", secrets=secrets)
    try:
        ids = IdentityService(ws)
        status = ids.status()
        assert status.problem is None and status.key is not None
        key = status.key
        raw = base64.b64decode(key.public_key)
        assert len(raw) == 32 and key.fingerprint == hashlib.sha256(raw).hexdigest()
        assert key.grouped == group_fingerprint(key.fingerprint) and len(key.grouped.split()) == 8
        assert ids.status().key == key  # the same key next time
        settings = ws.store.settings()
        assert settings["identity.fingerprint"] == key.fingerprint
        assert settings["identity.public_key"] == key.public_key
        private = secrets.get(f"signing-key:{key.fingerprint}")
        assert private is not None
        assert [e.entity for e in ws.history()].count("identity") == 1  # creating the key is audited
        ws.close()
        on_disk = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())
        assert private.encode() not in on_disk and base64.b64decode(private) not in on_disk
    finally:
        ws.close()


def test_key_missing_from_keyring_is_not_silently_replaced(data_dir):
    ws = Workspace(data_dir, evaluator="ann", secrets=InMemorySecretStore())
    first = IdentityService(ws).status().key
    ws.close()
    ws = Workspace(data_dir, evaluator="ann", secrets=InMemorySecretStore())  # another machine's keyring
    try:
        status = IdentityService(ws).status()
        assert status.key == first and status.problem is not None and "--new-key" in status.problem
        new = IdentityService(ws).new_key()
        assert new.fingerprint != (first.fingerprint if first else None)
        assert IdentityService(ws).status().problem is None
    finally:
        ws.close()


def test_cli_with_fail_backend_says_no_keyring_and_exports_unsigned(tmp_path):
    """The real process, with keyring's own fail backend chosen by environment variable."""
    data = tmp_path / "ws"
    ws = Workspace(data, evaluator="Claire", secrets=InMemorySecretStore())
    from tests.factories import criterion, rubric
    from vendoreval.domain.models import Answer

    r = rubric("mini", [criterion("a")])
    with ws.store.transaction():
        ws.store.save_rubric_version(r, origin="user")
    ws.library.remember(r)
    v = ws.vendors.create("Acme")
    card = ws.scorecards.create(v.id, "mini", "1.0")
    ws.scorecards.set_score(card.id, "a", Answer.LEVEL, level=2)
    ws.close()
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "PYTHONPATH": str(ROOT)}
    out = tmp_path / "x.vebundle"
    proc = subprocess.run([sys.executable, "-m", "vendoreval", "--data-dir", str(data), "bundle", "export",
                           "--out", str(out)], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("No usable OS keyring") == 1 and "UNSIGNED" in proc.stdout
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    # said in words a user can act on (it named the backend's module, 'keyring.backends.fail')
    assert manifest["signature"] is None and "no keyring service was found" in manifest["unsigned_reason"]
    assert "keyring.backends" not in proc.stdout
    who = subprocess.run([sys.executable, "-m", "vendoreval", "--data-dir", str(data), "bundle", "whoami"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert who.returncode == 0 and "No usable OS keyring" in who.stderr and "unsigned" in who.stdout
