"""The score-against-cost chart in the board brief: on the pack's comparison page when the page has room for
it, else at the start of the annex; the same data as the Compare page (services.comparison.cost_chart); the
DOCX carries its points as a table; the pack keeps its five pages and --verify still matches."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import docx

from tests.integration.test_brief_pack import page_texts
from vendoreval.cli import main
from vendoreval.services.brief import BriefRequest, BriefService
from vendoreval.services.comparison import ComparisonService, cost_chart
from vendoreval.services.workspace import Workspace

DATE = "2026-12-03"


def _brief(d: Path, out: Path, *vendors: str) -> tuple[list[str], list[str]]:
    pack, annex = out / "pack.pdf", out / "annex.pdf"
    picks = [a for v in vendors for a in ("--vendor", v)]
    assert main(["--data-dir", str(d), "brief", "--out", str(pack), "--annex", str(annex), "--date", DATE,
                 *picks]) == 0
    assert main(["--data-dir", str(d), "brief", "--verify", str(pack)]) == 0
    assert main(["--data-dir", str(d), "brief", "--verify", str(annex)]) == 0
    return page_texts(pack), page_texts(annex)


def test_five_vendors_chart_at_the_start_of_the_annex(tmp_path: Path) -> None:
    d = tmp_path / "ws"
    assert main(["--data-dir", str(d), "demo"]) == 0
    pack, annex = _brief(d, tmp_path)
    assert len(pack) <= 5
    assert not any("Score against total cost" in t for t in pack)  # the comparison page is full
    assert "Score against total cost" in annex[0]  # named in the annex's contents
    chart_page = annex[1]
    assert 0 <= chart_page.find("Score against total cost") < chart_page.find("Claimed versus verified")
    # every EUR vendor labelled at its point; the lone USD vendor named with its cost, not converted
    for name in ("Lumen Copy", "Brightwave Insights", "Quillstack", "Nordlicht Personalisation"):
        assert name in chart_page
    assert "Total cost over the term (EUR)" in chart_page
    assert "knocked out (hollow, grey): ranks last" in chart_page
    assert "In another currency, not converted: Pixelmuse Studio (USD 40,000.00, score 22.8)" in chart_page
    ws = Workspace(d, evaluator="ann")
    try:  # the brief's chart is the Compare page's
        data = BriefService(ws).build(BriefRequest(date=dt.date(2026, 12, 3)))
        assert data.cost_chart == cost_chart(ComparisonService(ws).compare())
    finally:
        ws.close()


def test_two_vendors_chart_on_the_pack_comparison_page(tmp_path: Path) -> None:
    d = tmp_path / "ws"
    assert main(["--data-dir", str(d), "demo"]) == 0
    pack, annex = _brief(d, tmp_path, "Lumen Copy", "Quillstack")
    assert len(pack) <= 5
    comparison = next(t for t in pack if "Evidence-weighted scores by area" in t)
    assert "Score against total cost" in comparison and "Total cost over the term (EUR)" in comparison
    assert not any("Score against total cost" in t for t in annex)


def test_vendors_without_commercials_are_named_under_the_chart(tmp_path: Path, cli: Any, data_dir: Path) -> None:
    assert cli("demo").code == 0
    ws = Workspace(data_dir, evaluator="ann")
    try:
        quill = ws.vendors.find("Quillstack").id
        ws.commercials.set(quill, {"annual": None, "one_off": None, "exit_cost": None})
    finally:
        ws.close()
    pack, annex = _brief(data_dir, tmp_path, "Lumen Copy", "Quillstack", "Pixelmuse Studio")
    text = " ".join(pack + annex)
    assert "No cost recorded: Quillstack" in text
    out = tmp_path / "pack.docx"
    assert cli("brief", "--out", str(out), "--date", DATE, "--vendor", "Lumen Copy", "--vendor", "Quillstack",
               "--vendor", "Pixelmuse Studio").code == 0
    d = docx.Document(str(out))
    paragraphs = [p.text for p in d.paragraphs]
    assert "Score against total cost" in paragraphs and "No cost recorded: Quillstack" in paragraphs
    table = next([[c.text for c in row.cells] for row in t.rows] for t in d.tables
                 if t.rows[0].cells[1].text.startswith("Total cost over the term"))
    assert table[0] == ["Vendor", "Total cost over the term (EUR)", "Evidence-weighted score", "Knocked out"]
    assert table[1][0] == "Lumen Copy" and table[1][1].startswith("EUR ")
