"""One write path: the app's edit and the scores-CSV import obey the same rule, and every write is one
unit of work (one transaction, its audit entries, then the announcement)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import levels, rubric
from vendoreval.errors import UserError
from vendoreval.services import ServiceError, Workspace
from vendoreval.services.exchange import ExchangeService
from vendoreval.services.workspace import Change

TOKENS = rubric("tok", [{"id": "tokens", "title": "Tokens", "question": "How many?", "weight": 1,
                         "scale": {"kind": "numeric", "unit": "tokens", "thresholds": [1e9, 1e12],
                                   "levels": levels(3)}}])


@pytest.fixture
def setup(ws: Workspace):  # type: ignore[no-untyped-def]
    ws.library.remember(TOKENS)
    vendor = ws.vendors.create("Acme AI")
    card = ws.scorecards.create(vendor.id, "tok")
    return ws, vendor, card


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(level=st.integers(-2, 5) | st.none(), figure=st.sampled_from([None, -1.0, 0.0, 5e8, 1e9, 3e11, 1e12, 7e13]))
def test_the_app_and_the_csv_import_accept_and_refuse_the_same_scores(setup, tmp_path: Path, level, figure) -> None:  # type: ignore[no-untyped-def]
    ws, vendor, card = setup
    if level is None and figure is None:
        level = 1
    try:
        ws.scorecards.set_score(card.id, "tokens", "level", level=level, figure=figure)
        by_app: object = ws.scorecards.get(card.id).scores["tokens"].level
    except ServiceError:
        by_app = "refused"
    csv = tmp_path / "scores.csv"
    csv.write_text("vendor,rubric,evaluator,criterion,level,figure\n"
                   f"Acme AI,tok,bob,tokens,{'' if level is None else level},{'' if figure is None else figure}\n",
                   encoding="utf-8")
    before = ws.store.table_counts()
    try:
        ExchangeService(ws).import_file(csv)
        bob = next(c for c in ws.scorecards.list(vendor.id) if c.evaluator == "bob")
        by_import: object = bob.scores["tokens"].level
        ws.scorecards.delete(bob.id)
    except UserError:
        by_import = "refused"
        assert ws.store.table_counts() == before  # a refused import writes nothing
    assert by_app == by_import


def test_listeners_hear_of_a_change_only_after_it_committed(setup) -> None:  # type: ignore[no-untyped-def]
    ws, vendor, card = setup
    seen: list[tuple[Change, int]] = []
    ws.subscribe(lambda change: seen.append((change, len(ws.history(vendor.id)))))
    audit_before = len(ws.history(vendor.id))
    ws.scorecards.set_score(card.id, "tokens", "level", level=2)
    # one announcement, made when the audit entry is already readable
    assert seen == [(Change("score", card.id, vendor.id), audit_before + 1)]


def test_a_failed_unit_of_work_writes_nothing_and_announces_nothing(setup) -> None:  # type: ignore[no-untyped-def]
    ws, vendor, _ = setup
    heard: list[Change] = []
    ws.subscribe(heard.append)
    before = ws.store.table_counts()
    with pytest.raises(RuntimeError), ws.unit_of_work() as uow:
        ws.store.save_vendor(vendor.model_copy(update={"name": "Renamed"}))
        uow.audit("update", "vendor", vendor.id, vendor_id=vendor.id, field="name", new="Renamed")
        uow.changed("vendor", vendor.id, vendor.id)
        raise RuntimeError("power cut")
    assert heard == [] and ws.store.table_counts() == before and ws.vendors.get(vendor.id).name == "Acme AI"


def test_units_of_work_nest_into_one_transaction(setup) -> None:  # type: ignore[no-untyped-def]
    ws, vendor, card = setup
    heard: list[Change] = []
    ws.subscribe(heard.append)
    with ws.unit_of_work() as outer:
        ws.vendors.update(vendor.id, product="CopyBot")
        ws.scorecards.set_score(card.id, "tokens", "level", level=1)
        assert heard == []  # nothing is announced before the outer unit commits
        outer.after_commit(lambda: heard.append(Change("marker", "after-commit")))
    assert heard == [Change("marker", "after-commit"), Change("vendor", vendor.id, vendor.id),
                     Change("score", card.id, vendor.id)]



def test_the_evaluator_changes_only_when_the_setting_is_saved(ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from vendoreval.services.settings import load_settings, save_settings

    def disk_full(entries) -> None:  # type: ignore[no-untyped-def]
        raise UserError("disk full")

    monkeypatch.setattr(ws.store, "add_audit_entries", disk_full)  # the last write of the unit fails
    with pytest.raises(UserError):
        save_settings(ws, load_settings(ws).model_copy(update={"evaluator": "bob"}))
    assert ws.evaluator == "ann"  # rolled back: the name in use is still the saved one
    monkeypatch.undo()
    heard: list[str] = []
    ws.subscribe(lambda change: heard.append(ws.evaluator))
    ws.set_evaluator("bob")
    assert ws.evaluator == "bob" and heard == ["bob"]  # listeners already see the new name


def _many_scores_csv(path: Path, vendors: int, last_level: str | None = None) -> int:
    crits = [f"c{i}" for i in range(40)]
    lines = ["vendor,rubric,evaluator,criterion,level,strength,rationale"]
    for v in range(vendors):
        for i, c in enumerate(crits):
            lines.append(f"V{v},many,bob,{c},{(v + i) % 4},verified_by_us,why {v} {c}")
    if last_level is not None:
        lines[-1] = lines[-1].replace(f",{(vendors - 1 + 39) % 4},verified_by_us", f",{last_level},verified_by_us")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def test_a_large_scores_csv_lands_whole_or_not_at_all(ws: Workspace, tmp_path: Path) -> None:
    """Hundreds of scores (written many rows per statement): every one stored with one audit entry; a bad
    last line refuses the file and leaves the database as it was."""
    ws.library.remember(rubric("many", [{"id": f"c{i}", "title": f"C{i}", "question": "?", "weight": 1,
                                         "scale": {"kind": "ordinal", "levels": levels(4)}} for i in range(40)]))
    for v in range(7):
        ws.vendors.create(f"V{v}")
    bad = tmp_path / "bad.csv"
    _many_scores_csv(bad, 7, last_level="9")
    before = ws.store.table_counts()
    with pytest.raises(UserError, match=r"line 281, column level: level 9 is out of range 0\.\.3"):
        ExchangeService(ws).import_file(bad)
    assert ws.store.table_counts() == before
    good = tmp_path / "good.csv"
    n = _many_scores_csv(good, 7)
    result = ExchangeService(ws).import_file(good)
    assert result.added["scores"] == n == 280 and result.added["scorecards"] == 7
    cards = {c.vendor_id: c for c in ws.store.scorecards_by_evaluator(["bob"])}
    by_name = {v.name: v.id for v in ws.vendors.list()}
    for v in range(7):
        card = cards[by_name[f"V{v}"]]
        assert {c: s.level for c, s in card.scores.items()} == {f"c{i}": (v + i) % 4 for i in range(40)}
        assert card.scores["c3"].rationale == f"why {v} c3" and card.scores["c3"].strength == "verified_by_us"
    scored = [e for e in ws.history(limit=None) if e.action == "score"]
    assert len(scored) == 280 and len({e.entity_id for e in scored}) == 280
    # the same file with every rationale changed (and the 0s raised): 280 updates, each revision + 1
    good.write_text(good.read_text(encoding="utf-8").replace(",verified_by_us,", ",verified_by_us,x ")
                    .replace(",0,verified", ",1,verified"), encoding="utf-8")
    again = ExchangeService(ws).import_file(good)
    assert again.updated["scores"] == 280
    card = ws.store.scorecards_by_evaluator(["bob"])[0]
    assert all(s.revision == 2 and s.rationale.startswith("x why") for s in card.scores.values())
