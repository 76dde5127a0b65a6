"""The board brief PDF end to end: sections, numbers, hostile text, fonts, size, reproducibility, --verify."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest

from tests import factories
from vendoreval.domain.models import ClaimStatus, Decision, EvidenceStrength
from vendoreval.services.brief import BriefRequest, BriefService
from vendoreval.services.comparison import ComparisonService
from vendoreval.services.settings import load_settings, save_settings
from vendoreval.services.workspace import Workspace

BRIEF_DATE = dt.date(2026, 11, 27)
HOSTILE_MARKUP = "<b>&amp;</b>"
HOSTILE_FONT = '<font name="x">'
LONG_WORD = "Supercalifragilistic" * 25  # 500 characters, no break
LONG_URL = "https://example.com/" + "a1b2c3d4e5/" * 25 + "end-of-url"
CHINESE = "中文供应商"
JAPANESE = "日本語のベンダー"
EMOJI = "🚀"


def rubrics() -> list[Any]:
    """Three small rubrics: one with a knock-out and a duty in force, one with a duty still to come."""
    privacy = factories.rubric("t-privacy", [
        factories.criterion("dpa", 2.0, knockout_below=1, knockout_reason="No data processing agreement",
                            duty_applies_from="2018-05-25", sources=["GDPR Art. 28(3)"]),
        factories.criterion("retention", 1.0),
    ], area="Privacy")
    transparency = factories.rubric("t-transparency", [
        factories.criterion("data-summary", 1.0, duty_applies_from="2027-08-02",
                            sources=["EU AI Act Art. 53(1)(d)"]),
        factories.criterion("model-card", 1.0),
    ], area="Transparency")
    capability = factories.rubric("t-capability", [factories.criterion("accuracy", 1.0),
                                                   factories.criterion("languages", 1.0)], area="Capability")
    return [privacy, transparency, capability]


def vendor_name(i: int) -> str:
    """Names: a few hostile ones first, then plain ones."""
    special = ["Acme Analytics", CHINESE, JAPANESE, f"{HOSTILE_MARKUP} Corp"]
    return special[i] if i < len(special) else f"Vendor {i:02d}"


def populate(ws: Workspace, n_vendors: int = 4, *, hostile: bool = True, second_evaluator: bool = True) -> None:
    """Fill a workspace with vendors, claims (hostile text included), evidence and submitted scorecards."""
    rbs = rubrics()
    for r in rbs:
        ws.library.remember(r)
    for i in range(n_vendors):
        v = ws.vendors.create(vendor_name(i), product=f"Product {i}", website="https://example.com")
        claims = []
        c = ws.claims.add(v.id, f"We keep data for {30 + i} days only.", source="Security whitepaper", page="4",
                          said_on=dt.date(2026, 3, 1), criteria=["t-privacy:retention"])
        ws.claims.set_status(c.id, ClaimStatus.DOCUMENTED)
        claims.append(c.id)
        if hostile and i == 0:
            for text in (f"Our model is {HOSTILE_MARKUP} {HOSTILE_FONT} safe", LONG_WORD,
                         f"Launch {EMOJI} ready today", f"We serve {CHINESE} and {JAPANESE} markets"):
                claims.append(ws.claims.add(v.id, text, source=LONG_URL, source_kind="url").id)
            ws.evidence.add_url(v.id, LONG_URL, title="Long link", claim_ids=[claims[1]])
        if i == 1:
            bad = ws.claims.add(v.id, "We never train on customer data.", source="Sales call",
                                source_kind="meeting", criteria=["t-privacy:dpa"])
            ws.claims.set_status(bad.id, ClaimStatus.CONTRADICTED, "The DPA allows training")
            claims.append(bad.id)
        for r in rbs:
            card = ws.scorecards.create(v.id, r.id, r.version)
            for j, crit in enumerate(r.criteria):
                level = (i * 7 + j * 3 + len(r.id)) % 5
                if i == 2 and crit.id == "dpa":
                    level = 0  # knocked out
                if i == 0:
                    level = 4 - j % 2
                strength = list(EvidenceStrength)[(i + j) % 5]
                links = [claims[-1]] if (i == 1 and crit.id == "dpa") else []
                ws.scorecards.set_score(card.id, crit.id, "level", level=level, strength=strength,
                                        rationale=f"Rationale {vendor_name(i)} {crit.id}"
                                        + (f" {HOSTILE_FONT} {EMOJI}" if hostile and i == 0 else ""),
                                        claim_ids=links)
            ws.scorecards.submit(card.id)
        if second_evaluator and i < 2:
            r = rbs[2]
            card = ws.scorecards.create(v.id, r.id, r.version, evaluator="bob")
            for j, crit in enumerate(r.criteria):
                ws.scorecards.set_score(card.id, crit.id, "level", level=(j + i) % 5, strength="verified_by_us",
                                        rationale="Bob's view")
            ws.scorecards.submit(card.id)


def text_of(path: Path) -> str:
    """All text of a PDF, whitespace removed (line breaks may fall anywhere in long words)."""
    reader = pypdf.PdfReader(str(path))
    return re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in reader.pages))


def pages_of(path: Path) -> list[str]:
    """Each page's text."""
    return [p.extract_text() or "" for p in pypdf.PdfReader(str(path)).pages]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One hostile 4-vendor workspace and its brief, shared by the tests of this module."""
    root = tmp_path_factory.mktemp("brief")
    data_dir = root / "ws"
    data_dir.mkdir()
    ws = Workspace(data_dir, evaluator="ann")
    populate(ws, 4)
    ws.store.set_setting("organisation", "Board & Co <Holdings>")
    from PIL import Image

    logo = root / "logo.png"
    Image.new("RGB", (120, 40), (31, 78, 121)).save(logo)
    save_settings(ws, load_settings(ws), logo_file=logo)  # copied into the workspace, as the dialog does
    out = root / "brief.pdf"
    req = BriefRequest(date=BRIEF_DATE, title="Choosing an AI copywriter", decision="")
    result = BriefService(ws).export(req, out)
    yield {"ws": ws, "dir": data_dir, "pdf": out, "result": result, "request": req, "root": root}
    ws.close()


def test_each_section_is_there(built: dict[str, Any]) -> None:
    text = text_of(built["pdf"])
    for heading in ("Executivesummary", "Decisionaskedoftheboard", "Recommendation", "Ranking", "Toprisks",
                    "Conditionstonegotiate", "Howsolidtherankingis", "Comparison", "Claimedvsevidence-weighted",
                    "Scoresbyarea", "Knock-outs", "Contradictedclaims", "Keyclaims", "Methodology",
                    "Evaluatorsandtheiragreement", "Legaldutiesinforceon27November2026",
                    "Legaldutiesstartingwithinthenext12months(by27November2027)",
                    "Legaldutiesstartinglater", "Annex", "Risksandconditions", "Methodandglossary", "Glossary",
                    "Claims,verbatim", "Scorerationales",
                    "CONFIDENTIAL", "Boardpaper", "Board&Co<Holdings>"):
        assert heading in text, heading


def test_page_numbers_and_one_page_summary(built: dict[str, Any]) -> None:
    pages = pages_of(built["pdf"])
    n = len(pages)
    assert built["result"].pages == n
    for i, page in enumerate(pages, start=1):
        assert f"Page {i} of {n}" in page
    summary = [i for i, p in enumerate(pages) if "Executive summary" in p]
    assert summary == [1]  # page 2, right after the cover
    assert "How solid the ranking is" in pages[1]  # the whole summary fits its page
    assert "Comparison" not in pages[1].split("How solid")[0]


def test_numbers_match_the_comparison(built: dict[str, Any]) -> None:
    ws = built["ws"]
    comparison = ComparisonService(ws).compare(None, None, None)
    text = text_of(built["pdf"])
    for row in comparison.ranking:
        assert f"{row.overall:.1f}" in text
        assert f"{row.claimed:.1f}" in text
    leader = next(r for r in comparison.ranking if not r.knocked_out)
    name = re.sub(r"\s+", "", leader.name)
    assert f"{name},thefirst-rankedvendorthatpasseseveryknock-outcriterion(nodecisionrecordedyet)" in text
    assert "NodataprocessingagreementDPA:level0,minimum1".replace("DPA", "(DPA") + ")" in text
    assert comparison.flip is None or re.sub(r"\s+", "", comparison.flip.sentence) in text


def test_hostile_text_survives_intact(built: dict[str, Any]) -> None:
    text = text_of(built["pdf"])
    for s in (HOSTILE_MARKUP, HOSTILE_FONT, LONG_WORD, LONG_URL, CHINESE, JAPANESE, "Launch[rocket]readytoday"):
        assert re.sub(r"\s+", "", s) in text, s[:40]


def test_every_font_is_embedded(built: dict[str, Any]) -> None:
    reader = pypdf.PdfReader(str(built["pdf"]))
    seen = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            seen.add(str(font["/BaseFont"]))
            assert font["/Subtype"] == "/TrueType", font["/BaseFont"]
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]
        for xobj in page["/Resources"].get_object().get("/XObject", {}).values():
            res = xobj.get_object().get("/Resources")
            if res is not None:
                for font in res.get_object().get("/Font", {}).values():
                    assert "/FontFile2" in font.get_object()["/FontDescriptor"].get_object()
    assert any("DroidSansFallback" in s for s in seen)
    assert any("DejaVuSans" in s for s in seen)


def test_cover_has_the_logo(built: dict[str, Any]) -> None:
    cover = pypdf.PdfReader(str(built["pdf"])).pages[0]
    xobjects = cover["/Resources"].get_object().get("/XObject", {})
    assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())


def test_bookmarks_and_metadata(built: dict[str, Any]) -> None:
    reader = pypdf.PdfReader(str(built["pdf"]))
    titles: list[str] = []

    def walk(items: list[Any]) -> None:
        for it in items:
            if isinstance(it, list):
                walk(it)
            else:
                titles.append(it.title)

    walk(reader.outline)
    for t in ("Executive summary", "Comparison", "Risks and conditions", "Method and glossary", "Annex",
              "Methodology in full", CHINESE, "Acme Analytics"):
        assert t in titles
    assert built["result"].fingerprint in (reader.metadata.get("/Keywords") or "")
    assert built["result"].fingerprint in (reader.metadata.get("/VendorevalBrief") or "")
    # the cover shows document control, not the hash: the fingerprint is in every page's footer
    pages = pages_of(built["pdf"])
    assert built["result"].fingerprint not in re.sub(r"\s+", "", "".join(pages))
    assert "verify" not in pages[0]
    assert all(f"fingerprint {built['result'].fingerprint[:16]}" in page for page in pages)


def test_rebuild_is_byte_identical(built: dict[str, Any]) -> None:
    again = built["root"] / "again.pdf"
    BriefService(built["ws"]).export(built["request"], again)
    assert again.read_bytes() == built["pdf"].read_bytes()
    other_day = built["root"] / "other-day.pdf"
    BriefService(built["ws"]).export(BriefRequest(date=dt.date(2026, 12, 1), title="Choosing an AI copywriter"),
                                     other_day)
    assert other_day.read_bytes() != built["pdf"].read_bytes()


def test_verify_exit_codes(built: dict[str, Any], cli: Any, tmp_path: Path) -> None:
    data = built["dir"]
    pdf = built["pdf"]
    assert cli("brief", "--verify", str(pdf), data=data).code == 0
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4 not a brief")
    r = cli("brief", "--verify", str(junk), data=data)
    assert r.code == 2 and "not a vendoreval brief" in r.err
    r = cli("brief", "--verify", str(tmp_path / "missing.pdf"), data=data)
    assert r.code == 2
    # change the workspace: the brief no longer matches
    copy = built["root"] / "changed.pdf"
    copy.write_bytes(pdf.read_bytes())
    ws = built["ws"]
    vendor = ws.vendors.find("Acme Analytics")
    ws.claims.add(vendor.id, "A new claim")
    try:
        r = cli("brief", "--verify", str(copy), data=data)
        assert r.code == 3, r.err
    finally:
        newest = [c for c in ws.claims.list(vendor.id) if c.text == "A new claim"]
        ws.claims.delete(newest[0].id)
    assert cli("brief", "--verify", str(copy), data=data).code == 0


def test_cli_builds_a_brief_for_chosen_vendors(built: dict[str, Any], cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "two.pdf"
    r = cli("brief", "--out", str(out), "--vendor", "Acme Analytics", "--vendor", CHINESE, "--date", "2026-11-27",
            "--title", "Two vendors", "--decision", "Pick one of two.", data=built["dir"])
    assert r.code == 0, r.err
    text = text_of(out)
    assert "Pickoneoftwo." in text and CHINESE in text and "Vendor" + "03" not in text
    assert cli("brief", "--verify", str(out), data=built["dir"]).code == 0
    bad = cli("brief", "--out", str(out), "--date", "27/11/2026", data=built["dir"])
    assert bad.code == 2 and "--date" in bad.err
    bad = cli("brief", "--out", str(out), "--vendor", "Nobody", data=built["dir"])
    assert bad.code == 2


def test_recorded_decision_wins_unless_a_knockout_overrules_it(tmp_path: Path) -> None:
    d = tmp_path / "ws"
    d.mkdir()
    ws = Workspace(d, evaluator="ann")
    try:
        # ranked: Acme Analytics, Vendor 04, Vendor 05, then the knocked-out 中文供应商, <b>&amp;</b> Corp, 日本語
        populate(ws, 6, hostile=False, second_evaluator=False)
        third = ws.vendors.find("Vendor 05")
        ws.vendors.decide(third.id, Decision.GO_WITH_CONDITIONS, ["Cap liability at 2x fees"])
        knocked = ws.vendors.find(JAPANESE)
        ws.vendors.decide(knocked.id, Decision.GO_WITH_CONDITIONS, ["Sign the DPA first"])
        data = BriefService(ws).build(BriefRequest(date=BRIEF_DATE))
        rec = data.summary.recommendation
        assert (rec.recorded, rec.vendor, rec.text) == (True, "Vendor 05",
                                                        "Go with conditions: Vendor 05 (recorded decision).")
        assert data.summary.conditions[0] == "Cap liability at 2x fees"
        assert data.summary.risks[0].startswith(f"{JAPANESE} is decided go but fails a knock-out criterion: ")
        # the lead is over the next vendor that passes the knock-outs
        assert data.summary.solidity[-1] == "The lead of Acme Analytics over Vendor 04 is 8.0 points."
        # the only go left fails a knock-out: the brief recommends nobody and says why
        ws.vendors.decide(third.id, Decision.IN_EVALUATION, [])
        rec = BriefService(ws).build(BriefRequest(date=BRIEF_DATE)).summary.recommendation
        assert (rec.recorded, rec.vendor) == (False, None)
        assert rec.text == f"No recommendation: the recorded go decision on {JAPANESE} fails a knock-out criterion."
    finally:
        ws.close()


def test_a_go_on_an_unscored_vendor_is_not_recommended_and_the_brief_says_it_is_unassessed(tmp_path: Path) -> None:
    """A tester recorded Go for a vendor nobody scored: the draft resolution named it, its page said it passes
    every knock-out, and it ranked first."""
    d = tmp_path / "ws"
    d.mkdir()
    ws = Workspace(d, evaluator="ann")
    try:
        populate(ws, 2, hostile=False, second_evaluator=False)
        lumiere = ws.vendors.create("Lumière Labs")
        ws.vendors.decide(lumiere.id, Decision.GO, [])
        data = BriefService(ws).build(BriefRequest(date=BRIEF_DATE))
        rec = data.summary.recommendation
        assert (rec.vendor, rec.text) == (None, "No recommendation: the recorded go decision on Lumière Labs rests "
                                                "on no scores.")
        assert any(r.startswith("Lumière Labs is decided go but has no scores") for r in data.summary.risks)
        assert data.comparison.rows[-1].vendor == "Lumière Labs"  # after every vendor that was scored
        out = tmp_path / "brief.pdf"
        BriefService(ws).export(BriefRequest(date=BRIEF_DATE), out)
        text = " ".join(" ".join(p.split()) for p in pages_of(out))
        assert "negotiate with Lumière Labs" not in text
        assert "Not scored yet: nothing it claims has been assessed." in text
        assert "Not checked yet: nobody has scored this vendor." in text
    finally:
        ws.close()


def test_twenty_vendor_brief_builds(tmp_path: Path) -> None:
    d = tmp_path / "ws"
    d.mkdir()
    ws = Workspace(d, evaluator="ann")
    try:
        populate(ws, 20, hostile=False, second_evaluator=False)
        out = tmp_path / "twenty.pdf"
        result = BriefService(ws).export(BriefRequest(date=BRIEF_DATE), out)
        pages = pages_of(out)
        assert result.pages == len(pages) >= 10
        assert "Vendor 19" in "".join(pages)
        assert "…and 12 more vendors" in pages[1]
        # long tables continue on the next page under their header row
        assert sum("Evaluator: score" in p for p in pages) >= 2
        assert "".join(pages).count("Claim (verbatim) and source") >= 20  # each vendor's key claims
    finally:
        ws.close()


def _edit_page_text(pdf: bytes, number: bytes) -> tuple[bytes, bytes]:
    """The PDF with one figure in a page's text changed (its first digit raised by one), as a PDF editor
    would: the content stream decoded (ASCII85, Flate), edited, written back Flate-compressed with its
    /Filter and /Length put right. Returns the new bytes and the figure written."""
    import base64
    import zlib

    for m in re.finditer(rb"<<\s*/Filter \[ /ASCII85Decode /FlateDecode \] /Length (\d+)\s*>>\s*stream\r?\n", pdf):
        start, length = m.end(), int(m.group(1))
        encoded = pdf[start:start + length].strip().removesuffix(b"~>")
        text = zlib.decompress(base64.a85decode(encoded))
        at = text.find(number + b")")
        if at < 0:
            continue
        new_figure = bytes([number[0] + 1 if number[0] < ord("9") else ord("1")]) + number[1:]
        edited = zlib.compress(text[:at] + new_figure + text[at + len(number):])
        head = b"<< /Filter [ /FlateDecode ] /Length " + str(len(edited)).encode() + b" >>\nstream\n"
        return pdf[:m.start()] + head + edited + pdf[start + length:], new_figure
    raise AssertionError(f"{number!r} is in no page's text")


def test_verify_finds_an_edited_figure_in_the_page_text(built: dict[str, Any], cli: Any, tmp_path: Path) -> None:
    """A figure of the summary edited in the PDF ("38.3" → "48.3") is exit 4: the file was altered, while the
    workspace did not change (before, --verify said "still matches": it only compared fingerprints)."""
    data, pdf = built["dir"], built["pdf"]
    first = pages_of(pdf)[1]
    figure = re.search(r"\b\d{1,2}\.\d\b", first)
    assert figure, first
    raw, written = _edit_page_text(pdf.read_bytes(), figure.group(0).encode())
    edited = tmp_path / "edited.pdf"
    edited.write_bytes(raw)
    assert written.decode() in "".join(pages_of(edited))  # a reader shows the new figure
    r = cli("brief", "--verify", str(edited), data=data)
    assert r.code == 4, (r.out, r.err)
    assert "altered" in r.out
    assert cli("brief", "--verify", str(pdf), data=data).code == 0


def test_verify_finds_a_pdf_editors_save_and_an_appended_update(built: dict[str, Any], cli: Any,
                                                               tmp_path: Path) -> None:
    """A file re-saved by a PDF library (metadata kept) and one with an incremental update appended are
    altered (4); a changed workspace still says 3 whatever the file, since that is checked first."""
    data, pdf = built["dir"], built["pdf"]
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(str(pdf)))
    resaved = tmp_path / "resaved.pdf"
    with resaved.open("wb") as fh:
        writer.write(fh)
    assert cli("brief", "--verify", str(resaved), data=data).code == 4
    appended = tmp_path / "appended.pdf"
    appended.write_bytes(pdf.read_bytes() + b"\n% an incremental update\n")
    assert cli("brief", "--verify", str(appended), data=data).code == 4
    ws = built["ws"]
    vendor = ws.vendors.find("Acme Analytics")
    claim = ws.claims.add(vendor.id, "Another new claim")
    try:
        assert cli("brief", "--verify", str(appended), data=data).code == 3
    finally:
        ws.claims.delete(claim.id)
