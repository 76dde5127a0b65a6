"""The workspace file's `conditions` section: export, exact restore, merge, strict checks, and old files whose
vendors carry plain-text conditions only."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from vendoreval.exchange import ExchangeError
from vendoreval.exchange import workspace_file as wf
from vendoreval.services import Workspace
from vendoreval.services.exchange import ExchangeService


def _build(ws: Workspace) -> str:
    v = ws.vendors.create("Acme")
    card = ws.scorecards.create(v.id, "gdpr")
    ws.scorecards.set_score(card.id, "dpa", "level", level=3)
    ws.scorecards.set_score(card.id, "sub-processors", "not_disclosed")
    ws.conditions.add(v.id, "Cap fees", current="uncapped", target="12 months", walk_away="24 months", owner="CFO")
    ws.conditions.accept(v.id, "derived:assertion:gdpr/dpa", owner="Legal")
    ws.conditions.drop(v.id, "derived:declined:gdpr/sub-processors")
    return v.id


def test_export_restore_export_is_byte_identical_with_every_field(ws: Workspace, tmp_path: Path) -> None:
    vid = _build(ws)
    first = ExchangeService(ws).workspace_bytes()
    doc = json.loads(first)
    assert [(c["number"], c["text"], c["owner"], c["origin"]) for c in doc["conditions"]["records"]] == [
        (1, "Cap fees", "CFO", "manual"), (2, "Provide a signed DPA", "Legal", "derived:assertion:gdpr/dpa")]
    assert [d["key"] for d in doc["conditions"]["dropped"]] == ["derived:declined:gdpr/sub-processors"]
    assert doc["vendors"][0]["conditions"] == ["Cap fees", "Provide a signed DPA"]
    other = Workspace(tmp_path / "restored", evaluator="bob")
    try:
        ExchangeService(other).import_workspace(wf.parse(first, "a.json"), "a.json")
        assert ExchangeService(other).workspace_bytes() == first
        got = other.conditions.list(vid)
        assert [(c.text, c.current, c.target, c.walk_away, c.owner) for c in got] == [
            ("Cap fees", "uncapped", "12 months", "24 months", "CFO"), ("Provide a signed DPA", "", "", "", "Legal")]
        assert other.conditions.propose(vid) == []  # accepted and dropped stay so
    finally:
        other.close()


def test_merge_takes_the_newer_vendors_conditions(ws: Workspace, tmp_path: Path) -> None:
    vid = _build(ws)
    other = Workspace(tmp_path / "other", evaluator="bob")
    try:
        ExchangeService(other).import_workspace(wf.parse(ExchangeService(ws).workspace_bytes(), "a.json"), "a.json")
        ws.conditions.set(vid, 1, target="6 months")  # raises the vendor's updated_at: the file's vendor is newer
        # (same second otherwise; a minute ahead is within the clock skew a file may have, further is refused)
        later = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        ws.store.db.execute("UPDATE vendors SET updated_at = ?", [later])
        ExchangeService(other).import_workspace(wf.parse(ExchangeService(ws).workspace_bytes(), "b.json"), "b.json")
        assert other.conditions.get(vid, 1).target == "6 months"
    finally:
        other.close()


def _file(**changes: object) -> bytes:
    vendor = {"id": "v1", "name": "Acme", "conditions": ["Cap fees"], "created_at": "2026-01-01T00:00:00Z",
              "updated_at": "2026-01-01T00:00:00Z", "decision": "go_with_conditions"}
    doc: dict[str, object] = {"format": "vendoreval-workspace", "format_version": 1, "vendors": [vendor]}
    doc.update(changes)
    return json.dumps(doc).encode()


def _record(number: int, text: str, **extra: object) -> dict[str, object]:
    return {"id": f"c{number}{text}", "vendor_id": "v1", "number": number, "text": text,
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z", **extra}


def test_an_old_file_with_plain_text_conditions_imports_them_as_records(ws: Workspace) -> None:
    ExchangeService(ws).import_workspace(wf.parse(_file(), "old.json"), "old.json")
    got = ws.conditions.list("v1")
    assert [(c.number, c.text, c.origin) for c in got] == [(1, "Cap fees", "manual")]


@pytest.mark.parametrize(("conditions", "says"), [
    ({"records": [_record(1, "Cap fees"), _record(3, "Exit")]}, "conditions.records[0].number"),
    ({"records": [_record(1, "Other text")]}, "vendors[0].conditions"),
    ({"records": [_record(1, "Cap fees", vendor_id="nobody")]}, "conditions.records[0].vendor_id: no vendor"),
    ({"records": [_record(1, "Cap fees", owner=3)]}, "conditions.records[0].owner"),
    ({"records": [_record(1, "Cap fees", colour="red")]}, "conditions.records[0].colour"),
    ({"records": [_record(0, "Cap fees")]}, "conditions.records[0].number"),
    ({"dropped": [{"vendor_id": "v1", "key": "oops", "dropped_at": "x"}]}, "conditions.dropped[0].key"),
    ({"dropped": [{"vendor_id": "v2", "key": "derived:declined:gdpr/dpa", "dropped_at": "x"}]},
     "conditions.dropped[0].vendor_id"),
])
def test_strict_checks_name_the_place_and_import_nothing(ws: Workspace, conditions: object, says: str) -> None:
    with pytest.raises(ExchangeError) as exc:
        doc = wf.parse(_file(conditions=conditions), "bad.json")
        ExchangeService(ws).import_workspace(doc, "bad.json")
    assert says in str(exc.value)
    assert ws.store.vendors() == [] and ws.store.conditions() == []


def test_records_win_when_the_vendor_list_is_empty(ws: Workspace) -> None:
    raw = json.loads(_file(conditions={"records": [_record(2, "Exit", owner="Ann"), _record(1, "Cap fees")]}))
    raw["vendors"][0]["conditions"] = []
    ExchangeService(ws).import_workspace(wf.parse(json.dumps(raw).encode(), "f.json"), "f.json")
    assert [(c.number, c.text, c.owner) for c in ws.conditions.list("v1")] == [(1, "Cap fees", ""), (2, "Exit", "Ann")]
    assert ws.vendors.get("v1").conditions == ["Cap fees", "Exit"]
