"""The team folder: members in separate data folders publish and import through one shared folder (no real
sync service), under the trust rules; a member publishes only when its records changed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.factories import criterion, rubric
from vendoreval.domain.models import Answer
from vendoreval.domain.rubric import Rubric
from vendoreval.secrets import InMemorySecretStore
from vendoreval.services import ServiceError, Workspace
from vendoreval.services.exchange import ExchangeService
from vendoreval.services.settings import TEAM_SETTINGS
from vendoreval.services.team import TeamService, TeamSync, classify_name, member_file_name, slug

RUBRIC = rubric("privacy", [criterion("lawful_basis"), criterion("dpa"), criterion("retention")], version="1.0")


def add_rubric(ws: Workspace, r: Rubric = RUBRIC) -> None:
    """Make the test rubric known to a workspace (as a user rubric snapshot)."""
    with ws.store.transaction():
        ws.store.save_rubric_version(r, origin="user")
    ws.library.remember(r)


class Team:
    """Several data folders and one shared team folder."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.folder = tmp / "shared"
        self.folder.mkdir()
        self.open: list[Workspace] = []

    def member(self, evaluator: str, *, keyring: bool = True, join: bool = True, name: str | None = None,
               folder: str | None = None) -> tuple[Workspace, TeamService]:
        """A new member with its own data folder and key store; joined to the shared folder."""
        secrets = InMemorySecretStore() if keyring else InMemorySecretStore(unavailable="no keyring on this machine")
        ws = Workspace(self.tmp / (folder or slug(evaluator)), evaluator=evaluator, secrets=secrets)
        add_rubric(ws)
        self.open.append(ws)
        svc = TeamService(ws)
        if join:
            svc.join(self.folder, name)
        return ws, svc

    def close(self) -> None:
        for ws in self.open:
            ws.close()


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Team]:
    t = Team(tmp_path)
    yield t
    t.close()


def score(ws: Workspace, vendor: str, levels: dict[str, int], submit: bool = True) -> str:
    """This evaluator's scorecard of ``vendor`` (created if need be) with these levels; returns its id."""
    v = ws.store.vendor_by_name(vendor) or ws.vendors.create(vendor)
    card = ws.scorecards.create(v.id, RUBRIC.id, RUBRIC.version)
    if card.status == "submitted":
        card = ws.scorecards.reopen(card.id)
    for cid, level in levels.items():
        ws.scorecards.set_score(card.id, cid, Answer.LEVEL, level=level, rationale=f"{ws.evaluator} on {cid}")
    if submit:
        ws.scorecards.submit(card.id)
    return card.id


def levels_seen(ws: Workspace) -> dict[tuple[str, str], dict[str, int | None]]:
    """(vendor name, evaluator) -> criterion -> level, for every scorecard in the workspace."""
    out = {}
    for card in ws.store.scorecards():
        vendor = ws.store.vendor(card.vendor_id)
        assert vendor is not None
        out[(vendor.name, card.evaluator)] = {k: s.level for k, s in card.scores.items()}
    return out


def snapshot(ws: Workspace) -> tuple[dict[str, int], int]:
    audit = ws.store.audit(limit=1)
    return ws.store.counts(), (audit[0].id or 0) if audit else 0


def test_two_members_publish_trust_and_import(team: Team) -> None:
    claire, tc = team.member("Claire (CMO)")
    paul, tp = team.member("Paul (Procurement)")
    score(claire, "Acme AI", {"lawful_basis": 4, "dpa": 2})
    report = tc.sync()
    assert report.published and report.bytes_written > 0
    fp = tc.status().me_fingerprint
    assert fp is not None
    name = member_file_name("Claire (CMO)", fp)
    assert name == f"claire-cmo-{fp[:8]}.vebundle" and (team.folder / name).is_file()
    presence = json.loads((team.folder / "members" / f"claire-cmo-{fp[:8]}.json").read_text())
    assert presence["name"] == "Claire (CMO)" and presence["fingerprint"] == fp and presence["bundle"] == name
    assert presence["published_at"].endswith("Z") and presence["public_key"]

    # Paul sees Claire but does not import her bundle before he trusts her key.
    report = tp.sync()
    assert [n.file for n in report.untrusted] == [name] and not report.imported
    assert "not trusted yet: run `vendoreval team trust \"Claire (CMO)\"`" in report.untrusted[0].reason
    assert paul.store.scorecards() == []
    status = tp.status()
    [member] = status.members
    assert (member.name, member.fingerprint, member.trusted, member.last_imported) == ("Claire (CMO)", fp, False, None)
    text = "\n".join(status.lines())
    assert "NOT TRUSTED YET" in text and member.grouped in text and " ".join([fp[:4].upper(), fp[4:8].upper()]) in text

    chosen = tp.trust("claire (cmo)")  # names match without regard to case
    assert chosen.fingerprint == fp
    report = tp.sync()
    assert [f for f, _what in report.imported] == [name]
    assert levels_seen(paul) == {("Acme AI", "Claire (CMO)"): {"lawful_basis": 4, "dpa": 2}}
    [member] = tp.status().members
    assert member.trusted and member.last_imported is not None and member.last_published == presence["published_at"]
    # Importing again changes nothing and does not even open the bundle.
    before = snapshot(paul)
    report = tp.sync()
    assert report.unchanged == [name] and not report.imported
    assert snapshot(paul)[0] == before[0]


