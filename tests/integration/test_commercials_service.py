"""Commercial terms end to end: stored per vendor with audit and revisions, `commercials set|show` exit codes."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from vendoreval.domain.commercials import CommercialsError
from vendoreval.services.workspace import StaleEdit
from vendoreval.store.database import DB_FILENAME
from vendoreval.store.migrations import SCHEMA_VERSION


def test_terms_are_stored_exactly_with_one_audit_entry_per_field(ws: Any, data_dir: Path) -> None:
    v = ws.vendors.create("Acme")
    c = ws.commercials.set(v.id, {"annual": "12000.10", "currency": "eur", "term_months": 24})
    assert (c.annual, c.currency, c.term_months, c.revision) == (Decimal("12000.10"), "EUR", 24, 1)
    again = ws.commercials.get(v.id)
    assert again.annual == Decimal("12000.10") and again.field_text("annual") == "12000.10"
    entries = [e for e in ws.history(v.id) if e.entity == "commercials"]
    assert sorted((e.field, e.old, e.new) for e in entries) == [("annual", None, "12000.10"), ("currency", None, "EUR"),
                                                                ("term_months", None, "24")]
    ws.commercials.set(v.id, {"annual": "12000.10", "exit_cost": "0"})  # annual unchanged: no entry
    assert len([e for e in ws.history(v.id) if e.entity == "commercials"]) == 4
    conn = sqlite3.connect(data_dir / DB_FILENAME)
    assert conn.execute("SELECT annual, typeof(annual), exit_cost FROM commercials").fetchone() == \
        ("12000.10", "text", "0")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_a_bad_value_changes_nothing(ws: Any) -> None:
    v = ws.vendors.create("Acme")
    ws.commercials.set(v.id, {"annual": "100", "currency": "EUR"})
    with pytest.raises(CommercialsError) as exc:
        ws.commercials.set(v.id, {"annual": "200", "currency": "EURO"})
    assert exc.value.field == "currency"
    assert ws.commercials.get(v.id).annual == Decimal(100)


def test_an_edit_on_an_older_revision_is_refused(ws: Any) -> None:
    v = ws.vendors.create("Acme")
    first = ws.commercials.set(v.id, {"annual": "100"}, expected_revision=0)
    ws.commercials.set(v.id, {"currency": "USD"})  # elsewhere
    with pytest.raises(StaleEdit) as exc:
        ws.commercials.set(v.id, {"annual": "150"}, expected_revision=first.revision)
    assert exc.value.current.currency == "USD" and exc.value.revision == 2
    assert ws.commercials.get(v.id).annual == Decimal(100)


def test_deleting_a_vendor_takes_its_terms_and_undo_brings_them_back(ws: Any) -> None:
    v = ws.vendors.create("Acme")
    ws.commercials.set(v.id, {"one_off": "10", "currency": "GBP"})
    snap = ws.vendors.delete(v.id)
    assert ws.store.commercials_all() == []
    ws.vendors.restore(snap)
    assert ws.commercials.get(v.id).one_off == Decimal(10)


def test_cli_set_and_show(cli: Any) -> None:
    assert cli("vendors", "add", "Acme").code == 0
    r = cli("commercials", "set", "Acme", "--pricing-model", "per seat per month", "--annual-cost", "12000",
            "--one-off", "5000", "--exit-cost", "1500.50", "--currency", "eur", "--term-months", "36",
            "--renewal", "manual", "--notice-months", "3")
    assert r.code == 0, r.err
    assert "EUR 42,500.50 over 36 months" in r.out
    shown = json.loads(cli("commercials", "show", "Acme", "--json").out)
    assert shown["total_cost"] == "42500.50" and shown["currency"] == "EUR" and shown["renewal"] == "manual"
    assert shown["pricing_model"] == "per seat per month" and shown["annual"] == "12000"


@pytest.mark.parametrize(("args", "option"), [
    (["--annual-cost", "-5"], "--annual-cost"), (["--one-off", "nan"], "--one-off"),
    (["--exit-cost", "1,000"], "--exit-cost"), (["--currency", "EURO"], "--currency"),
    (["--term-months", "0"], "--term-months"), (["--renewal", "yearly"], "--renewal"),
    (["--notice-months", "2.5"], "--notice-months"),
])
def test_cli_bad_input_exits_2_naming_the_option_and_changes_nothing(cli: Any, args: list[str], option: str) -> None:
    cli("vendors", "add", "Acme")
    cli("commercials", "set", "Acme", "--annual-cost", "100", "--currency", "EUR", "--term-months", "12")
    before = cli("commercials", "show", "Acme", "--json").out
    r = cli("commercials", "set", "Acme", "--annual-cost", "999", *args)
    assert r.code == 2 and r.err.startswith(f"vendoreval: {option}:"), r.err
    assert cli("commercials", "show", "Acme", "--json").out == before


def test_cli_set_needs_a_term_and_a_known_vendor(cli: Any) -> None:
    cli("vendors", "add", "Acme")
    assert cli("commercials", "set", "Acme").code == 2
    r = cli("commercials", "show", "Nobody")
    assert r.code == 2 and "Nobody" in r.err


def test_compare_shows_the_total_cost_and_currency_beside_the_score(cli: Any, data_dir: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.factories import risk_workspace
    from vendoreval.services import Workspace

    monkeypatch.setattr("vendoreval.services.library.rubrics_dir", lambda: tmp_path / "no-shipped")
    w = Workspace(data_dir, evaluator="ann")
    risk_workspace(w, tmp_path / "r")
    w.close()
    cli("commercials", "set", "Acme", "--annual-cost", "1000", "--term-months", "7", "--currency", "GBP")
    cli("commercials", "set", "Gamma", "--one-off", "250000", "--currency", "EUR")
    data = json.loads(cli("compare", "--format", "json").out)
    assert [(r["vendor"], r["overall"], r["total_cost"], r["currency"]) for r in data["ranking"]] == [
        ("Gamma", 75.0, "250000.00", "EUR"), ("Acme", 62.5, "583.33", "GBP"), ("Beta", 75.0, None, None)]
    table = cli("compare").out.splitlines()
    assert "TOTAL COST" in table[2]
    assert "EUR 250,000.00" in table[4] and "GBP 583.33" in table[5] and "—" in table[6]
