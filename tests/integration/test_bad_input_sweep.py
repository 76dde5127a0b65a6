"""Adversarial bad input on every CLI path where a file or argument enters: exit 2, a clear message, data unchanged."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import sys
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from vendoreval.cli import main
from vendoreval.secrets import InMemorySecretStore

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, devices and /proc are POSIX")

#: A reader that blocks on a FIFO would hang the run: a command still running after this fails the test.
HANG_SECONDS = 30


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace filled with the sample once per module (copied for each test)."""
    d = tmp_path_factory.mktemp("demo") / "ws"
    assert main(["--data-dir", str(d), "demo"]) == 0
    return d


@pytest.fixture
def workspace(demo_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the sample workspace."""
    d = tmp_path / "ws"
    shutil.copytree(demo_dir, d)
    return d


def snapshot(data_dir: Path) -> dict[str, int]:
    """Row counts of every table (audit included): what "the database as it was" means here."""
    conn = sqlite3.connect(data_dir / "vendoreval.db")
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


@dataclass
class Run:
    """What one CLI run returned and printed."""

    code: int
    out: str
    err: str


@pytest.fixture
def run(workspace: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run the CLI on the workspace copy in a worker thread, so a hang fails the test instead of the run."""

    def _run(*args: str) -> Run:
        result: list[int] = []
        worker = threading.Thread(target=lambda: result.append(main(["--data-dir", str(workspace), *args])),
                                  daemon=True)
        worker.start()
        worker.join(HANG_SECONDS)
        if worker.is_alive():
            pytest.fail(f"vendoreval {' '.join(args)} still running after {HANG_SECONDS} s (it hangs)")
        captured = capsys.readouterr()
        return Run(result[0], captured.out, captured.err)

    return _run


def assert_refused(result: Run, *needles: str) -> None:
    """Exit 2, no traceback, and every needle (file name, reason) in stderr."""
    assert result.code == 2, (result.code, result.err)
    assert "Traceback" not in result.err
    for needle in needles:
        assert needle in result.err, (needle, result.err)


# --- files that are not regular files: FIFOs and devices never end, folders are not files ----------


@pytest.fixture
def special(tmp_path: Path) -> dict[str, Path]:
    """A FIFO, a character device and a folder, each a path a user might pass by mistake."""
    fifo = tmp_path / "answers.fifo"
    os.mkfifo(fifo)
    folder = tmp_path / "a-folder"
    folder.mkdir()
    return {"fifo": fifo, "device": Path("/dev/zero"), "folder": folder}


NOT_A_FILE_COMMANDS = [
    pytest.param(["rubrics", "validate", "{F}"], id="rubrics-validate"),
    pytest.param(["rubrics", "import-csv", "{F}", "--out", "{T}/out.toml"], id="rubrics-import-csv"),
    pytest.param(["import", "{F}"], id="import-auto"),
    pytest.param(["import", "--format", "workspace", "{F}"], id="import-workspace"),
    pytest.param(["import", "--format", "scores-csv", "{F}"], id="import-scores"),
    pytest.param(["import", "--format", "fmti", "{F}"], id="import-fmti"),
    pytest.param(["bundle", "import", "{F}"], id="bundle-import"),
    pytest.param(["questionnaire", "import", "Quillstack", "{F}"], id="questionnaire-import"),
    pytest.param(["brief", "--verify", "{F}"], id="brief-verify"),
    pytest.param(["restore", "{F}"], id="restore"),
]
REASONS = {"fifo": "pipe, device", "device": "pipe, device", "folder": "folder, not a file"}


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
@pytest.mark.parametrize("command", NOT_A_FILE_COMMANDS)
def test_not_a_regular_file_is_refused_without_hanging(
    run, workspace: Path, special: dict[str, Path], tmp_path: Path, command: list[str], kind: str
) -> None:
    path = special[kind]
    before = snapshot(workspace)
    args = [a.replace("{F}", str(path)).replace("{T}", str(tmp_path)) for a in command]
    assert_refused(run(*args), str(path), REASONS[kind])
    assert snapshot(workspace) == before
    assert not (tmp_path / "out.toml").exists()


# --- outputs to a place that cannot be written: nothing half-written, the target named -----------------

#: A folder nobody can create files in, even root.
UNWRITABLE = "/proc"

UNWRITABLE_OUTPUTS = [
    pytest.param(["export", "{O}.json"], id="export-workspace"),
    pytest.param(["export", "--format", "claims-csv", "{O}.csv"], id="export-claims"),
    pytest.param(["export", "--format", "scores-csv", "{O}.csv"], id="export-scores"),
    pytest.param(["compare", "--format", "csv", "--out", "{O}.csv"], id="compare-csv"),
    pytest.param(["compare", "--format", "xlsx", "--out", "{O}.xlsx"], id="compare-xlsx"),
    pytest.param(["bundle", "export", "--out", "{O}.bundle"], id="bundle-export"),
    pytest.param(["brief", "--out", "{O}.pdf"], id="brief"),
    pytest.param(["questionnaire", "export", "Quillstack", "--out", "{O}.xlsx"], id="questionnaire-export"),
]


@pytest.mark.parametrize("where", ["unwritable", "folder"])
@pytest.mark.parametrize("command", UNWRITABLE_OUTPUTS)
def test_output_that_cannot_be_written_is_refused(
    run, workspace: Path, tmp_path: Path, command: list[str], where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a working key store: the first bundle export creates a signing key, which must not happen for a failed one
    monkeypatch.setattr("vendoreval.services.workspace.KeyringSecretStore", InMemorySecretStore)
    suffix = Path(command[-1]).suffix
    if where == "unwritable":
        out = Path(UNWRITABLE) / f"out{suffix}"
    else:  # an existing folder with the file's name
        out = tmp_path / f"taken{suffix}"
        out.mkdir()
    args = [a.replace("{O}" + suffix, str(out)) for a in command]
    before = snapshot(workspace)
    listing = sorted(p.name for p in tmp_path.iterdir())
    assert_refused(run(*args), str(out))
    assert snapshot(workspace) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # no temporary file left behind
    if where == "folder":
        assert list(out.iterdir()) == []


@pytest.mark.parametrize("out", [f"{UNWRITABLE}/out.db", f"{UNWRITABLE}/sys/out.db"])
def test_backup_to_an_unwritable_place_names_the_backup_not_the_workspace(run, workspace: Path, out: str) -> None:
    before = snapshot(workspace)
    result = run("backup", "--out", out)
    assert_refused(result, f"Cannot write the backup {out}")
    assert str(workspace) not in result.err  # the live database is fine; blaming it sent users the wrong way
    assert snapshot(workspace) == before


# --- a database another program holds locked ------------------------------------------------------------


@pytest.fixture
def locked(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Another connection holds BEGIN EXCLUSIVE on the workspace; the CLI waits 50 ms, restore 0.2 s."""
    import vendoreval.store.backup as backup_mod
    import vendoreval.store.store as store_mod

    original = store_mod.Store.__init__

    def quick(self: store_mod.Store, data_dir: Path, *, create: bool = True, busy_timeout_ms: int = 3000) -> None:
        original(self, data_dir, create=create, busy_timeout_ms=50)

    monkeypatch.setattr(store_mod.Store, "__init__", quick)
    monkeypatch.setattr(backup_mod, "RESTORE_LOCK_SECONDS", 0.2)
    other = sqlite3.connect(workspace / "vendoreval.db", timeout=0.05)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.rollback()
        other.close()


LOCKED_WRITES = [
    pytest.param(["restore", "{BACKUP}"], id="restore"),
    pytest.param(["vendors", "add", "Newco"], id="vendors-add"),
    pytest.param(["decide", "Quillstack", "no_go"], id="decide"),
    pytest.param(["import", "{CSV}"], id="import-claims"),
]


@pytest.mark.usefixtures("locked")
@pytest.mark.parametrize("command", LOCKED_WRITES)
def test_locked_database_is_refused_promptly(
    run, demo_dir: Path, workspace: Path, tmp_path: Path, command: list[str]
) -> None:
    before = snapshot(workspace)
    csv = tmp_path / "claims.csv"
    csv.write_text("vendor,text\nQuillstack,A new claim\n", encoding="utf-8")
    args = [a.replace("{BACKUP}", str(demo_dir / "vendoreval.db")).replace("{CSV}", str(csv)) for a in command]
    assert_refused(run(*args), str(workspace / "vendoreval.db"), "locked by another program")
    assert snapshot(workspace) == before


# --- a single huge line (no line breaks): refused with a message a person can read --------------------


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["import", "{F}"], id="import-auto"),
        pytest.param(["import", "--format", "claims-csv", "{F}"], id="import-claims"),
        pytest.param(["import", "--format", "scores-csv", "{F}"], id="import-scores"),
        pytest.param(["import", "--format", "fmti", "{F}"], id="import-fmti"),
        pytest.param(["import", "--format", "workspace", "{F}"], id="import-workspace"),
        pytest.param(["rubrics", "validate", "{F}"], id="rubrics-validate"),
        pytest.param(["rubrics", "import-csv", "{F}", "--out", "{F}.toml"], id="rubrics-import-csv"),
    ],
)
def test_one_huge_line_gets_a_short_message(run, workspace: Path, tmp_path: Path, command: list[str]) -> None:
    big = tmp_path / "oneline.csv"
    big.write_bytes(b"a" * 1_000_000)  # the real case was 50 MB; the message used to quote 64 KB of it
    before = snapshot(workspace)
    result = run(*[a.replace("{F}", str(big)) for a in command])
    assert_refused(result, str(big))
    assert len(result.err) < 2000, result.err[:300]
    assert snapshot(workspace) == before
    assert not Path(f"{big}.toml").exists()


# --- --data-dir that cannot be a workspace ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        pytest.param(lambda d: d.write_bytes(b"not a folder"), "is a file, not a folder", id="a-file"),
        pytest.param(lambda d: (d.mkdir(), (d / "vendoreval.db").write_bytes(b"hello " * 200)),
                     "is not a vendoreval database or is damaged", id="non-database-db"),
        pytest.param(lambda d: None, "", id="under-proc"),
    ],
)
def test_data_dir_that_is_not_a_workspace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Callable[[Path], object], reason: str
) -> None:
    data = Path("/proc/vendoreval-sweep") if reason == "" else tmp_path / "data"
    make(data)
    before = data.read_bytes() if data.is_file() else None
    for args in (["vendors", "list"], ["vendors", "add", "Newco"]):
        code = main(["--data-dir", str(data), *args])
        err = capsys.readouterr().err
        assert code == 2 and "Traceback" not in err, err
        assert str(data) in err and reason in err, err
    if before is not None:
        assert data.read_bytes() == before


# --- workspace JSON that Python's parser takes but the app must not ---------------------------------------


@pytest.fixture(scope="module")
def workspace_json(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sample workspace exported as a workspace file (text)."""
    out = tmp_path_factory.mktemp("export") / "ws.json"
    assert main(["--data-dir", str(demo_dir), "export", str(out)]) == 0
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        pytest.param('"level": 3', '"level": 1' + "0" * 5000, "5001 digits", id="5000-digit-integer"),
        pytest.param('"level": 3,', '"level": 3, "level": 4,', "key 'level' appears twice", id="duplicate-key"),
        pytest.param('"level": 3', '"level": NaN', "NaN is not a JSON number", id="nan"),
        pytest.param('"level": 3', '"level": 1e999', "finite number", id="1e999"),
        pytest.param('"rationale": "Panel', '"rationale": ' + "[" * 100_000, "nested too deeply", id="100k-brackets"),
        pytest.param('"rationale": "Panel', '"rationale": "Panel \\ud800', "\\ud800 is half of a UTF-16 surrogate pair",
                     id="lone-surrogate"),
        # the file's first "level" is its agreed score's: out-of-range agreed levels used to go in and count
        pytest.param('"level": 3', '"level": 99', "agreed_scores[0]: level 99 is out of range 0..4", id="agreed-99"),
        pytest.param('"level": 3', '"level": -3', "agreed_scores[0]: level -3 is out of range", id="agreed-negative"),
        pytest.param('"criterion_id": "evaluations"', '"criterion_id": "nope"', "has no criterion 'nope'",
                     id="agreed-unknown-criterion"),
    ],
)
def test_hostile_workspace_json_is_refused(
    run, workspace: Path, tmp_path: Path, workspace_json: str, old: str, new: str, reason: str
) -> None:
    assert old in workspace_json
    bad = tmp_path / "hostile.json"
    bad.write_text(workspace_json.replace(old, new, 1), encoding="utf-8")
    before = snapshot(workspace)
    assert_refused(run("import", str(bad)), str(bad), reason)
    assert snapshot(workspace) == before


def test_escaped_emoji_in_workspace_json_still_imports(tmp_path: Path, workspace_json: str) -> None:
    good = tmp_path / "emoji.json"
    good.write_text(workspace_json.replace('"rationale": "Panel', '"rationale": "\\ud83d\\ude00 Panel', 1),
                    encoding="utf-8")
    assert main(["--data-dir", str(tmp_path / "fresh"), "import", str(good)]) == 0


# --- command-line text that is not UTF-8 (Python hands it over as lone surrogates) ------------------------


@pytest.mark.parametrize(
    ("args", "named"),
    [
        pytest.param(["decide", "Quillstack", "go", "--condition", "pay \udcfe later"], "--condition", id="condition"),
        pytest.param(["decide", "Quillstack\udcff", "go"], "VENDOR", id="vendor"),
        pytest.param(["--evaluator", "ann\udcff", "vendors", "add", "Newco"], "--evaluator", id="evaluator"),
        pytest.param(["vendors", "add", "New\udcffco"], "NAME", id="vendor-name"),
        pytest.param(["brief", "--out", "{T}/b.pdf", "--title", "Board \udcff"], "--title", id="brief-title"),
    ],
)
def test_text_argument_that_is_not_utf8_is_refused(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], named: str
) -> None:
    before = snapshot(workspace)
    code = main(["--data-dir", str(workspace)]
                + [a.replace("{T}", str(tmp_path)) for a in args])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err, err
    assert f"{named}: " in err and "is not UTF-8 text" in err and "\\x" in err, err
    assert snapshot(workspace) == before
    assert not (tmp_path / "b.pdf").exists()