def test_publishes_only_when_records_changed(team: Team) -> None:
    claire, tc = team.member("Claire")
    score(claire, "Acme AI", {"dpa": 2})
    assert tc.sync().published
    fp = tc.status().me_fingerprint
    assert fp is not None
    path = team.folder / member_file_name("Claire", fp)
    first = path.stat()
    for _ in range(3):
        report = tc.sync()
        assert not report.published and report.bytes_written == 0
        assert report.publish_note == "Your bundle is up to date."
    assert path.stat().st_mtime_ns == first.st_mtime_ns and path.stat().st_ino == first.st_ino
    claire.vendors.create("Not scored")  # a record the bundle does not carry: nothing to publish
    assert not tc.sync().published
    score(claire, "Acme AI", {"dpa": 3})  # reopened, new version
    report = tc.sync()
    assert report.published and path.stat().st_ino != first.st_ino  # replaced by rename, not rewritten in place
    assert sorted(p.name for p in team.folder.iterdir()) == sorted(["members", path.name])  # no temporary file left


def test_own_file_deleted_by_the_sync_client_is_published_again(team: Team) -> None:
    claire, tc = team.member("Claire")
    score(claire, "Acme AI", {"dpa": 2})
    tc.sync()
    [path] = team.folder.glob("*.vebundle")
    path.unlink()
    report = tc.sync()
    assert report.published and path.is_file()


def test_member_without_keyring_imports_but_does_not_publish(team: Team) -> None:
    claire, tc = team.member("Claire")
    nadia, tn = team.member("Nadia", keyring=False)
    score(claire, "Acme AI", {"dpa": 2})
    score(nadia, "Acme AI", {"dpa": 0})
    tc.sync()
    report = tn.sync()
    assert not report.published and "No signing key: imports only" in report.publish_note
    assert report.publish_note == "No signing key: imports only. No keyring on this machine."
    assert [p.name for p in team.folder.glob("*.vebundle")] == [p.name for p in team.folder.glob("claire-*")]
    status = tn.status()
    assert status.me_fingerprint is None and not status.can_publish
    assert "Me: Nadia, no signing key: imports only" in status.lines()
    tn.trust("Claire")
    tn.sync()
    assert ("Acme AI", "Claire") in levels_seen(nadia)


def test_two_members_with_the_same_name_are_told_apart_by_fingerprint(team: Team) -> None:
    a, ta = team.member("Alex", folder="alex1")
    b, tb = team.member("Alex", folder="alex2")
    me, tm = team.member("Maria")
    score(a, "Acme AI", {"dpa": 1})
    score(b, "Brightwave", {"dpa": 3})
    ta.sync()
    tb.sync()
    status = tm.status()
    assert [m.name for m in status.members] == ["Alex", "Alex"]
    fps = [m.fingerprint for m in status.members]
    assert fps[0] != fps[1]
    text = "\n".join(status.lines())
    assert text.count("Another member uses the same name") == 2
    assert f"team trust {fps[0]}" in text  # the advice names the fingerprint, not the ambiguous name
    with pytest.raises(ServiceError, match="2 keys use that name") as err:
        tm.trust("alex")
    assert all(m.grouped in str(err.value) for m in status.members)
    assert me.store.trusted_keys() == {}
    b_fp = tb.status().me_fingerprint
    assert b_fp is not None
    tm.trust(b_fp[:32])
    tm.sync()
    assert list(levels_seen(me)) == [("Brightwave", "Alex")]


