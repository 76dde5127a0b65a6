"""The claim-credibility gap is one figure: the difference of the printed claimed and evidence-weighted
scores (``domain.scoring.score_gap``), in the CLI, the PDF brief's ranking, comparison and vendor pages, and the
AI-washing signals; the brief's comparison prints an area with the decimal the overall has."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pypdf

from vendoreval.services.brief import BriefRequest, BriefService
from vendoreval.services.demo import load_sample
from vendoreval.services.workspace import Workspace


def test_the_gap_is_the_difference_of_the_printed_scores_in_the_cli_and_the_brief(ws: Workspace, cli: Any,
                                                                        tmp_path: Path) -> None:
    load_sample(ws)
    svc = BriefService(ws)
    data = svc.build(BriefRequest(date=dt.date(2026, 12, 1)), samples=0)
    lumen = next(r for r in data.summary.ranking if r.vendor == "Lumen Copy")
    assert lumen.claimed is not None and lumen.score is not None
    # 73.34 - 38.37 = 34.97: the gap is the 34.9 of the printed 73.3 - 38.4, not 35.0
    assert (f"{lumen.claimed:.1f}", f"{lumen.score:.1f}") == ("73.3", "38.4")
    out = tmp_path / "brief.pdf"
    svc.export(BriefRequest(date=dt.date(2026, 12, 1)), out)
    pages = [re.sub(r"\s+", " ", p.extract_text() or "") for p in pypdf.PdfReader(str(out)).pages]
    text = " ".join(pages)
    assert "Lumen Copy 38.4 73.3 34.9" in text  # the ranking table
    assert "Gap: 34.9" in text  # the vendor page
    # the signals: Brightwave's GDPR 73.05 -> 19.53, printed whole as 73 and 20: a gap of 53
    assert "Brightwave Insights: GDPR: claimed 73, on evidence 20 (gap 53)" in text
    # the comparison's area rows carry one decimal, as its overall row does
    comparison = next(p for p in pages if "Knocked out — — — — yes" in p)
    gdpr = next(i for i, a in enumerate(data.comparison.areas) if a.title == "GDPR")
    row = " ".join("—" if r.areas[gdpr] is None else f"{r.areas[gdpr]:.1f}" for r in data.comparison.rows)
    assert f"GDPR {row}" in comparison, comparison

    res = cli("compare")
    assert res.code == 0, res.err
    line = next(ln for ln in res.out.splitlines() if "Lumen Copy" in ln)
    assert "34.9" in line.split() and "35.0" not in line
