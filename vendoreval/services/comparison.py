"""Use case: compare vendors side by side under a weight profile, with sensitivity figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.analysis import (
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    Comparison,
    CriterionLine,
    MatrixCell,
    VendorInput,
    VendorRow,
    compare_vendors,
)
from ..domain.commercials import TotalCost
from ..domain.cost_chart import ChartVendor, CostScoreChart, cost_score_chart
from ..domain.models import Answer, Claim, WeightProfile
from ..domain.rubric import Rubric
from ..domain.rules import newest, version_key
from ..domain.verdict import AreaFacts, RankedVendor, decide_verdict
from .totals import VendorTotals
from .workspace import NotFound, ServiceError

if TYPE_CHECKING:
    from .workspace import Workspace


def _round(x: float | None, digits: int = 2) -> float | None:
    return None if x is None else round(x, digits)


class ComparisonService:
    """Builds comparisons from the workspace's combined scores through the pure analysis rules."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def resolve_profile(self, profile: WeightProfile | str | None) -> WeightProfile:
        """A profile object, a stored profile by name, or 'balanced' for None."""
        if isinstance(profile, WeightProfile):
            return profile
        return self.ws.profiles.get(profile)

    def default_vendor_ids(self) -> list[str]:
        """Every vendor that is not archived, by name."""
        return [v.id for v in self.ws.vendors.list(include_archived=False)]

    def scored_rubric_ids(self, vendor_ids: Iterable[str] | None = None) -> list[str]:
        """Rubric ids any of the vendors (default: all not archived) has a score on, in id order."""
        # through the totals, whose snapshot of the scorecards is cached until the database changes
        totals = self.ws.totals.vendor_totals(None, list(vendor_ids) if vendor_ids is not None else None)
        return sorted({rid for t in totals for rid in t.rubrics})

    def compare(
        self,
        vendor_ids: Iterable[str] | None = None,
        rubric_ids: Iterable[str] | None = None,
        profile: WeightProfile | str | None = None,
        samples: int = DEFAULT_SAMPLES,
        seed: int = DEFAULT_SEED,
        date: dt.date | None = None,
    ) -> Comparison:
        """Rank the vendors (default: all not archived) on the rubrics (default: all they were scored on).

        The comparison carries the verdict (``domain.verdict``) the board brief gives for the same data,
        its legal duties judged against ``date`` (default: today).
        """
        prof = self.resolve_profile(profile)
        if vendor_ids is None:
            vids = self.default_vendor_ids()
        else:
            vids = list(dict.fromkeys(vendor_ids))
            for vid in vids:
                self.ws.vendors.get(vid)  # NotFound names the missing one
        if rubric_ids is None:
            rids = None
        else:
            rids = list(dict.fromkeys(rubric_ids))
            known = set(self.ws.library.ids())
            unknown = [r for r in rids if r not in known]
            if unknown:
                raise NotFound(f"No rubric '{unknown[0]}'. Known: {', '.join(sorted(known)) or 'none'}.")
        if samples < 0:
            raise ServiceError("The number of samples cannot be negative.")
        totals = self.ws.totals.vendor_totals(prof, vids, rids) if vids else []
        if rids is None:  # every rubric the vendors were scored on
            rids = sorted({rid for t in totals for rid in t.rubrics})
        weights = self.ws.totals.rubric_weights(prof, rids)
        rubrics = self._rubrics(rids, totals)
        titles = _titles(rubrics)
        inputs = [self._vendor_input(t) for t in totals]
        criteria = [
            CriterionLine(r.id, c.id, c.title, prof.criterion_weights.get(f"{r.id}:{c.id}", c.weight))
            for rid in rids if (r := rubrics.get(rid)) is not None for c in r.criteria
        ]
        comparison = compare_vendors(
            inputs, rids, weights, rubric_titles=titles, profile_name=prof.name, samples=samples, seed=seed,
            criteria=criteria,
        )
        verdict = decide_verdict(ranked_vendors(comparison, totals), date or dt.date.today())
        costs = self.ws.commercials.totals([r.vendor_id for r in comparison.ranking])
        return replace(comparison, verdict=verdict, total_costs=costs)

    def rubrics(self, comparison: Comparison) -> dict[str, Rubric]:
        """The rubric version shown for each rubric of a comparison (newest scored, else newest known)."""
        out: dict[str, Rubric] = {}
        for rid in comparison.rubric_ids:
            best: Rubric | None = None
            for row in comparison.ranking:
                rs = row.rubric_scores.get(rid)
                if rs is not None and (best is None or version_key(rs.rubric_version) > version_key(best.version)):
                    best = self.ws.library.get(rid, rs.rubric_version) or best
            best = best or self.ws.library.latest(rid)
            if best is not None:
                out[rid] = best
        return out

    def _rubrics(self, rids: list[str], totals: list[VendorTotals]) -> dict[str, Rubric]:
        out: dict[str, Rubric] = {}
        for rid in rids:
            used = [t.rubrics[rid].rubric for t in totals if rid in t.rubrics]
            best = newest(used, lambda r: r.version) if used else self.ws.library.latest(rid)
            if best is not None:
                out[rid] = best
        return out

    @staticmethod
    def _vendor_input(t: VendorTotals) -> VendorInput:
        """The pure analysis input for one vendor: scores, evaluator spread and matrix cells."""
        cells: dict[tuple[str, str], MatrixCell] = {}
        spread: dict[str, int] = {}
        evaluators: dict[str, tuple[str, ...]] = {}
        for rid, result in t.rubrics.items():
            # each evaluator's level per criterion (non-answers left out), as scoring.criterion_spreads
            # does, without building its medians: this runs for every vendor on every refresh
            levels: dict[str, dict[str, int]] = {}
            for card in result.scorecards:
                for cid, sc in card.scores.items():
                    if sc.answer == Answer.LEVEL and sc.level is not None:
                        levels.setdefault(cid, {})[card.evaluator] = sc.level
            widest = [max(lv.values()) - min(lv.values()) for lv in levels.values() if len(lv) > 1]
            if widest:
                spread[rid] = max(widest)
            evaluators[rid] = tuple(sorted({c.evaluator for c in result.scorecards}))
            knocked = {k.criterion_id for k in result.score.knockouts}
            for cr in result.score.criteria:
                score = result.scores.get(cr.criterion_id)
                statuses = tuple(
                    t.claims[c].status for c in (score.claim_ids if score else []) if c in t.claims
                )
                lv = levels.get(cr.criterion_id, {})
                cells[(rid, cr.criterion_id)] = MatrixCell(
                    answer=cr.answer,
                    level=score.level if score is not None else None,
                    top=cr.top,
                    strength=cr.strength,
                    claim_statuses=statuses,
                    contradicted=cr.contradicted,
                    declined=cr.declined,
                    evaluator_levels=lv,
                    spread=(max(lv.values()) - min(lv.values())) if len(lv) > 1 else None,
                    knocked_out=cr.criterion_id in knocked,
                    not_applicable_reason=cr.not_applicable_reason,
                )
        return VendorInput(
            vendor_id=t.vendor.id,
            name=t.vendor.name,
            rubric_scores={rid: r.score for rid, r in t.rubrics.items()},
            rubric_spread=spread,
            evaluators=evaluators,
            cells=cells,
            decision=str(t.vendor.decision),
            conditions=tuple(t.vendor.conditions),
        )

    def as_json(self, comparison: Comparison) -> dict[str, Any]:
        """The JSON `vendoreval compare --format json` prints."""
        return comparison_json(comparison)

    def export(self, comparison: Comparison, path: Path | str, fmt: str | None = None) -> Path:
        """Write the comparison to CSV or XLSX (see ``export_comparison``)."""
        return export_comparison(self.ws, comparison, path, fmt)


