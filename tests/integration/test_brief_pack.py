"""The board pack and its annex from the sample workspace: five pages at most, a separate annex, --verify on
both, and the layout rules (type sizes, labelled bars, URLs broken at separators, no near-empty pages)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from vendoreval.cli import main
from vendoreval.reports import pdf
from vendoreval.reports.pdf import break_long_tokens, break_word

DATE = "2026-12-03"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The sample workspace, its pack and annex as two files, and the same brief as one file."""
    root = tmp_path_factory.mktemp("pack")
    d = root / "ws"
    assert main(["--data-dir", str(d), "demo"]) == 0
    pack, annex, whole = root / "pack.pdf", root / "annex.pdf", root / "whole.pdf"
    assert main(["--data-dir", str(d), "brief", "--out", str(pack), "--annex", str(annex), "--date", DATE]) == 0
    assert main(["--data-dir", str(d), "brief", "--out", str(whole), "--date", DATE]) == 0
    yield {"dir": d, "pack": pack, "annex": annex, "whole": whole, "root": root}


def page_texts(path: Path) -> list[str]:
    doc = pdfium.PdfDocument(str(path))
    try:
        return [doc[i].get_textpage().get_text_bounded() for i in range(len(doc))]
    finally:
        doc.close()


def font_sizes(path: Path) -> list[tuple[int, float, str]]:
    """(page, size in points, character) of every visible character."""
    doc = pdfium.PdfDocument(str(path))
    out = []
    try:
        for i in range(len(doc)):
            tp = doc[i].get_textpage()
            for k in range(tp.count_chars()):
                ch = chr(pdfium_c.FPDFText_GetUnicode(tp.raw, k))
                if ch.strip():
                    out.append((i + 1, float(pdfium_c.FPDFText_GetFontSize(tp.raw, k)), ch))
    finally:
        doc.close()
    return out


def test_the_pack_has_at_most_five_pages_and_the_annex_is_its_own_file(sample: dict[str, Path]) -> None:
    pack, annex = page_texts(sample["pack"]), page_texts(sample["annex"])
    assert len(pack) <= 5
    joined = " ".join(pack)
    for heading in ("Executive summary", "Comparison", "Risks and conditions", "Method and glossary", "Glossary"):
        assert heading in joined, heading
    for term in ("Evidence-weighted", "Claimed", "Gap", "Knocked out", "Out of 100"):
        assert term in pack[-1], term
    assert "Annex" in annex[0] and "Score rationales" not in joined
    assert "Score rationales" in " ".join(annex) and "Claims, verbatim" in " ".join(annex)
    # the sample's stock rationales ("… from the documents reviewed.") are left out of the annex
    assert "from the documents reviewed" not in " ".join(annex).replace("\r\n", " ").split("are left out")[-1]
    whole = page_texts(sample["whole"])
    assert len(whole) == len(pack) + len(annex)
    assert "Annex" in whole[len(pack)]  # the annex starts on its own title page after the pack


def test_each_file_stores_its_part(sample: dict[str, Path]) -> None:
    assert pdf.read_brief_metadata(sample["pack"])["part"] == pdf.PACK
    assert pdf.read_brief_metadata(sample["annex"])["part"] == pdf.ANNEX
    assert pdf.read_brief_metadata(sample["whole"])["part"] == pdf.WHOLE


def _altered(path: Path, dest: Path) -> Path:
    raw = bytearray(path.read_bytes())
    at = len(raw) // 3  # inside the page content, far from the info dictionary at the end
    raw[at] = (raw[at] + 1) % 256
    dest.write_bytes(bytes(raw))
    return dest


@pytest.mark.parametrize("part", ["pack", "annex", "whole"])
def test_verify_checks_each_part(sample: dict[str, Path], part: str, capsys: pytest.CaptureFixture[str]) -> None:
    d = str(sample["dir"])
    assert main(["--data-dir", d, "brief", "--verify", str(sample[part])]) == 0
    changed = _altered(sample[part], sample["root"] / f"{part}-changed.pdf")
    assert main(["--data-dir", d, "brief", "--verify", str(changed)]) == 4
    assert "altered" in capsys.readouterr().out


