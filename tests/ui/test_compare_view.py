"""The compare page driven like a user: pick vendors, change weights, see the ranking move, decide, export."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from tests.integration.test_compare_cli import DEFAULT, build_workspace
from vendoreval.domain.models import ClaimStatus, Decision
from vendoreval.services.workspace import Workspace
from vendoreval.ui.messages import RecordingMessages
from vendoreval.ui.models.comparison_model import ITEM_ROLE, STATUS_COLUMN, MatrixModel, RankingModel
from vendoreval.ui.views.compare_view import DEBOUNCE_MS as DEBOUNCE
from vendoreval.ui.views.compare_view import CompareView
from vendoreval.ui.widgets.charts import BarRow, ClaimBars, RadarChart, RadarSeries


@pytest.fixture(autouse=True)
def _no_shipped_rubrics(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the small test rubrics, so the figures below are exact and the tests fast."""
    monkeypatch.setattr("vendoreval.services.library.rubrics_dir", lambda: tmp_path_factory.mktemp("shipped"))


@pytest.fixture
def view(qtbot, ws: Workspace, tmp_path: Path):  # type: ignore[no-untyped-def]
    build_workspace(ws, tmp_path / "rubrics", DEFAULT)
    messages = RecordingMessages()
    v = CompareView(ws, messages=messages)
    qtbot.addWidget(v)
    v.resize(1280, 800)
    v.show()
    qtbot.waitExposed(v)
    return v


def test_ranking_changes_when_a_weight_changes(view: CompareView, qtbot) -> None:  # type: ignore[no-untyped-def]
    # balanced: Acme (100+25)/2 = 62.5, Beta (50+62.5)/2 = 56.25, Gamma knocked out last
    assert view.ranked_names() == ["Acme", "Beta", "Gamma"]
    assert view.ranking_model.index(0, 2).data() == "62.5"
    assert "✖ Disqualified: No DPA" in view.ranking_model.index(2, STATUS_COLUMN).data()
    assert "Acme stays first unless Privacy weighs less than 42.9 %" in view.sentences.text()
    # the user raises Capabilities to 3: Acme (100 + 75)/4 = 43.75, Beta (50 + 187.5)/4 = 59.375
    view.rubric_spin("skills").setValue(3.0)
    assert "edited" in view.edited_label.text()
    qtbot.waitUntil(lambda: view.ranked_names()[0] == "Beta", timeout=10000)
    assert view.ranking_model.index(0, 2).data() == "59.4"
    assert view.comparison is not None and view.comparison.profile_name == "balanced (edited)"
    assert view._rubric_items["skills"].text(2) == "75 %"


def test_criterion_weight_changes_the_rubric_total(view: CompareView, qtbot) -> None:  # type: ignore[no-untyped-def]
    # speed weight 0: Beta's skills = quality 3/4 = 75 -> (50 + 75)/2 = 62.5, a tie with Acme
    view.criterion_spin("skills", "speed").setValue(0.0)
    qtbot.waitUntil(lambda: view.ranking_model.index(1, 2).data() == "62.5", timeout=10000)
    assert [r.rank for r in view.comparison.ranking[:2]] == [1, 1]  # type: ignore[union-attr]
    assert "tied for first place" in view.sentences.text()


def test_choose_vendors_and_rubrics(view: CompareView, qtbot) -> None:  # type: ignore[no-untyped-def]
    view.set_vendors(["Beta", "Gamma"])
    assert view.ranked_names() == ["Beta", "Gamma"]
    # untick privacy: Gamma is no longer knocked out and leads on skills alone
    view._rubric_items["privacy"].setCheckState(0, Qt.CheckState.Unchecked)
    qtbot.waitUntil(lambda: view.ranked_names() == ["Gamma", "Beta"], timeout=10000)
    assert view.comparison is not None and view.comparison.rubric_ids == ("skills",)
    view.set_vendors([])
    assert view.empty.isVisible() and "No vendors" in view.empty.text()