def ranked_vendors(comparison: Comparison, totals: Sequence[VendorTotals]) -> list[RankedVendor]:
    """The verdict's input: each ranked vendor, best first, with its areas (weighted as compared) and claims."""
    by_id = {t.vendor.id: t for t in totals}
    out = []
    for row in comparison.ranking:
        t = by_id.get(row.vendor_id)
        if t is None:
            continue
        areas = tuple(AreaFacts(r.rubric, comparison.weights.get(rid, 1.0), r.score, r.scorecards)
                      for rid, r in sorted(t.rubrics.items()))
        claims = tuple(sorted(t.claims.values(), key=lambda c: c.id))
        out.append(RankedVendor(t.vendor, row.rank, row.overall, row.knocked_out, t.overall, areas, claims,
                                row.rank_stability))
    return out


def _titles(rubrics: dict[str, Rubric]) -> dict[str, str]:
    """Short names for sentences: a rubric's area when no other chosen rubric shares it, else its title."""
    areas = [r.area for r in rubrics.values()]
    return {rid: (r.area if areas.count(r.area) == 1 else r.title) for rid, r in rubrics.items()}


def row_json(row: VendorRow, comparison: Comparison) -> dict[str, Any]:
    """One ranking entry as JSON."""
    return {
        "vendor": row.name,
        "vendor_id": row.vendor_id,
        "rank": row.rank,
        "overall": _round(row.overall),
        "claimed": _round(row.claimed),
        "evidence_weighted": _round(row.evidence_weighted),
        "gap": _round(row.gap),
        **cost_json(comparison.total_costs.get(row.vendor_id)),
        "knocked_out": row.knocked_out,
        "knockout_reasons": list(row.knockout_reasons),
        "rank_stability": _round(row.rank_stability, 4),
        "scored_share": round(row.scored_share, 4),
        "missing_rubrics": list(row.missing_rubrics),
        "decision": row.decision,
        "conditions": list(row.conditions),
        # criteria the vendor's engagement context rules out: never knocked out, not counted
        "not_applicable": {
            f"{rid}/{cr.criterion_id}": cr.not_applicable_reason
            for rid in comparison.rubric_ids if (rs := row.rubric_scores.get(rid)) is not None
            for cr in rs.criteria if cr.not_applicable_reason is not None
        },
        "rubrics": {
            rid: {
                "claimed": _round(rs.claimed),
                "evidence_weighted": _round(rs.evidence_weighted),
                "gap": _round(rs.gap),
                "version": rs.rubric_version,
                "answered": rs.answered,
                "criteria": rs.total,
                "knocked_out": rs.knocked_out,
                "evaluator_spread": row.rubric_spread.get(rid),
            }
            for rid in comparison.rubric_ids if (rs := row.rubric_scores.get(rid)) is not None
        },
    }


