"""Use cases on conditions to negotiate: each vendor's numbered list, and the proposals derived for it.

Conditions are records (domain.models.Condition): number 1..N per vendor, text, the vendor's current
position, our target, the walk-away point, an owner and the origin (typed, or accepted from a proposal).
``Vendor.conditions`` still reads their texts in number order. Every write goes through one unit of work
with its audit entries, re-numbers the list 1..N and raises the vendor's revision, so an edit made on
an older copy of the vendor (the profile tab's conditions box) is refused as stale.

Proposals come from domain.conditions.derive_proposals, for every vendor; the user accepts (with
edits) or drops them. A dropped proposal, and a removed condition that came from one, is remembered and
not proposed again while its cause is the same.
"""

from __future__ import annotations

import builtins
import functools
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..domain.conditions import (
    GENERIC_WORDING,
    ConditionWording,
    Proposal,
    RubricInput,
    derive_proposals,
    parse_key,
)
from ..domain.models import MANUAL_ORIGIN, Condition, Vendor, WeightProfile, utc_now
from ..domain.rules import check_decision
from ..paths import rubrics_dir
from .vendors import validation_message
from .workspace import ServiceError, check_fresh, on_latest

if TYPE_CHECKING:
    from .workspace import UnitOfWork, Workspace

#: The fields of a condition a user edits (``set``), in the order the CLI and the app show them.
EDITABLE = ("text", "current", "target", "walk_away", "owner")
_LABELS = {"text": "text", "current": "current position", "target": "target", "walk_away": "walk-away",
           "owner": "owner", "number": "number"}


class ConditionError(ServiceError):
    """A condition request refused; ``field`` names what to change (number, text, key, ...)."""


def wording_file() -> Path:
    """The shipped condition wording (rubrics/data/condition-wording.toml)."""
    return rubrics_dir() / "data" / "condition-wording.toml"


@functools.lru_cache(maxsize=4)
def _wording_at(path: str, mtime: float) -> ConditionWording:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        return ConditionWording.from_data(data, path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError) as exc:
        raise ServiceError(f"{path}: the condition wording cannot be read ({exc}).", file=path) from None


def load_wording(path: Path | None = None) -> ConditionWording:
    """The condition wording from ``path`` (default: the shipped file); generic texts when there is none."""
    path = path or wording_file()
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return GENERIC_WORDING
    return _wording_at(str(path), mtime)


