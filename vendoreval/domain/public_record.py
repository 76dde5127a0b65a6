"""What the public record and the calendar say about a vendor beside its scores: the FMTI baseline of
the models behind it, claims the record contradicts, and what has gone stale.

Built by ``services/public_record.py``; shown in compare (a column, the JSON and the table notes), on
the scorecard and in the brief. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .ageing import DueItem
from .supply_chain import Contradiction, ProviderBaseline


@dataclass(frozen=True)
class PublicRecord:
    """One vendor's public record as of a date."""

    vendor_id: str
    vendor: str
    as_of: dt.date
    baselines: tuple[ProviderBaseline, ...] = ()  # one per third-party model (own models have none)
    contradictions: tuple[Contradiction, ...] = ()
    stale: tuple[DueItem, ...] = ()  # evidence, claims and the vendor itself, past their date

    @property
    def scored(self) -> tuple[ProviderBaseline, ...]:
        """The baselines of providers the index scores (those with a score)."""
        return tuple(b for b in self.baselines if b.latest is not None)

    def stale_of(self, kind: str) -> tuple[DueItem, ...]:
        """The stale items of one kind ('claim', 'evidence', 'vendor')."""
        return tuple(i for i in self.stale if i.kind == kind)

    @property
    def reassessment_due(self) -> bool:
        """The vendor's reassessment cadence has run out."""
        return bool(self.stale_of("vendor"))

    @property
    def stale_count(self) -> int:
        """Stale claims and evidence (the vendor's own reassessment not counted)."""
        return len(self.stale_of("claim")) + len(self.stale_of("evidence"))

    def cell(self) -> str:
        """Short text for a table cell: 'FMTI 35/100 · 2 stale · ⚠ contradicted' ('—' when nothing to say)."""
        bits = [f"FMTI {b.latest.total}/{b.latest.out_of}" for b in self.scored if b.latest is not None]
        if self.stale_count:
            bits.append(f"{self.stale_count} stale")
        if self.reassessment_due:
            bits.append("reassess")
        if self.contradictions:
            bits.append("⚠ contradicted")
        return " · ".join(bits) or "—"

    def notes(self) -> list[str]:
        """The record in short phrases, as the compare table prints them after the ranking."""
        bits = [f"built on {b.model.provider} {b.model.model} (FMTI {b.latest.edition[:4]}: "
                f"{b.latest.total}/{b.latest.out_of})" for b in self.scored if b.latest is not None]
        if self.stale_count:
            bits.append(f"{self.stale_count} stale item{'s' if self.stale_count != 1 else ''}")
        if self.reassessment_due:
            bits.append("reassessment due")
        bits.extend(c.sentence for c in self.contradictions)
        return bits

    def sentences(self) -> list[str]:
        """Whole sentences for the brief: what each model's developer scores, contradictions, what is stale."""
        out = []
        for b in self.baselines:
            if b.latest is None:
                out.append(f"{self.vendor} is built on {b.model.label}; the FMTI does not score "
                           f"{b.model.provider}, so there is no public baseline.")
                continue
            s = b.latest
            trend = f" (trend {b.trend})" if b.trend else ""
            out.append(f"{self.vendor} is built on {b.model.label}, whose developer {s.developer} scores "
                       f"{s.total}/{s.out_of} in {s.title}{trend}.")
        for c in self.contradictions:
            out.append(f"{self.vendor}: “{c.claim_text}” — {c.sentence}")
        if self.stale_count:
            n = self.stale_count
            out.append(f"{n} claim{'s' if n != 1 else ''} or evidence item{'s' if n != 1 else ''} of {self.vendor} "
                       f"{'are' if n != 1 else 'is'} past {'their' if n != 1 else 'its'} review date as of "
                       f"{self.as_of.isoformat()}.")
        if self.reassessment_due:
            out.append(f"{self.vendor} is due for reassessment.")
        return out

    def as_json(self) -> dict[str, object]:
        """The record as ``compare --format json`` gives it per vendor."""
        return {
            "stale": {kind: [{"id": i.item_id, "title": i.title, "due_on": i.due_on.isoformat(), "reason": i.reason}
                             for i in self.stale_of(kind)] for kind in ("claim", "evidence")},
            "reassessment_due": self.reassessment_due,
            "fmti": [{"provider": b.model.provider, "model": b.model.model, "developer": b.latest.developer,
                      "edition": b.latest.edition, "score": b.latest.total, "out_of": b.latest.out_of}
                     for b in self.scored if b.latest is not None],
            "contradictions": [c.sentence for c in self.contradictions],
        }
