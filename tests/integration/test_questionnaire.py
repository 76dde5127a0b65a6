"""The vendor questionnaire round trip: XLSX out, the vendor's answers back as audited claims; bad files refused."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from tests.factories import criterion, rubric
from vendoreval.domain.models import Answer, SourceKind
from vendoreval.exchange import ExchangeError
from vendoreval.exchange.questionnaire import HEADERS, XlsxLimits
from vendoreval.secrets import InMemorySecretStore
from vendoreval.services import Workspace
from vendoreval.services.questionnaires import QuestionnaireService

RUBRIC = rubric("privacy", [criterion("dpa"), criterion("retention"), criterion("transfers")])


@pytest.fixture
def setup(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A workspace with one vendor scored on one criterion of three, one claim on record; the sent file."""
    ws = Workspace(tmp_path / "ws", evaluator="Claire", secrets=InMemorySecretStore())
    with ws.store.transaction():
        ws.store.save_rubric_version(RUBRIC, origin="user")
    ws.library.remember(RUBRIC)
    vendor = ws.vendors.create("Acme AI")
    ws.claims.add(vendor.id, "=We keep data 30 days", criteria=["privacy:retention"], source="Website")
    card = ws.scorecards.create(vendor.id, "privacy", "1.0")
    ws.scorecards.set_score(card.id, "dpa", Answer.LEVEL, level=3)
    sent = tmp_path / "acme-questions.xlsx"
    n = QuestionnaireService(ws).export(vendor.id, sent)
    assert n == 2
    yield ws, vendor, sent
    ws.close()


def fill(sent: Path, out: Path, answers: dict[str, str], answered_on: object = "2026-11-20") -> Path:
    """Play the vendor: answer rows by Ref, set the date, save."""
    wb = openpyxl.load_workbook(sent)
    q = wb["Questions"]
    for row in q.iter_rows(min_row=2):
        ref = row[0].value
        if ref in answers:
            row[5].value = answers[ref]
            row[6].value = "Trust Center, DPA v3"
            row[7].value = "§4"
    info = wb["Instructions"]
    for row in info.iter_rows():
        if row[0].value == "Answered on":
            row[1].value = answered_on
        if row[0].value == "Answered by":
            row[1].value = "Dana (Acme legal)"
    wb.save(out)
    return out


def snapshot(ws: Workspace) -> tuple[dict[str, int], int]:
    audit = ws.store.audit(limit=1)
    return ws.store.counts(), (audit[0].id or 0) if audit else 0


def test_export_lists_open_questions_with_claims_on_record_as_text(setup):
    _ws, _vendor, sent = setup
    wb = openpyxl.load_workbook(sent)
    assert wb.sheetnames == ["Instructions", "Questions"]
    q = wb["Questions"]
    assert [c.value for c in q[1]] == HEADERS
    refs = [r[0].value for r in q.iter_rows(min_row=2)]
    assert refs == ["privacy:retention", "privacy:transfers"]  # dpa is already scored: not open
    on_record = q["E2"]
    assert "=We keep data 30 days" in on_record.value and on_record.data_type == "s"  # never a formula


def test_answers_come_back_as_questionnaire_claims_with_date_and_audit(setup, tmp_path):
    ws, vendor, sent = setup
    returned = fill(sent, tmp_path / "back.xlsx", {"privacy:transfers": "EU only; SCCs for US support staff."},
                    answered_on=dt.datetime(2026, 11, 20, 9, 30))
    before_claims = ws.store.counts()["claims"]
    result = QuestionnaireService(ws).import_file(vendor.id, returned)
    assert len(result.created) == 1 and result.answered_on == dt.date(2026, 11, 20)
    claim = ws.claims.get(result.created[0].id)
    assert claim.source_kind == SourceKind.QUESTIONNAIRE
    assert claim.said_on == dt.date(2026, 11, 20) and claim.said_to == "Claire"
    assert [str(c) for c in claim.criteria] == ["privacy:transfers"]
    assert "answered by Dana (Acme legal)" in claim.source and "DPA v3" in claim.source and claim.page == "§4"
    entry = ws.history(limit=1)[0]
    assert entry.entity == "claim" and entry.entity_id == claim.id and "back.xlsx" in entry.summary
    assert ws.store.counts()["claims"] == before_claims + 1
    before = snapshot(ws)
    again = QuestionnaireService(ws).import_file(vendor.id, returned)
    assert again.created == [] and again.unchanged == 1 and snapshot(ws) == before


