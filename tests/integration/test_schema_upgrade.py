"""Every released schema version's fixture database opens with today's code, upgraded, with nothing lost."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from vendoreval.services import Workspace
from vendoreval.store.database import DB_FILENAME, applied_migrations
from vendoreval.store.migrations import RELEASED_SCHEMAS, SCHEMA_VERSION, migration_set

FIXTURES = sorted(Path(__file__).resolve().parents[1].joinpath("fixtures").glob("schema-v*.db"))


def test_a_fixture_exists_for_the_current_schema():
    versions = {int(re.search(r"v(\d+)", p.name).group(1)) for p in FIXTURES}
    # The newest released schema has its fixture; a schema after it is not released yet (written by no
    # released build), so there is no database of it anywhere to keep a fixture of.
    assert max(RELEASED_SCHEMAS) in versions, "run tests/fixtures/make_fixture.py and commit the new fixture"
    assert versions == set(RELEASED_SCHEMAS) and max(RELEASED_SCHEMAS) <= SCHEMA_VERSION


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_fixture_upgrades_without_loss(fixture, tmp_path):
    shutil.copyfile(fixture, tmp_path / DB_FILENAME)
    before = sqlite3.connect(tmp_path / DB_FILENAME)
    counts = {t: before.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("vendors", "claims", "evidence", "scorecards", "scores", "agreed_scores", "audit")}
    before.close()
    ws = Workspace(tmp_path, evaluator="upgrader")
    assert ws.store.integrity_check() == "ok"
    assert ws.store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    # every migration applied, as sqlite-utils' Migrations itself reads its table (and as ours does)
    assert {m.name for m in migration_set().applied(ws.store.db.utils)} == {m.name for m in migration_set()._migrations}
    assert applied_migrations(ws.store.db) == [m.name for m in migration_set().applied(ws.store.db.utils)]
    after = ws.store.counts()
    for table, n in counts.items():
        assert after[table] == n, table
    names = [v.name for v in ws.vendors.list()]
    assert names == ["Acme AI", "Beta Insights <b>&</b>"]
    acme = ws.vendors.find("Acme AI")
    assert acme.conditions == ["Uncapped IP indemnity"]
    totals = {t.vendor.name: t for t in ws.totals.vendor_totals()}
    # agreed dpa level 2 (of 4, contract 0.75) w3; training disclosed-no -> 4/4 (claim committed 0.75) w2;
    # residency n/a.  claimed = (3*0.5 + 2*1)/5 = 70 ; evidence: dpa agreed strength none -> assertion 0.25
    assert totals["Acme AI"].overall.claimed == pytest.approx(70.0)
    assert totals["Beta Insights <b>&</b>"].overall.knocked_out
    ws.close()
