"""The public record of each vendor (FMTI baselines of its models, contradicted claims, stale items)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..domain.public_record import PublicRecord
from ..domain.supply_chain import own_model_contradictions, provider_baselines
from .ageing import AgeingService, today
from .supply_chain import SupplyChainService, developer_aliases, relevance

if TYPE_CHECKING:
    from .workspace import Workspace


def public_records(ws: Workspace, vendor_ids: Sequence[str], as_of: dt.date | None = None) -> dict[str, PublicRecord]:
    """Per vendor: what is stale as of ``as_of`` (default today), the FMTI baseline of each model
    provider and the claims the record contradicts. One pass over the due items and baselines for all."""
    when = as_of or today()
    chain = SupplyChainService(ws)
    due = AgeingService(ws).stale_items(list(vendor_ids), when)
    baselines = chain.baselines()  # read once, not per vendor
    aliases, relevant = developer_aliases(), relevance()
    out: dict[str, PublicRecord] = {}
    for vid in vendor_ids:
        vendor = ws.vendors.get(vid)
        models = chain.models(vid)
        public = provider_baselines(models, baselines, aliases, relevant)
        claims = [(c.id, c.text) for c in ws.store.claims(vid)]
        out[vid] = PublicRecord(vid, vendor.name, when, tuple(public),
                                tuple(own_model_contradictions(claims, models, public)),
                                tuple(i for i in due if i.vendor_id == vid))
    return out
