"""The workspace file's `commercials` and `risks` sections: exact round trip, merge by date, strict validation."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.factories import risk_workspace
from vendoreval.exchange import ExchangeError
from vendoreval.exchange import workspace_file as wf
from vendoreval.services import Workspace
from vendoreval.services.exchange import ExchangeService


@pytest.fixture(autouse=True)
def _no_shipped_rubrics(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vendoreval.services.library.rubrics_dir", lambda: tmp_path_factory.mktemp("shipped"))


def _filled(ws: Any, tmp: Path) -> dict[str, str]:
    ids = risk_workspace(ws, tmp)
    ws.commercials.set(ids["Acme"], {"pricing_model": "per seat", "annual": "12000.10", "one_off": "0",
                                     "currency": "EUR", "term_months": 36, "renewal": "auto", "notice_months": 3})
    ws.risks.set(ids["Beta"], "knockout", "core/dpa", owner="Procurement", mitigation="Signed DPA", likelihood=4)
    ws.risks.set("", "do_nothing", "", owner="Board", residual="Low")
    return ids


def test_round_trip_is_exact(ws: Any, tmp_path: Path) -> None:
    ids = _filled(ws, tmp_path / "r")
    first = ExchangeService(ws).workspace_bytes()
    data = json.loads(first)
    assert data["commercials"] == [{
        "vendor_id": ids["Acme"], "pricing_model": "per seat", "one_off": "0", "annual": "12000.10",
        "currency": "EUR", "term_months": 36, "renewal": "auto", "notice_months": 3,
        "updated_at": data["commercials"][0]["updated_at"]}]
    assert [(n["kind"], n["vendor_id"], n["criterion"], n["owner"], n.get("likelihood")) for n in data["risks"]] == [
        ("do_nothing", "", "", "Board", None), ("knockout", ids["Beta"], "core/dpa", "Procurement", 4)]
    path = tmp_path / "w.json"
    path.write_bytes(first)
    other = Workspace(tmp_path / "other", evaluator="bob")
    try:
        result = ExchangeService(other).import_file(path)
        assert result.added["commercials"] == 1 and result.added["risk notes"] == 2
        assert ExchangeService(other).workspace_bytes() == first
        terms = other.commercials.get(ids["Acme"])
        assert terms.annual == Decimal("12000.10") and terms.total() is not None
        assert terms.total().decimal() == Decimal("36000.30")  # type: ignore[union-attr]
        risk = next(r for r in other.risks.list() if r.kind == "knockout")
        assert (risk.owner, risk.mitigation, risk.likelihood) == ("Procurement", "Signed DPA", 4)
    finally:
        other.close()


def test_a_merge_takes_the_newer_terms_and_notes(ws: Any, tmp_path: Path) -> None:
    ids = _filled(ws, tmp_path / "r")
    path = tmp_path / "w.json"
    ExchangeService(ws).export_workspace(path)
    data = json.loads(path.read_text("utf-8"))
    data["commercials"][0]["annual"] = "15000"
    data["commercials"][0]["updated_at"] = "2999-01-01T00:00:00Z"
    data["risks"][0]["owner"] = "Chair"
    data["risks"][0]["updated_at"] = "2999-01-01T00:00:00Z"
    data["risks"][1]["owner"] = "older"
    data["risks"][1]["updated_at"] = "2000-01-01T00:00:00Z"
    path.write_text(json.dumps(data), "utf-8")
    result = ExchangeService(ws).import_file(path)
    assert result.updated["commercials"] == 1 and result.updated["risk notes"] == 1 and result.kept["risk notes"] == 1
    assert ws.commercials.get(ids["Acme"]).annual == Decimal(15000)
    owners = {(r.kind, r.owner) for r in ws.risks.list()}
    assert ("do_nothing", "Chair") in owners and ("knockout", "Procurement") in owners


def _doc(ws: Any, tmp: Path) -> dict[str, Any]:
    _filled(ws, tmp)
    return json.loads(ExchangeService(ws).workspace_bytes())


@pytest.mark.parametrize(("section", "change", "said"), [
    ("commercials", {"annual": 12000.1}, "commercials[0].annual"),
    ("commercials", {"annual": "1e3"}, "commercials[0].annual"),
    ("commercials", {"exit_cost": "-5"}, "commercials[0].exit_cost"),
    ("commercials", {"currency": "XYZ"}, "XYZ is not an ISO 4217"),
    ("commercials", {"term_months": True}, "commercials[0].term_months"),
    ("commercials", {"renewal": "yearly"}, "commercials[0].renewal"),
    ("commercials", {"vendor_id": "nobody"}, "no vendor nobody"),
    ("commercials", {"colour": "red"}, "commercials[0].colour"),
    ("risks", {"impact": 6}, "risks[0].impact"),
    ("risks", {"likelihood": "3"}, "risks[0].likelihood"),
    ("risks", {"kind": "meteor"}, "risks[0].kind"),
    ("risks", {"vendor_id": "nobody"}, "risks[0].vendor_id"),
    ("risks", {"cause": "derived"}, "risks[0].cause"),
])
def test_bad_sections_are_refused_naming_the_field(ws: Any, tmp_path: Path, section: str, change: dict[str, Any],
                                                   said: str) -> None:
    doc = _doc(ws, tmp_path / "r")
    doc[section][0].update(change)
    with pytest.raises(ExchangeError) as exc:
        wf.parse(json.dumps(doc).encode("utf-8"), "w.json")
    assert said in str(exc.value)


def test_duplicate_keys_are_refused(ws: Any, tmp_path: Path) -> None:
    doc = _doc(ws, tmp_path / "r")
    doc["risks"].append(dict(doc["risks"][0]))
    doc["commercials"].append(dict(doc["commercials"][0]))
    with pytest.raises(ExchangeError) as exc:
        wf.parse(json.dumps(doc).encode("utf-8"), "w.json")
    assert "risks[2]: duplicate" in str(exc.value) and "commercials[1]: duplicate" in str(exc.value)
