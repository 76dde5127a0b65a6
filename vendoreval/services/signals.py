"""Use case: the AI-washing signals of a comparison (domain.signals) with the claims and models on record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain.analysis import Comparison
from ..domain.models import Claim
from ..domain.signals import Signals, VendorSignals, ai_washing_signals
from ..domain.supply_chain import ModelUse
from .comparison import ComparisonService

if TYPE_CHECKING:
    from .workspace import Workspace


def signals_of(ws: Workspace, comparison: Comparison) -> Signals:
    """The signals of every vendor of ``comparison``, from its claims and the models recorded behind it."""
    wanted = {r.vendor_id for r in comparison.ranking}
    claims: dict[str, list[Claim]] = {}
    for c in ws.store.claims():
        if c.vendor_id in wanted:
            claims.setdefault(c.vendor_id, []).append(c)
    models: dict[str, list[ModelUse]] = {}
    for m in ws.store.vendor_models():
        if m.vendor_id in wanted:
            models.setdefault(m.vendor_id, []).append(m)
    return ai_washing_signals(comparison, claims, models)


def vendor_signals(ws: Workspace, vendor_id: str) -> tuple[VendorSignals | None, int]:
    """One vendor's signals among every vendor not archived (and itself) under the balanced weights, and the
    number of vendors compared. The ranks do not need the rank-stability samples: none are drawn."""
    service = ComparisonService(ws)
    ids = service.default_vendor_ids()
    if vendor_id not in ids:
        ids.append(vendor_id)
    comparison = service.compare(ids, samples=0)
    return signals_of(ws, comparison).of(vendor_id), len(comparison.ranking)
