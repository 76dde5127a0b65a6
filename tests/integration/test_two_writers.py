"""Two writers on one workspace (two windows, the app and the CLI, two imports): revisions, stale edits, locks."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import factories
from vendoreval.domain.models import Answer, Decision, WeightProfile
from vendoreval.services import StaleEdit, Workspace
from vendoreval.services.settings import AppSettings, load_settings, save_settings, settings_revisions
from vendoreval.store.database import DB_FILENAME

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def two(data_dir: Path) -> Iterator[tuple[Workspace, Workspace]]:
    """Two workspaces open on one data folder, as two app windows (or the app and the CLI) would be."""
    a = Workspace(data_dir, evaluator="ann")
    b = Workspace(data_dir, evaluator="bob")
    yield a, b
    a.close()
    b.close()


def counts(ws: Workspace) -> dict[str, int]:
    return ws.store.table_counts()


# --- revisions ------------------------------------------------------------------------------------


def test_a_new_record_is_at_revision_1_and_every_write_raises_it(ws: Workspace) -> None:
    v = ws.vendors.create("Acme")
    assert v.revision == 1 and ws.vendors.get(v.id).revision == 1
    v2 = ws.vendors.update(v.id, product="Bot")
    v3 = ws.vendors.decide(v.id, Decision.GO_WITH_CONDITIONS, ["DPA"])
    v4 = ws.vendors.set_archived(v.id, True)
    assert [v2.revision, v3.revision, v4.revision] == [2, 3, 4]
    assert ws.vendors.get(v.id).revision == 4  # what the services return is what is stored
    c = ws.claims.add(v.id, "We never train on your data")
    assert ws.claims.update(c.id, source="DPA").revision == 2
    assert ws.claims.set_status(c.id, "documented").revision == 3 == ws.claims.get(c.id).revision


def test_a_score_revision_never_repeats_when_it_is_cleared_and_set_again(ws: Workspace) -> None:
    ws.library.remember(factories.rubric("r"))
    v = ws.vendors.create("Acme")
    card = ws.scorecards.create(v.id, "r")
    first = ws.scorecards.set_score(card.id, "a", level=1)
    assert first is not None and first.revision >= 1
    seen = {first.revision}
    ws.scorecards.set_score(card.id, "a", None)
    again = ws.scorecards.set_score(card.id, "a", level=1)
    assert again is not None and again.revision not in seen
    assert ws.scorecards.get(card.id).scores["a"].revision == again.revision
    with pytest.raises(StaleEdit):  # a window that saw the first score (cleared since) is refused
        ws.scorecards.set_score(card.id, "a", level=3, expected_revision=first.revision)


def test_existing_rows_of_a_schema_1_workspace_start_at_revision_1(tmp_path: Path) -> None:
    import shutil
    shutil.copyfile(ROOT / "tests" / "fixtures" / "schema-v1.db", tmp_path / DB_FILENAME)
    ws = Workspace(tmp_path, evaluator="ann")
    try:
        for table in ("vendors", "claims", "evidence", "scorecards", "scores", "agreed_scores", "weight_profiles",
                      "settings"):
            revs = {r[0] for r in ws.store.db.execute(f"SELECT revision FROM {table}").fetchall()}
            assert revs <= {1}, table
        acme = ws.vendors.find("Acme AI")
        assert acme.revision == 1
        assert ws.vendors.update(acme.id, product="CopyBot 2").revision == 2
    finally:
        ws.close()


def test_revisions_stay_out_of_files_and_bundles(ws: Workspace) -> None:
    from vendoreval.services.exchange import ExchangeService

    v = ws.vendors.create("Acme")
    ws.vendors.update(v.id, product="Bot")
    assert b'"revision"' not in ExchangeService(ws).workspace_bytes()


# --- stale edits: two windows, the app and the CLI ------------------------------------------------


def test_a_stale_conditions_edit_is_refused_with_the_newer_value(two: tuple[Workspace, Workspace]) -> None:
    """The issue's case: the app's stale conditions field overwrote a newer CLI value while saying 'saved'."""
    app, cli = two
    v = app.vendors.create("Acme")
    app.vendors.decide(v.id, Decision.GO_WITH_CONDITIONS, ["DPA"])
    seen = app.vendors.get(v.id)  # what the app's field shows
    cli.vendors.decide(v.id, Decision.GO_WITH_CONDITIONS, ["DPA", "EU hosting"])  # the CLI, meanwhile
    with pytest.raises(StaleEdit) as refused:
        app.vendors.decide(v.id, Decision.GO_WITH_CONDITIONS, ["DPA", "Cap"], expected_revision=seen.revision)
    assert refused.value.current.conditions == ["DPA", "EU hosting"]
    assert refused.value.field == "conditions"
    assert "changed elsewhere" in str(refused.value)
    assert app.vendors.get(v.id).conditions == ["DPA", "EU hosting"]  # never a silent overwrite
    # applied on the newer revision (the user chose "apply mine"), it lands
    mine = app.vendors.decide(v.id, Decision.GO_WITH_CONDITIONS, ["DPA", "Cap"],
                              expected_revision=refused.value.revision)
    assert cli.vendors.get(v.id).conditions == ["DPA", "Cap"] and mine.revision == refused.value.revision + 1


def test_two_windows_do_not_overwrite_each_others_profile_edits(two: tuple[Workspace, Workspace]) -> None:
    a, b = two
    v = a.vendors.create("Acme", description="old")
    rev = v.revision  # both windows show revision 1
    b.vendors.update(v.id, description="Bob's words", expected_revision=rev)
    with pytest.raises(StaleEdit) as refused:
        a.vendors.update(v.id, description="Ann's words", expected_revision=rev)
    assert refused.value.current.description == "Bob's words"
    assert b.vendors.get(v.id).description == "Bob's words"
    audit_before = len(a.history(v.id))
    with pytest.raises(StaleEdit):
        a.vendors.set_archived(v.id, True, expected_revision=rev)
    assert len(a.history(v.id)) == audit_before  # nothing written, nothing logged


def test_an_edit_that_agrees_with_the_newer_value_is_not_refused(two: tuple[Workspace, Workspace]) -> None:
    a, b = two
    v = a.vendors.create("Acme")
    b.vendors.update(v.id, product="Bot")
    assert a.vendors.update(v.id, product="Bot", expected_revision=v.revision).revision == 2


def test_stale_claim_score_scorecard_profile_and_settings_edits_are_refused(
        two: tuple[Workspace, Workspace], tmp_path: Path) -> None:
    a, b = two
    a.library.remember(factories.rubric("r"))
    b.library.reload()
    v = a.vendors.create("Acme")
    claim = a.claims.add(v.id, "We never train on your data")
    b.claims.update(claim.id, source="Website")
    with pytest.raises(StaleEdit) as refused:
        a.claims.update(claim.id, source="DPA", expected_revision=claim.revision)
    assert refused.value.current.source == "Website"
    with pytest.raises(StaleEdit):
        a.claims.set_status(claim.id, "documented", expected_revision=claim.revision)

    card = a.scorecards.create(v.id, "r")
    score = a.scorecards.set_score(card.id, "a", level=1, rationale="ann")
    assert score is not None
    b.scorecards.set_score(card.id, "a", level=2, rationale="bob")
    with pytest.raises(StaleEdit) as refused_score:
        a.scorecards.set_score(card.id, "a", level=1, rationale="ann again", expected_revision=score.revision)
    assert refused_score.value.current.rationale == "bob"
    with pytest.raises(StaleEdit):  # scored elsewhere while this window showed it unscored
        b.scorecards.set_score(card.id, "b", level=1)
        a.scorecards.set_score(card.id, "b", level=4, expected_revision=0)
    seen = a.scorecards.get(card.id)
    b.scorecards.set_score(card.id, "a", level=3)
    with pytest.raises(StaleEdit):  # submitting what this window did not see
        a.scorecards.submit(card.id, expected_revision=seen.revision)
    assert a.scorecards.get(card.id).status == "draft"

    profile = a.profiles.save(WeightProfile(name="Legal", rubric_weights={"r": 2.0}))
    b.profiles.save(WeightProfile(name="Legal", rubric_weights={"r": 5.0}), expected_revision=profile.revision)
    with pytest.raises(StaleEdit):
        a.profiles.save(WeightProfile(name="Legal", rubric_weights={"r": 1.0}), expected_revision=profile.revision)
    assert a.profiles.get("Legal").rubric_weights == {"r": 5.0}
    with pytest.raises(StaleEdit):  # created elsewhere while this window thought the name was new
        b.profiles.save(WeightProfile(name="Sales"))
        a.profiles.save(WeightProfile(name="Sales", rubric_weights={"r": 9.0}), expected_revision=0)

    opened = settings_revisions(a)
    save_settings(b, AppSettings(evaluator="bob", organisation="Bob Corp"))
    with pytest.raises(StaleEdit):
        save_settings(a, AppSettings(evaluator="bob", organisation="Ann Corp"), expected=opened)
    assert load_settings(a).organisation == "Bob Corp"


def race_once(ws: Workspace, monkeypatch: pytest.MonkeyPatch, times: int = 1) -> None:
    """Make the next ``times`` reads of a vendor by the services be followed by another writer's edit of it."""
    from vendoreval.services.vendors import VendorService

    real_get = VendorService.get
    left = [times]

    def get_then_race(self: VendorService, vendor_id: str):  # type: ignore[no-untyped-def]
        got = real_get(self, vendor_id)
        if left[0] > 0 and self.ws is not ws:
            left[0] -= 1
            ws.vendors.update(vendor_id, product=f"written by the app meanwhile {left[0]}")
        return got

    monkeypatch.setattr(VendorService, "get", get_then_race)


