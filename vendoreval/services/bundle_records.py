"""Bundle format 2: the team's owned records (decisions, conditions, agreed scores, engagement contexts,
commercials, risk notes, models, and claim edits) — what an export carries, and what an import may add or
replace under the ownership rule (docs/bundles.md, "Who may change what").

Each record is owned by the key that created it: a record made here is owned by this workspace's key (by
nobody when it had none, so no bundle may replace it), one that first arrived in a bundle by the key the
bundle vouches for. Only a bundle signed by the owner key, trusted here, with a higher revision replaces
it; anything else is refused for that record, with the reason, while the rest of the bundle imports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ..domain.commercials import AMOUNT_FIELDS
from ..domain.commercials import FIELDS as COMMERCIAL_FIELDS
from ..domain.context import VendorContext
from ..domain.models import AgreedScore, Claim, Condition, Decision
from ..domain.risks import RiskNote
from ..domain.supply_chain import ModelUse
from ..exchange.bundle import (
    BundleContent,
    ClaimStamp,
    CommercialsRecord2,
    ConditionRecord,
    ContextRecord2,
    DecisionRecord,
    ModelRecord2,
    Owned,
    RiskNoteRecord2,
    Signer,
    record_key,
)
from ..store.repositories.owners import DecisionPosition
from .identity import group_fingerprint

if TYPE_CHECKING:
    from ..store.store import Store

#: section -> (the entity name in record_owners and the audit log, the noun for the user).
KINDS: dict[str, tuple[str, str]] = {
    "claims": ("claim", "claim"),
    "decisions": ("decision", "decision"),
    "conditions": ("condition", "condition"),
    "agreed_scores": ("agreed_score", "agreed score"),
    "contexts": ("engagement_context", "engagement context"),
    "commercials": ("commercials", "commercial terms record"),
    "risks": ("risk_note", "risk note"),
    "models": ("vendor_model", "model entry"),
}
#: The owned sections in the order they are planned and written.
SECTIONS = ("decisions", "conditions", "agreed_scores", "contexts", "commercials", "risks", "models")


@dataclass
class Incoming:
    """One owned record of a bundle that may come in: what it is, whose, at which revision."""

    section: str
    key: str  # record_key after the vendor id is mapped to this workspace's
    record: Any  # the bundle's record (vendor id mapped)
    revision: int
    owner: str  # the key that will own it here ('' for nobody: an unsigned bundle)
    words: str
    local_revision: int | None = None  # the revision it replaces (None: a new record)

    @property
    def noun(self) -> str:
        """What kind of record, in words."""
        return KINDS[self.section][1]

    @property
    def entity(self) -> str:
        """The entity name in record_owners and the audit log."""
        return KINDS[self.section][0]

    @property
    def vendor_id(self) -> str | None:
        """The vendor the record belongs to (None for the evaluation as a whole)."""
        return getattr(self.record, "vendor_id", None) or None


@dataclass(frozen=True)
class Dispute:
    """An agreed score a trusted colleague's bundle carries with another answer than yours, which the ownership
    rule does not let in (it is yours, or theirs at a revision you already have): the team disagrees on it
    until its owner records it again. Kept by the team sync and shown on the Consensus page."""

    key: str  # record_key: vendor + rubric hash + criterion
    vendor_id: str
    rubric_id: str
    rubric_hash: str
    criterion_id: str
    words: str
    yours: str  # your agreed score in words ('level 3')
    theirs: str  # theirs in words
    by: str  # the signer's name
    fingerprint: str
    revision: int  # theirs
    yours_mine: bool  # True: the agreed score is owned by your key (they changed yours)

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def line(self, yours: str | None = None) -> str:
        """The sentence a sync prints (``yours``: your agreed score now, when it changed since)."""
        yours = yours or self.yours
        if self.yours_mine:
            return (f"{self.words}: changed by {self.by} to {self.theirs}, not taken: yours ({yours}) is kept, "
                    f"the team disagrees; resolve it on the Consensus page (record the agreed score you settle on)")
        return (f"{self.words}: {self.by}'s agreed score is {self.theirs}, yours here is {yours}, not taken: only "
                f"{self.by}'s key changes it for the team; resolve it on the Consensus page (ask {self.by} to record "
                "the agreed score you settle on)")


def agreed_words(record: Any) -> str:
    """An agreed score's answer in words: 'level 3', 'not applicable'."""
    if getattr(record, "level", None) is not None:
        return f"level {record.level}"
    return str(getattr(record.answer, "value", record.answer)).replace("_", " ")