def test_profiles_switch_and_save(view: CompareView, ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    view.rubric_spin("skills").setValue(3.0)
    saved = view.save_profile("skills heavy")
    assert saved is not None and saved.rubric_weights["skills"] == 3.0
    assert ws.profiles.get("skills heavy").rubric_weights == {"privacy": 1.0, "skills": 3.0}
    assert view.profile.currentData() == "skills heavy" and view.edited_label.text() == ""
    assert view.ranked_names()[0] == "Beta"
    view.profile.setCurrentIndex(view.profile.findData("balanced"))
    assert view.rubric_spin("skills").value() == 1.0
    assert view.ranked_names()[0] == "Acme"
    assert view.save_profile("balanced") is None  # shipped profiles are not overwritten
    assert view.messages.shown[-1][0] == "error"  # type: ignore[attr-defined]


def test_matrix_shows_levels_strength_and_knockouts_in_words(view: CompareView) -> None:
    m = view.matrix_model
    titles = [m.index(r, 0).data() for r in range(m.rowCount())]
    assert titles[:3] == ["Privacy total", "Data processing agreement", "No training on our data"]
    assert titles[-4:] == ["Overall (evidence-weighted)", "Overall claimed", "Gap (claimed − evidence)", "Knock-out"]
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert headers == ["Criterion", "Weight", "1. Acme", "2. Beta", "3. Gamma ✖"]
    assert m.index(1, 2).data() == "4/4 · our test"
    gamma_dpa = m.index(1, 4).data()
    assert gamma_dpa.startswith("0/4 · our test") and "✖ KNOCK-OUT" in gamma_dpa
    assert m.index(1, 4).data(ITEM_ROLE).knocked_out
    assert m.index(0, 2).data() == "100.0 (claimed 100.0)"
    assert m.index(titles.index("Knock-out"), 4).data() == "✖ No DPA (Data processing agreement: level 0, minimum 1)"
    assert m.index(titles.index("Overall (evidence-weighted)"), 3).data() == "56.2"


def test_claim_status_strength_and_non_answers_show_as_text(view: CompareView, ws: Workspace) -> None:
    from vendoreval.domain.models import Answer, CriterionRef

    beta = ws.vendors.find("Beta")
    claim = ws.claims.add(beta.id, "We never train on customer data", status=ClaimStatus.CONTRADICTED,
                          criteria=[CriterionRef(rubric_id="privacy", criterion_id="training")])
    card = next(c for c in ws.scorecards.list(beta.id) if c.rubric_id == "privacy")
    ws.scorecards.set_score(card.id, "training", level=2, strength=None, claim_ids=[claim.id], keep_strength=False)
    ws.scorecards.set_score(card.id, "dpa", Answer.NOT_DISCLOSED)
    view.refresh_now()
    m = view.matrix_model
    col = 2 + view.ranked_names().index("Beta")
    assert m.index(1, col).data().startswith("Not disclosed")
    assert "⚠ contradicted" in m.index(2, col).data()
    assert "Contradicted" in m.index(2, col).data(Qt.ItemDataRole.ToolTipRole)


def test_decision_with_conditions_is_recorded_and_audited(view: CompareView, ws: Workspace) -> None:
    acme = ws.vendors.find("Acme")
    view.select_vendor(acme.id)
    assert view.decision_box.isEnabled() and view.decision_box.title() == "Decision on Acme"
    view.decision.setCurrentIndex(view.decision.findData(Decision.GO_WITH_CONDITIONS.value))
    view.conditions.setPlainText("DPA forbids training on our data\n\nuncapped IP indemnity\n")
    view.record_button.click()
    acme = ws.vendors.get(acme.id)
    assert acme.decision == Decision.GO_WITH_CONDITIONS
    assert acme.conditions == ["DPA forbids training on our data", "uncapped IP indemnity"]
    assert {e.field for e in ws.history(acme.id) if e.action == "decide"} == {"decision", "conditions"}
    # the page re-read the workspace and still shows Acme with its decision
    assert view.current_vendor_id() == acme.id
    assert view.ranking_model.index(0, 9).data() == "Go with conditions (2 conditions)"
    # go with conditions but no condition: the service refuses, the page shows why, nothing recorded
    beta = ws.vendors.find("Beta")
    assert not view.record_decision(beta.id, Decision.GO_WITH_CONDITIONS, [])
    assert ws.vendors.get(beta.id).decision == Decision.NOT_STARTED
    kind, title, text = view.messages.shown[-1]  # type: ignore[attr-defined]
    assert (kind, title) == ("error", "Decision on Beta: Go with conditions — not saved")
    assert "Conditions: 'Go with conditions' needs at least one condition to negotiate." in text


def test_conditions_on_a_plain_go_ask_before_they_go(view: CompareView, ws: Workspace) -> None:
    acme = ws.vendors.find("Acme")
    view.select_vendor(acme.id)
    view.decision.setCurrentIndex(view.decision.findData(Decision.GO.value))
    view.conditions.setPlainText("Audit rights")
    messages = view.messages
    messages.answer = False  # type: ignore[attr-defined]
    said: list[str] = []
    view.session.failed.connect(said.append)
    view.record_button.click()
    assert said == ["“Go” was not recorded: the conditions are kept."]  # the combo's Go is not what is stored
    kind, title, text = messages.shown[-1]  # type: ignore[attr-defined]
    assert (kind, title) == ("confirm", "Go takes no conditions")
    assert "Remove the 1 condition and record “Go”?" in text
    assert not messages.errors  # type: ignore[attr-defined]
    # no: nothing recorded, the page shows the decision as it was and keeps what the user typed
    acme = ws.vendors.get(acme.id)
    assert (acme.decision, acme.conditions) == (Decision.NOT_STARTED, [])
    assert view.ranking_model.index(0, 9).data() == "Not started"
    assert view.conditions.toPlainText() == "Audit rights"
    assert view.session.undo_stack.count() == 0
    # yes: Go recorded without the conditions, in one undoable step
    messages.answer = True  # type: ignore[attr-defined]
    view.record_button.click()
    acme = ws.vendors.get(acme.id)
    assert (acme.decision, acme.conditions) == (Decision.GO, [])
    assert not messages.errors  # type: ignore[attr-defined]
    assert view.session.undo_stack.count() == 1
    assert view.conditions.toPlainText() == ""
    view.session.undo_stack.undo()
    acme = ws.vendors.get(acme.id)
    assert (acme.decision, acme.conditions) == (Decision.NOT_STARTED, [])


def test_no_go_over_recorded_conditions_removes_them_in_one_step(view: CompareView, ws: Workspace) -> None:
    acme = ws.vendors.find("Acme")
    ws.vendors.decide(acme.id, Decision.GO_WITH_CONDITIONS, ["Audit rights", "EU hosting"])
    view.reload()
    view.select_vendor(acme.id)
    assert view.conditions.toPlainText() == "Audit rights\nEU hosting"
    view.decision.setCurrentIndex(view.decision.findData(Decision.NO_GO.value))
    view.record_button.click()  # the recorded answer is yes
    kind, title, text = view.messages.shown[-1]  # type: ignore[attr-defined]
    assert (kind, title) == ("confirm", "No-go takes no conditions") and "the 2 conditions" in text
    acme = ws.vendors.get(acme.id)
    assert (acme.decision, acme.conditions) == (Decision.NO_GO, [])
    assert view.session.undo_stack.count() == 1
    view.session.undo_stack.undo()
    acme = ws.vendors.get(acme.id)
    assert (acme.decision, acme.conditions) == (Decision.GO_WITH_CONDITIONS, ["Audit rights", "EU hosting"])
    assert not view.messages.errors  # type: ignore[attr-defined]


def test_export_csv_and_xlsx_with_formula_names_read_back_inert(qtbot, ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    names = {'=HYPERLINK("http://evil.example","x")': {"skills": (4, 4)}, "+1": {"skills": (3, 3)},
             "-2": {"skills": (2, 2)}, "@SUM(A1)": {"skills": (1, 1)}}
    ids = build_workspace(ws, tmp_path / "rubrics", names)
    ws.claims.add(ids["+1"], "=cmd|' /C calc'!A0")
    ws.vendors.decide(ids["-2"], Decision.GO_WITH_CONDITIONS, ["@risk clause", "=1+1"])
    asked: list[str] = []

    def ask(kind: str, suggested: str) -> str:
        asked.append(kind)
        return str(tmp_path / "out" / "cmp")  # no suffix: the page adds it

    (tmp_path / "out").mkdir()
    v = CompareView(ws, messages=RecordingMessages(), ask_path=ask)
    qtbot.addWidget(v)
    v.show()
    assert v.ranked_names() == list(names)
    said: list[str] = []
    v.session.said.connect(said.append)
    v.csv_button.click()
    v.xlsx_button.click()
    assert asked == ["csv", "xlsx"]
    # it said nothing when done (a tester): now where the file went
    assert said == [f"Comparison saved to {tmp_path / 'out' / 'cmp.csv'}",
                    f"Comparison saved to {tmp_path / 'out' / 'cmp.xlsx'}"]
    rows = list(csv.reader(io.StringIO((tmp_path / "out" / "cmp.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert [r[1] for r in rows[1:]] == ["'" + n for n in names]
    assert [float(r[2]) for r in rows[1:]] == [100.0, 75.0, 50.0, 25.0]
    minus_two = rows[3]
    assert minus_two[rows[0].index("conditions")] == "'@risk clause; =1+1"
    wb = openpyxl.load_workbook(tmp_path / "out" / "cmp.xlsx")
    cells = [row[1] for row in wb["Ranking"].iter_rows(min_row=2)]
    assert [c.value for c in cells] == list(names)
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row)
    claim_cells = [row[1] for row in wb["Claims"].iter_rows(min_row=2)]
    assert claim_cells[0].value == "=cmd|' /C calc'!A0" and claim_cells[0].data_type == "s"
    # a failing export says so instead of crashing
    assert v.export_to(tmp_path / "missing" / "x.csv") is None
    assert v.messages.shown[-1][1] == "Export failed"  # type: ignore[attr-defined]


def test_models_pass_qtmodeltester(qtmodeltester, view: CompareView) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(view.ranking_model)
    qtmodeltester.check(view.matrix_model)
    empty_r, empty_m = RankingModel(), MatrixModel()
    qtmodeltester.check(empty_r)
    qtmodeltester.check(empty_m)


def test_charts_describe_themselves_in_words(qtbot) -> None:  # type: ignore[no-untyped-def]
    radar = RadarChart()
    qtbot.addWidget(radar)
    radar.set_data(["GDPR", "Copyright", "Capabilities"],
                   RadarSeries("Acme", [80.0, None, 40.0], [90.0, 10.0, 60.0]))
    assert radar.describe() == ("Acme — GDPR: 80 (claimed 90); Copyright: not scored (claimed 10); "
                                "Capabilities: 40 (claimed 60)")
    radar.resize(300, 300)
    radar.grab()  # paints without error
    bars = ClaimBars()
    qtbot.addWidget(bars)
    bars.set_data([BarRow("Acme", 80.0, 62.5), BarRow("Beta", None, None, knocked_out=True)])
    assert bars.describe() == ["Acme: claimed 80.0, evidence-weighted 62.5, gap 17.5",
                               "Beta: claimed —, evidence-weighted —, knocked out"]
    bars.resize(600, 200)
    bars.grab()


def test_charts_follow_the_comparison(view: CompareView) -> None:
    assert not view.radars.charts, "the charts are drawn when their tab is first shown"
    view.tabs.setCurrentWidget(view.charts_page)
    assert [c.series.name for c in view.radars.charts if c.series] == ["Acme", "Beta", "Gamma"]
    assert view.bars.describe()[0] == "Acme: claimed 62.5, evidence-weighted 62.5, gap 0.0"


@pytest.mark.skipif(not os.environ.get("VENDOREVAL_SCREENSHOTS"), reason="set VENDOREVAL_SCREENSHOTS=DIR to write")
def test_screenshots(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Grab the page and its charts at 1280x800 on the sample workspace (for docs/screenshots)."""
    from vendoreval.services.demo import load_sample

    monkeypatch.undo()  # the shipped rubrics, please
    out = Path(os.environ["VENDOREVAL_SCREENSHOTS"])
    out.mkdir(parents=True, exist_ok=True)
    ws = Workspace(tmp_path / "sample", evaluator="Maya Lind (Marketing Ops)")
    try:
        load_sample(ws)
        v = CompareView(ws, messages=RecordingMessages())
        qtbot.addWidget(v)
        v.resize(1280, 800)
        v.show()
        qtbot.waitExposed(v)
        if v.comparison and v.comparison.ranking:
            v.select_vendor(v.comparison.ranking[0].vendor_id)
        for i, name in enumerate(["compare-ranking", "compare-matrix", "compare-charts"]):
            v.tabs.setCurrentIndex(i)
            qtbot.wait(50)
            assert v.grab().save(str(out / f"{name}.png"))
        v.tabs.setCurrentIndex(2)
        v.radars.charts[0].show_legend = True
        v.radars.charts[0].resize(420, 440)
        assert v.radars.charts[0].grab().save(str(out / "compare-radar.png"))
    finally:
        ws.close()


def test_mounted_in_the_main_window_and_computed_on_first_show(open_window, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seed = Workspace(data_dir, evaluator="ann")
    build_workspace(seed, tmp_path / "rubrics", DEFAULT)
    seed.close()
    window = open_window(data_dir)
    page = window.pages["compare"]
    assert isinstance(page, CompareView)
    assert page.comparison is None  # nothing computed while hidden: start-up stays fast
    window.show_page("compare")
    assert page.ranked_names() == ["Acme", "Beta", "Gamma"]
    # a decision taken elsewhere shows up when the page is seen again
    window.show_page("vendors")
    page.ws.vendors.decide(page.ws.vendors.find("Gamma").id, Decision.NO_GO)
    window.show_page("compare")
    assert page.ranking_model.index(2, 9).data() == "No-go"


# --- the verdict: the same function as the board brief ---------------------------------------------


def _verdict_workspace(ws: Workspace) -> dict[str, str]:
    """Built with tests/factories.py: a privacy rubric with a DPA knock-out and a duty coming within the year,
    a skills rubric, and four vendors — Acme leads but is decided no-go, Gamma fails the knock-out."""
    import datetime as dt

    from tests import factories

    soon = (dt.date.today() + dt.timedelta(days=100)).isoformat()
    privacy = factories.rubric("privacy", [
        factories.criterion("dpa", 2.0, knockout_below=1, knockout_reason="No DPA"),
        factories.criterion("summary", 1.0, duty_applies_from=soon, sources=["AI Act Art. 53"]),
    ], area="Privacy")
    skills = factories.rubric("skills", [factories.criterion("quality"), factories.criterion("speed")],
                              area="Capabilities")
    levels = {  # vendor: (rubric, criterion) -> (level, strength)
        "Acme": {"dpa": (4, "verified_by_us"), "summary": (4, "verified_by_us"), "quality": (4, "verified_by_us"),
                 "speed": (4, "verified_by_us")},
        "Beta": {"dpa": (4, "public_documentation"), "summary": (3, "verified_by_us"),
                 "quality": (2, "verified_by_us"), "speed": (1, "sales_assertion")},
        "Delta": {"dpa": (1, "verified_by_us"), "summary": (0, "verified_by_us"), "quality": (3, "verified_by_us"),
                  "speed": (2, "verified_by_us")},
        "Gamma": {"dpa": (0, "verified_by_us"), "summary": (4, "verified_by_us"), "quality": (4, "verified_by_us"),
                  "speed": (4, "verified_by_us")},
    }
    ids = {}
    for r in (privacy, skills):
        ws.library.remember(r)
    for name, scores in levels.items():
        v = ws.vendors.create(name)
        ids[name] = v.id
        for r in (privacy, skills):
            card = ws.scorecards.create(v.id, r.id, r.version)
            for c in r.criteria:
                level, strength = scores[c.id]
                ws.scorecards.set_score(card.id, c.id, "level", level=level, strength=strength)
            ws.scorecards.submit(card.id)
    ws.claims.set_status(ws.claims.add(ids["Beta"], "We never train on your data").id, ClaimStatus.CONTRADICTED)
    ws.vendors.decide(ids["Acme"], Decision.NO_GO)
    return ids


def _banner(view: CompareView) -> str:
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    doc.setHtml(view.verdict.text())
    return doc.toPlainText()


def _brief_summary(ws: Workspace):  # type: ignore[no-untyped-def]
    import datetime as dt

    from vendoreval.services.brief import BriefRequest, BriefService

    return BriefService(ws).build(BriefRequest(date=dt.date.today())).summary


def test_the_page_shows_the_verdict_of_the_board_brief(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    ids = _verdict_workspace(ws)
    view = CompareView(ws, messages=RecordingMessages())
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitExposed(view)
    assert view.ranked_names() == ["Acme", "Beta", "Delta", "Gamma"]
    summary = _brief_summary(ws)
    verdict = view.comparison.verdict  # type: ignore[union-attr]
    assert verdict is not None and view.verdict.isVisible()
    # the same recommendation, risks and conditions as the brief, for the same workspace
    assert summary.recommendation.vendor == verdict.vendor == "Beta"
    assert summary.recommendation.text == verdict.text == (
        "Beta, the first-ranked vendor that passes every knock-out criterion and is not decided no-go "
        "(no go decision recorded yet).")
    assert (summary.risks, summary.conditions) == (verdict.risks, verdict.conditions)
    assert summary.risks[0] == "1 of Beta's claims is contradicted by the evidence."
    assert any(r.startswith("A legal duty applies from") for r in summary.risks)
    shown = _banner(view)
    assert summary.recommendation.text in shown
    assert "Recommended: Beta — with 2 conditions from the evidence" in shown
    assert f"Main risk: {summary.risks[0]}" in shown
    assert "Commit in the contract: DPA (now resting on public documentation)." in view.verdict.toolTip()

    # a decision recorded on the page changes the verdict at once, as it changes the brief
    view.select_vendor(ids["Beta"])
    view.decision.setCurrentIndex(view.decision.findData(Decision.GO_WITH_CONDITIONS.value))
    view.conditions.setPlainText("Audit rights")
    view.record_button.click()
    assert "Go with conditions: Beta (recorded decision)." in _banner(view)
    assert "Recommended: Beta — with 1 recorded condition" in _banner(view)
    assert _brief_summary(ws).recommendation.text == view.comparison.verdict.text  # type: ignore[union-attr]


def test_the_verdict_follows_the_weights(view_on_verdict: CompareView, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = view_on_verdict
    assert _banner(view).startswith("✔ Recommended: Beta")
    # balanced: Beta (58.3 + 28.1)/2 = 43.2 ahead of Delta (16.7 + 62.5)/2 = 39.6; Capabilities weighing 4
    # puts Delta ahead: (16.7 + 4 × 62.5)/5 = 53.3 against Beta's (58.3 + 4 × 28.1)/5 = 34.2
    view.rubric_spin("skills").setValue(4.0)
    qtbot.waitUntil(lambda: _banner(view).startswith("✔ Recommended: Delta"), timeout=10000)
    assert view.comparison is not None and view.comparison.verdict is not None
    assert view.comparison.verdict.text.startswith("Delta, the first-ranked vendor")
    # no vendor left to recommend: Acme no-go, the rest unticked or knocked out
    view.set_vendors(["Acme", "Gamma"])
    assert _banner(view).startswith("✖ No recommendation")


@pytest.fixture
def view_on_verdict(qtbot, ws: Workspace):  # type: ignore[no-untyped-def]
    _verdict_workspace(ws)
    v = CompareView(ws, messages=RecordingMessages())
    qtbot.addWidget(v)
    v.resize(1280, 800)
    v.show()
    qtbot.waitExposed(v)
    return v

LONG_REASON = ("No signed data processing agreement covering the sub-processors in third countries, and the vendor "
               "declined to name them")


def test_knockout_reasons_stay_in_sight_at_1280_by_800(open_window, data_dir: Path, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from tests.integration.test_compare_cli import write_rubric
    from vendoreval.domain.models import EvidenceStrength

    seed = Workspace(data_dir, evaluator="ann")
    (tmp_path / "r").mkdir()
    seed.library.add_file(write_rubric(tmp_path / "r", "privacy", "Data protection", "Privacy", [
        ("dpa", "Data processing agreement", f'knockout_below = 1\nknockout_reason = "{LONG_REASON}"'),
        ("training", "No training on our data",
         'knockout_below = 1\nknockout_reason = "Trains its foundation models on customer prompts and outputs"'),
    ]))
    names = ["Acme Generative Marketing Intelligence Platform Enterprise Edition", "Beta", "Gamma", "Delta"]
    for i, name in enumerate(names):
        v = seed.vendors.create(name)
        card = seed.scorecards.create(v.id, "privacy")
        for cid in ("dpa", "training"):
            seed.scorecards.set_score(card.id, cid, level=0 if i % 2 else 3, strength=EvidenceStrength.OWN_TEST)
        seed.vendors.decide(v.id, Decision.GO_WITH_CONDITIONS, [f"Condition number {k}" for k in range(12)])
    seed.close()
    window = open_window(data_dir)
    window.resize(1280, 800)
    window.show_page("compare")
    page = window.page("compare")
    table, header = page.ranking, page.ranking.horizontalHeader()
    qtbot.waitUntil(lambda: table.viewport().width() > 600, timeout=5000)  # the page is laid out
    assert len(page.ranked_names()) == 4
    width = table.viewport().width()
    for col in range(header.count()):
        right = header.sectionViewportPosition(col) + header.sectionSize(col)
        assert right <= width, f"column {page.ranking_model.headerData(col, Qt.Orientation.Horizontal)!r} is cut off"
    status = page.ranking_model.columnCount() - 1
    assert header.sectionSize(status) >= 150  # room to read the reasons, not a sliver
    assert table.horizontalScrollBar().maximum() == 0
    beta = page.ranked_names().index("Beta")
    assert "Disqualified" in page.ranking_model.index(beta, status).data()
    assert LONG_REASON in page.ranking_model.index(beta, status).data(Qt.ItemDataRole.ToolTipRole)
    decision = page.ranking_model.index(beta, 9)
    assert decision.data() == "Go with conditions (12 conditions)"
    assert "• Condition number 11" in decision.data(Qt.ItemDataRole.ToolTipRole)
    acme = page.ranked_names().index(names[0])
    assert page.ranking_model.index(acme, 1).data(Qt.ItemDataRole.ToolTipRole) == names[0]
    # rows grow with wrapped text, but only to a few lines
    assert all(table.rowHeight(r) <= 3 * table.fontMetrics().lineSpacing() + 8 for r in range(4))
    # a wider window gives the spare width to the reasons
    before = header.sectionSize(status)
    window.resize(1600, 900)
    qtbot.waitUntil(lambda: header.sectionSize(status) > before, timeout=5000)
    window.grab().save(str(tmp_path / "compare.png"))


def _three_rubric_view(qtbot, ws: Workspace, tmp_path: Path) -> CompareView:  # type: ignore[no-untyped-def]
    """The default workspace plus a third rubric (security) scored for Acme, so three rubrics share the weight."""
    from tests.integration.test_compare_cli import write_rubric
    from vendoreval.domain.models import EvidenceStrength

    build_workspace(ws, tmp_path / "rubrics", DEFAULT)
    ws.library.add_file(write_rubric(tmp_path / "rubrics", "security", "Security", "Security",
                                     [("sso", "Single sign-on", ""), ("audit", "Audit log", "")]))
    card = ws.scorecards.create(ws.vendors.find("Acme").id, "security")
    for cid in ("sso", "audit"):
        ws.scorecards.set_score(card.id, cid, level=2, strength=EvidenceStrength.OWN_TEST)
    v = CompareView(ws, messages=RecordingMessages())
    qtbot.addWidget(v)
    v.resize(1280, 800)
    v.show()
    qtbot.waitExposed(v)
    qtbot.waitUntil(lambda: v.comparison is not None and len(v.comparison.rubric_ids) == 3, timeout=10000)
    return v


def _shares_shown(view: CompareView) -> dict[str, int]:
    return {rid: int(item.text(2).removesuffix(" %")) for rid, item in view._rubric_items.items() if item.text(2)}


def test_shares_shown_add_up_to_100(qtbot, ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    view = _three_rubric_view(qtbot, ws, tmp_path)
    # three equal weights: 33.3 % each, shown 34 + 33 + 33 (not 33 × 3 = 99 %)
    assert sum(_shares_shown(view).values()) == 100
    assert sorted(_shares_shown(view).values()) == [33, 33, 34]
    # the user types other weights: 1 / 1 / 1.5 = 28.6 / 28.6 / 42.9 -> 29 + 28 + 43, still 100
    spin = view.rubric_spin("security")
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "1.5")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _shares_shown(view).get("security") == 43, timeout=10000)
    assert sum(_shares_shown(view).values()) == 100


@pytest.mark.parametrize("leave", ["enter", "tab"])
def test_a_weight_that_is_not_one_is_refused_in_words(view: CompareView, qtbot, leave: str) -> None:  # type: ignore[no-untyped-def]
    spin = view.rubric_spin("skills")
    before = view.comparison
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "-5abc")
    assert spin.lineEdit().text() == "-5abc"  # what was typed stays in sight until Enter or leaving the box
    if leave == "enter":
        qtbot.keyClick(spin, Qt.Key.Key_Return)
    else:
        view.rubric_spin("privacy").setFocus()
    qtbot.waitUntil(lambda: view.weight_note.isVisible(), timeout=5000)
    note = view.weight_note.text()
    assert "“-5abc” is not a weight for Capabilities" in note and "from 0 to 100" in note
    assert "stays 1" in note and spin.toolTip() == note
    # the stored weight is unchanged: the box shows it, the ranking was not recounted, nothing to undo
    assert spin.value() == 1.0 and spin.lineEdit().text() == "1.0"
    assert view.current_profile().rubric_weights["skills"] == 1.0 and not view.weights_edited
    assert view.session.undo_stack.count() == 0
    qtbot.wait(3 * DEBOUNCE)
    assert view.comparison is before
    # over the top of the range: refused too, not cut to the 25 on its way
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "250")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert spin.value() == 1.0 and "“250” is not a weight" in view.weight_note.text()
    # a weight that is one is taken, and the note goes
    spin.selectAll()
    qtbot.keyClicks(spin, "2.5")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert spin.value() == 2.5 and not view.weight_note.isVisible() and spin.toolTip() == ""