def test_annex_cannot_be_the_pack_file(sample: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    out = sample["root"] / "same.pdf"
    assert main(["--data-dir", str(sample["dir"]), "brief", "--out", str(out), "--annex", str(out)]) == 2
    assert "--annex" in capsys.readouterr().err and not out.exists()


def test_type_sizes_in_styles_and_in_the_pdf(sample: dict[str, Path]) -> None:
    styles = pdf._styles()
    table_styles = {"cell", "cellb", "cellko", "head", "small_muted"}
    for name, st in styles.items():
        floor = pdf.MIN_TABLE_PT if name in table_styles else pdf.MIN_BODY_PT
        assert st.fontSize >= floor, name
    # in the files: nothing below the table size but the running header and footer (7.5 pt)
    for path in (sample["pack"], sample["annex"]):
        small = {(page, ch) for page, size, ch in font_sizes(path) if size < pdf.MIN_TABLE_PT - 0.05}
        footer = "".join(page_texts(path)).replace("\r\n", "")
        assert all(ch in footer for _, ch in small)
        assert any(size >= pdf.MIN_BODY_PT - 0.05 for _, size, _ in font_sizes(path))


def test_no_page_holds_only_a_few_lines(sample: dict[str, Path]) -> None:
    for path in (sample["pack"], sample["annex"]):
        for number, text in enumerate(page_texts(path), start=1):
            lines = [ln for ln in text.splitlines() if ln.strip()]
            assert len(lines) >= 8, (path.name, number, lines)


def test_a_heading_never_ends_a_page(sample: dict[str, Path]) -> None:
    headings = {"Scores by area", "Knock-outs", "Contradicted claims", "Key claims", "Claims, verbatim",
                "Score rationales", "Ids used", "Rubrics", "Evaluators and their agreement", "Public record",
                "How the scores are computed", "Legal duties starting later"}
    for path in (sample["pack"], sample["annex"]):
        for number, text in enumerate(page_texts(path), start=1):
            body = [ln.strip() for ln in text.splitlines() if ln.strip()][:-2]  # the header and footer last
            assert body and body[-1] not in headings, (path.name, number, body[-1:])


def test_constant_columns_are_left_out_of_the_comparison(sample: dict[str, Path]) -> None:
    comparison = next(t for t in page_texts(sample["pack"]) if "Claimed vs evidence-weighted" in t)
    assert "Keeps rank" not in comparison  # every sample vendor keeps its rank in 100 % of weightings
    assert "Version" not in comparison
    annex = " ".join(page_texts(sample["annex"]))
    assert "Scores by area" in annex and "Knock-out\n" not in annex


def test_long_urls_and_file_names_break_at_separators() -> None:
    def measure(t: str) -> float:
        return float(len(t))

    url = "https://example.com/" + "a1b2c3d4e5/" * 6 + "end-of-url"
    pieces = break_word(url, 30, measure)
    assert "".join(pieces) == url and all(len(p) <= 30 for p in pieces)
    assert all(p[-1] in "/.-_" for p in pieces[:-1])
    name = "quarterly_security-review.final.v2_signed.pdf"
    assert all(p[-1] in "/.-_" for p in break_word(name, 14, measure)[:-1])
    word = "x" * 50  # nothing to break at: cut where the line ends
    assert break_word(word, 20, measure) == ["x" * 20, "x" * 20, "x" * 10]
    text = break_long_tokens(f"See {url} now", 120, 8.5)
    lines = text.split("\n")
    assert len(lines) > 1 and re.sub(r"\s", "", text) == re.sub(r"\s", "", f"See {url} now")
    assert all(ln.rstrip()[-1] in "/.-_" for ln in lines[:-1])
    assert pdf._wrap_plain(url, 120) is not None


def test_charts_are_labelled_bars(sample: dict[str, Path]) -> None:
    pack = page_texts(sample["pack"])
    comparison = next(t for t in pack if "Evidence-weighted scores by area" in t)
    # every area is a labelled block; each bar carries the vendor's name and its value
    for area in ("Capabilities", "Copyright", "GDPR", "Training data", "Viability"):
        assert area in comparison
    assert comparison.count("Lumen Copy") >= 6


def test_annex_part_alone_for_many_vendors_is_not_in_the_pack(tmp_path: Path) -> None:
    from vendoreval.services.brief import BriefRequest, BriefService
    from vendoreval.services.workspace import Workspace

    d = tmp_path / "ws"
    assert main(["--data-dir", str(d), "demo"]) == 0
    ws = Workspace(d, evaluator="ann")
    try:
        import datetime as dt

        result = BriefService(ws).export(BriefRequest(date=dt.date(2026, 12, 3)), tmp_path / "p.pdf",
                                         annex=tmp_path / "a.pdf")
        assert result.annex == tmp_path / "a.pdf" and result.annex_pages == len(page_texts(tmp_path / "a.pdf"))
        assert result.pages == len(page_texts(tmp_path / "p.pdf")) <= 5
    finally:
        ws.close()


def test_knock_out_reasons_sit_in_a_note_under_the_ranking(sample: dict[str, Path]) -> None:
    summary = " ".join(next(t for t in page_texts(sample["pack"]) if "Executive summary" in t).split())
    assert "Nordlicht Personalisation" in summary and "Yes, note a" in summary
    note = summary[summary.index("a Nordlicht Personalisation is knocked out:"):]
    assert note.index("Data processing agreement (Art. 28): level 0, minimum 2") < note.index("Top risks")


def test_a_brief_on_many_vendors_keeps_the_pack_short_and_the_annex_whole(tmp_path: Path) -> None:
    """40 vendors: the pack's comparison, charts and "what stands against each vendor" show the top ten of the
    ranking and say where the rest are; the annex's comparison in full names every vendor. (A chart of one bar
    per vendor once grew taller than a page and the brief failed on 200 vendors.)"""
    import datetime as dt

    from tests.factories import risk_workspace
    from vendoreval.services.brief import BriefRequest, BriefService
    from vendoreval.services.workspace import Workspace

    ws = Workspace(tmp_path / "ws", evaluator="ann")
    try:
        levels = {f"Vendor {i:02d}": (1 + i % 4, i % 5, (i * 3) % 5) for i in range(40)}
        risk_workspace(ws, tmp_path / "r", levels)
        pack, annex, docx = tmp_path / "p.pdf", tmp_path / "a.pdf", tmp_path / "p.docx"
        result = BriefService(ws).export(BriefRequest(date=dt.date(2026, 12, 3)), pack, annex=annex)
        BriefService(ws).export_docx(BriefRequest(date=dt.date(2026, 12, 3)), docx, tmp_path / "a2.pdf")
    finally:
        ws.close()
    assert result.pages <= 7
    text = " ".join(" ".join(page_texts(pack)).split())
    assert "The 10 highest-ranked vendors; the other 30 vendors are in the annex's comparison in full." in text
    assert "The 10 highest-ranked of 40 vendors." in text  # under the charts
    assert "the other 30 vendors each have their page in the annex" in text
    names = {f"Vendor {i:02d}" for i in range(40)}
    assert 10 <= sum(1 for n in names if n in text) < 40
    annex_text = " ".join(" ".join(page_texts(annex)).split())
    full = annex_text[annex_text.index("Comparison in full"):]
    assert all(n in full for n in names)
    import docx as python_docx

    d = python_docx.Document(str(docx))
    comparison = next(t for t in d.tables
                      if [c.text for c in t.rows[0].cells][:4] == ["#", "Vendor", "Overall", "Claimed"])
    assert len(comparison.rows) == 1 + 10
    assert any("the other 30 vendors are in the annex" in p.text for p in d.paragraphs)