# --- from the store to the bundle and back ---------------------------------------------------------------


def commercials_dump(c: Any) -> dict[str, Any]:
    """One vendor's terms as records carry them (amounts as exact decimal text; unrecorded terms left out)."""
    out: dict[str, Any] = {"vendor_id": c.vendor_id, "updated_at": c.updated_at}
    for f in COMMERCIAL_FIELDS:
        value = c.value(f)
        if value not in (None, ""):
            out[f] = c.field_text(f) if f in AMOUNT_FIELDS else value
    return out


def note_dump(n: RiskNote) -> dict[str, Any]:
    """A risk note's user fields (no revision)."""
    out: dict[str, Any] = {"kind": n.kind, "vendor_id": n.vendor_id, "criterion": n.criterion, "owner": n.owner,
                           "mitigation": n.mitigation, "residual": n.residual, "updated_at": n.updated_at}
    for f in ("impact", "likelihood"):
        if getattr(n, f) is not None:
            out[f] = getattr(n, f)
    return out


def _wire(section: str, obj: Any) -> BaseModel:
    """A stored record as the bundle section carries it (validated as a reader would)."""
    if section == "conditions":
        return ConditionRecord.model_validate(obj.model_dump())
    if section == "agreed_scores":
        return AgreedScore.model_validate(obj.model_dump())
    if section == "contexts":
        return ContextRecord2.model_validate({"vendor_id": obj.vendor_id, "answers": obj.context.as_json(),
                                              "updated_at": obj.updated_at})
    if section == "commercials":
        return CommercialsRecord2.model_validate(commercials_dump(obj))
    if section == "risks":
        return RiskNoteRecord2.model_validate(note_dump(obj))
    if section == "models":
        return ModelRecord2.model_validate({
            "id": obj.id, "vendor_id": obj.vendor_id, "provider": obj.provider, "model": obj.model,
            "version": obj.version, "own": obj.own, "note": obj.note, "created_at": obj.created_at,
            "updated_at": obj.updated_at})
    raise KeyError(section)


def local_records(store: Store, section: str) -> dict[str, tuple[BaseModel, int]]:
    """Every stored record of a section by its key: (as the bundle carries it, its revision)."""
    items: list[Any]
    if section == "conditions":
        items = store.conditions()
    elif section == "agreed_scores":
        items = store.agreed_scores()
    elif section == "contexts":
        items = store.engagement_contexts()
    elif section == "commercials":
        items = store.commercials_all()
    elif section == "risks":
        items = store.risk_notes()
    elif section == "models":
        items = store.vendor_models()
    else:
        raise KeyError(section)
    out: dict[str, tuple[BaseModel, int]] = {}
    for obj in items:
        wire = _wire(section, obj)
        out[record_key(section, wire)] = (wire, max(1, int(obj.revision)))
    return out


