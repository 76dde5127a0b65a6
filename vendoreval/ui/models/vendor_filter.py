"""Which vendors the list shows: search words (in the vendor's fields or its claims), decision, archived."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...domain.models import Decision, Vendor


@dataclass
class VendorFilter:
    """The vendor list's filter: search text (name, product, website, description, or a matching claim),
    decision and archived state. Plain Python: the list model applies it to all its rows at once, so Qt
    makes no call into Python per row (see ``VendorListModel``)."""

    text: str = ""
    decision: Decision | None = None
    show_archived: bool = False
    claim_matches: frozenset[str] = field(default_factory=frozenset)  # vendors with a claim matching the words

    def update(self, text: str, decision: Decision | None, show_archived: bool) -> None:
        """Take new filter values."""
        self.text, self.decision, self.show_archived = text.strip().casefold(), decision, show_archived

    def accepts(self, v: Vendor) -> bool:
        """True when the vendor matches the search, decision and archived filters."""
        if v.archived and not self.show_archived:
            return False
        if self.decision is not None and v.decision != self.decision:
            return False
        if self.text:
            hay = f"{v.name} {v.product} {v.website} {v.description}".casefold()
            return all(word in hay for word in self.text.split()) or v.id in self.claim_matches
        return True