def test_a_cli_write_raced_by_another_writer_is_redone_on_the_newer_record(cli, ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The CLI says "set this now" (no revision): a writer that commits between its read and its write
    makes it read again and apply its change on the newer record, keeping both."""
    v = ws.vendors.create("Acme")
    race_once(ws, monkeypatch)
    res = cli("decide", "Acme", "go")
    assert res.code == 0, res.err
    got = ws.vendors.get(v.id)
    assert got.decision == Decision.GO and got.product == "written by the app meanwhile 0"


def test_a_cli_write_raced_every_time_is_refused_as_bad_input(cli, ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    v = ws.vendors.create("Acme")
    race_once(ws, monkeypatch, times=10)
    res = cli("decide", "Acme", "go")
    assert res.code == 2 and "changed elsewhere" in res.err
    monkeypatch.undo()
    assert ws.vendors.get(v.id).decision == Decision.NOT_STARTED


# --- locks: write transactions begin IMMEDIATE ----------------------------------------------------


def hold_write_lock(data_dir: Path, seconds: float, started: threading.Event) -> threading.Thread:
    """Another connection holds the write lock (an import in progress) for ``seconds``, then commits."""
    def run() -> None:
        other = Workspace(data_dir, evaluator="importer")
        try:
            with other.unit_of_work():
                first = other.vendors.list()[0]
                other.store.save_vendor(first.model_copy(update={"product": "held"}))
                started.set()
                time.sleep(seconds)
        finally:
            other.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_write_waits_for_another_writer_instead_of_failing_at_once(data_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """Before: a transaction that had read before another writer committed was refused "locked" at once.

    Here the CLI's import starts while another connection holds the write lock for 0.8 s: it waits (the
    3 s busy timeout) and succeeds, and both writes are in the database.
    """
    ws = Workspace(data_dir, evaluator="ann")
    ws.vendors.create("Acme Copy")
    ws.vendors.create("Bleu")
    path = data_dir.parent / "claims.csv"
    path.write_text("vendor,text\n" + "".join(f"Bleu,Claim number {i}\n" for i in range(200)), encoding="utf-8")
    started = threading.Event()
    holder = hold_write_lock(data_dir, 0.8, started)
    assert started.wait(10)
    t0 = time.monotonic()
    res = cli("import", str(path))
    waited = time.monotonic() - t0
    holder.join()
    assert res.code == 0, res.err
    assert waited > 0.3  # it did wait for the lock
    assert len(ws.claims.list()) == 200
    assert ws.vendors.find("Acme Copy").product == "held"
    ws.close()


def test_a_transaction_that_read_first_still_gets_the_lock(two: tuple[Workspace, Workspace]) -> None:
    """A unit of work reads (revisions) before it writes: with a deferred BEGIN its read snapshot went stale
    while the other writer held the lock, and its write failed at once (SQLITE_BUSY_SNAPSHOT)."""
    a, b = two
    v = a.vendors.create("Acme")
    inside, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def other_writer() -> None:
        other = Workspace(a.data_dir, evaluator="cli")
        try:
            with other.unit_of_work():
                other.store.save_vendor(other.vendors.get(v.id).model_copy(update={"website": "https://x"}))
                inside.set()
                release.wait(5)
        except BaseException as exc:
            errors.append(exc)
        finally:
            other.close()

    t = threading.Thread(target=other_writer)
    t.start()
    assert inside.wait(5)
    threading.Timer(0.3, release.set).start()
    updated = b.vendors.update(v.id, product="Bot")  # reads, then writes: waits for the lock, then sees the commit
    t.join()
    assert not errors
    # it checked the revision under the lock, saw the other writer's commit and redid the edit on it
    got = a.vendors.get(v.id)
    assert (got.website, got.product) == ("https://x", "Bot")
    assert updated.revision == got.revision == 3


def test_two_writers_in_two_threads_both_succeed(data_dir: Path) -> None:
    Workspace(data_dir).close()
    errors: list[BaseException] = []

    def writer(tag: str) -> None:
        own = Workspace(data_dir, evaluator=tag)
        try:
            for i in range(40):
                with own.unit_of_work():  # a longer transaction: reads, writes several rows
                    v = own.vendors.create(f"{tag} {i}")
                    own.vendors.update(v.id, product="p")
                    own.vendors.decide(v.id, Decision.IN_EVALUATION)
        except BaseException as exc:
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=writer, args=(t,)) for t in ("ann", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    check = Workspace(data_dir)
    try:
        assert len(check.vendors.list()) == 80
        assert {v.revision for v in check.vendors.list()} == {3}
    finally:
        check.close()


def test_two_concurrent_cli_imports_both_succeed(data_dir: Path, tmp_path: Path) -> None:
    """The issue's case: two imports at once, one refused as "locked" after 0.4 s. Two processes now."""
    ws = Workspace(data_dir, evaluator="ann")
    for name in ("Acme", "Bleu"):
        ws.vendors.create(name)
    ws.close()
    files = []
    for name in ("Acme", "Bleu"):
        path = tmp_path / f"{name}.csv"
        path.write_text("vendor,text\n" + "".join(f"{name},{name} claim {i}\n" for i in range(3000)),
                        encoding="utf-8")
        files.append(path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "vendoreval", "--data-dir", str(data_dir), "import", str(f)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
             for f in files]
    results = [p.communicate(timeout=120) for p in procs]
    for p, (_out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
    conn = sqlite3.connect(data_dir / DB_FILENAME)
    try:
        assert conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == 6000
    finally:
        conn.close()


def test_a_score_edit_waits_for_a_write_lock_and_lands(two: tuple[Workspace, Workspace]) -> None:
    a, b = two
    a.library.remember(factories.rubric("r"))
    b.library.reload()
    v = a.vendors.create("Acme")
    card = a.scorecards.create(v.id, "r")
    started = threading.Event()

    def hold() -> None:
        with b.unit_of_work():
            b.store.save_vendor(b.vendors.get(v.id).model_copy(update={"product": "x"}))
            started.set()
            time.sleep(0.5)

    t = threading.Thread(target=hold)
    t.start()
    assert started.wait(5)
    score = a.scorecards.set_score(card.id, "a", Answer.LEVEL, level=2)
    t.join()
    assert score is not None and a.scorecards.get(card.id).scores["a"].level == 2


def test_a_cli_write_on_a_data_folder_busy_beyond_the_timeout_exits_2_and_writes_nothing(
        data_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """Another writer holds the write lock longer than the busy timeout (3 s): a clear message, exit 2."""
    ws = Workspace(data_dir, evaluator="ann")
    ws.vendors.create("Acme")
    before = counts(ws)
    ws.close()
    other = sqlite3.connect(data_dir / DB_FILENAME)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        result = cli("vendors", "add", "Newco")
        waited = time.monotonic() - started
    finally:
        other.rollback()
        other.close()
    assert result.code == 2 and result.out == ""
    assert "the data folder is busy" in result.err and "nothing was saved" in result.err
    assert "Traceback" not in result.err
    assert waited >= 2.5  # it waited for the busy timeout before giving up
    ws = Workspace(data_dir, evaluator="ann")
    try:
        assert counts(ws) == before and [v.name for v in ws.vendors.list()] == ["Acme"]
    finally:
        ws.close()