def cost_json(total: TotalCost | None) -> dict[str, Any]:
    """A vendor's total cost over the term as JSON: exact decimal text and its currency (never converted)."""
    return {"total_cost": None if total is None else format(total.decimal(), "f"),
            "currency": None if total is None else total.currency}


def cost_text(total: TotalCost | None) -> str:
    """'EUR 42,500.50' ('—' when none is recorded)."""
    return "—" if total is None else total.text()


def cost_chart(comparison: Comparison) -> CostScoreChart:
    """Evidence-weighted score against total cost over the term for a comparison's vendors (domain.cost_chart):
    the chart the Compare page and the board brief draw, per currency (never converted)."""
    return cost_score_chart(
        ChartVendor(r.vendor_id, r.name, r.rank, r.overall, r.knocked_out, comparison.total_costs.get(r.vendor_id))
        for r in comparison.ranking)


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    """A comparison as plain JSON data (ranking best first, flip or null, and the sentences)."""
    flip = comparison.flip
    return {
        "profile": comparison.profile_name,
        "rubrics": list(comparison.rubric_ids),
        "rubric_titles": dict(comparison.rubric_titles),
        "weights": dict(comparison.weights),
        "shares": {r: round(s, 2) for r, s in comparison.shares.items()},
        "ranking": [row_json(r, comparison) for r in comparison.ranking],
        "flip": None if flip is None else {
            "rubric": flip.rubric_id,
            "rubric_title": flip.rubric_title,
            "from_share": round(flip.from_share, 2),
            "to_share": round(flip.to_share, 2),
            "swaps": list(flip.swaps),
            "sentence": flip.sentence,
        },
        "samples": comparison.samples,
        "seed": comparison.seed,
        "sentences": list(comparison.stability_sentences),
    }


def export_comparison(ws: Workspace, comparison: Comparison, path: Path | str, fmt: str | None = None) -> Path:
    """Write a comparison to CSV or XLSX (by ``fmt`` or the file suffix); the XLSX adds the vendors' claims."""
    from ..exchange.comparison_export import write_csv, write_xlsx

    p = Path(path)
    kind = (fmt or p.suffix.lstrip(".")).lower()
    if kind == "csv":
        return write_csv(comparison, p)
    if kind == "xlsx":
        wanted = {r.vendor_id for r in comparison.ranking}
        claims: dict[str, list[Claim]] = {}
        for c in ws.store.claims():
            if c.vendor_id in wanted:
                claims.setdefault(c.vendor_id, []).append(c)
        return write_xlsx(comparison, p, claims)
    raise ServiceError(f"{p}: choose a .csv or .xlsx file (got '{kind or 'no suffix'}').")