def _with_cell(cell: str, value: str) -> Callable[[Path, Path], Path]:
    """Makes a filled-in questionnaire whose Questions sheet then has ``value`` in ``cell``."""

    def make(sent: Path, out: Path) -> Path:
        fill(sent, out, {"privacy:transfers": "fine"})
        wb = openpyxl.load_workbook(out)
        wb["Questions"][cell] = value
        wb.save(out)
        return out

    return make


def _with_extra_sheet(sent: Path, out: Path) -> Path:
    fill(sent, out, {"privacy:transfers": "fine"})
    wb = openpyxl.load_workbook(out)
    wb.create_sheet("Notes")["A1"] = "hidden notes"
    wb.save(out)
    return out


def _truncated(sent: Path, out: Path) -> Path:
    fill(sent, out, {"privacy:transfers": "fine"})
    data = out.read_bytes()
    out.write_bytes(data[: len(data) // 2])
    return out


def _not_xlsx(sent: Path, out: Path) -> Path:
    out.write_text("Ref,Answer\nprivacy:transfers,fine\n")
    return out


def _with_part(transform: Callable[[str, str], str]) -> Callable[[Path, Path], Path]:
    """Makes a filled-in questionnaire whose worksheet XML parts are rewritten by ``transform(name, xml)``."""

    def make(sent: Path, out: Path) -> Path:
        good = fill(sent, out.with_name("good.xlsx"), {"privacy:transfers": "fine"})
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename.startswith("xl/worksheets/"):
                    data = transform(info.filename, data.decode("utf-8")).encode("utf-8")
                dst.writestr(info, data)
        return out

    return make


def _nested(name: str, xml: str) -> str:
    """100,000 nested elements just inside the root element (expat takes them; a tree walk would not)."""
    at = xml.index(">", xml.index("<worksheet")) + 1
    return xml[:at] + "<x>" * 100_000 + "</x>" * 100_000 + xml[at:]


LAUGHS = ('<!DOCTYPE worksheet [<!ENTITY a "lol">'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)) + "]>")


def _entity_bomb(name: str, xml: str) -> str:
    """A 'billion laughs' DTD, its entity used in a cell."""
    at = xml.index("?>") + 2 if xml.startswith("<?xml") else 0
    cell = '<row r="99"><c r="A99" t="inlineStr"><is><t>&j;</t></is></c></row>'
    return xml[:at] + LAUGHS + xml[at:].replace("<sheetData>", "<sheetData>" + cell, 1)


def _encrypted(sent: Path, out: Path) -> Path:
    """A worksheet part flagged as encrypted (zipfile then asks for a password: RuntimeError, not BadZipFile)."""
    data = bytearray(fill(sent, out.with_name("good.xlsx"), {"privacy:transfers": "fine"}).read_bytes())
    at = data.find(b"PK\x01\x02")  # the central directory, where zipfile reads the flags
    while at >= 0:
        name_len = int.from_bytes(data[at + 28:at + 30], "little")
        if data[at + 46:at + 46 + name_len].startswith(b"xl/worksheets/"):
            data[at + 8] |= 0x1  # general purpose flag bit 0: encrypted
        at = data.find(b"PK\x01\x02", at + 46)
    out.write_bytes(bytes(data))
    return out


#: How a refusal of one XML part names the file and the part.
PART = r"bad\.xlsx: part 'xl/worksheets/sheet\d\.xml'"

