"""Reading a 100-page text PDF with ``read_document`` (issue 14: at most 2 s on a 2-core machine).

Generates a PDF of ``--pages`` pages (ReportLab, a heading and ~300 words a page, a running foot) in a
temporary folder, then times ``read_document`` on it: the first read (PDFium loaded, cold caches) and
the median of ``--repeat`` (RESULT lines for benchmarks/run.py). Run from the repository root:
``PYTHONPATH=. python benchmarks/bench_read_documents.py`` (``--profile`` prints the 15 costliest
functions of one read).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vendoreval.exchange.documents import read_document

TARGET_SECONDS = 2.0
_WORDS = ["model", "accuracy", "customer", "data", "training", "tokens", "platform", "automation", "compliance",
          "certified", "marketing", "campaign", "brand", "generative", "insight", "analytics", "secure", "private",
          "hosted", "percent", "billion", "independent", "benchmark", "audit", "results", "teams", "workflow",
          "content", "images", "faster", "revenue", "growth"]


def make_pdf(path: Path, pages: int, words_per_page: int = 300, seed: int = 14) -> int:
    """A text PDF of ``pages`` pages; returns the number of words written."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    rnd = random.Random(seed)
    styles = getSampleStyleSheet()
    story: list[object] = []
    words = 0
    for page in range(1, pages + 1):
        story.append(Paragraph(f"Section {page}: what the platform does", styles["Heading2"]))
        for _ in range(5):
            sentence_words = [rnd.choice(_WORDS) for _ in range(words_per_page // 5)]
            sentence_words[0] = sentence_words[0].capitalize()
            text = " ".join(sentence_words).replace(" model ", " model. Our ") + f" {rnd.randint(1, 99)}.5 %."
            story.append(Paragraph(text, styles["BodyText"]))
            words += len(sentence_words)
        story.append(PageBreak())

    def foot(canvas: object, doc: object) -> None:
        canvas.setFont("Helvetica", 8)  # type: ignore[attr-defined]
        canvas.drawString(72, 30, f"Acme Inc. | Confidential | Page {doc.page}")  # type: ignore[attr-defined]

    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, title="Benchmark deck").build(story, onFirstPage=foot, onLaterPages=foot)
    path.write_bytes(buf.getvalue())
    return words


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "deck.pdf"
        started = time.perf_counter()
        words = make_pdf(pdf, args.pages)
        made = time.perf_counter() - started
        print(f"generated {args.pages} pages, {words:,} words, {pdf.stat().st_size / 1024:.0f} KB in {made:.2f} s")
        started = time.perf_counter()
        doc = read_document(pdf)
        first = time.perf_counter() - started
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            doc = read_document(pdf)
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        print(f"read_document: first {first:.3f} s, median of {args.repeat} {median:.3f} s, best {min(times):.3f} s "
              f"({args.pages / median:.0f} pages/s); {len(doc.passages)} passages, {doc.pages} pages")
        verdict = "met" if max(first, median) <= TARGET_SECONDS else "MISSED"
        print(f"target <= {TARGET_SECONDS:.1f} s for 100 pages: {verdict}")
        print(f"RESULT read_pdf_{args.pages}_pages_ms={median * 1000:.1f} ms")
        print(f"RESULT read_pdf_{args.pages}_pages_first_ms={first * 1000:.1f} ms")
        if args.profile:
            prof = cProfile.Profile()
            prof.runcall(read_document, pdf)
            pstats.Stats(prof).sort_stats("cumulative").print_stats(15)
    return 0

if __name__ == "__main__":
    raise SystemExit(main())
