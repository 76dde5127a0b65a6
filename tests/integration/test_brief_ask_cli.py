"""`vendoreval brief` with the ask: the options reach the cover and the draft resolution, and --verify rebuilds them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from tests.integration.test_brief_pdf import CHINESE, populate
from vendoreval.reports.pdf import read_brief_metadata
from vendoreval.services.brief import BriefRequest
from vendoreval.services.workspace import Workspace

ASK = ["--owner", "Maria Lopez", "--owner-role", "Chief Marketing Officer", "--meeting-date", "2026-12-10",
       "--agenda-item", "Item 7", "--paper", "BP-2026-41", "--paper-version", "2", "--author", "Sam Okafor",
       "--contract-to", "the Audit Committee", "--contract-by", "2027-02-26"]


def page_texts(path: Path) -> list[str]:
    """Each page's text with runs of whitespace made one space (pypdfium2)."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [re.sub(r"\s+", " ", pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Three vendors; the first-ranked (Acme Analytics) has two conditions, one with a walk-away point."""
    data_dir = tmp_path_factory.mktemp("ask") / "ws"
    data_dir.mkdir()
    ws = Workspace(data_dir, evaluator="ann")
    populate(ws, 3, hostile=False, second_evaluator=False)
    acme = ws.vendors.find("Acme Analytics")
    ws.conditions.add(acme.id, "Raise the IP indemnity cap", current="€500k", target="€2m", walk_away="€1m",
                      owner="Legal")
    ws.conditions.add(acme.id, "Written notice of model changes", owner="Procurement")
    ws.close()
    yield data_dir


def test_the_ask_lands_on_the_cover_and_in_the_resolution(workspace: Path, cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "pack.pdf"
    r = cli("brief", "--out", str(out), "--date", "2026-12-03", *ASK, "--fallback", "stop", data=workspace)
    assert r.code == 0, r.err
    pages = page_texts(out)
    cover, summary = pages[0], pages[1]
    for text in ("Paper BP-2026-41, version 2", "Meeting 10 December 2026", "Agenda item Item 7",
                 "Purpose For decision", "Decision owner Maria Lopez, Chief Marketing Officer", "Author Sam Okafor",
                 "Date 3 December 2026"):
        assert text in cover, text
    assert "--verify" not in cover and "SHA-256" not in cover
    assert summary.index("Draft resolution") < summary.index("Decision asked of the board")
    assert ("The board approves Maria Lopez (Chief Marketing Officer) to negotiate with Acme Analytics on "
            "conditions 1 and 2; the final contract to the Audit Committee by 26 February 2027; if condition 1 "
            "fails, stop the procurement.") in summary
    # one numbered list: each condition once in the whole summary, with its positions and owner
    assert summary.count("Raise the IP indemnity cap") == 1 and summary.count("Written notice of model changes") == 1
    assert "€500k → €2m → €1m" in summary and "Recorded conditions" not in summary
    meta = read_brief_metadata(out)
    assert meta["options"]["owner"] == "Maria Lopez" and meta["options"]["fallback"] == "stop"
    assert cli("brief", "--verify", str(out), data=workspace).code == 0


def test_a_fallback_vendor_and_for_information(workspace: Path, cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "info.pdf"
    r = cli("brief", "--out", str(out), "--date", "2026-12-03", "--purpose", "information", "--owner", "Maria Lopez",
            "--fallback", CHINESE, data=workspace)
    assert r.code == 0, r.err
    pages = page_texts(out)
    assert "Purpose For information" in pages[0]
    assert ("The board notes that Maria Lopez will negotiate with Acme Analytics on conditions 1 and 2; if "
            f"condition 1 fails, {CHINESE} is the fallback.") in pages[1]
    assert cli("brief", "--verify", str(out), data=workspace).code == 0
    # the stored request names the fallback by id, so the rebuilt brief is the same one
    stored = BriefRequest.from_json(read_brief_metadata(out)["options"])
    assert stored.purpose == "information" and stored.fallback and stored.fallback != CHINESE


@pytest.mark.parametrize(("args", "option"), [
    (["--meeting-date", "10/12/2026"], "--meeting-date"),
    (["--contract-by", "2027-02-30"], "--contract-by"),
    (["--fallback", "Nobody Ltd"], "--fallback: no vendor named 'Nobody Ltd'"),
    (["--fallback", "Acme Analytics"], "--fallback: Acme Analytics is the recommended vendor"),
    # a tester's contract due before the meeting that approves it (and before the brief) was accepted
    (["--meeting-date", "2026-12-15", "--contract-by", "2026-12-10"],
     "--contract-by: the final contract is due 2026-12-10, before the meeting of 2026-12-15"),
    (["--contract-by", "2026-01-01"], "--contract-by: the final contract is due 2026-01-01, before the brief's own "
                                      "date 2026-12-03"),
])
def test_bad_values_exit_2_and_write_nothing(workspace: Path, cli: Any, tmp_path: Path, args: list[str],
                                             option: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "bad.pdf"
    r = cli("brief", "--out", str(out), "--date", "2026-12-03", *args, data=workspace)
    assert r.code == 2, r.err
    assert option in r.err
    assert list(folder.iterdir()) == []  # no PDF, no temporary file left behind


def test_an_unknown_purpose_is_refused(workspace: Path, cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "bad.pdf"
    with pytest.raises(SystemExit) as exc:  # argparse's own refusal names the option and the choices
        cli("brief", "--out", str(out), "--purpose", "ratify", data=workspace)
    assert exc.value.code == 2 and not out.exists()


def test_a_request_without_the_ask_keeps_its_stored_form() -> None:
    import datetime as dt

    old = {"date": "2026-12-03", "title": "T", "decision": "", "vendor_ids": None, "profile": None}
    request = BriefRequest.from_json(old)
    assert request == BriefRequest(date=dt.date(2026, 12, 3), title="T")
    assert request.as_json() == old  # same bytes, so the same fingerprint as before the ask existed
    full = BriefRequest(date=dt.date(2026, 12, 3), owner="M", meeting_date=dt.date(2026, 12, 10),
                        purpose="information", fallback="stop", contract_by=dt.date(2027, 1, 1))
    assert BriefRequest.from_json(json.loads(json.dumps(full.as_json()))) == full
    with pytest.raises(ValueError):
        BriefRequest.from_json({**old, "purpose": "ratify"})
