"""The app makes no network connection: every flow runs with Python's network entry points booby-trapped.

Two independent guards: the socket functions (connect, create_connection, getaddrinfo, gethostbyname)
are replaced by ones that record the attempt and raise, and a ``sys.addaudithook`` hook records the
interpreter's own ``socket.*`` and ``urllib.Request`` audit events (which also catch C code paths and
``ssl``). Local AF_UNIX sockets (D-Bus for the OS keyring) are not network and are allowed. The flows:
scoring through the services, the CLI (scores, compare in every format, brief and --verify, export and
import of workspace and CSV files, signed bundles, questionnaires, backup/restore, the self-test), and
the desktop app's start-up offscreen.
"""

from __future__ import annotations

import json
import socket
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vendoreval.domain.models import Answer, ClaimStatus, EvidenceStrength
from vendoreval.services import Workspace

_ATTEMPTS: list[str] = []
_ARMED = False
_NETWORK_EVENTS = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
                   "socket.sendto", "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect")


def _is_local(args: tuple[Any, ...]) -> bool:
    """True for a connect to a local (AF_UNIX) socket, e.g. D-Bus."""
    sock = args[0] if args else None
    return isinstance(sock, socket.socket) and sock.family == getattr(socket, "AF_UNIX", object())


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _ARMED and event in _NETWORK_EVENTS and not (event == "socket.connect" and _is_local(args)):
        _ATTEMPTS.append(f"{event} {args[1:] if event == 'socket.connect' else args}")
        raise OSError(f"vendoreval must not use the network ({event})")


