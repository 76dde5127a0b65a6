"""What sync clients and disks do to a team folder: leftovers, placeholders, damaged, foreign and tampered
bundles, a folder that disappears or is read-only, deleted member files, clocks that disagree. Each is
reported with a clear reason; nothing is lost and nothing the trust rules refuse is imported."""

from __future__ import annotations

import errno
import os
import shutil
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.integration.test_team import Team, levels_seen, score, snapshot
from vendoreval.services.bundles import BundleService
from vendoreval.services.team import TeamService


@pytest.fixture
def team(tmp_path: Path):  # type: ignore[no-untyped-def]
    t = Team(tmp_path)
    yield t
    t.close()


@pytest.fixture
def pair(team: Team):  # type: ignore[no-untyped-def]
    """Claire publishes a scorecard; Paul trusts her and has imported it."""
    claire, tc = team.member("Claire")
    paul, tp = team.member("Paul")
    score(claire, "Acme AI", {"dpa": 2, "retention": 1})
    tc.sync()
    tp.trust("Claire")
    tp.sync()
    assert levels_seen(paul) == {("Acme AI", "Claire"): {"dpa": 2, "retention": 1}}
    fp = tc.status().me_fingerprint
    assert fp is not None
    return claire, tc, paul, tp, next(team.folder.glob("claire-*.vebundle"))


