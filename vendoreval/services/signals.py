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


def workspace_signals(ws: Workspace, also: str | None = None) -> Signals:
    """The signals of every vendor not archived (and ``also``, archived or not) under the balanced weights.
    The ranks do not need the rank-stability samples: none are drawn."""
    service = ComparisonService(ws)
    ids = service.default_vendor_ids()
    if also is not None and also not in ids:
        ws.vendors.get(also)  # NotFound when it was deleted
        ids.append(also)
    return signals_of(ws, service.compare(ids, samples=0))


def vendor_signals(ws: Workspace, vendor_id: str) -> tuple[VendorSignals | None, int]:
    """One vendor's signals among every vendor not archived (and itself), and the number of vendors compared."""
    signals = workspace_signals(ws, vendor_id)
    return signals.of(vendor_id), len(signals.vendors)