def test_trust_never_takes_a_second_key_for_a_name_already_trusted(team: Team) -> None:
    real, tr = team.member("Claire", folder="claire")
    fake, tf = team.member("Claire", folder="mallory")
    paul, tp = team.member("Paul")
    score(real, "Acme AI", {"dpa": 2})
    tr.sync()
    tp.trust("Claire")
    score(fake, "Acme AI", {"dpa": 4})
    tf.sync()
    fake_fp = tf.status().me_fingerprint
    assert fake_fp is not None
    with pytest.raises(ServiceError, match="already trusted with another key"):
        tp.trust("Claire")
    plan = tp.trust_all_plan()
    assert plan.trust == [] and [c.fingerprint for c, _why in plan.left_out] == [fake_fp]
    assert "already trusted with another key" in plan.left_out[0][1]
    tp.sync()
    assert levels_seen(paul) == {("Acme AI", "Claire"): {"dpa": 2}}  # only the key Paul trusted
    # The impostor's bundle is listed, not imported.
    assert any(m.fingerprint == fake_fp and not m.trusted for m in tp.status().members)


def test_trust_all_trusts_every_unambiguous_key(team: Team) -> None:
    members = [team.member(n) for n in ("Ann", "Bob", "Cem")]
    for ws, svc in members:
        score(ws, "Acme AI", {"dpa": len(ws.evaluator)})
        svc.sync()
    dpo, td = team.member("Dora")
    plan = td.trust_all_plan()
    assert [c.name for c in plan.trust] == ["Ann", "Bob", "Cem"] and plan.left_out == []
    td.trust_all(plan)
    report = td.sync()
    assert len(report.imported) == 3
    assert sorted(e for _v, e in levels_seen(dpo)) == ["Ann", "Bob", "Cem"]
    assert td.candidates_to_trust() == []


def test_member_name_differs_from_evaluator_and_can_change(team: Team) -> None:
    ws, svc = team.member("claire.lopez", name="Claire (Marketing)")
    score(ws, "Acme AI", {"dpa": 2})
    svc.sync()
    _paul, tp = team.member("Paul")
    [m] = tp.status().members
    assert (m.name, m.signer_name) == ("Claire (Marketing)", "claire.lopez")
    assert "Member: Claire (Marketing) (signs as claire.lopez)" in tp.status().lines()
    tp.trust("Claire (Marketing)")
    svc.join(team.folder, "Claire L.")  # a new name: the old file goes, so she is not listed twice
    svc.sync()
    assert [p.name[:-18] for p in team.folder.glob("*.vebundle")] == ["claire-l"]
    assert [m.name for m in tp.status().members] == ["Claire L."]


def test_team_settings_stay_on_this_machine(team: Team, tmp_path: Path) -> None:
    ws, svc = team.member("Claire")
    score(ws, "Acme AI", {"dpa": 2})
    svc.sync()
    out = tmp_path / "ws.json"
    ExchangeService(ws).export_workspace(out)
    settings = json.loads(out.read_text())["settings"]
    assert not set(TEAM_SETTINGS) & set(settings)
    assert svc.folder() == team.folder.resolve()  # (the audit log keeps when the member joined, and where)


def test_leave_and_join_errors(team: Team, tmp_path: Path) -> None:
    _ws, svc = team.member("Claire", join=False)
    with pytest.raises(ServiceError, match="not in a team folder"):
        svc.sync()
    with pytest.raises(ServiceError, match="does not exist"):
        svc.join(tmp_path / "nowhere")
    (tmp_path / "afile").write_text("x")
    with pytest.raises(ServiceError, match="not a folder"):
        svc.join(tmp_path / "afile")
    assert not svc.status().joined and svc.status().summary() == "Team: not joined"
    svc.join(team.folder)
    assert svc.status().joined
    svc.leave()
    assert svc.folder() is None
    with pytest.raises(ServiceError, match="nothing to leave"):
        svc.leave()


def test_poll_once_syncs_only_when_something_changed(team: Team) -> None:
    claire, tc = team.member("Claire")
    paul, tp = team.member("Paul")
    poll_c, poll_p = TeamSync(claire, tc), TeamSync(paul, tp)
    score(claire, "Acme AI", {"dpa": 2})
    assert poll_c.poll_once() is not None
    assert poll_c.poll_once() is None  # nothing changed since
    tp.trust("Claire")
    report = poll_p.poll_once()
    assert report is not None and len(report.imported) == 1
    assert poll_p.poll_once() is None
    score(claire, "Acme AI", {"dpa": 4})
    assert poll_p.poll_once() is None  # Claire has not published yet
    assert poll_c.poll_once() is not None
    report = poll_p.poll_once()
    assert report is not None and len(report.imported) == 1
    assert levels_seen(paul)[("Acme AI", "Claire")] == {"dpa": 4}
    assert tp.status().summary().startswith("Team: 2 members, synced just now")