BAD = {
    "formula": (_with_cell("F3", "=HYPERLINK(\"http://evil\",\"click\")"), r"Questions!F3 contains a formula"),
    "extra sheet": (_with_extra_sheet, "unexpected sheet"),
    "wrong headers": (_with_cell("F1", "Answer"), "expected the headers"),
    "truncated": (_truncated, "truncated or damaged"),
    "not xlsx": (_not_xlsx, "not an XLSX"),
    "unknown question": (_with_cell("A3", "privacy:made-up"), "unknown question"),
    "nested 100,000 deep": (_with_part(_nested), rf"{PART}: XML nested too deeply"),
    "entity bomb": (_with_part(_entity_bomb), rf"{PART}: a DOCTYPE"),
    "encrypted part": (_encrypted, "truncated or damaged"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_questionnaire_is_refused_and_nothing_is_imported(kind, setup, tmp_path):
    ws, vendor, sent = setup
    make, message = BAD[kind]
    # Two answers, so a partial import would show in the counts.
    bad = make(sent, tmp_path / "bad.xlsx")
    before = snapshot(ws)
    with pytest.raises(ExchangeError, match=message):
        QuestionnaireService(ws).import_file(vendor.id, bad)
    assert snapshot(ws) == before


def test_oversized_questionnaire_and_another_vendors_file_are_refused(setup, tmp_path):
    ws, vendor, sent = setup
    returned = fill(sent, tmp_path / "back.xlsx", {"privacy:transfers": "fine"})
    before = snapshot(ws)
    small = QuestionnaireService(ws, XlsxLimits(max_file_bytes=1000))
    with pytest.raises(ExchangeError, match="a questionnaire may be at most 1000 bytes"):
        small.import_file(vendor.id, returned)
    bomb = QuestionnaireService(ws, XlsxLimits(max_unpacked_bytes=2000))
    with pytest.raises(ExchangeError, match="unpacks to"):
        bomb.import_file(vendor.id, returned)
    other = ws.vendors.create("Other Co")
    with pytest.raises(ExchangeError, match="sent to Acme AI"):
        QuestionnaireService(ws).import_file(other.id, returned)
    assert ws.store.counts()["claims"] == before[0]["claims"]
    assert zipfile.is_zipfile(returned)


def test_cli_round_trip(setup, tmp_path, cli):
    ws, _vendor, _sent = setup
    out = tmp_path / "cli.xlsx"
    r = cli("questionnaire", "export", "Acme AI", "--out", str(out), "--all", data=ws.data_dir)
    assert r.code == 0 and "Wrote 3 questions" in r.out
    fill(out, out, {"privacy:dpa": "Art. 28 DPA signed with every customer"})
    r = cli("questionnaire", "import", "acme ai", str(out), data=ws.data_dir)
    assert r.code == 0 and "1 claim recorded" in r.out
    bad = _with_extra_sheet(out, tmp_path / "bad.xlsx")
    r = cli("questionnaire", "import", "Acme AI", str(bad), data=ws.data_dir)
    assert r.code == 2 and "unexpected sheet" in r.err


def test_the_claims_on_record_add_the_finder_questions_of_their_kind(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws", evaluator="Claire", secrets=InMemorySecretStore())
    try:
        with ws.store.transaction():
            ws.store.save_rubric_version(RUBRIC, origin="user")
        ws.library.remember(RUBRIC)
        vendor = ws.vendors.create("Acme AI")
        ws.claims.add(vendor.id, "Our audience model is 98% accurate across every campaign.",
                      criteria=["privacy:transfers"])
        done = ws.claims.add(vendor.id, "Predictions are 91% accurate on the holdout set.",
                             criteria=["privacy:dpa"])
        ws.claims.set_status(done.id, "independently_verified")
        rows = {r.ref: r for r in QuestionnaireService(ws).questions(vendor.id)}
        from vendoreval.services.claim_rules import load_finder_rules

        accuracy = next(k for k in load_finder_rules().kinds if k.id == "accuracy").questions
        asked = rows["privacy:transfers"].question.split("\n\nAbout what you told us:\n")[1]
        assert asked.splitlines() == [f"• {q}" for q in accuracy]
        assert "About what you told us" not in rows["privacy:dpa"].question  # verified: nothing more to ask
        assert "About what you told us" not in rows["privacy:retention"].question  # no claim on record
    finally:
        ws.close()
