"""Claim-finder quality and speed on the labelled corpus (tests/data/claim_corpus).

Run from the repository root: ``PYTHONPATH=. python benchmarks/bench_claim_finder.py``.

1. On the spec sentences directly (one passage per labelled sentence): recall of claims, precision,
   kind accuracy, page accuracy — for all documents, the "tune" documents (used while writing the
   rules) and the "held_out" ones (only ever measured) — and the time per corpus and per sentence.
2. When ``vendoreval.exchange.documents`` is importable (the document reader): end to end on the
   built documents (build to a temporary folder, ``read_document``, ``split_sentences``,
   ``find_candidates``), candidates matched to labels by normalised text.
"""

from __future__ import annotations

import argparse
import importlib
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.data.claim_corpus.build import Label, Spec, build, load_specs, spec_passages
from vendoreval.domain.claim_finder import Candidate, find_candidates
from vendoreval.domain.passages import Passage, split_sentences
from vendoreval.domain.rubric import load_rubric_file
from vendoreval.services.claim_rules import load_finder_rules

REPO = Path(__file__).resolve().parents[1]


def norm(text: str) -> str:
    """Text for matching: case-folded, quotes and punctuation dropped, spaces collapsed."""
    return " ".join(re.sub(r"[^\w%$€£]+", " ", text.casefold()).split())


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    kind_right: int = 0
    page_checked: int = 0
    page_right: int = 0

    def line(self, name: str) -> str:
        return (f"{name:<10} recall {self.recall:6.1%}  precision {self.precision:6.1%}  kind {self.kind:6.1%}  "
                f"page {self.page if self.page_checked else float('nan'):6.1%}  "
                f"(claims found {self.tp}, missed {self.fn}, wrongly proposed {self.fp})")

    @property
    def recall(self) -> float:
        return self.tp / max(1, self.tp + self.fn)

    @property
    def precision(self) -> float:
        return self.tp / max(1, self.tp + self.fp)

    @property
    def kind(self) -> float:
        return self.kind_right / max(1, self.tp)

    @property
    def page(self) -> float:
        return self.page_right / max(1, self.page_checked)


def _where_right(spec: Spec, label: Label, c: Candidate) -> bool | None:
    """Whether a candidate stands where its label does (page for PDF, slide for PPTX); None: not paged."""
    if spec.format == "pdf":
        return c.page == label.page
    if spec.format == "pptx":
        slide = re.search(r"\d+", c.location or "")
        return c.page == label.page or (slide is not None and f"slide {slide.group(0)}" == label.location)
    return None


def score(spec: Spec, candidates: Sequence[Candidate], into: Score) -> None:
    """Match candidates to the spec's labels by normalised text (equal, else one containing the other)."""
    by_text: dict[str, Candidate] = {norm(c.text): c for c in candidates}
    exact = {norm(label.text) for label in spec.labels} & set(by_text)
    used: set[str] = set()
    for label in spec.labels:
        key = norm(label.text)
        # A sentence the reader joined with a neighbour (a slide title, a heading) matches by containment;
        # only candidates that no label matches exactly, and never on fewer than four words.
        hit = key if key in exact else next(
            (k for k in by_text if k not in exact and k not in used and len(min(key, k, key=len).split()) >= 4
             and (key in k or k in key)), None)
        if hit is not None and label.is_claim:
            used.add(hit)
            c = by_text[hit]
            into.tp += 1
            into.kind_right += c.kind == label.kind
            where = _where_right(spec, label, c)
            if where is not None:
                into.page_checked += 1
                into.page_right += where
        elif hit is not None:
            used.add(hit)
            into.fp += 1
        elif label.is_claim:
            into.fn += 1
    into.fp += sum(1 for k in by_text if k not in used)  # candidates that match no sentence of the spec


def _timed_ms(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), out


