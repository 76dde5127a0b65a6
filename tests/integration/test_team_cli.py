"""`vendoreval team ...` on the command line: output, exit codes (0 ok, 2 refused), confirmation of --all."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.integration.test_team import add_rubric, score
from vendoreval.secrets import InMemorySecretStore
from vendoreval.services import Workspace


@pytest.fixture
def keyring(monkeypatch: pytest.MonkeyPatch) -> InMemorySecretStore:
    """One in-memory keyring for every CLI run (keys are stored by fingerprint, so members do not clash)."""
    store = InMemorySecretStore()
    monkeypatch.setattr("vendoreval.services.workspace.KeyringSecretStore", lambda: store)
    return store


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    folder = tmp_path / "OneDrive - Acme" / "Vendor evaluation"
    folder.mkdir(parents=True)
    return folder


def make_member(tmp_path: Path, evaluator: str, vendor: str, levels: dict[str, int],
                secrets: InMemorySecretStore) -> Path:
    """A data folder with one submitted scorecard by ``evaluator``."""
    folder = tmp_path / evaluator.lower().replace(" ", "-")
    ws = Workspace(folder, evaluator=evaluator, secrets=secrets)
    try:
        add_rubric(ws)
        ws.set_evaluator(evaluator)
        score(ws, vendor, levels)
    finally:
        ws.close()
    return folder


def scorecards(folder: Path, secrets: InMemorySecretStore) -> list[tuple[str, str]]:
    ws = Workspace(folder, secrets=secrets)
    try:
        return sorted((c.evaluator, str(c.scores["dpa"].level)) for c in ws.store.scorecards())
    finally:
        ws.close()


def test_join_sync_trust_status_leave(cli, tmp_path: Path, shared: Path, keyring) -> None:  # type: ignore[no-untyped-def]
    claire = make_member(tmp_path, "Claire", "Acme AI", {"dpa": 2}, keyring)
    paul = make_member(tmp_path, "Paul", "Acme AI", {"dpa": 3}, keyring)
    r = cli("team", "join", str(tmp_path / "missing"), data=claire)
    assert r.code == 2 and "missing: the team folder does not exist" in r.err
    r = cli("team", "join", str(shared), data=claire)
    assert r.code == 0, r.err
    assert f"Joined the team folder {shared} as Claire." in r.out and "Published claire-" in r.out
    r = cli("team", "join", str(shared), "--name", "Paul (Procurement)", data=paul)
    assert r.code == 0, r.err
    assert "Not imported claire-" in r.out and 'not trusted yet: run `vendoreval team trust Claire`' in r.out
    r = cli("team", "status", "--json", data=paul)
    assert r.code == 0
    status = json.loads(r.out)
    assert status["me"]["name"] == "Paul (Procurement)" and status["me"]["can_publish"]
    [member] = status["members"]
    assert member["name"] == "Claire" and member["trusted"] is False and len(member["fingerprint"]) == 64
    assert status["summary"].startswith("Team: 2 members, 1 not trusted yet, synced")
    r = cli("team", "trust", "Nobody", data=paul)
    assert r.code == 2 and "no member of that name" in r.err and "Claire" in r.err
    r = cli("team", "trust", "Claire", data=paul)
    assert r.code == 0, r.err
    assert f"Trusted Claire's key {member['grouped']}." in r.out and "Imported claire-" in r.out
    assert scorecards(paul, keyring) == [("Claire", "2"), ("Paul", "3")]
    r = cli("team", "status", data=paul)
    assert r.code == 0 and "— trusted" in r.out and "Me: Paul (Procurement), key " in r.out
    r = cli("team", "sync", "--json", data=claire)
    assert r.code == 0
    sync = json.loads(r.out)
    assert sync["published"] is False and sync["untrusted"][0]["file"].startswith("paul-procurement-")
    r = cli("team", "leave", data=paul)
    assert r.code == 0 and "What was imported stays here" in r.out
    assert scorecards(paul, keyring) == [("Claire", "2"), ("Paul", "3")]
    r = cli("team", "leave", data=paul)
    assert r.code == 2 and "nothing to leave" in r.err
    r = cli("team", "sync", data=paul)
    assert r.code == 2 and "team join FOLDER" in r.err


def test_folder_gone_exits_2_and_says_so(cli, tmp_path: Path, shared: Path, keyring) -> None:  # type: ignore[no-untyped-def]
    claire = make_member(tmp_path, "Claire", "Acme AI", {"dpa": 2}, keyring)
    assert cli("team", "join", str(shared), data=claire).code == 0
    shared.rename(shared.with_name("gone"))
    r = cli("team", "sync", data=claire)
    assert r.code == 2 and "is not there (an unmounted drive" in r.err and "nothing was changed" in r.err
    r = cli("team", "status", data=claire)
    assert r.code == 2 and "PROBLEM:" in r.out


def test_trust_all_lists_every_key_and_asks(cli, tmp_path: Path, shared: Path, keyring, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folders = [make_member(tmp_path, n, "Acme AI", {"dpa": i}, keyring) for i, n in enumerate(("Ann", "Bob", "Cem"))]
    for f in folders:
        assert cli("team", "join", str(shared), data=f).code == 0
    twin = make_member(tmp_path / "other", "Bob", "Acme AI", {"dpa": 4}, keyring)  # a second "Bob"
    assert cli("team", "join", str(shared), data=twin).code == 0
    dora = make_member(tmp_path, "Dora", "Acme AI", {"dpa": 1}, keyring)
    assert cli("team", "join", str(shared), data=dora).code == 0
    r = cli("team", "trust", "Bob", data=dora)
    assert r.code == 2 and "2 keys use that name" in r.err and "trust it by fingerprint" in r.err
    r = cli("team", "trust", "--all", "Ann", data=dora)
    assert r.code == 2 and "not both" in r.err
    # stdin is not a terminal: --all needs --yes, and nothing is trusted.
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    r = cli("team", "trust", "--all", data=dora)
    assert r.code == 2 and "--yes" in r.err
    assert "2 keys to trust" in r.out and "  Ann: " in r.out and "  Cem: " in r.out
    assert r.out.count("Left out: Bob") == 2 and "trust the right one by fingerprint" in r.out
    assert scorecards(dora, keyring) == [("Dora", "1")]
    # At a terminal: "n" trusts nothing, "y" trusts both listed keys (and imports their bundles).
    tty = io.StringIO("n\n")
    tty.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stdin", tty)
    r = cli("team", "trust", "--all", data=dora)
    assert r.code == 2 and "Nothing was trusted." in r.out
    tty = io.StringIO("y\n")
    tty.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stdin", tty)
    r = cli("team", "trust", "--all", data=dora)
    assert r.code == 0, r.err
    assert "Trusted Ann's key" in r.out and "Trusted Cem's key" in r.out
    assert scorecards(dora, keyring) == [("Ann", "0"), ("Cem", "2"), ("Dora", "1")]
    # Bob by fingerprint, then --yes with nothing left but the other Bob (already trusted name): exit 2.
    r = cli("team", "status", "--json", data=dora)
    bobs = [m["fingerprint"] for m in json.loads(r.out)["members"] if m["name"] == "Bob"]
    assert len(bobs) == 2
    r = cli("team", "trust", bobs[0], data=dora)
    assert r.code == 0, r.err
    r = cli("team", "trust", "--all", "--yes", data=dora)
    assert r.code == 2 and "already trusted with another key" in r.out


def test_member_without_keyring_says_imports_only(cli, tmp_path: Path, shared: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store = InMemorySecretStore(unavailable="No usable OS keyring (test)")
    monkeypatch.setattr("vendoreval.services.workspace.KeyringSecretStore", lambda: store)
    nadia = make_member(tmp_path, "Nadia", "Acme AI", {"dpa": 2}, store)
    r = cli("team", "join", str(shared), data=nadia)
    assert r.code == 0, r.err
    assert "No signing key: imports only" in r.out and "Me: Nadia, no signing key: imports only" in r.out
    assert list(shared.glob("*.vebundle")) == []