sys.addaudithook(_audit)  # audit hooks cannot be removed: it only acts while a test has armed it


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Arm both guards for one test; fails it if anything tried to reach the network."""
    global _ARMED

    def refuse(name: str) -> Any:
        def fn(*args: Any, **kwargs: Any) -> Any:
            if name.endswith("connect") and _is_local(args):
                return original[name](*args, **kwargs)
            _ATTEMPTS.append(f"{name}{args[1:] if name.endswith('connect') else args}")
            raise OSError(f"vendoreval must not use the network ({name})")
        return fn

    original = {"socket.connect": socket.socket.connect, "socket.connect_ex": socket.socket.connect_ex}
    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    for fn in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
        monkeypatch.setattr(socket, fn, refuse(fn))
    _ATTEMPTS.clear()
    _ARMED = True
    try:
        yield _ATTEMPTS
    finally:
        _ARMED = False
    assert _ATTEMPTS == [], f"network access attempted: {_ATTEMPTS}"


def test_the_guard_catches_a_connection(no_network: list[str]) -> None:
    """The trap works (otherwise the tests below prove nothing)."""
    with pytest.raises(OSError, match="must not use the network"):
        socket.create_connection(("192.0.2.1", 443), timeout=0.01)
    with pytest.raises(OSError, match="must not use the network"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect(("192.0.2.1", 80))
    import urllib.request

    with pytest.raises(OSError):
        urllib.request.urlopen("http://192.0.2.1/", timeout=0.01)
    assert len(no_network) >= 3
    no_network.clear()  # expected here; the fixture checks what is left


def populate(ws: Workspace) -> list[str]:
    """Two scored vendors with claims and evidence; returns the vendor names."""
    rubrics = ws.library.latest_all()[:2]
    names = []
    for i, name in enumerate(["Offline Check One", "Offline Check Two"]):
        vendor = ws.vendors.create(name, product="Copywriter", website=f"https://{name.split()[0].lower()}.example")
        claim = ws.claims.add(vendor.id, f"{name} was trained on 15T licensed tokens")
        ws.claims.set_status(claim.id, ClaimStatus.DOCUMENTED)
        ws.evidence.add_url(vendor.id, "https://example.com/model-card", title="Model card", claim_ids=[claim.id])
        for rubric in rubrics:
            card = ws.scorecards.create(vendor.id, rubric.id)
            for j, crit in enumerate(rubric.criteria):
                ws.scorecards.set_score(card.id, crit.id, Answer.LEVEL, level=(i + j) % (crit.scale.top + 1),
                                        strength=EvidenceStrength.DOCUMENTATION, rationale="offline")
        names.append(name)
    return names


def test_cli_flows_make_no_connection(no_network: list[str], cli, data_dir: Path, tmp_path: Path) -> None:
    assert cli("demo").code == 0
    ws = Workspace(data_dir, evaluator="ann")
    try:
        names = populate(ws)
    finally:
        ws.close()
    out = tmp_path / "out"
    out.mkdir()
    ok = [
        ("scores", "--json"),
        ("vendors", "list"),
        ("compare",),
        ("compare", "--format", "json"),
        ("compare", "--format", "csv", "--out", str(out / "compare.csv")),
        ("compare", "--format", "xlsx", "--out", str(out / "compare.xlsx")),
        ("brief", "--out", str(out / "brief.pdf"), "--date", "2026-11-27"),
        ("brief", "--verify", str(out / "brief.pdf")),
        ("export", str(out / "workspace.json")),
        ("export", "--format", "claims-csv", str(out / "claims.csv")),
        ("export", "--format", "scores-csv", str(out / "scores.csv")),
        ("export", "--format", "cyclonedx", str(out / "attestations.cdx.json")),
        ("questionnaire", "export", names[0], "--all", "--out", str(out / "questions.xlsx")),
        ("backup", "--out", str(out / "backup.db")),
        ("consensus", "show", names[0]),
    ]
    for args in ok:
        r = cli(*args)
        assert r.code == 0, (args, r.err)
    r = cli("bundle", "export", "--out", str(out / "ann.vebundle"))
    assert r.code in (0, 2), r.err  # 2: no OS keyring here to sign with, said clearly, still offline
    other = tmp_path / "other"
    assert cli("import", str(out / "workspace.json"), data=other).code == 0
    assert cli("import", str(out / "claims.csv"), data=other).code == 0
    assert cli("import", str(out / "scores.csv"), data=other).code == 0
    assert cli("import", str(out / "attestations.cdx.json"), "--vendor", names[0], data=other).code == 0
    if (out / "ann.vebundle").exists():
        with zipfile.ZipFile(out / "ann.vebundle") as zf:
            signer = json.loads(zf.read("manifest.json"))["signer"]
        confirm = ["--trust-key", signer["fingerprint"]] if signer else ["--accept-unsigned"]  # no keyring: unsigned
        r = cli("bundle", "import", *confirm, "--accept-rubrics", str(out / "ann.vebundle"), data=tmp_path / "third")
        assert r.code == 0, r.err
    r = cli("questionnaire", "import", names[0], str(out / "questions.xlsx"))
    assert r.code in (0, 2), r.err  # the untouched form may be refused (no answers); offline either way
    assert cli("restore", str(out / "backup.db")).code == 0
    assert (out / "brief.pdf").read_bytes().startswith(b"%PDF")


def test_services_bundle_round_trip_makes_no_connection(no_network: list[str], tmp_path: Path) -> None:
    from vendoreval.secrets import InMemorySecretStore
    from vendoreval.services.bundles import BundleService

    a = Workspace(tmp_path / "a", evaluator="ann", secrets=InMemorySecretStore())
    b = Workspace(tmp_path / "b", evaluator="bob", secrets=InMemorySecretStore())
    try:
        populate(a)
        result = BundleService(a).export(tmp_path / "ann.vebundle")
        assert result.signed
        BundleService(b).import_bundle(tmp_path / "ann.vebundle", trust_key=result.manifest.signer.fingerprint,
                                       accept_rubrics=True)
        assert {v.name for v in b.vendors.list()} == {"Offline Check One", "Offline Check Two"}
    finally:
        a.close()
        b.close()


def test_self_test_makes_no_connection(no_network: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from vendoreval.cli import main

    assert main(["--self-test"]) == 0
    assert "self-test passed" in capsys.readouterr().out


def test_desktop_app_start_up_makes_no_connection(no_network: list[str], qtbot, data_dir: Path,
                                                  tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    from vendoreval.ui.app import application, build_window
    from vendoreval.ui.messages import RecordingMessages
    from vendoreval.ui.tasks import SyncRunner

    ws = Workspace(data_dir, evaluator="ann")
    populate(ws)
    application()
    window = build_window(ws, messages=RecordingMessages(), runner=SyncRunner(),
                          settings=QSettings(str(tmp_path / "qsettings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(200)  # let start-up timers (autosave, deferred loads) fire
    window.close()
    assert "PySide6.QtNetwork" not in sys.modules  # Qt's own network stack is never even loaded
