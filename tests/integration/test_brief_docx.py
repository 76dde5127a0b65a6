"""The board pack as DOCX (Board paper item 7): `brief --out pack.docx` writes the same pack as the PDF from
the same view-model — document control, draft resolution, ranking with cost, numbered conditions, how
sure, comparison, risk register, glossary — and markup in a vendor's name stays text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx

from vendoreval.services import Workspace
from vendoreval.services.brief import BriefRequest, BriefService


def _text(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    d = docx.Document(str(path))
    return [p.text for p in d.paragraphs], [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]


def test_the_docx_pack_carries_what_the_pdf_summary_does(cli: Any, data_dir: Path, tmp_path: Path) -> None:
    assert cli("demo").code == 0
    out = tmp_path / "pack.docx"
    annex = tmp_path / "annex.pdf"
    r = cli("brief", "--out", str(out), "--annex", str(annex), "--date", "2026-12-03", "--owner", "Maya Lind",
            "--owner-role", "CMO", "--paper", "BP-2026-41", "--fallback", "stop")
    assert r.code == 0, r.err
    assert "(DOCX) and the annex" in r.out
    paragraphs, tables = _text(out)
    ws = Workspace(data_dir, evaluator="ann")
    try:
        data = BriefService(ws).build(BriefRequest.from_json({"date": "2026-12-03", "owner": "Maya Lind",
                                                              "owner_role": "CMO", "paper": "BP-2026-41",
                                                              "fallback": "stop"}))
    finally:
        ws.close()
    assert data.resolution and data.resolution in paragraphs
    assert data.resolution.startswith("The board approves Maya Lind (CMO) to negotiate with Lumen Copy")
    control = dict((row[0], row[1]) for row in tables[0][1:])
    assert control["Paper"] == "BP-2026-41" and control["Decision owner"] == "Maya Lind, CMO"
    ranking = tables[1]
    assert ranking[0] == ["#", "Vendor", "Evidence-weighted", "Claimed", "Gap", "Total cost (term)", "Knocked out by"]
    assert [row[1] for row in ranking[1:]] == [r.vendor for r in data.summary.ranking]
    assert ranking[1][5] == "EUR 139,000.00"
    knocked = [r for r in data.summary.ranking if r.knocked_out]
    assert knocked, "the demo has a knocked-out vendor"
    by_vendor = {row[1]: row for row in ranking[1:]}
    assert by_vendor[knocked[0].vendor][6] == "Yes, note a"  # a short mark; the reasons go into the note
    assert f"a {knocked[0].vendor} is knocked out: {'; '.join(knocked[0].knockout_reasons)}" in paragraphs
    assert all(by_vendor[r.vendor][6] == "—" for r in data.summary.ranking if not r.knocked_out)
    for row, r in zip(ranking[1:], data.summary.ranking, strict=True):  # the difference of the printed scores
        assert r.claimed is not None and r.score is not None
        assert row[4] == f"{round(round(r.claimed, 1) - round(r.score, 1), 1):.1f}"
    numbered = [p for p in paragraphs if p[:2] in ("1.", "2.", "3.")]
    assert len(numbered) == len(data.conditions) == 3
    assert all(p.startswith(f"{c.number}. {c.text}") for p, c in zip(numbered, data.conditions, strict=True))
    register = next(t for t in tables if t[0][:3] == ["Vendor", "Risk and cause", "Impact × likelihood"])
    assert len(register) - 1 == min(12, len(data.risk_register))
    assert any(row[3] == "Tom Okafor (Procurement)" for row in register[1:])
    assert data.how_sure is not None and data.how_sure.sentence in paragraphs
    assert f"Data fingerprint (SHA-256): {data.fingerprint}" in paragraphs
    assert annex.exists() and cli("brief", "--verify", str(annex)).code == 0


def test_markup_and_control_characters_in_names_stay_plain_text(ws: Workspace, tmp_path: Path) -> None:
    from vendoreval.domain.models import EvidenceStrength, Vendor

    v = Vendor(name="<b>Acme</b> & Co\x07")  # stored before names were checked (new ones are refused)
    with ws.unit_of_work():
        ws.store.save_vendor(v)
    card = ws.scorecards.create(v.id, "viability")
    ws.scorecards.set_score(card.id, ws.scorecards.rubric_of(card).criteria[0].id, level=2,
                            strength=EvidenceStrength.DOCUMENTATION)
    out = tmp_path / "p.docx"
    BriefService(ws).export_docx(BriefRequest.from_json({"date": "2026-12-03"}), out)
    _paragraphs, tables = _text(out)
    assert tables[1][1][1] == "<b>Acme</b> & Co"


def test_a_docx_out_with_another_suffix_is_refused(cli: Any, tmp_path: Path) -> None:
    cli("demo")
    r = cli("brief", "--out", str(tmp_path / "pack.doc"))
    assert r.code == 2 and "should end in .pdf or .docx" in r.err
    assert not (tmp_path / "pack.doc").exists()