class ConditionService:
    """Conditions to negotiate, and the proposals derived from scores and claims."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # --- reading --------------------------------------------------------------------------------------

    def list(self, vendor_id: str) -> builtins.list[Condition]:
        """The vendor's conditions in number order (NotFound for an unknown vendor)."""
        self.ws.vendors.get(vendor_id)
        return self.ws.store.conditions(vendor_id)

    def get(self, vendor_id: str, number: int) -> Condition:
        """The vendor's condition with this number (ConditionError naming 'number' when there is none)."""
        conditions = self.list(vendor_id)
        return self._at(conditions, number, self.ws.vendors.get(vendor_id))

    def _at(self, conditions: builtins.list[Condition], number: int, vendor: Vendor) -> Condition:
        for c in conditions:
            if c.number == number:
                return c
        have = f"it has 1..{len(conditions)}" if conditions else "it has none"
        raise ConditionError.at(f"{vendor.name} has no condition {number} ({have})", field="number")

    def dropped(self, vendor_id: str) -> dict[str, dict[str, str]]:
        """The proposals dropped for a vendor: key -> text, when, who."""
        return self.ws.store.dropped_proposals(vendor_id)

    def propose(self, vendor_id: str, profile: WeightProfile | None = None) -> builtins.list[Proposal]:
        """The conditions the vendor's scores and claims suggest, not yet accepted or dropped.

        Weights are the effective ones under ``profile`` (default: the current weight profile).
        """
        vendor = self.ws.vendors.get(vendor_id)
        profile = profile or self.ws.profiles.get(None)
        totals = self.ws.totals.vendor_totals(profile, vendor_ids=[vendor.id], include_archived=True)
        inputs: builtins.list[RubricInput] = []
        claims = self.ws.store.claims(vendor.id)
        context = None
        if totals:
            t = totals[0]
            context = t.context
            inputs = [RubricInput(r.rubric, r.score) for r in t.rubrics.values()]
        scored = {i.rubric.id for i in inputs}
        for rid in sorted({ref.rubric_id for c in claims for ref in c.criteria} - scored):
            rubric = self.ws.library.latest(rid)
            if rubric is not None:
                inputs.append(RubricInput(rubric, None))
        return derive_proposals(vendor.id, inputs, claims, load_wording(),
                                criterion_weights=profile.criterion_weights, context=context,
                                accepted=self.ws.store.conditions(vendor.id),
                                dropped=self.ws.store.dropped_proposals(vendor.id))

    def proposal(self, vendor_id: str, key: str) -> Proposal:
        """One current proposal by key (ConditionError naming 'key' when it is not proposed now)."""
        proposals = self.propose(vendor_id)
        for p in proposals:
            if p.key == key:
                return p
        vendor = self.ws.vendors.get(vendor_id)
        now = ", ".join(p.key for p in proposals) or "none"
        why = " (it was dropped)" if key in self.ws.store.dropped_proposals(vendor_id) else ""
        raise ConditionError.at(f"'{key}' is not a proposed condition for {vendor.name}{why}; proposed now: {now}",
                                field="key")

    # --- writing --------------------------------------------------------------------------------------

    def _fields(self, fields: Mapping[str, Any]) -> dict[str, str]:
        unknown = set(fields) - set(EDITABLE)
        if unknown:
            name = sorted(unknown)[0]
            raise ConditionError.at(f"a condition has no field '{name}'; fields: {', '.join(EDITABLE)}", field=name)
        out = {}
        for key, value in fields.items():
            if value is None:
                continue
            if not isinstance(value, str):
                raise ConditionError.at(f"the {_LABELS[key]} must be text", field=key)
            out[key] = value
        return out

    def _validated(self, data: dict[str, Any]) -> Condition:
        try:
            return Condition.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else None
            raise ConditionError.at(f"invalid condition: {validation_message(exc)}", field=field) from None

    def _write(self, uow: UnitOfWork, vendor: Vendor, conditions: builtins.list[Condition]) -> Vendor:
        """Inside the unit: store the vendor's whole list (numbered 1..N) and raise the vendor's revision."""
        check_fresh(self.ws.store.vendor(vendor.id), vendor.revision, f"Vendor {vendor.name}", field="conditions")
        ordered = [c if c.number == i else c.model_copy(update={"number": i})
                   for i, c in enumerate(conditions, start=1)]
        self.ws.store.replace_conditions(vendor.id, ordered)
        updated = vendor.model_copy(update={"conditions": [c.text for c in ordered], "updated_at": utc_now(),
                                            "revision": vendor.revision + 1})
        self.ws.store.save_vendor(updated)
        uow.changed("vendor", vendor.id, vendor.id)
        uow.changed("condition", vendor.id, vendor.id)
        return updated

    def _check_rule(self, vendor: Vendor, after: builtins.list[Condition]) -> None:
        """The decision's rule (domain.rules.check_decision) on the records the vendor will have."""
        check_decision(vendor.decision, after)

    @on_latest
    def add(self, vendor_id: str, text: str, *, origin: str = MANUAL_ORIGIN, expected_revision: int | None = None,
            **fields: Any) -> Condition:
        """Add a condition at the end of the vendor's list (fields: current, target, walk_away, owner)."""
        vendor = self.ws.vendors.get(vendor_id)
        if expected_revision is not None:
            check_fresh(vendor, expected_revision, f"Vendor {vendor.name}", field="conditions")
        values = self._fields(fields)
        existing = self.ws.store.conditions(vendor_id)
        if not isinstance(text, str):
            raise ConditionError.at("the text must be text", field="text")
        now = utc_now()
        condition = self._validated({"vendor_id": vendor_id, "number": len(existing) + 1, "text": text,
                                     "origin": origin, "created_at": now, "updated_at": now, **values})
        if condition.text in {c.text for c in existing}:
            raise ConditionError.at(f"{vendor.name} already has the condition “{condition.text}”", field="text")
        self._check_rule(vendor, [*existing, condition])
        with self.ws.unit_of_work() as uow:
            self._write(uow, vendor, [*existing, condition])
            uow.audit("create", "condition", condition.id, vendor_id=vendor_id, field="text", new=condition.text,
                      summary=f"Condition {condition.number} for {vendor.name}: {condition.text}"
                              + (" (accepted proposal)" if origin != MANUAL_ORIGIN else ""))
        return condition

    @on_latest
    def set(self, vendor_id: str, number: int, *, expected_revision: int | None = None,
            **fields: Any) -> Condition:
        """Change fields of condition ``number`` (text, current, target, walk_away, owner; ``new_number``
        moves it). ``expected_revision``: the condition's revision the edit was made on (StaleEdit if it moved on)."""
        vendor = self.ws.vendors.get(vendor_id)
        move = fields.pop("new_number", None)
        values = self._fields(fields)
        existing = self.ws.store.conditions(vendor_id)
        condition = self._at(existing, number, vendor)
        changes = {k: v for k, v in values.items() if getattr(condition, k) != v.strip()}
        if move is not None and (not isinstance(move, int) or not 1 <= move <= len(existing)):
            raise ConditionError.at(f"number {move} is out of range 1..{len(existing)}", field="number")
        if not changes and (move is None or move == number):
            return condition
        updated = self._validated({**condition.model_dump(), **changes, "updated_at": utc_now(),
                                   "revision": condition.revision})
        if "text" in changes and updated.text in {c.text for c in existing if c.id != condition.id}:
            raise ConditionError.at(f"{vendor.name} already has the condition “{updated.text}”", field="text")
        rest = [c for c in existing if c.id != condition.id]
        position = (move if move is not None else number) - 1
        after = [*rest[:position], updated, *rest[position:]]
        with self.ws.unit_of_work() as uow:
            what = f"Condition {number} of {vendor.name}"
            if expected_revision is not None:
                check_fresh(condition, expected_revision, what, field=next(iter(changes), "number"))
            stored = {c.id: c for c in self.ws.store.conditions(vendor_id)}
            check_fresh(stored.get(condition.id), condition.revision, what, field=next(iter(changes), "number"))
            self._write(uow, vendor, after)
            for key in changes:
                uow.audit("update", "condition", condition.id, vendor_id=vendor_id, field=key,
                          old=getattr(condition, key), new=getattr(updated, key),
                          summary=f"Changed the {_LABELS[key]} of condition {number} for {vendor.name}")
            if move is not None and move != number:
                uow.audit("move", "condition", condition.id, vendor_id=vendor_id, field="number", old=number,
                          new=move, summary=f"Moved condition {number} for {vendor.name} to {move}")
        return self.ws.store.conditions(vendor_id)[position]

    @on_latest
    def remove(self, vendor_id: str, number: int, *, expected_revision: int | None = None,
               remember_drop: bool = True) -> Condition:
        """Remove condition ``number``; the ones after it move up (1..N stays contiguous). A removed condition
        that came from a proposal is remembered as dropped (unless ``remember_drop`` is False: the undo of an
        accept). Returns it (``restore`` puts it back)."""
        vendor = self.ws.vendors.get(vendor_id)
        existing = self.ws.store.conditions(vendor_id)
        condition = self._at(existing, number, vendor)
        after = [c for c in existing if c.id != condition.id]
        self._check_rule(vendor, after)
        with self.ws.unit_of_work() as uow:
            if expected_revision is not None:
                check_fresh(condition, expected_revision, f"Condition {number} of {vendor.name}", field="number")
            self._write(uow, vendor, after)
            if remember_drop and parse_key(condition.origin) is not None:
                self.ws.store.save_dropped_proposal(vendor_id, condition.origin, condition.text, uow.at, uow.actor)
            uow.audit("delete", "condition", condition.id, vendor_id=vendor_id, field="text", old=condition.text,
                      summary=f"Removed condition {number} for {vendor.name}: {condition.text}")
        return condition

    @on_latest
    def restore(self, condition: Condition) -> Condition:
        """Put a removed condition back at its number (undo of ``remove``; a drop it caused is forgotten)."""
        vendor = self.ws.vendors.get(condition.vendor_id)
        existing = self.ws.store.conditions(vendor.id)
        if any(c.id == condition.id for c in existing):
            raise ConditionError.at(f"condition “{condition.text}” is there already", field="number")
        position = min(condition.number, len(existing) + 1) - 1
        after = [*existing[:position], condition, *existing[position:]]
        self._check_rule(vendor, after)
        with self.ws.unit_of_work() as uow:
            self._write(uow, vendor, after)
            if parse_key(condition.origin) is not None:
                self.ws.store.forget_dropped_proposal(vendor.id, condition.origin)
            uow.audit("restore", "condition", condition.id, vendor_id=vendor.id, field="text", new=condition.text,
                      summary=f"Restored condition {position + 1} for {vendor.name}: {condition.text}")
        return condition

    def accept(self, vendor_id: str, key: str, **edits: Any) -> Condition:
        """Accept a proposal as the vendor's next condition, with ``edits`` (text, current, target, walk_away,
        owner) applied; its origin is the proposal's key."""
        proposal = self.proposal(vendor_id, key)
        values = self._fields(edits)
        text = values.pop("text", None) or proposal.text
        return self.add(vendor_id, text, origin=proposal.key, current=values.get("current"),
                        target=values.get("target"), walk_away=values.get("walk_away"), owner=values.get("owner"))

    def accept_all(self, vendor_id: str) -> builtins.list[Condition]:
        """Accept every current proposal as it is, in the order proposed (one unit of work)."""
        proposals = self.propose(vendor_id)
        if not proposals:
            return []
        with self.ws.unit_of_work():
            return [self.add(vendor_id, p.text, origin=p.key) for p in proposals]

    def drop(self, vendor_id: str, key: str) -> Proposal:
        """Drop a proposal: it is remembered and not proposed again while its cause is the same."""
        proposal = self.proposal(vendor_id, key)
        vendor = self.ws.vendors.get(vendor_id)
        with self.ws.unit_of_work() as uow:
            self.ws.store.save_dropped_proposal(vendor_id, key, proposal.text, uow.at, uow.actor)
            uow.audit("drop", "condition", key, vendor_id=vendor_id, field="proposal", old=proposal.text,
                      summary=f"Dropped the proposed condition for {vendor.name}: {proposal.text}")
            uow.changed("condition", vendor_id, vendor_id)
        return proposal

    def undrop(self, vendor_id: str, key: str) -> None:
        """Propose a dropped proposal again (undo of ``drop``)."""
        vendor = self.ws.vendors.get(vendor_id)
        if key not in self.ws.store.dropped_proposals(vendor_id):
            raise ConditionError.at(f"'{key}' was not dropped for {vendor.name}", field="key")
        with self.ws.unit_of_work() as uow:
            self.ws.store.forget_dropped_proposal(vendor_id, key)
            uow.audit("undrop", "condition", key, vendor_id=vendor_id, field="proposal",
                      summary=f"Proposed again for {vendor.name}: {key}")
            uow.changed("condition", vendor_id, vendor_id)