def owned_content(store: Store, vendor_ids: set[str], own_fp: str | None, evaluator: str,
                  vendors: list[Any], claims: list[Claim]) -> dict[str, Any]:
    """The format-2 sections of an export of ``vendor_ids``: each record with its owner and revision.

    A record made here is stamped with ``own_fp`` (None when there is no key: nobody vouches for it); one
    that came from a colleague keeps its owner. The vendor's decision is this workspace's own position.
    """
    def owner_of(entity: str) -> Callable[[str], str | None]:
        owners = store.record_owners(entity)

        def of(key: str) -> str | None:
            if key in owners:
                return owners[key][0] or None
            return own_fp
        return of

    out: dict[str, Any] = {}
    claim_owner = owner_of("claim")
    out["claim_stamps"] = [ClaimStamp(id=c.id, owner=claim_owner(c.id), revision=max(1, c.revision)) for c in claims]
    decisions: list[Owned[DecisionRecord]] = []
    for v in vendors:
        if v.decision == Decision.NOT_STARTED and not v.conditions:
            continue  # no position taken (yet): nothing to show colleagues
        decisions.append(Owned[DecisionRecord](owner=own_fp, revision=max(1, v.revision), record=DecisionRecord(
            vendor_id=v.id, decision=v.decision, conditions=list(v.conditions), decided_by=evaluator,
            decided_at=v.updated_at)))
    for p in store.decision_positions():
        if p.vendor_id in vendor_ids and p.owner and p.owner != own_fp:
            decisions.append(Owned[DecisionRecord](owner=p.owner, revision=p.revision, record=DecisionRecord(
                vendor_id=p.vendor_id, decision=Decision(p.decision), conditions=list(p.conditions),
                decided_by=p.decided_by, decided_at=p.decided_at)))
    out["decisions"] = decisions
    for section in SECTIONS[1:]:
        of = owner_of(KINDS[section][0])
        items = []
        ordered = sorted(local_records(store, section).items(),  # conditions in their list's order
                         key=lambda kv: (getattr(kv[1][0], "vendor_id", ""), getattr(kv[1][0], "number", 0), kv[0]))
        for key, (wire, revision) in ordered:
            vendor = getattr(wire, "vendor_id", "")
            if vendor in vendor_ids or (section == "risks" and vendor == ""):
                items.append({"owner": of(key), "revision": revision, "record": wire})
        out[section] = items
    return out


def _same(section: str, a: BaseModel, b: BaseModel) -> bool:
    skip = {"vendor_id", "number"} if section == "conditions" else {"vendor_id"}
    return a.model_dump(mode="json", exclude=skip) == b.model_dump(mode="json", exclude=skip)


def words(section: str, record: Any, vendor_names: dict[str, str]) -> str:
    """Which record, in words: 'Acme AI — condition 2 "Cap IP indemnity"'."""
    vendor = vendor_names.get(getattr(record, "vendor_id", ""), getattr(record, "vendor_id", "")) or "the evaluation"
    noun = KINDS[section][1]
    if section == "claims":
        return f"{vendor} — claim \"{record.text[:60]}\""
    if section == "decisions":
        by = f" by {record.decided_by}" if record.decided_by else ""
        return f"{vendor} — decision {Decision(record.decision).label}{by}"
    if section == "conditions":
        return f"{vendor} — condition \"{record.text[:60]}\""
    if section == "agreed_scores":
        return f"{vendor} — agreed score {record.rubric_id}/{record.criterion_id}"
    if section == "risks":
        return f"{vendor} — risk note {record.kind}" + (f" {record.criterion}" if record.criterion else "")
    if section == "models":
        return f"{vendor} — model {record.provider} {record.model}"
    return f"{vendor} — {noun}"


# --- the ownership rule ---------------------------------------------------------------------------------


def new_record_problem(noun: str, stamp: str | None, signer: Signer | None, trusted: bool,
                       names: dict[str, str]) -> str | None:
    """Why a record new to this workspace may not come in with this bundle (None when it may); the rule of
    ``bundles._new_card_problem`` for scorecards."""
    if stamp is None:
        return None
    who = names.get(stamp, "")
    whose = f"{who}'s key" if who else "the key"
    if signer is None:
        return (f"it is stamped with {whose} {group_fingerprint(stamp)}, but the bundle is unsigned: nothing "
                "shows it comes from that key")
    if stamp != signer.fingerprint and not trusted:
        return (f"it is stamped with {whose} {group_fingerprint(stamp)}, but signed by {signer.name}'s key "
                f"{group_fingerprint(signer.fingerprint)}, which you have not trusted: an untrusted signer may only "
                f"bring its own {noun}s")
    return None


def owner_of_new(stamp: str | None, signer: Signer | None, trusted: bool) -> str:
    """Who owns a record that first arrives in this bundle ('' for nobody: an unsigned bundle)."""
    if signer is None:
        return ""
    if trusted and stamp:
        return stamp
    return signer.fingerprint


