"""The engine's command line: rubrics, vendors, scores; exit codes and messages on bad input."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.factories import criterion, rubric
from vendoreval.domain.models import Answer
from vendoreval.services import Workspace
from vendoreval.store.database import DB_FILENAME
from vendoreval.store.migrations import SCHEMA_VERSION

BAD_TOML = {
    "syntax.toml": ("id = \n", "TOML syntax error"),
    "unknown.toml": ('id="x"\nversion="1"\ntitle="X"\narea="X"\nflavour="mint"\n'
                     '[[criteria]]\nid="a"\ntitle="A"\nquestion="Q"\n[criteria.scale]\n'
                     'levels=[{level=0,label="n",description="d"},{level=1,label="y",description="d"}]\n',
                     "field 'flavour': Extra inputs are not permitted"),
    "dupes.toml": ('id="x"\nversion="1"\ntitle="X"\narea="X"\n'
                   + '[[criteria]]\nid="a"\ntitle="A"\nquestion="Q"\n[criteria.scale]\n'
                     'levels=[{level=0,label="n",description="d"},{level=1,label="y",description="d"}]\n' * 2,
                   "duplicate criterion id 'a'"),
    "nodesc.toml": ('id="x"\nversion="1"\ntitle="X"\narea="X"\n[[criteria]]\nid="a"\ntitle="A"\nquestion="Q"\n'
                    '[criteria.scale]\nlevels=[{level=0,label="n"},{level=1,label="y",description="d"}]\n',
                    "criterion 'a', field 'scale.levels.0.description': Field required"),
    "weight.toml": ('id="x"\nversion="1"\ntitle="X"\narea="X"\n[[criteria]]\nid="a"\ntitle="A"\nquestion="Q"\n'
                    'weight=0\n[criteria.scale]\n'
                    'levels=[{level=0,label="n",description="d"},{level=1,label="y",description="d"}]\n',
                    "criterion 'a', field 'weight': weight must be greater than 0"),
}


@pytest.mark.parametrize("name", sorted(BAD_TOML))
def test_rubrics_validate_reports_file_criterion_reason(cli, tmp_path, name):
    text, expected = BAD_TOML[name]
    path = tmp_path / name
    path.write_text(text)
    r = cli("rubrics", "validate", str(path))
    assert r.code == 2
    assert str(path) in r.err and expected in r.err


def test_rubrics_validate_good_and_bad_together(cli, tmp_path):
    good = tmp_path / "good.toml"
    good.write_text('id="x"\nversion="1"\ntitle="X"\narea="X"\n[[criteria]]\nid="a"\ntitle="A"\nquestion="Q"\n'
                    '[criteria.scale]\nlevels=[{level=0,label="n",description="d"},{level=1,label="y",description="d"}]\n')
    bad = tmp_path / "bad.toml"
    bad.write_text("id = ")
    r = cli("rubrics", "validate", str(good), str(bad))
    assert r.code == 2 and "good.toml: ok" in r.out and "bad.toml" in r.err
    assert cli("rubrics", "validate", str(good)).code == 0


def test_rubrics_list_and_show_from_user_folder(cli, data_dir):
    (data_dir / "rubrics").mkdir()
    from vendoreval.exchange.indicator_csv import rubric_to_toml

    (data_dir / "rubrics" / "mine.toml").write_text(rubric_to_toml(rubric("mine", [criterion("a", knockout_below=1)])))
    r = cli("rubrics", "list", "--json")
    assert r.code == 0
    mine = [x for x in json.loads(r.out) if x["id"] == "mine"]
    assert mine and mine[0]["origin"] == "user" and mine[0]["criteria"] == 1
    shown = cli("rubrics", "show", "mine")
    assert "knock-out below level 1" in shown.out
    missing = cli("rubrics", "show", "nope")
    assert missing.code == 2 and "no rubric 'nope'" in missing.err


def _populate(data_dir):
    ws = Workspace(data_dir, evaluator="ann")
    r = rubric("tgdpr", [criterion("dpa", weight=3, knockout_below=1, knockout_reason="No DPA"), criterion("b")])
    ws.library.remember(r)
    a = ws.vendors.create("Acme")
    b = ws.vendors.create("Beta")
    ca = ws.scorecards.create(a.id, "tgdpr")
    ws.scorecards.set_score(ca.id, "dpa", Answer.LEVEL, level=4, strength="contractual_commitment")
    ws.scorecards.set_score(ca.id, "b", Answer.LEVEL, level=2, strength="verified_by_us")
    cb = ws.scorecards.create(b.id, "tgdpr")
    ws.scorecards.set_score(cb.id, "dpa", Answer.NOT_DISCLOSED)
    ws.close()


def test_scores_json(cli, data_dir):
    _populate(data_dir)
    r = cli("scores", "--json")
    assert r.code == 0, r.err
    rows = json.loads(r.out)
    assert [x["vendor"] for x in rows] == ["Acme", "Beta"]
    acme, beta = rows
    for key in ("vendor", "rubric", "rubric_version", "evaluator", "claimed", "evidence_weighted", "score",
                "scored_share", "knocked_out"):
        assert key in acme
    # claimed (3*1 + 1*0.5)/4 = 87.5 ; evidence (3*0.75 + 0.5*1)/4 = 68.75
    assert acme["claimed"] == 87.5 and acme["evidence_weighted"] == 68.75 and acme["score"] == 68.75
    assert acme["scored_share"] == 1.0 and acme["knocked_out"] is False
    assert beta["knocked_out"] is True and beta["scored_share"] == 0.5 and beta["claimed"] == 0.0
    assert json.loads(cli("scores", "--json", "--rubric", "tgdpr").out) == rows
    bad = cli("scores", "--rubric", "nope")
    assert bad.code == 2 and "--rubric" in bad.err
    table = cli("scores")
    assert "Acme" in table.out and "68.8" in table.out
    # Beta did not disclose its DPA: the table says so, not the rubric's "No DPA" as if it were a fact
    assert "DPA: the vendor did not disclose (counts as level 0; needs at least level 1)" in table.out
    assert "No DPA" not in table.out


def test_vendors_list(cli, data_dir):
    _populate(data_dir)
    r = cli("vendors", "list", "--json")
    names = [v["name"] for v in json.loads(r.out)]
    assert names == ["Acme", "Beta"]
    assert cli("vendors", "add", "acme").code == 2


def test_usage_error_is_exit_2(cli, capsys):
    with pytest.raises(SystemExit) as info:
        cli("scores", "--bogus")
    assert info.value.code == 2


def test_newer_database_refused_on_cli(cli, data_dir):
    Workspace(data_dir).close()
    conn = sqlite3.connect(data_dir / DB_FILENAME)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    r = cli("vendors", "list")
    assert r.code == 2 and "newer version of vendoreval" in r.err


def test_locked_database_on_cli(cli, data_dir, monkeypatch):
    Workspace(data_dir).close()
    other = sqlite3.connect(data_dir / DB_FILENAME)
    other.execute("BEGIN EXCLUSIVE")
    try:
        import vendoreval.store.store as store_mod

        orig = store_mod.Store.__init__

        def quick(self, data_dir, *, create=True, busy_timeout_ms=3000):
            orig(self, data_dir, create=create, busy_timeout_ms=50)

        monkeypatch.setattr(store_mod.Store, "__init__", quick)
        r = cli("vendors", "add", "Acme")
    finally:
        other.rollback()
        other.close()
    assert r.code == 2 and "locked" in r.err


def test_bug_is_exit_1(cli, monkeypatch):
    import vendoreval.cli.vendors as mod

    def boom(ctx, args):
        raise ZeroDivisionError

    monkeypatch.setattr(mod, "cmd_list", boom)  # patched before the parser is built, so the CLI calls it
    r = cli("vendors", "list")
    assert r.code == 1 and "bug" in r.err


def test_python_m_entry_point(tmp_path):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "vendoreval", "--data-dir", str(tmp_path / "d"), "vendors", "list"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "NAME" in out.stdout


def test_vendors_add_refuses_a_website_that_is_not_a_web_address(cli, data_dir):
    r = cli("vendors", "add", "Gamma", "--website", "not a url")
    assert r.code == 2 and "not a web address" in r.err
    assert cli("vendors", "add", "Delta", "--website", "delta.example/trust").code == 0
    assert cli("vendors", "add", "Epsilon", "--website", "https://x").code == 0
    assert [v.name for v in Workspace(data_dir).vendors.list()] == ["Delta", "Epsilon"]