def _sentences(doc: Any) -> list[Passage]:
    """The document's sentences, split as the claim finder service splits them."""
    return [s for p in doc.passages for s in split_sentences(p)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--verbose", action="store_true", help="list every miss and wrong proposal")
    args = parser.parse_args(argv)
    rules = load_finder_rules()
    rubrics = [load_rubric_file(p) for p in sorted((REPO / "rubrics").glob("*.toml"))]
    specs = load_specs()
    n_sentences = sum(len(s.labels) for s in specs)
    print(f"corpus: {len(specs)} documents, {n_sentences} sentences, "
          f"{sum(label.is_claim for s in specs for label in s.labels)} claims")

    scores = {"all": Score(), "tune": Score(), "held_out": Score()}
    total_ms = 0.0
    for spec in specs:
        passages = spec_passages(spec)
        ms, found = _timed_ms(lambda p=passages: find_candidates(p, rules, rubrics), args.repeat)
        total_ms += ms
        for key in ("all", spec.split):
            score(spec, found, scores[key])
        if args.verbose:
            labels = {norm(label.text): label for label in spec.labels}
            for c in found:
                label = labels.get(norm(c.text))
                if label is None or not label.is_claim:
                    print(f"  wrongly proposed ({spec.name}): {c.kind_why} | {c.text}")
                elif label.kind != c.kind:
                    print(f"  wrong kind ({spec.name}): {label.kind} ≠ {c.kind_why} | {c.text}")
            got = {norm(c.text) for c in found}
            for label in spec.labels:
                if label.is_claim and norm(label.text) not in got:
                    print(f"  missed ({spec.name}, {label.kind}): {label.text}")
    print("\nOn the spec sentences:")
    for name, s in scores.items():
        print("  " + s.line(name))
    per_sentence_us = total_ms * 1000 / n_sentences
    print(f"  time: {total_ms:.1f} ms for the corpus, {per_sentence_us:.0f} µs per sentence "
          f"(a 100-page deck of ~3,000 sentences: ~{per_sentence_us * 3000 / 1e6:.2f} s)")
    for name, s in scores.items():
        print(f"RESULT claim_finder_recall_{name}={100 * s.recall:.1f} %")
        print(f"RESULT claim_finder_precision_{name}={100 * s.precision:.1f} %")
        print(f"RESULT claim_finder_kind_{name}={100 * s.kind:.1f} %")
    print(f"RESULT claim_finder_page_all={100 * scores['all'].page:.1f} %")
    print(f"RESULT claim_finder_corpus_ms={total_ms:.1f} ms")

    try:
        documents = importlib.import_module("vendoreval.exchange.documents")
    except ImportError:
        print("\nEnd to end: skipped (vendoreval.exchange.documents is not there yet)")
        return 0
    e2e = {"all": Score(), "tune": Score(), "held_out": Score()}
    read_ms = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for spec in specs:
            path = build(spec, Path(tmp))
            started = time.perf_counter()
            doc = documents.read_document(path)
            sentences = _sentences(doc)
            found = find_candidates(sentences, rules, rubrics)
            read_ms += (time.perf_counter() - started) * 1000
            for key in ("all", spec.split):
                score(spec, found, e2e[key])
            if args.verbose:
                got = {norm(c.text) for c in found}
                for label in spec.labels:
                    if label.is_claim and not any(norm(label.text) in g or g in norm(label.text) for g in got):
                        print(f"  e2e missed ({spec.name}): {label.text}")
    print("\nEnd to end (build → read_document → split_sentences → find_candidates):")
    for name, s in e2e.items():
        print("  " + s.line(name))
    print(f"  time: {read_ms:.0f} ms for the {len(specs)} documents")
    for name, s in e2e.items():
        print(f"RESULT claim_finder_e2e_recall_{name}={100 * s.recall:.1f} %")
        print(f"RESULT claim_finder_e2e_precision_{name}={100 * s.precision:.1f} %")
        print(f"RESULT claim_finder_e2e_kind_{name}={100 * s.kind:.1f} %")
    print(f"RESULT claim_finder_e2e_page_all={100 * e2e['all'].page:.1f} %")
    print(f"RESULT claim_finder_e2e_ms={read_ms:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
