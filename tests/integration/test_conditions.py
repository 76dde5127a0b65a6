"""Conditions to negotiate as records: the service (numbering, rules, audit, revisions, proposals), the
migration of plain-text conditions from a schema-8 database, and the `conditions` CLI."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vendoreval.domain.models import Answer, ClaimStatus, EvidenceStrength
from vendoreval.services import Workspace
from vendoreval.services.conditions import ConditionError
from vendoreval.services.workspace import StaleEdit
from vendoreval.store.database import DB_FILENAME
from vendoreval.store.migrations import SCHEMA_VERSION

FIXTURE_V8 = Path(__file__).resolve().parents[1] / "fixtures" / "schema-v8.db"


def _numbers(ws, vid):
    return [(c.number, c.text) for c in ws.conditions.list(vid)]


def test_add_set_remove_keep_numbers_contiguous_with_audit_and_revisions(ws):
    v = ws.vendors.create("Acme")
    r0 = ws.vendors.get(v.id).revision
    a = ws.conditions.add(v.id, "Provide a signed DPA", current="draft", target="signed", walk_away="signed by go-live",
                          owner="Legal")
    ws.conditions.add(v.id, "Cap fees")
    ws.conditions.add(v.id, "Exit plan")
    assert _numbers(ws, v.id) == [(1, "Provide a signed DPA"), (2, "Cap fees"), (3, "Exit plan")]
    vendor = ws.vendors.get(v.id)
    assert vendor.conditions == ["Provide a signed DPA", "Cap fees", "Exit plan"]  # existing callers read texts
    assert vendor.revision == r0 + 3  # every condition write raises the vendor's revision
    ws.conditions.remove(v.id, 2)
    assert _numbers(ws, v.id) == [(1, "Provide a signed DPA"), (2, "Exit plan")]
    got = ws.conditions.set(v.id, 1, owner="Procurement", new_number=2)
    assert (got.number, got.owner, got.target, got.revision) == (2, "Procurement", "signed", 2)
    assert _numbers(ws, v.id) == [(1, "Exit plan"), (2, "Provide a signed DPA")]
    with pytest.raises(StaleEdit):
        ws.conditions.set(v.id, 2, target="countersigned", expected_revision=a.revision)  # made on revision 1
    assert ws.conditions.get(v.id, 2).target == "signed"
    summaries = [h.summary for h in ws.history(v.id) if h.entity == "condition"]
    assert summaries[:4] == ["Moved condition 1 for Acme to 2", "Changed the owner of condition 1 for Acme",
                             "Removed condition 2 for Acme: Cap fees", "Condition 3 for Acme: Exit plan"]
    owner_entry = next(h for h in ws.history(v.id) if h.field == "owner")
    assert (owner_entry.old, owner_entry.new) == ("Legal", "Procurement")


def test_refusals_name_the_field_and_change_nothing(ws):
    v = ws.vendors.create("Acme")
    ws.conditions.add(v.id, "One")
    before = (ws.vendors.get(v.id).revision, len(ws.history(v.id)))
    for call, field in [(lambda: ws.conditions.set(v.id, 4, owner="x"), "number"),
                        (lambda: ws.conditions.set(v.id, 1, colour="red"), "colour"),
                        (lambda: ws.conditions.set(v.id, 1, text="  "), "text"),
                        (lambda: ws.conditions.add(v.id, "One"), "text"),
                        (lambda: ws.conditions.remove(v.id, 0), "number"),
                        (lambda: ws.conditions.accept(v.id, "derived:declined:gdpr/dpa"), "key")]:
        with pytest.raises(ConditionError) as exc:
            call()
        assert exc.value.field == field and f"field {field}" in str(exc.value)
    assert (ws.vendors.get(v.id).revision, len(ws.history(v.id))) == before


def test_the_decision_rule_counts_records(ws):
    v = ws.vendors.create("Acme")
    ws.vendors.decide(v.id, "go_with_conditions", ["Signed DPA"])
    assert _numbers(ws, v.id) == [(1, "Signed DPA")]  # decide --condition adds records
    with pytest.raises(Exception) as exc:
        ws.conditions.remove(v.id, 1)  # the last condition of a go-with-conditions
    assert exc.value.field == "conditions"
    ws.vendors.decide(v.id, "go", [])
    with pytest.raises(Exception) as exc:
        ws.conditions.add(v.id, "More")  # a plain go takes none
    assert exc.value.field == "conditions"
    assert ws.conditions.list(v.id) == []


def test_decide_keeps_records_whose_text_stays(ws):
    v = ws.vendors.create("Acme")
    ws.conditions.add(v.id, "Signed DPA", owner="Legal", target="signed")
    ws.vendors.decide(v.id, "go_with_conditions", ["Exit plan", "Signed DPA"])
    got = ws.conditions.list(v.id)
    assert [(c.number, c.text, c.owner) for c in got] == [(1, "Exit plan", ""), (2, "Signed DPA", "Legal")]


def test_proposals_accept_edit_drop_for_every_vendor(ws):
    v = ws.vendors.create("Acme")  # not recommended, not decided: still gets proposals
    card = ws.scorecards.create(v.id, "gdpr")
    ws.scorecards.set_score(card.id, "dpa", Answer.LEVEL, level=3)  # no evidence given: a sales assertion
    ws.scorecards.set_score(card.id, "sub-processors", Answer.NOT_DISCLOSED)
    ws.scorecards.set_score(card.id, "retention-deletion", Answer.LEVEL, level=3, strength=EvidenceStrength.CONTRACT)
    claim = ws.claims.add(v.id, "We built our own model", criteria=["training-data:own-model"])
    ws.claims.set_status(claim.id, ClaimStatus.CONTRADICTED, "It is a third-party model")
    got = ws.conditions.propose(v.id)
    assert [(p.key, p.text) for p in got] == [
        ("derived:assertion:gdpr/dpa", "Provide a signed DPA"),
        ("derived:contradicted:training-data/own-model",
         "Name the third-party model behind the product and correct the sales material"),
        ("derived:declined:gdpr/sub-processors",
         "List the sub-processors, with notice of and a right to object to changes"),
    ]
    accepted = ws.conditions.accept(v.id, "derived:assertion:gdpr/dpa", owner="Legal", target="Signed DPA by 1 Feb")
    assert (accepted.number, accepted.text, accepted.origin, accepted.owner) == (
        1, "Provide a signed DPA", "derived:assertion:gdpr/dpa", "Legal")
    ws.conditions.drop(v.id, "derived:declined:gdpr/sub-processors")
    assert [p.key for p in ws.conditions.propose(v.id)] == ["derived:contradicted:training-data/own-model"]
    with pytest.raises(ConditionError, match="it was dropped"):
        ws.conditions.accept(v.id, "derived:declined:gdpr/sub-processors")
    # removing an accepted one remembers it as dropped: it is not proposed again
    ws.conditions.remove(v.id, 1)
    assert [p.key for p in ws.conditions.propose(v.id)] == ["derived:contradicted:training-data/own-model"]
    assert set(ws.conditions.dropped(v.id)) == {"derived:declined:gdpr/sub-processors", "derived:assertion:gdpr/dpa"}
    ws.conditions.undrop(v.id, "derived:declined:gdpr/sub-processors")
    assert ws.conditions.accept_all(v.id)[-1].text.startswith("List the sub-processors")
    assert ws.conditions.propose(v.id) == []
    assert [c.origin for c in ws.conditions.list(v.id)] == ["derived:contradicted:training-data/own-model",
                                                             "derived:declined:gdpr/sub-processors"]


def test_deleting_a_vendor_and_undo_bring_its_conditions_back(ws):
    v = ws.vendors.create("Acme")
    ws.conditions.add(v.id, "One", owner="Ann", target="t")
    ws.conditions.add(v.id, "Two")
    snap = ws.vendors.delete(v.id)
    assert ws.store.conditions(v.id) == []
    ws.vendors.restore(snap)
    assert [(c.text, c.owner, c.target) for c in ws.conditions.list(v.id)] == [("One", "Ann", "t"), ("Two", "", "")]


def test_schema_8_plain_text_conditions_migrate_to_numbered_records(tmp_path):
    shutil.copyfile(FIXTURE_V8, tmp_path / DB_FILENAME)
    raw = sqlite3.connect(tmp_path / DB_FILENAME)
    raw.execute("UPDATE vendors SET conditions = ? WHERE name = 'Acme AI'",
                [json.dumps(["Uncapped IP indemnity", "  ", "Signed DPA before go-live"])])
    raw.commit()
    raw.close()
    ws = Workspace(tmp_path, evaluator="upgrader")
    try:
        assert ws.store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        acme = ws.vendors.find("Acme AI")
        got = ws.conditions.list(acme.id)
        assert [(c.number, c.text, c.origin, c.owner) for c in got] == [
            (1, "Uncapped IP indemnity", "manual", ""), (2, "Signed DPA before go-live", "manual", "")]
        assert got[0].created_at == acme.updated_at  # dated the vendor's last change
        assert acme.conditions == ["Uncapped IP indemnity", "Signed DPA before go-live"]
        assert ws.store.db.execute("SELECT DISTINCT conditions FROM vendors").fetchall() == [("[]",)]
        assert ws.conditions.list(ws.vendors.find("Beta Insights <b>&</b>").id) == []
    finally:
        ws.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.tuples(st.just("add"), st.integers(0, 99)),
                          st.tuples(st.just("remove"), st.integers(1, 6)),
                          st.tuples(st.just("move"), st.tuples(st.integers(1, 6), st.integers(1, 6)))),
                max_size=12))
def test_numbering_stays_1_to_n_under_any_sequence(ops):
    with tempfile.TemporaryDirectory() as d:
        ws = Workspace(Path(d), evaluator="h")
        try:
            v = ws.vendors.create("V")
            model: list[str] = []
            for op, arg in ops:
                if op == "add":
                    text = f"c{arg}"
                    if text in model:
                        continue
                    ws.conditions.add(v.id, text)
                    model.append(text)
                elif op == "remove":
                    if arg > len(model):
                        with pytest.raises(ConditionError):
                            ws.conditions.remove(v.id, arg)
                        continue
                    ws.conditions.remove(v.id, arg)
                    model.pop(arg - 1)
                else:
                    src, dst = arg
                    if src > len(model) or dst > len(model):
                        continue
                    ws.conditions.set(v.id, src, new_number=dst)
                    model.insert(dst - 1, model.pop(src - 1))
                got = ws.conditions.list(v.id)
                assert [c.number for c in got] == list(range(1, len(got) + 1))
                assert [c.text for c in got] == model
        finally:
            ws.close()


# --- the CLI --------------------------------------------------------------------------------------------


def test_cli_add_set_list_remove(cli):
    assert cli("vendors", "add", "Acme").code == 0
    r = cli("conditions", "add", "Acme", "Provide a signed DPA", "--current", "draft", "--target", "signed",
            "--walk-away", "signed by go-live", "--owner", "Legal")
    assert r.code == 0, r.err
    assert "1  Provide a signed DPA  draft → signed → signed by go-live  Legal" in r.out
    assert cli("conditions", "add", "Acme", "Exit plan").code == 0
    r = cli("conditions", "set", "Acme", "2", "--owner", "Ann", "--move-to", "1")
    assert r.code == 0, r.err
    r = cli("conditions", "list", "Acme", "--json")
    got = json.loads(r.out)
    assert [(c["number"], c["text"], c["owner"]) for c in got] == [(1, "Exit plan", "Ann"),
                                                                   (2, "Provide a signed DPA", "Legal")]
    assert cli("conditions", "remove", "Acme", "1").code == 0
    assert [c["text"] for c in json.loads(cli("conditions", "list", "Acme", "--json").out)] == ["Provide a signed DPA"]


@pytest.mark.parametrize(("args", "names"), [
    (("set", "Acme", "x", "--owner", "B"), "field number"),
    (("set", "Acme", "7", "--owner", "B"), "field number: Acme has no condition 7 (it has 1..1)"),
    (("set", "Acme", "1", "--move-to", "0"), "field move-to"),
    (("set", "Acme", "1"), "field fields"),
    (("set", "Acme", "1", "--text", " "), "field text"),
    (("remove", "Acme", "-1"), "field number"),
    (("accept", "Acme", "derived:assertion:gdpr/dpa"), "field key"),
    (("drop", "Acme", "nonsense"), "field key"),
])
def test_cli_bad_number_or_field_exits_2_naming_it_and_changes_nothing(cli, data_dir, args, names):
    cli("vendors", "add", "Acme")
    cli("conditions", "add", "Acme", "One")
    before = sqlite3.connect(data_dir / DB_FILENAME).execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    r = cli("conditions", *args)
    assert r.code == 2
    assert names in r.err
    after = sqlite3.connect(data_dir / DB_FILENAME).execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    assert after == before


def test_cli_proposals_accept_and_drop(cli, data_dir):
    cli("vendors", "add", "Acme")
    ws = Workspace(data_dir, evaluator="ann")
    v = ws.vendors.find("Acme")
    card = ws.scorecards.create(v.id, "gdpr")
    ws.scorecards.set_score(card.id, "dpa", Answer.LEVEL, level=3)
    ws.scorecards.set_score(card.id, "sub-processors", Answer.NOT_DISCLOSED)
    ws.close()
    r = cli("conditions", "list", "Acme", "--proposed", "--json")
    assert [p["key"] for p in json.loads(r.out)] == ["derived:assertion:gdpr/dpa",
                                                     "derived:declined:gdpr/sub-processors"]
    r = cli("conditions", "list", "Acme", "--proposed")
    assert "Provide a signed DPA\n    why: Data processing agreement (Art. 28) (a knock-out criterion)" in r.out
    assert cli("conditions", "drop", "Acme", "derived:declined:gdpr/sub-processors").code == 0
    r = cli("conditions", "accept", "Acme", "all")
    assert r.code == 0 and "1  Provide a signed DPA" in r.out and "proposed" in r.out
    assert "No condition is proposed" in cli("conditions", "list", "Acme", "--proposed").out
    r = cli("decide", "Acme", "go_with_conditions", "--condition", "Provide a signed DPA", "--condition", "Exit plan")
    assert r.code == 0
    got = json.loads(cli("conditions", "list", "Acme", "--json").out)
    assert [(c["text"], c["origin"]) for c in got] == [("Provide a signed DPA", "derived:assertion:gdpr/dpa"),
                                                       ("Exit plan", "manual")]
