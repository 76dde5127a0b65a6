"""The claim finder as a user runs it — `claims find` on the vendor's real files (PDF, DOCX, PPTX, HTML,
Markdown, e-mail) — measured against the labelled corpus: the issue's quality bar end to end, not only on
the sentences the corpus was written from."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.bench_claim_finder import Score, score
from tests.data.claim_corpus.build import build, load_specs
from vendoreval.services.claim_finder import ClaimFinderService
from vendoreval.services.workspace import Workspace


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Score]:
    from vendoreval.services import Workspace as Ws

    root = tmp_path_factory.mktemp("e2e")
    ws: Workspace = Ws(root / "data", evaluator="ann")
    try:
        vendor = ws.vendors.create("Corpus vendor")
        finder = ClaimFinderService(ws)
        out = {"all": Score(), "held_out": Score()}
        formats = set()
        for spec in load_specs():
            path = build(spec, root)
            formats.add(path.suffix)
            found = finder.find(vendor.id, path)
            for key in ("all", spec.split):
                if key in out:
                    score(spec, found.candidates, out[key])
        assert len(formats) >= 5, formats
        return out
    finally:
        ws.close()


@pytest.mark.parametrize("split", ["all", "held_out"])
def test_recall_precision_kind_and_page_on_the_built_documents(measured: dict[str, Score], split: str) -> None:
    s = measured[split]
    assert s.tp >= 30
    assert s.recall >= 0.90, s.line(split)
    assert s.precision >= 0.80, s.line(split)
    assert s.kind >= 0.80, s.line(split)
    assert s.page_checked >= 10 and s.page == 1.0, s.line(split)


def test_a_second_run_on_the_same_file_proposes_only_what_is_new(tmp_path: Path, ws: Workspace) -> None:
    spec = next(s for s in load_specs() if s.format == "pdf")
    path = build(spec, tmp_path)
    vendor = ws.vendors.create("Lumora")
    finder = ClaimFinderService(ws)
    first = finder.find(vendor.id, path)
    assert len(first.candidates) >= 5
    finder.accept(vendor.id, first, [1, 2])
    again = finder.find(vendor.id, path)
    assert [c.text for c in again.candidates] == [c.text for c in first.candidates[2:]]


class _Cancelled(Exception):
    """What the app's progress callback raises when the user pressed Cancel."""


def test_a_cancel_stops_the_finder_while_it_reads_the_sentences(tmp_path: Path, ws: Workspace) -> None:
    """A text document has no pages to report: the finder now reports while it splits and reads its
    sentences, so Cancel stops it there (it ran to the end and opened the review anyway)."""
    path = tmp_path / "long.txt"
    path.write_text("\n\n".join("We are fully GDPR compliant and trained on 2 billion interactions. " * 100
                                for _ in range(30)), encoding="utf-8")
    vendor = ws.vendors.create("Lumora")
    calls: list[tuple[int, int]] = []
    ClaimFinderService(ws).find(vendor.id, path, progress=lambda done, total: calls.append((done, total)))
    assert (1000, 3000) in calls and (2000, 3000) in calls

    def cancel(done: int, total: int) -> None:
        raise _Cancelled

    with pytest.raises(_Cancelled):
        ClaimFinderService(ws).find(vendor.id, path, progress=cancel)