def replace_problem(noun: str, owner: str | None, signer: Signer | None, trusted: bool, takeovers: dict[str, str],
                    own_fp: str | None, names: dict[str, str], revision: int, local_revision: int) -> str | None:
    """Why this bundle may not replace a record owned by ``owner`` here (None when it may): only its owner's
    trusted key, with a higher revision; the rule of ``bundles._replace_problem`` for scorecards."""
    mine = own_fp is not None and owner == own_fp
    if signer is None:
        yours = " (and this one is yours)" if mine else ""
        return f"the bundle is unsigned; an unsigned bundle may add new {noun}s but never replace one{yours}"
    if not owner:
        return ("no key owns it here (it was made here before you had a signing key, or came in an unsigned "
                "bundle), so no bundle may replace it")
    owner = takeovers.get(owner, owner)
    by = f"this bundle is signed by {signer.name}'s key {group_fingerprint(signer.fingerprint)}"
    if owner != signer.fingerprint:
        if mine:
            return f"it is your own {noun} (your key {group_fingerprint(owner)}); {by}"
        who = names.get(owner, "")
        return f"it belongs to {who + chr(39) + 's key' if who else 'the key'} {group_fingerprint(owner)}; {by}"
    if not trusted:
        return (f"it belongs to the key that signed this bundle, but you have not trusted that key; trust it "
                f"(--trust-key {signer.fingerprint}) to let it replace the {noun}")
    if revision <= local_revision:
        return (f"its revision {revision} is not higher than yours ({local_revision}): only a higher revision "
                "from its owner replaces it")
    return None


@dataclass
class Rules:
    """What the ownership rule needs to know about the bundle and this workspace."""

    signer: Signer | None
    trusted: bool
    takeovers: dict[str, str]
    own_fp: str | None
    names: dict[str, str]


def plan_owned(store: Store, content: BundleContent, vendor_map: dict[str, str], vendor_names: dict[str, str],
               rules: Rules, disputes: list[Dispute] | None = None
               ) -> tuple[list[Incoming], list[tuple[str, str]], int]:
    """(records that come in — new or replacing, records refused with why, how many are unchanged). Agreed
    scores of a trusted signer refused with another answer than yours are added to ``disputes``."""
    incoming: list[Incoming] = []
    refused: list[tuple[str, str]] = []
    unchanged = 0
    positions = {(p.vendor_id, p.owner): p for p in store.decision_positions()}
    for item in content.decisions:
        rec = item.record.model_copy(update={"vendor_id": vendor_map.get(item.record.vendor_id,
                                                                         item.record.vendor_id)})
        text = words("decisions", rec, vendor_names)
        if rules.own_fp is not None and item.owner == rules.own_fp:
            unchanged += 1  # your own decision, back from a colleague: the vendor's decision is yours already
            continue
        owner = owner_of_new(item.owner, rules.signer, rules.trusted)
        if rules.own_fp is not None and owner == rules.own_fp:
            unchanged += 1
            continue
        key = f"{rec.vendor_id} {owner}"
        position = positions.get((rec.vendor_id, owner))
        if position is None:
            problem = new_record_problem("decision", item.owner, rules.signer, rules.trusted, rules.names)
            if problem is not None:
                refused.append((text, problem))
            else:
                incoming.append(Incoming("decisions", key, rec, item.revision, owner, text))
            continue
        if (position.decision, list(position.conditions)) == (rec.decision.value, rec.conditions):
            unchanged += 1  # the same position (the vendor record it comes from changed in some other way)
            continue
        problem = replace_problem("decision", position.owner, rules.signer, rules.trusted, rules.takeovers,
                                  rules.own_fp, rules.names, item.revision, position.revision)
        if problem is not None:
            refused.append((text, problem))
        else:
            incoming.append(Incoming("decisions", key, rec, item.revision, position.owner, text, position.revision))
    for section in SECTIONS[1:]:
        entity, noun = KINDS[section]
        items: list[Owned[Any]] = getattr(content, section)
        if not items:
            continue
        local_all = local_records(store, section)
        owners = store.record_owners(entity)
        for item in items:
            vid = item.record.vendor_id
            rec = item.record.model_copy(update={"vendor_id": vendor_map.get(vid, vid)}) if vid else item.record
            key = record_key(section, rec)
            text = words(section, rec, vendor_names)
            local = local_all.get(key)
            if local is None:
                problem = new_record_problem(noun, item.owner, rules.signer, rules.trusted, rules.names)
                if problem is None and section == "conditions":
                    problem = _duplicate_condition(store, rec, {i.record.text for i in incoming
                                                                if i.section == "conditions"
                                                                and i.record.vendor_id == rec.vendor_id})
                if problem is not None:
                    refused.append((text, problem))
                else:
                    incoming.append(Incoming(section, key, rec, item.revision,
                                             owner_of_new(item.owner, rules.signer, rules.trusted), text))
                continue
            wire, local_revision = local
            if _same(section, wire, rec):
                unchanged += 1
                continue
            # The revision to beat: the one its owner last sent (a local edit of a colleague's record does not
            # hold back their next revision), or the stored one for a record made here.
            local_owner, sent = owners.get(key, (rules.own_fp, local_revision))
            problem = replace_problem(noun, local_owner, rules.signer, rules.trusted, rules.takeovers, rules.own_fp,
                                      rules.names, item.revision, sent)
            if problem is not None:
                refused.append((text, problem))
                if disputes is not None and section == "agreed_scores":
                    dispute = _dispute(key, wire, rec, text, item.revision, rules, local_owner)
                    if dispute is not None:
                        disputes.append(dispute)
            else:
                assert rules.signer is not None
                incoming.append(Incoming(section, key, rec, item.revision, rules.signer.fingerprint, text, sent))
    return incoming, refused, unchanged