def test_a_file_name_that_is_not_utf8_still_imports(workspace: Path, tmp_path: Path) -> None:
    name = os.fsdecode(os.fsencode(str(tmp_path)) + b"/claims-\xff.csv")  # a valid name on Linux
    Path(name).write_text("vendor,text\nQuillstack,A new claim\n", encoding="utf-8")
    assert main(["--data-dir", str(workspace), "import", name]) == 0
    assert snapshot(workspace)["claims"] == 15


# --- bundles whose content is well-formed JSON but wrong (an unsigned bundle carries anything) ------------


@pytest.fixture(scope="module")
def bundle_parts(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict]:
    """The sample's scorecards exported as an unsigned bundle: its members and its manifest."""
    out = tmp_path_factory.mktemp("bundle") / "demo.bundle"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("vendoreval.services.workspace.KeyringSecretStore",
                   lambda: InMemorySecretStore(unavailable="no keyring in this test"))
        assert main(["--data-dir", str(demo_dir), "bundle", "export", "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    return members, json.loads(members.pop("manifest.json"))


def _rebundle(path: Path, members: dict[str, bytes], manifest: dict, content: dict) -> None:
    raw = json.dumps(content).encode("utf-8")
    manifest = {**manifest, "content": {"sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw)}}
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, raw if name == "content.json" else data)
        zf.writestr("manifest.json", json.dumps(manifest))


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param({"level": 99}, "level 99 is out of range 0..4", id="level-99"),
        pytest.param({"level": -9}, "level -9 is out of range 0..4", id="level-negative"),
        pytest.param({"criterion_id": "nope"}, "but its criterion_id is 'nope'", id="criterion-mismatch"),
    ],
)
def test_bundle_with_impossible_scores_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bundle_parts: tuple[dict[str, bytes], dict],
    change: dict, reason: str,
) -> None:
    members, manifest = bundle_parts
    content = json.loads(members["content.json"])
    card = next(c for c in content["scorecards"] if c["rubric_id"] == "ai-act")
    first = next(s for s in card["scores"].values() if s["level"] is not None)
    first.update(change)
    bad = tmp_path / "hostile.bundle"
    _rebundle(bad, members, manifest, content)
    fresh = tmp_path / "fresh"
    assert main(["--data-dir", str(fresh), "vendors", "list"]) == 0
    before = snapshot(fresh)
    capsys.readouterr()
    code = main(["--data-dir", str(fresh), "bundle", "import", "--accept-rubrics", str(bad)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err, err
    assert str(bad) in err and reason in err, err
    assert snapshot(fresh) == before


def test_rebuilt_bundle_without_changes_still_imports(
    tmp_path: Path, bundle_parts: tuple[dict[str, bytes], dict]
) -> None:
    members, manifest = bundle_parts
    good = tmp_path / "same.bundle"
    _rebundle(good, members, manifest, json.loads(members["content.json"]))
    assert main(["--data-dir", str(tmp_path / "fresh"), "bundle", "import", "--accept-rubrics", "--accept-unsigned",
                 str(good)]) == 0  # the sweep's bundles are unsigned: they import only once confirmed


# --- nesting deeper than any real file, in each format (the workspace JSON case is above) -----------------


def _deep_toml(path: Path, run: Callable[..., Run], parts: tuple[dict[str, bytes], dict]) -> list[str]:
    path.write_text('id = "deep"\ncriteria = ' + "[" * 100_000, encoding="utf-8")
    return ["rubrics", "validate", str(path)]


def _deep_xlsx(path: Path, run: Callable[..., Run], parts: tuple[dict[str, bytes], dict]) -> list[str]:
    sent = path.with_name("sent.xlsx")
    assert run("questionnaire", "export", "Quillstack", "--all", "--out", str(sent)).code == 0
    with zipfile.ZipFile(sent) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<sheetData>", b"<sheetData>" + b"<x>" * 100_000 + b"</x>" * 100_000, 1)
            dst.writestr(info, data)
    return ["questionnaire", "import", "Quillstack", str(path)]


def _deep_bundle(path: Path, run: Callable[..., Run], parts: tuple[dict[str, bytes], dict]) -> list[str]:
    members, manifest = parts
    raw = b'{"scorecards": ' + b"[" * 100_000
    manifest = {**manifest, "content": {"sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw)}}
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, raw if name == "content.json" else data)
        zf.writestr("manifest.json", json.dumps(manifest))
    return ["bundle", "import", "--accept-rubrics", str(path)]


@pytest.mark.parametrize(
    ("make", "name", "reason"),
    [
        pytest.param(_deep_toml, "deep.toml", "TOML nested too deeply", id="rubric-toml"),
        pytest.param(_deep_xlsx, "deep.xlsx", "XML nested too deeply", id="questionnaire-xlsx"),
        pytest.param(_deep_bundle, "deep.bundle", "content.json: JSON nested too deeply", id="bundle-json"),
    ],
)
def test_deeply_nested_input_is_refused(
    run, workspace: Path, tmp_path: Path, bundle_parts: tuple[dict[str, bytes], dict],
    make: Callable[..., list[str]], name: str, reason: str,
) -> None:
    path = tmp_path / name
    args = make(path, run, bundle_parts)
    before = snapshot(workspace)
    assert_refused(run(*args), str(path), reason)
    assert snapshot(workspace) == before


# --- weights so large that sums overflow (every score became NaN and the brief crashed) -------------------


@pytest.mark.parametrize("weight", ["inf", "1e308", "1e9"])
@pytest.mark.parametrize("key", ["gdpr", "gdpr:dpa"])
def test_huge_profile_weight_is_refused(run, workspace: Path, weight: str, key: str) -> None:
    before = snapshot(workspace)
    assert_refused(run("profiles", "set", "Heavy", f"{key}={weight}"), f"'{key}={weight}'", "at most 1,000,000")
    assert snapshot(workspace) == before


def test_huge_profile_weight_is_refused_by_the_service(workspace: Path) -> None:
    from vendoreval.domain.models import WeightProfile
    from vendoreval.services import Workspace
    from vendoreval.services.workspace import ServiceError

    ws = Workspace(workspace, evaluator="ann")
    try:
        before = ws.store.counts()
        with pytest.raises(ServiceError, match="'gdpr' is 1e\\+308; a weight may be at most 1,000,000"):
            ws.profiles.save(WeightProfile(name="Heavy", rubric_weights={"gdpr": 1e308}))
        assert ws.store.counts() == before
    finally:
        ws.close()


def test_huge_profile_weight_in_a_workspace_file_is_refused(
    run, workspace: Path, tmp_path: Path, workspace_json: str
) -> None:
    doc = json.loads(workspace_json)
    doc["weight_profiles"].append({"name": "Heavy", "description": "", "rubric_weights": {"gdpr": 1e308},
                                   "criterion_weights": {}, "builtin": False})
    bad = tmp_path / "heavy.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    before = snapshot(workspace)
    assert_refused(run("import", str(bad)), str(bad), "weight_profiles[", "at most 1,000,000")
    assert snapshot(workspace) == before


RUBRIC_TOML = """
id = "heavy"
version = "1.0"
title = "Heavy"
area = "Demo"

[[criteria]]
id = "dpa"
title = "DPA"
question = "Will you sign a DPA?"
weight = WEIGHT

[criteria.scale]
kind = "ordinal"
levels = [
  { level = 0, label = "None", description = "No DPA" },
  { level = 1, label = "Yes", description = "DPA signed" },
]
"""


@pytest.mark.parametrize(("weight", "reason"), [("inf", "weight must be a finite number"),
                                                ("1e308", "1e+308 is over the 1e+15 maximum")])
def test_rubric_file_with_an_overflowing_weight_is_refused(run, tmp_path: Path, weight: str, reason: str) -> None:
    path = tmp_path / "heavy.toml"
    path.write_text(RUBRIC_TOML.replace("WEIGHT", weight), encoding="utf-8")
    assert_refused(run("rubrics", "validate", str(path)), str(path), "criterion 'dpa', field 'weight'", reason)


def test_rubric_file_with_an_ordinary_weight_still_validates(run, tmp_path: Path) -> None:
    path = tmp_path / "fine.toml"
    path.write_text(RUBRIC_TOML.replace("WEIGHT", "1e12"), encoding="utf-8")
    assert run("rubrics", "validate", str(path)).code == 0


def test_a_stored_profile_with_huge_weights_still_scores_and_briefs(
    run, workspace: Path, tmp_path: Path
) -> None:
    """A profile saved before the weight limit (written straight to the store here) still gives finite scores."""
    from vendoreval.domain.models import WeightProfile
    from vendoreval.services import Workspace

    ws = Workspace(workspace, evaluator="ann")
    try:
        with ws.store.transaction():
            ws.store.save_weight_profile(WeightProfile(
                name="Legacy", rubric_weights={"gdpr": 1e308, "ai-act": 1e308, "capabilities": 1e308},
                criterion_weights={"gdpr:dpa": 1e308, "gdpr:residency-transfers": 1e308}))
    finally:
        ws.close()
    result = run("compare", "--profile", "Legacy", "--format", "json")
    assert result.code == 0, result.err
    assert "NaN" not in result.out and "nan" not in result.out
    out = tmp_path / "legacy.pdf"
    assert run("brief", "--out", str(out), "--profile", "Legacy").code == 0
    assert out.stat().st_size > 0


# --- in the app: the same refusals reach the user as a dialog -----------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_app_bundle_import_of_a_non_file_shows_a_dialog(
    qtbot, workspace: Path, special: dict[str, Path], kind: str
) -> None:
    from vendoreval.services import Workspace
    from vendoreval.ui.dialogs.bundle_dialog import import_bundle
    from vendoreval.ui.messages import RecordingMessages

    messages = RecordingMessages()
    ws = Workspace(workspace, evaluator="ann")
    try:
        before = ws.store.counts()
        result: list[object] = []
        worker = threading.Thread(target=lambda: result.append(
            import_bundle(ws, None, messages=messages, path=special[kind])), daemon=True)
        worker.start()
        worker.join(HANG_SECONDS)
        assert not worker.is_alive(), "the app hangs on this file"
        assert result == [None]
        assert len(messages.errors) == 1
        assert str(special[kind]) in messages.errors[0] and REASONS[kind] in messages.errors[0]
        assert ws.store.counts() == before
    finally:
        ws.close()


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_indicator_csv_that_is_not_a_file_names_no_line(
    run, special: dict[str, Path], tmp_path: Path, kind: str
) -> None:
    result = run("rubrics", "import-csv", str(special[kind]), "--out", str(tmp_path / "out.toml"))
    assert_refused(result, f"{special[kind]}: is ", REASONS[kind])
    assert "line 0" not in result.err


def test_questionnaire_export_survives_control_characters_in_claims(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], workspace_json: str
) -> None:
    """Claim text with control characters (here from a workspace file) crashed openpyxl (exit 1)."""
    doc = json.loads(workspace_json)
    for claim in doc["claims"]:
        claim["text"] += "\u0001\u000b"
    src = tmp_path / "ctrl.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    data = tmp_path / "fresh"
    assert main(["--data-dir", str(data), "import", str(src)]) == 0
    vendor = next(v["name"] for v in doc["vendors"] if any(c["vendor_id"] == v["id"] for c in doc["claims"]))
    out = tmp_path / "q.xlsx"
    capsys.readouterr()
    code = main(["--data-dir", str(data), "questionnaire", "export", vendor, "--all", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    import openpyxl

    cells = [str(c) for row in openpyxl.load_workbook(out)["Questions"].iter_rows(values_only=True) for c in row]
    assert any("\ufffd" in c for c in cells)


def test_exported_claims_csv_with_control_characters_imports_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], workspace_json: str
) -> None:
    """An exported CSV carried the control characters the importer refuses as binary: it could not come back."""
    doc = json.loads(workspace_json)
    for claim in doc["claims"]:
        claim["text"] += "\u0001"
    src = tmp_path / "ctrl.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    data = tmp_path / "fresh"
    assert main(["--data-dir", str(data), "import", str(src)]) == 0
    out = tmp_path / "claims.csv"
    assert main(["--data-dir", str(data), "export", "--format", "claims-csv", str(out)]) == 0
    assert b"\x01" not in out.read_bytes()
    capsys.readouterr()
    code = main(["--data-dir", str(data), "import", str(out)])
    assert code == 0, capsys.readouterr().err


@pytest.mark.parametrize(
    ("info", "reason"),
    [
        pytest.param(b'{"format":1,"fingerprint":"x","options":' + b"[" * 100_000, "nested too deeply", id="nested"),
        pytest.param(b'{"format":1,"fingerprint":"x","options":{"vendor_ids":5}}', "vendor_ids", id="bad-options"),
        pytest.param(b"(((" * 10_000, "unterminated", id="unterminated"),
    ],
)
def test_brief_verify_of_a_crafted_pdf_is_refused(
    run, workspace: Path, tmp_path: Path, info: bytes, reason: str
) -> None:
    pdf = tmp_path / "crafted.pdf"
    pdf.write_bytes(b"%PDF-1.4\n/VendorevalBrief (" + info + b")\n")
    before = snapshot(workspace)
    assert_refused(run("brief", "--verify", str(pdf)), str(pdf), "is not a vendoreval brief", reason)
    assert snapshot(workspace) == before