@pytest.mark.parametrize(("name", "why"), [
    ("claire-1a2b3c4d.vebundle", None),
    ("claire-1a2b3c4d (conflicted copy).vebundle", "conflicted copy"),
    ("claire-1a2b3c4d (Claire's conflicted copy 2026-12-01).vebundle", "conflicted copy"),
    ("claire-1a2b3c4d.sync-conflict-20261201-101500-ABCDEFG.vebundle", "conflicted copy"),
    ("claire-1a2b3c4d-DESKTOP-1.vebundle", "conflicted copy"),
    ("claire-1a2b3c4d-LAPTOP-AB12CD.vebundle", "conflicted copy"),
    ("claire-1a2b3c4d (1).vebundle", "conflicted copy"),
    ("claire-1a2b3c4d - Copy.vebundle", "conflicted copy"),
    ("claire-1a2b3c4d.vebundle.partial", "partial download"),
    ("claire-1a2b3c4d.vebundle.tmp", "partial download"),
    ("claire-1a2b3c4d.vebundle.crdownload", "partial download"),
    ("~$claire-1a2b3c4d.vebundle", "partial download"),
    (".~claire-1a2b3c4d.vebundle", "partial download"),
    (".syncthing.claire-1a2b3c4d.vebundle.tmp", "partial download"),
    ("Claire.vebundle", "not a team member file"),
    ("claire.vebundle", "not a team member file"),
])
def test_names_sync_clients_leave_behind_are_recognised(name: str, why: str | None) -> None:
    got = classify_name(name)
    assert (got is None) if why is None else (got is not None and why in got)


@given(name=st.text(min_size=1, max_size=60), fingerprint=st.text("0123456789abcdef", min_size=64, max_size=64))
@example(name="Member 09", fingerprint="72710380" + "0" * 56)  # found by the 10-member simulation: was "conflicted"
@example(name="Team 2026", fingerprint="1" * 64)
def test_every_file_name_a_member_writes_is_read_as_a_member_file(name: str, fingerprint: str) -> None:
    file = member_file_name(name, fingerprint)
    assert classify_name(file) is None, file


def test_an_unchanged_bundle_is_not_read_again_by_the_next_run(team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    claire, tc = team.member("Claire")
    paul, tp = team.member("Paul")
    score(claire, "Acme AI", {"dpa": 2})
    tc.sync()
    tp.trust("Claire")
    tp.sync()
    opened: list[str] = []
    from vendoreval.services.bundles import BundleService

    real_open = BundleService.open

    def counting_open(self: BundleService, path: Path, **kw):  # type: ignore[no-untyped-def]
        opened.append(Path(path).name)
        return real_open(self, path, **kw)

    monkeypatch.setattr(BundleService, "open", counting_open)
    again = TeamService(paul)  # a new process, as the next `vendoreval team sync` would be
    report = again.sync()
    assert report.unchanged and opened == []
    assert again.status().members[0].trusted and opened == []
    score(claire, "Acme AI", {"dpa": 3})
    tc.sync()
    opened.clear()
    report = TeamService(paul).sync()
    assert len(report.imported) == 1 and opened  # changed: verified (and imported) again


def test_evidence_files_sit_once_beside_the_bundles(team: Team, tmp_path: Path) -> None:
    import hashlib
    import zipfile

    claire, tc = team.member("Claire (CMO)")
    paul, tp = team.member("Paul (Procurement)")
    score(claire, "Acme AI", {"lawful_basis": 4})
    vendor = claire.store.vendor_by_name("Acme AI")
    assert vendor is not None
    doc = tmp_path / "dpa.pdf"
    doc.write_bytes(b"%PDF-1.4 signed DPA " * 5000)
    sha = hashlib.sha256(doc.read_bytes()).hexdigest()
    claim = claire.claims.add(vendor.id, "We sign a DPA with every customer")
    claire.evidence.add_file(vendor.id, doc, title="Signed DPA", claim_ids=[claim.id])
    assert tc.sync().published
    fp = tc.status().me_fingerprint
    assert fp is not None
    bundle = team.folder / member_file_name("Claire (CMO)", fp)
    stored = team.folder / "evidence" / sha
    assert stored.read_bytes() == doc.read_bytes()  # once, by hash, beside the bundles
    with zipfile.ZipFile(bundle) as zf:
        assert not [n for n in zf.namelist() if n.startswith("evidence/")]
        assert sha in zf.read("manifest.json").decode()  # still listed in the signed manifest
    assert bundle.stat().st_size < doc.stat().st_size  # the 100 kB file is not inside the bundle

    tp.trust("Claire (CMO)")
    assert tp.sync().imported
    [item] = [e for e in paul.evidence.list() if e.title == "Signed DPA"]
    assert item.sha256 == sha and paul.store.blobs.has(sha)
    # a later publish does not write the file again
    before = stored.stat().st_mtime_ns
    score(claire, "Acme AI", {"lawful_basis": 3})
    assert tc.sync().published and stored.stat().st_mtime_ns == before