def test_leftovers_and_placeholders_are_skipped_with_a_reason(team: Team, pair, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    claire, tc, paul, tp, good = pair
    folder = team.folder
    stem = good.name[:-len(".vebundle")]
    data = good.read_bytes()
    # A newer edit by Claire, whose copies the sync client mangles; the real file stays the old one.
    leftovers = {
        f"{stem} (conflicted copy).vebundle": data,
        f"{stem} (Paul's conflicted copy 2026-12-01).vebundle": data,
        f"{stem}.sync-conflict-20261201-101500-ABCDEFG.vebundle": data,
        f"{stem}-DESKTOP-1.vebundle": data,
        f"{stem}.vebundle.partial": data[:100],
        f"{stem}.vebundle.crdownload": data[:100],
        f"~${stem}.vebundle": b"lock",
        f".~{stem}.vebundle": b"",
        "bob-0a1b2c3d.vebundle": b"",  # a cloud placeholder not downloaded yet
        "eve-0a1b2c3d.vebundle": data[: len(data) // 2],  # a truncated download
        "joe-0a1b2c3d.vebundle": b"PK\x03\x04 not really a zip",
    }
    for name, raw in leftovers.items():
        (folder / name).write_bytes(raw)
    (folder / "dir-0a1b2c3d.vebundle").mkdir()
    (folder / "desktop.ini").write_text("[.ShellClassInfo]")  # not ours: not even mentioned
    unreadable = folder / "ann-0a1b2c3d.vebundle"
    unreadable.write_bytes(data)
    real_access = os.access

    def access(path, mode, *a, **k):  # type: ignore[no-untyped-def]
        if Path(path).name == unreadable.name and mode & os.R_OK:
            return False  # a cloud placeholder: listed, but reading it fails (root ignores chmod 000)
        return real_access(path, mode, *a, **k)

    monkeypatch.setattr(os, "access", access)
    before = snapshot(paul)
    report = tp.sync()
    reasons = {n.file: n.reason for n in report.skipped + report.refused}
    for name in leftovers:
        assert name in reasons, name
    assert "conflicted copy" in reasons[f"{stem} (conflicted copy).vebundle"]
    assert "conflicted copy" in reasons[f"{stem}-DESKTOP-1.vebundle"]
    assert "partial download" in reasons[f"{stem}.vebundle.partial"]
    assert "empty (0 bytes)" in reasons["bob-0a1b2c3d.vebundle"]
    assert "truncated or damaged" in reasons["eve-0a1b2c3d.vebundle"]
    assert "refused" in reasons["joe-0a1b2c3d.vebundle"]
    assert "cannot be read" in reasons[unreadable.name]
    assert "not a regular file" in reasons["dir-0a1b2c3d.vebundle"]
    assert "desktop.ini" not in reasons
    assert snapshot(paul) == before  # nothing imported, nothing changed (the bookkeeping is a setting)
    status_lines = "\n".join(tp.status().lines())
    assert f"Skipped {stem} (conflicted copy).vebundle: a conflicted copy" in status_lines
    # Claire's own sync copes with the same folder and still publishes her change.
    score(claire, "Acme AI", {"dpa": 3})
    assert tc.sync().published
    tp.sync()
    assert levels_seen(paul)[("Acme AI", "Claire")]["dpa"] == 3


def test_tampered_and_foreign_bundles_are_refused_per_file_while_others_import(team: Team, pair) -> None:  # type: ignore[no-untyped-def]
    claire, tc, paul, tp, good = pair
    bob, tb = team.member("Bob")
    score(bob, "Brightwave", {"dpa": 4})
    tb.sync()
    tp.trust("Bob")
    bob_file = next(team.folder.glob("bob-*.vebundle"))
    # Tamper with Claire's published bundle: change a level inside content.json, keep the manifest.
    score(claire, "Acme AI", {"dpa": 0})
    tc.sync()
    with zipfile.ZipFile(good) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["content.json"] = members["content.json"].replace(b'"level":0', b'"level":4')
    tampered = good.with_suffix(".tmpzip")
    with zipfile.ZipFile(tampered, "w") as zf:
        for n, raw in members.items():
            zf.writestr(n, raw)
    os.replace(tampered, good)
    # A foreign bundle: a valid one exported by someone else, dropped in under a member-like name.
    mallory, _tm = team.member("Mallory", join=False)
    score(mallory, "Acme AI", {"dpa": 4})
    foreign = team.folder / "claire-0badc0de.vebundle"
    BundleService(mallory).export(foreign)
    # And an unsigned one, from a machine without a keyring.
    nadia, _tn = team.member("Nadia", keyring=False, join=False)
    score(nadia, "Acme AI", {"dpa": 4})
    unsigned = team.folder / "nadia-00000000.vebundle"
    BundleService(nadia).export(unsigned)
    report = tp.sync()
    refused = {n.file: n.reason for n in report.refused}
    assert "does not match the manifest" in refused[good.name]
    assert "does not match its signer" in refused[foreign.name] and "Mallory" in refused[foreign.name]
    assert "unsigned" in refused[unsigned.name]
    assert [f for f, _w in report.imported] == [bob_file.name]
    seen = levels_seen(paul)
    assert seen[("Acme AI", "Claire")] == {"dpa": 2, "retention": 1}  # what was imported before is kept
    assert seen[("Brightwave", "Bob")] == {"dpa": 4}
    assert ("Acme AI", "Mallory") not in seen and ("Acme AI", "Nadia") not in seen
    # Claire's next sync sees her file is not what she wrote and publishes it again: Paul catches up.
    assert tc.sync().published
    tp.sync()
    assert levels_seen(paul)[("Acme AI", "Claire")] == {"dpa": 0, "retention": 1}


def test_folder_that_disappears_changes_nothing_and_comes_back(team: Team, pair) -> None:  # type: ignore[no-untyped-def]
    claire, tc, paul, tp, _good = pair
    away = team.folder.with_name("unmounted")
    team.folder.rename(away)
    before = snapshot(paul)
    report = tp.sync()
    assert not report.ok and "is not there" in (report.folder_problem or "")
    assert "Nothing was published or imported" in report.lines()[0]
    status = tp.status()
    assert status.folder_problem and "unavailable" in status.summary()
    assert any("PROBLEM" in line for line in status.lines())
    assert snapshot(paul) == before
    score(claire, "Acme AI", {"dpa": 4})
    assert tc.sync().folder_problem  # publishing waits too
    away.rename(team.folder)
    assert tc.sync().published
    tp.sync()
    assert levels_seen(paul)[("Acme AI", "Claire")]["dpa"] == 4


def test_read_only_folder_skips_publishing_and_still_imports(team: Team, pair, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    claire, tc, paul, tp, _good = pair
    score(claire, "Acme AI", {"dpa": 3})
    tc.sync()
    score(paul, "Acme AI", {"dpa": 1})
    shared = str(team.folder)
    real_open, real_access = os.open, os.access

    def ro_open(path, flags, *a, **k):  # type: ignore[no-untyped-def]
        if str(path).startswith(shared) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *a, **k)

    def ro_access(path, mode, *a, **k):  # type: ignore[no-untyped-def]
        if str(path).startswith(shared) and mode & os.W_OK:
            return True  # permission bits say yes; only trying tells (a read-only mount, a share)
        return real_access(path, mode, *a, **k)

    monkeypatch.setattr(os, "open", ro_open)
    monkeypatch.setattr(os, "access", ro_access)
    listing = sorted(p.name for p in team.folder.iterdir())
    report = tp.sync()
    assert not report.published and "read-only" in report.publish_note and "imports still work" in report.publish_note
    assert levels_seen(paul)[("Acme AI", "Claire")]["dpa"] == 3
    status = tp.status()
    assert status.folder_read_only and not status.can_publish
    assert "  The folder is read-only here: publishing is skipped; imports still work." in status.lines()
    assert sorted(p.name for p in team.folder.iterdir()) == listing
    monkeypatch.undo()
    assert tp.sync().published  # writable again: Paul's scorecard goes out


def test_member_file_deleted_by_the_sync_client_keeps_what_was_imported(team: Team, pair) -> None:  # type: ignore[no-untyped-def]
    _claire, tc, paul, tp, good = pair
    good.unlink()
    before = snapshot(paul)
    report = tp.sync()
    assert report.ok and not report.refused
    assert snapshot(paul)[0] == before[0]
    [member] = tp.status().members
    assert member.name == "Claire" and member.trusted
    assert any("is not in the folder" in p and "what was imported from it stays" in p for p in member.problems)
    assert levels_seen(paul) == {("Acme AI", "Claire"): {"dpa": 2, "retention": 1}}
    tc.sync()  # Claire notices her file is gone and publishes it again
    assert good.is_file() and tp.status().members[0].problems == []


def test_clocks_that_disagree_do_not_decide_which_copy_wins(team: Team, pair, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    claire, tc, paul, tp, good = pair
    old_bytes = good.read_bytes()
    ahead = (datetime.now(UTC) + timedelta(minutes=4)).strftime("%Y-%m-%dT%H:%M:%SZ")
    # Claire's clock runs a few minutes ahead when she publishes version 2...
    monkeypatch.setattr("vendoreval.exchange.bundle.utc_now", lambda: ahead)
    score(claire, "Acme AI", {"dpa": 4})
    assert tc.sync().published
    monkeypatch.undo()
    tp.sync()
    assert levels_seen(paul)[("Acme AI", "Claire")]["dpa"] == 4
    assert tp.status().members[0].last_published == ahead  # shown as the sender's clock says
    # ...then right again for version 3, whose bundle is "older" by the clock: it still wins (higher version).
    score(claire, "Acme AI", {"dpa": 1})
    tc.sync()
    tp.sync()
    assert levels_seen(paul)[("Acme AI", "Claire")]["dpa"] == 1
    # A sync client restores the version-1 file with a brand-new mtime: the older version never wins.
    good.write_bytes(old_bytes)
    os.utime(good, (2_000_000_000, 2_000_000_000))
    report = tp.sync()
    assert report.imported and "kept yours" in " ".join(report.warnings)
    assert levels_seen(paul)[("Acme AI", "Claire")]["dpa"] == 1
    # A clock years ahead: the bundle is refused with the reason (it would win every merge); nothing is lost.
    monkeypatch.setattr("vendoreval.exchange.bundle.utc_now", lambda: "2031-01-01T00:00:00Z")
    score(claire, "Acme AI", {"dpa": 3})
    tc.sync()
    monkeypatch.undo()
    report = tp.sync()
    [refused] = report.refused
    assert refused.file == good.name and "in the future" in refused.reason and "clock" in refused.reason
    assert levels_seen(paul)[("Acme AI", "Claire")]["dpa"] == 1


def test_workspace_open_read_only_imports_nothing(team: Team, pair) -> None:  # type: ignore[no-untyped-def]
    claire, tc, paul, tp, _good = pair
    from vendoreval.services import Workspace

    score(claire, "Acme AI", {"dpa": 4})
    tc.sync()
    ro = Workspace(paul.data_dir, evaluator="Paul", secrets=paul.secrets, read_only=True)
    try:
        report = TeamService(ro).sync()
        assert "read-only" in report.warnings[0] and not report.imported
    finally:
        ro.close()
    assert levels_seen(paul)[("Acme AI", "Claire")]["dpa"] == 2
    shutil.rmtree(team.folder / "members")  # presence files are hints only: without them sync still works
    tp.sync()
    assert levels_seen(paul)[("Acme AI", "Claire")]["dpa"] == 4