def _dispute(key: str, yours: Any, theirs: Any, text: str, revision: int, rules: Rules,
             owner: str | None) -> Dispute | None:
    """The disagreement an agreed score of a trusted signer that was not taken leaves (None when the answers are
    the same: only the rationale or who recorded it differ, or the signer is not trusted)."""
    if rules.signer is None or not rules.trusted or (yours.answer, yours.level) == (theirs.answer, theirs.level):
        return None
    return Dispute(key, theirs.vendor_id, theirs.rubric_id, theirs.rubric_hash, theirs.criterion_id, text,
                   agreed_words(yours), agreed_words(theirs), rules.signer.name, rules.signer.fingerprint, revision,
                   rules.own_fp is not None and owner == rules.own_fp)


def _duplicate_condition(store: Store, rec: Any, arriving: set[str]) -> str | None:
    """Why a new condition record cannot be added to its vendor's list: the list has that text already."""
    if rec.text in {c.text for c in store.conditions(rec.vendor_id)} | arriving:
        return f"the vendor already has the condition “{rec.text}” (as another record); add it there if needed"
    return None


def claim_problem(stamp: ClaimStamp, owner: str | None, sent: int, rules: Rules) -> str | None:
    """Why a claim of the bundle may not replace the stored one, owned by ``owner`` and last sent by it at
    revision ``sent`` (None when it may)."""
    return replace_problem("claim", owner, rules.signer, rules.trusted, rules.takeovers, rules.own_fp, rules.names,
                           stamp.revision, sent)


def write_owned(store: Store, item: Incoming) -> None:
    """Store one record exactly as the bundle carries it (inside the import's transaction)."""
    rec = item.record
    if item.section == "decisions":
        store.save_decision_position(DecisionPosition(
            rec.vendor_id, item.owner, rec.decided_by, Decision(rec.decision).value, tuple(rec.conditions),
            rec.decided_at, item.revision))
        return
    if item.section == "conditions":
        existing = store.conditions(rec.vendor_id)
        mine = next((c for c in existing if c.id == rec.id), None)
        number = mine.number if mine is not None else max((c.number for c in existing), default=0) + 1
        data = rec.model_dump()
        data["number"] = number
        store.put_condition_exact(Condition.model_validate(data), item.revision)
    elif item.section == "agreed_scores":
        store.put_agreed_exact(AgreedScore.model_validate(rec.model_dump()), item.revision)
    elif item.section == "contexts":
        store.put_context_exact(VendorContext(rec.vendor_id, rec.context, rec.updated_at), item.revision)
    elif item.section == "commercials":
        store.put_commercials_exact(rec.record(), item.revision)
    elif item.section == "risks":
        store.put_risk_note_exact(rec.note(), item.revision)
    elif item.section == "models":
        store.put_model_exact(ModelUse(vendor_id=rec.vendor_id, provider=rec.provider, model=rec.model,
                                       version=rec.version, own=rec.own, note=rec.note, id=rec.id,
                                       created_at=rec.created_at, updated_at=rec.updated_at), item.revision)
    store.set_record_owner(item.entity, item.key, item.owner, item.revision)
