"""Use cases on bundles: export selected scorecards signed; preview, verify and merge a colleague's bundle."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..domain.models import Claim, Decision, Evidence, EvidenceKind, Scorecard, ScorecardStatus, Vendor, utc_now
from ..domain.rubric import Rubric
from ..domain.text import plural
from ..exchange import ExchangeError
from ..exchange.bundle import (
    Bundle,
    BundleContent,
    Handover,
    Limits,
    Manifest,
    SignatureState,
    Signer,
    check_bundle_target,
    handover_problem,
    read_bundle,
    write_bundle,
)
from ..files import display_name
from ..store.blobs import BlobError
from ..store.repositories.owners import DecisionPosition
from .bundle_records import (
    SECTIONS,
    Dispute,
    Incoming,
    Rules,
    claim_problem,
    new_record_problem,
    owned_content,
    owner_of_new,
    plan_owned,
    words,
    write_owned,
)
from .identity import (
    IdentityService,
    fingerprint_matches,
    group_fingerprint,
    key_problem,
    normalise_fingerprint,
    verify,
)
from .workspace import NotFound, ServiceError

if TYPE_CHECKING:
    from .workspace import Workspace


@dataclass(frozen=True)
class ExportResult:
    """What was written: counts, and whether it was signed (and if not, why)."""

    path: Path
    manifest: Manifest
    vendors: int
    scorecards: int
    claims: int
    evidence: int
    rubrics: int
    #: Format 2: the team's records carried (decisions, conditions, agreed scores, contexts, commercials,
    #: risk notes, models).
    records: int = 0
    #: Evidence files written beside the bundle (``evidence_dir``) rather than into it; 0 without one.
    external_files: int = 0

    @property
    def signed(self) -> bool:
        """True when the bundle carries a signature."""
        return self.manifest.signature is not None

    def describe(self) -> str:
        """One paragraph for the user."""
        text = (f"Wrote {self.path}: {plural(self.scorecards, 'scorecard')} of {plural(self.vendors, 'vendor')}, "
                f"{plural(self.claims, 'claim')}, {plural(self.evidence, 'evidence item')}, "
                f"{plural(self.rubrics, 'rubric version')}"
                + (f", {plural(self.records, 'team record')} (decisions, conditions, costs, risks…)"
                   if self.records else "") + ".")
        if self.external_files:
            text += f" {plural(self.external_files, 'evidence file')} kept beside the bundle, in the evidence folder."
        signer = self.manifest.signer
        if self.signed and signer is not None:
            text += f" Signed by {signer.name}, key {group_fingerprint(signer.fingerprint)}."
        else:
            text += f" UNSIGNED: {self.manifest.unsigned_reason}"
        return text


@dataclass
class ImportPlan:
    """What importing a bundle would do, worked out before anything is written."""

    path: Path
    state: SignatureState
    signer: Signer | None
    trusted: bool
    own_key: bool
    unsigned_reason: str | None
    exported_by: str
    created_at: str
    digest: str = ""  # the signed manifest digest: identifies the bundle in the audit log
    missing_rubrics: list[Rubric] = field(default_factory=list)
    new_vendors: list[Vendor] = field(default_factory=list)
    new_claims: list[Claim] = field(default_factory=list)
    new_evidence: list[Evidence] = field(default_factory=list)
    new_scorecards: list[Scorecard] = field(default_factory=list)
    replaced_scorecards: list[tuple[Scorecard, Scorecard]] = field(default_factory=list)  # (ours, theirs)
    #: Scorecards the bundle may not add or replace, each with the reason in the user's words.
    refused_scorecards: list[tuple[Scorecard, str]] = field(default_factory=list)
    #: Format 2: owned records (decisions, conditions, agreed scores, contexts, commercials, risk notes,
    #: models) that come in, new or replacing an older revision from the same key.
    owned: list[Incoming] = field(default_factory=list)
    #: Claims edited by their owner: (yours, theirs at its revision, the owner key).
    replaced_claims: list[tuple[Claim, Claim]] = field(default_factory=list)
    #: Owners of the new claims (claim id -> key, '' for nobody).
    claim_owners: dict[str, str] = field(default_factory=dict)
    #: Records (claims, evidence, owned records) refused, each as (which, why) in the user's words.
    refused_records: list[tuple[str, str]] = field(default_factory=list)
    #: Agreed scores among the refused records that a trusted colleague holds with another answer.
    disputes: list[Dispute] = field(default_factory=list)
    #: Hand-overs that take effect: old key fingerprint -> the signer's, with how many scorecards move.
    takeovers: dict[str, tuple[str, int]] = field(default_factory=dict)
    newly_trusted: bool = False  # the signer's key is trusted by this import (``trust_key``)
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    vendor_names: dict[str, str] = field(default_factory=dict)  # vendor id -> name, for display
    rubrics: dict[str, Rubric] = field(default_factory=dict)  # content hash -> rubric (bundle copy)

    @property
    def changes_anything(self) -> bool:
        """True when importing would write anything."""
        return bool(self.new_vendors or self.new_claims or self.new_evidence or self.new_scorecards
                    or self.replaced_scorecards or self.takeovers or self.owned or self.replaced_claims)

    @property
    def refused_anything(self) -> bool:
        """True when a scorecard or any other record of the bundle was refused."""
        return bool(self.refused_scorecards or self.refused_records)

    @property
    def unsigned(self) -> bool:
        """True for a bundle without a signature (it may only add new scorecards, after confirmation)."""
        return self.state == SignatureState.UNSIGNED or self.signer is None

    def refusal_lines(self) -> list[str]:
        """One line per refused scorecard or record: which one and why."""
        return ([f"Refused: {self._card_words(card)}: {why}" for card, why in self.refused_scorecards]
                + [f"Refused: {which}: {why}" for which, why in self.refused_records])

    def signer_line(self) -> str:
        """Who signed, in words, with trust status."""
        if self.state == SignatureState.UNSIGNED or self.signer is None:
            why = f" The sender's app said: {self.unsigned_reason}" if self.unsigned_reason else ""
            return f"UNSIGNED: there is no way to tell who made this bundle or whether it was changed.{why}"
        who = f"{self.signer.name}, key {group_fingerprint(self.signer.fingerprint)}"
        if self.own_key:
            return f"Signed with your own key ({who})."
        if self.trusted:
            return f"Signed by {who} — a key you trust."
        return f"Signed by {who} — a key you have NOT trusted yet."

    def summary_lines(self) -> list[str]:
        """What will change, one line per kind of change."""
        lines = []
        for v in self.new_vendors:
            lines.append(f"New vendor: {v.name}")
        for card in self.new_scorecards:
            lines.append(f"New scorecard: {self._card_words(card)}")
        for ours, theirs in self.replaced_scorecards:
            lines.append(f"Newer scorecard replaces v{ours.version} ({ours.status}): {self._card_words(theirs)}")
        for old, (new, moved) in sorted(self.takeovers.items()):
            lines.append(f"Hand-over: {plural(moved, 'scorecard')} of key {group_fingerprint(old)} now belong to "
                         f"key {group_fingerprint(new)} (signed by the old key)")
        for item in self.owned:
            if item.local_revision is None:
                lines.append(f"New {item.noun}: {item.words}")
            else:
                lines.append(f"Newer {item.noun} (revision {item.local_revision} → {item.revision}) replaces your "
                             f"copy: {item.words}")
        for old_claim, new_claim in self.replaced_claims:
            lines.append(f"Edited claim (revision {old_claim.revision} → {new_claim.revision}) replaces your copy: "
                         f"{words('claims', new_claim, self.vendor_names)}")
        if self.new_claims:
            lines.append(plural(len(self.new_claims), "new claim"))
        if self.new_evidence:
            files = sum(1 for e in self.new_evidence if e.kind == EvidenceKind.FILE)
            lines.append(f"{plural(len(self.new_evidence), 'new evidence item')}, {files} of them "
                         f"{'a file' if files == 1 else 'files'}")
        for r in self.missing_rubrics:
            lines.append(f"Rubric version not in this workspace: {r.title} {r.version} ({r.id})")
        if self.unchanged:
            lines.append(f"{plural(self.unchanged, 'item')} already here and unchanged")
        if not self.changes_anything:
            lines.append("Nothing taken from the bundle: see what was refused." if self.refused_anything
                         else "Nothing new: this workspace already has everything in the bundle.")
        return lines

    def _card_words(self, card: Scorecard) -> str:
        vendor = self.vendor_names.get(card.vendor_id, card.vendor_id)
        return (f"{vendor} — {card.rubric_id} {card.rubric_version} by {card.evaluator} "
                f"(v{card.version}, {card.status}, {plural(len(card.scores), 'score')})")


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    plan: ImportPlan
    trusted_now: bool
    rubrics_added: int

    def describe(self) -> str:
        """A few lines for the user."""
        lines = [self.plan.signer_line(), *self.plan.warnings, *self.plan.summary_lines(),
                 *self.plan.refusal_lines()]
        signer = self.plan.signer
        if self.trusted_now and signer is not None:
            lines.append(f"You now trust {signer.name}'s key {group_fingerprint(signer.fingerprint)}.")
        return "\n".join(lines)


def _same_card(a: Scorecard, b: Scorecard) -> bool:
    keys = ("vendor_id", "rubric_hash", "evaluator", "status", "version")
    if any(getattr(a, k) != getattr(b, k) for k in keys):
        return False
    if set(a.scores) != set(b.scores):
        return False
    return all(a.scores[k].model_dump(exclude={"updated_at"}, mode="json")
               == b.scores[k].model_dump(exclude={"updated_at"}, mode="json") for k in a.scores)


def _progress(card: Scorecard) -> tuple[int, int]:
    """How far a scorecard has come: its version counter, then submitted over draft (never a clock)."""
    return card.version, 1 if card.status == ScorecardStatus.SUBMITTED else 0


def _looks_like_key(text: str | None) -> bool:
    return bool(text) and len(text or "") == 64 and all(ch in "0123456789abcdef" for ch in text or "")


def _owner_of_new(card: Scorecard, signer: Signer | None, trusted: bool) -> str | None:
    """Who owns a scorecard that first arrives in this bundle: the key it is stamped with when a trusted
    signer vouches for it, else the signer's key; nobody for an unsigned bundle."""
    if signer is None:
        return None
    if trusted and _looks_like_key(card.evaluator_key):
        return card.evaluator_key
    return signer.fingerprint


def _new_card_problem(card: Scorecard, signer: Signer | None, trusted: bool, names: dict[str, str]) -> str | None:
    """Why a scorecard new to this workspace may not come in with this bundle (None when it may)."""
    stamp = card.evaluator_key
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
                "bring its own scorecards")
    return None


def _replace_problem(local: Scorecard, signer: Signer | None, trusted: bool, takeovers: dict[str, str],
                     own_fp: str | None, names: dict[str, str]) -> str | None:
    """Why this bundle may not replace ``local`` (None when it may): only its owner's trusted key may."""
    mine = own_fp is not None and local.owner_key == own_fp
    if signer is None:
        yours = " (and this one is yours)" if mine else ""
        return f"the bundle is unsigned; an unsigned bundle may add new scorecards but never replace one{yours}"
    owner = local.owner_key
    if owner is None:
        return ("no key owns it here (it was made here before you had a signing key, or came in an unsigned "
                "bundle), so no bundle may replace it")
    owner = takeovers.get(owner, owner)
    by = f"this bundle is signed by {signer.name}'s key {group_fingerprint(signer.fingerprint)}"
    if owner != signer.fingerprint:
        if mine:
            return f"it is your own scorecard (your key {group_fingerprint(owner)}); {by}"
        who = names.get(owner, "")
        return f"it belongs to {who + chr(39) + 's key' if who else 'the key'} {group_fingerprint(owner)}; {by}"
    if not trusted:
        return (f"it belongs to the key that signed this bundle, but you have not trusted that key; trust it "
                f"(--trust-key {signer.fingerprint}) to let it replace the scorecard")
    return None


def _referenced(content: BundleContent, cards: list[Scorecard]) -> tuple[set[str], set[str], set[str]]:
    """(vendor ids, claim ids, evidence ids) the bundle's ``cards`` need: their vendors, claims and evidence."""
    claim_ids = {cid for card in cards for s in card.scores.values() for cid in s.claim_ids}
    evidence_ids = {eid for card in cards for s in card.scores.values() for eid in s.evidence_ids}
    claims = [c for c in content.claims if c.id in claim_ids]
    for c in claims:
        evidence_ids.update(c.evidence_ids)
    card_vendors = {v.id for v in content.vendors} & {c.vendor_id for c in content.scorecards
                                                       if c.id in {k.id for k in cards}}
    vendors = card_vendors | {c.vendor_id for c in claims} | {e.vendor_id for e in content.evidence
                                                               if e.id in evidence_ids}
    return vendors, claim_ids, evidence_ids


class BundleService:
    """Exports and imports bundles for one workspace."""

    def __init__(self, ws: Workspace, limits: Limits | None = None) -> None:
        self.ws = ws
        self.identity = IdentityService(ws)
        self.limits = limits or Limits()

    # --- export ---------------------------------------------------------------------------------

    def evaluators(self) -> list[str]:
        """Evaluator names that have scorecards in this workspace."""
        return sorted({c.evaluator for c in self.ws.store.scorecards()}, key=str.casefold)

    def select(self, vendor_ids: Iterable[str] | None = None,
               evaluators: Iterable[str] | None = None) -> list[Scorecard]:
        """The scorecards an export would carry (every scorecard when nothing is selected)."""
        vids = set(vendor_ids) if vendor_ids else None
        names = {e.casefold() for e in evaluators} if evaluators else None
        return [c for c in self.ws.store.scorecards()
                if (vids is None or c.vendor_id in vids) and (names is None or c.evaluator.casefold() in names)]

    def content_for(self, cards: list[Scorecard], fingerprint: str | None,
                    vendor_ids: Iterable[str] = ()) -> BundleContent:
        """The bundle content (format 2) for these scorecards and vendors: the vendors, their claims and evidence,
        the rubric versions, and the team's owned records of those vendors (decisions, conditions, agreed
        scores, contexts, commercials, risk notes, models) with their owner keys and revisions."""
        store = self.ws.store
        vendors: dict[str, Vendor] = {}
        for vid in vendor_ids:
            found = store.vendor(vid)
            if found is not None:
                vendors[found.id] = found
        rubrics: dict[str, Rubric] = {}
        claim_ids: set[str] = set()
        evidence_ids: set[str] = set()
        out_cards = []
        for card in cards:
            vendor = store.vendor(card.vendor_id)
            rubric = self.ws.library.by_hash(card.rubric_hash)
            if vendor is None or rubric is None:
                raise ServiceError(f"Scorecard {card.id} lacks its vendor or rubric version; it cannot be exported.")
            vendors[vendor.id] = vendor
            rubrics[rubric.content_hash] = rubric
            for s in card.scores.values():
                claim_ids.update(s.claim_ids)
                evidence_ids.update(s.evidence_ids)
            if card.evaluator_key is None and fingerprint and card.evaluator == self.ws.evaluator:
                # The evaluator is known by the key, not the name: stamp our own cards as they leave.
                card = card.model_copy(update={"evaluator_key": fingerprint})
            out_cards.append(card)
        # Every claim of the vendors travels (claim edits too), with the evidence the claims and scores name.
        claims = [c for vid in sorted(vendors) for c in store.claims(vid)]
        for claim in claims:
            evidence_ids.update(claim.evidence_ids)
        evidence = [e for e in (store.evidence_item(i) for i in sorted(evidence_ids))
                    if e is not None and e.vendor_id in vendors]
        owned = owned_content(store, set(vendors), fingerprint, self.ws.evaluator,
                              sorted(vendors.values(), key=lambda v: v.id), claims)
        for item in owned["agreed_scores"]:
            rubric = self.ws.library.by_hash(item["record"].rubric_hash)
            if rubric is None:
                raise ServiceError(f"An agreed score of {vendors[item['record'].vendor_id].name} names a rubric "
                                   "version this workspace lacks; it cannot be exported.")
            rubrics[rubric.content_hash] = rubric
        return BundleContent.model_validate({
            "vendors": sorted(vendors.values(), key=lambda v: v.name.casefold()), "claims": claims,
            "evidence": evidence, "scorecards": out_cards, "rubrics": list(rubrics.values()), **owned})

    def export(self, path: Path, vendor_ids: Iterable[str] | None = None,
               evaluators: Iterable[str] | None = None, *, evidence_dir: Path | None = None) -> ExportResult:
        """Write the selected scorecards (default: all) and the team's records of their vendors to one bundle
        file (format 2), signed when a key is usable.

        ``vendor_ids``: only these vendors (each is exported even without scorecards); ``evaluators``: only
        these evaluators' scorecards. With neither, every vendor of the workspace is exported. With
        ``evidence_dir``, evidence files are not put into the zip but written once to
        ``evidence_dir/<sha256>`` (atomically; a file already there is not written again) and the signed
        manifest lists each with its digest, size and ``"external": true``: the team folder keeps one copy of
        each file beside the bundles (``<folder>/evidence/``, where ``import_bundle`` looks by default).
        """
        vendor_ids = list(vendor_ids) if vendor_ids else None
        cards = self.select(vendor_ids, evaluators)
        extra = vendor_ids or ([] if evaluators else [v.id for v in self.ws.store.vendors()])
        if not cards and not extra:
            raise ServiceError("There are no scorecards to export for this selection.")
        check_bundle_target(Path(path))  # before the first export creates (and records) a signing key
        info, key, problem = self.identity.signing_key(create=True)
        signer = Signer(name=self.ws.evaluator, fingerprint=info.fingerprint, public_key=info.public_key) \
            if info is not None and key is not None else None
        content = self.content_for(cards, signer.fingerprint if signer else None, extra)

        def sign(message: bytes) -> tuple[Signer, bytes] | None:
            assert signer is not None and key is not None
            return signer, key.sign(message)

        def read_blob(sha: str) -> bytes:
            try:
                return self.ws.store.blobs.read(sha)
            except BlobError as exc:
                raise ExchangeError(str(exc)) from None

        handovers = [Handover.model_validate(h) for h in self.identity.handovers()] if signer else []
        manifest = write_bundle(Path(path), content, read_blob, exported_by=self.ws.evaluator,
                                sign=sign if signer else None, signer=signer, unsigned_reason=problem,
                                app_version=__version__, handovers=handovers,
                                evidence_dir=Path(evidence_dir) if evidence_dir is not None else None)
        records = sum(len(getattr(content, s)) for s in SECTIONS)
        external = sum(1 for e in manifest.files.values() if e.external)
        return ExportResult(Path(path), manifest, len(content.vendors), len(content.scorecards),
                            len(content.claims), len(content.evidence), len(content.rubrics), records, external)

    # --- import ---------------------------------------------------------------------------------

    def open(self, path: Path, *, evidence_dir: Path | None = None) -> Bundle:
        """Open and verify a bundle file (ExchangeError when unsafe, damaged or tampered); external evidence
        files are read from ``evidence_dir`` (default: the ``evidence`` folder beside the bundle)."""
        return read_bundle(Path(path), verify, self.limits, evidence_dir)

    def preview(self, path: Path, *, trust_key: str | None = None, evidence_dir: Path | None = None) -> ImportPlan:
        """What importing ``path`` would do (with ``trust_key``: once that key is trusted); writes nothing."""
        with self.open(path, evidence_dir=evidence_dir) as bundle:
            trust_now = self._check_trust_key(bundle, trust_key, path) if trust_key is not None else False
            return self._plan(bundle, trust_now=trust_now)

    def trusted_keys(self) -> tuple[dict[str, str], list[str]]:
        """(fingerprint -> name of the trusted keys that are valid, warnings about stored entries that are not).

        An entry whose public key is not a valid Ed25519 key, or whose fingerprint is not that key's, is
        never trusted, however it got into the database.
        """
        good: dict[str, str] = {}
        bad: list[str] = []
        for fp, entry in self.ws.store.trusted_keys().items():
            problem = key_problem(fp, entry.get("public_key", ""))
            if problem is None:
                good[fp] = entry.get("name", "")
            else:
                bad.append(f"The trusted key '{entry.get('name', '')}' ({fp[:16]}…) is ignored: {problem}.")
        return good, bad

    def _takeovers(self, manifest: Manifest, signer: Signer, plan: ImportPlan) -> dict[str, str]:
        """Old key -> the signer's key, for every hand-over chain in the manifest that ends at the signer."""
        reach = {signer.fingerprint}
        out: dict[str, str] = {}
        pending = list(manifest.handovers)
        progress = True
        while progress:
            progress = False
            for h in list(pending):
                if h.new_fingerprint not in reach:
                    continue
                pending.remove(h)
                problem = handover_problem(h, verify)
                if problem is not None:
                    plan.warnings.append(f"A hand-over from key {group_fingerprint(h.old_fingerprint)} is ignored: "
                                         f"{problem}.")
                    continue
                if h.old_fingerprint not in reach:
                    reach.add(h.old_fingerprint)
                    out[h.old_fingerprint] = signer.fingerprint
                    progress = True
        return out

    def _plan(self, bundle: Bundle, *, trust_now: bool = False) -> ImportPlan:
        store = self.ws.store
        m = bundle.manifest
        signer = bundle.signer
        own = self.identity.public()
        own_fp = own.fingerprint if own is not None else None
        keys, bad_keys = self.trusted_keys()
        own_key = signer is not None and own_fp == signer.fingerprint
        trusted_before = own_key or (signer is not None and signer.fingerprint in keys)
        trusted = trusted_before or (signer is not None and trust_now)
        plan = ImportPlan(Path(bundle.path), bundle.state, signer, trusted, own_key, m.unsigned_reason,
                          m.exported_by, m.created_at, m.digest())
        plan.newly_trusted = trusted and not trusted_before
        plan.warnings.extend(bad_keys)
        names = dict(keys)
        if own_fp is not None:
            names[own_fp] = f"{self.ws.evaluator} (you)"
        if signer is None:
            plan.warnings.append("This bundle is unsigned: nobody vouches for who made it or for its content. It can "
                                 "only add new scorecards, once you confirm it (--accept-unsigned); it never replaces "
                                 "one.")
        elif not trusted:
            plan.warnings.append(
                f"The bundle is signed by {signer.name} with a key you have not trusted yet "
                f"({group_fingerprint(signer.fingerprint)}). Check the fingerprint with them, then trust it."
            )
        if signer is not None and not trusted_before:
            namesakes = [fp for fp, name in names.items()
                         if fp != signer.fingerprint and name.casefold().removesuffix(" (you)")
                         == signer.name.casefold()]
            for fp in namesakes:
                plan.warnings.append(f"The signer calls itself '{signer.name}', the name of a key you trust "
                                     f"({group_fingerprint(fp)}), but signs with another key: it may not be them.")
        takeovers = self._takeovers(m, signer, plan) if signer is not None else {}
        if takeovers and not trusted and signer is not None:
            plan.warnings.append(f"The bundle hands scorecards of {plural(len(takeovers), 'older key')} over to "
                                 f"{signer.name}'s key; that takes effect once you trust the key.")
            takeovers = {}
        if takeovers:
            counts = store.scorecard_owner_counts()
            plan.takeovers = {old: (new, counts[old]) for old, new in takeovers.items() if counts.get(old)}
        content = bundle.content
        plan.rubrics = {r.content_hash: r for r in content.rubrics}
        # Vendors: by UUID; a vendor someone else created under the same name is the same vendor.
        vendor_map: dict[str, str] = {}
        local_vendors: dict[str, Vendor] = {}
        for v in content.vendors:
            local = store.vendor(v.id) or store.vendor_by_name(v.name)
            vendor_map[v.id] = local.id if local is not None else v.id
            if local is not None:
                local_vendors[v.id] = local
                plan.vendor_names[local.id] = local.name
            else:
                plan.vendor_names[v.id] = v.name
        kept: list[Scorecard] = []  # every card of the bundle that was not refused
        for card in content.scorecards:
            card = card.model_copy(update={"vendor_id": vendor_map[card.vendor_id], "owner_key": None})
            if card.evaluator_key is None and signer is not None and card.evaluator == signer.name:
                card = card.model_copy(update={"evaluator_key": signer.fingerprint})
            local_card = store.scorecard(card.id)
            if local_card is None:
                problem = _new_card_problem(card, signer, trusted, names)
                if problem is not None:
                    plan.refused_scorecards.append((card, problem))
                    continue
                kept.append(card)
                plan.new_scorecards.append(card.model_copy(update={"owner_key": _owner_of_new(card, signer, trusted)}))
                continue
            kept.append(card)
            if _same_card(local_card, card):
                plan.unchanged += 1
                continue
            problem = _replace_problem(local_card, signer, trusted, takeovers, own_fp, names)
            if problem is not None:
                kept.pop()
                plan.refused_scorecards.append((card, problem))
            elif _progress(card) > _progress(local_card):
                assert signer is not None
                plan.replaced_scorecards.append((local_card, card.model_copy(update={
                    "owner_key": signer.fingerprint, "evaluator_key": card.evaluator_key or local_card.evaluator_key,
                })))
            elif _progress(card) < _progress(local_card):
                plan.warnings.append(f"Your copy of {plan._card_words(local_card)} is newer; kept yours.")
            else:
                plan.warnings.append(f"Scorecard {plan._card_words(local_card)} differs at the same version; "
                                     "kept yours (ask its evaluator to reopen and resubmit it).")
        rules = Rules(signer, trusted, takeovers, own_fp, names)
        owned, refused_owned, same_owned = plan_owned(store, content, vendor_map, plan.vendor_names, rules,
                                                      plan.disputes)
        plan.owned = owned
        plan.refused_records.extend(refused_owned)
        plan.unchanged += same_owned
        # What only refused scorecards brought is left out with them: their vendor, claims and evidence.
        wanted = None
        if plan.refused_scorecards:
            kept_refs = _referenced(content, kept)
            refused_refs = _referenced(content, [c for c, _why in plan.refused_scorecards])
            by_records = {item.vendor_id for item in owned} | {c.vendor_id for c in content.claims
                                                               if c.id not in refused_refs[1]}
            wanted = (
                {v.id for v in content.vendors if v.id not in refused_refs[0] or v.id in kept_refs[0]
                 or v.id in by_records},
                {c.id for c in content.claims if c.id not in refused_refs[1] or c.id in kept_refs[1]},
                {e.id for e in content.evidence if e.id not in refused_refs[2] or e.id in kept_refs[2]},
            )
        for v in content.vendors:
            if wanted is not None and v.id not in wanted[0]:
                continue
            local_v = local_vendors.get(v.id)
            if local_v is None:
                if m.format_version >= 2:
                    # The decision rule: only this workspace decides on a vendor; the sender's decision comes
                    # as their position (``decisions``) and its conditions as condition records.
                    v = v.model_copy(update={"decision": Decision.NOT_STARTED, "conditions": []})
                plan.new_vendors.append(v)
                continue
            if local_v.id != v.id:
                plan.warnings.append(f"Vendor '{v.name}' in the bundle has a different id than yours; "
                                     "it is merged into your vendor of that name.")
            plan.unchanged += 1
        for e in content.evidence:
            if wanted is not None and e.id not in wanted[2]:
                continue
            local_e = store.evidence_item(e.id)
            if local_e is None:
                plan.new_evidence.append(e.model_copy(update={"vendor_id": vendor_map[e.vendor_id]}))
            else:
                plan.unchanged += 1
        stamps = {st.id: st for st in content.claim_stamps}
        claim_owners = store.record_owners("claim")
        for c in content.claims:
            if wanted is not None and c.id not in wanted[1]:
                continue
            stamp = stamps.get(c.id)
            c = c.model_copy(update={"vendor_id": vendor_map[c.vendor_id],
                                     "revision": stamp.revision if stamp is not None else 1})
            local_c = store.claim(c.id)
            if local_c is None:
                problem = new_record_problem("claim", stamp.owner if stamp else None, signer, trusted, names)
                if problem is not None:
                    plan.refused_records.append((words("claims", c, plan.vendor_names), problem))
                    continue
                plan.new_claims.append(c)
                plan.claim_owners[c.id] = owner_of_new(stamp.owner if stamp else None, signer, trusted)
            elif local_c.model_dump(exclude={"vendor_id"}) == c.model_dump(exclude={"vendor_id"}):
                plan.unchanged += 1
            elif stamp is None:
                plan.warnings.append(f"Claim {c.id[:8]}… differs from yours; yours was kept.")
            else:
                owner, sent = claim_owners.get(c.id, (own_fp, local_c.revision))
                problem = claim_problem(stamp, owner, sent, rules)
                if problem is not None:
                    plan.refused_records.append((words("claims", c, plan.vendor_names), problem))
                else:
                    plan.replaced_claims.append((local_c.model_copy(update={"revision": sent}), c))
        self._defer_missing_files(bundle, plan)
        needed = {c.rubric_hash for c in plan.new_scorecards} | {t.rubric_hash for _o, t in plan.replaced_scorecards}
        needed |= {i.record.rubric_hash for i in plan.owned if i.section == "agreed_scores"}
        plan.missing_rubrics = [plan.rubrics[h] for h in sorted(needed) if self.ws.library.by_hash(h) is None]
        return plan

    def _defer_missing_files(self, bundle: Bundle, plan: ImportPlan) -> None:
        """Evidence kept outside the bundle whose file is missing or damaged stays out, and so do the claims and
        scorecards that cite it (each reported); they come in with a later import, once the file is there."""
        missing: dict[str, str] = {}
        for e in plan.new_evidence:
            sha = e.sha256
            if not sha or sha in missing or not bundle.is_external(sha) or self.ws.store.blobs.has(sha):
                continue
            try:
                bundle.evidence_bytes(sha)
            except ExchangeError as exc:
                missing[sha] = str(exc).removeprefix(f"{bundle.path}: ")
        if not missing:
            return
        out_evidence = {e.id for e in plan.new_evidence if e.sha256 in missing}
        for e in plan.new_evidence:
            if e.id in out_evidence:
                plan.refused_records.append((f"{plan.vendor_names.get(e.vendor_id, e.vendor_id)} — evidence "
                                             f"{e.original_name or e.title or e.id}",
                                             f"{missing[e.sha256 or '']}; it comes in once the file is there"))
        plan.new_evidence = [e for e in plan.new_evidence if e.id not in out_evidence]
        out_claims = {c.id for c in plan.new_claims if set(c.evidence_ids) & out_evidence}
        out_claims |= {t.id for _o, t in plan.replaced_claims if set(t.evidence_ids) & out_evidence}
        why = "it cites an evidence file that is not in the evidence folder yet; it comes in once the file is there"
        for c in [*plan.new_claims, *(t for _o, t in plan.replaced_claims)]:
            if c.id in out_claims:
                plan.refused_records.append((words("claims", c, plan.vendor_names), why))
        plan.new_claims = [c for c in plan.new_claims if c.id not in out_claims]
        plan.replaced_claims = [(o, t) for o, t in plan.replaced_claims if t.id not in out_claims]

        def cites(card: Scorecard) -> bool:
            return any(set(sc.evidence_ids) & out_evidence or set(sc.claim_ids) & out_claims
                       for sc in card.scores.values())
        for card in [*plan.new_scorecards, *(t for _o, t in plan.replaced_scorecards)]:
            if cites(card):
                plan.refused_scorecards.append((card, why))
        plan.new_scorecards = [c for c in plan.new_scorecards if not cites(c)]
        plan.replaced_scorecards = [(o, t) for o, t in plan.replaced_scorecards if not cites(t)]

    def import_bundle(self, path: Path, *, trust_key: str | None = None, accept_rubrics: bool = False,
                      accept_unsigned: bool = False, evidence_dir: Path | None = None) -> ImportResult:
        """Verify and merge a bundle in one transaction; nothing is written when the bundle is refused.

        ``trust_key`` is the fingerprint the user checked with the sender (all 64 hex digits, or at least
        the first 32): the signer's key is trusted from now on when it matches. An unsigned bundle imports
        only with ``accept_unsigned`` and then only adds new scorecards. Scorecards the bundle may not
        replace are refused one by one (``plan.refused_scorecards``) while the rest imports. A bad
        signature or unsafe file raises ExchangeError; a wrong ``trust_key``, an unconfirmed unsigned
        bundle or rubric versions the workspace lacks (without ``accept_rubrics``) raise ServiceError.
        Evidence files the manifest lists as external are read from ``evidence_dir`` (default: the
        ``evidence`` folder beside the bundle) and checked against their signed digests; one that is missing
        or damaged is reported (``plan.refused_records``) with what cites it, and the rest imports.
        Format-2 records (decisions, conditions, …, claim edits) come in under the ownership rule
        (``services.bundle_records``); refused ones are listed in ``plan.refused_records``.
        """
        with self.open(path, evidence_dir=evidence_dir) as bundle:
            trust_now = self._check_trust_key(bundle, trust_key, path) if trust_key is not None else False
            plan = self._plan(bundle, trust_now=trust_now)
            if plan.unsigned and not accept_unsigned and plan.changes_anything:
                raise ServiceError(
                    f"{path}: the bundle is UNSIGNED: nobody vouches for who made it or whether it was changed. "
                    "To add its new scorecards anyway, confirm it (--accept-unsigned); an unsigned bundle never "
                    "replaces a scorecard. Nothing was imported."
                )
            if plan.missing_rubrics and not accept_rubrics:
                names = ", ".join(f"{r.id} {r.version}" for r in plan.missing_rubrics)
                raise ServiceError(
                    f"{path}: the bundle was scored against rubric version(s) this workspace lacks: {names}. "
                    "Accept them from the bundle (--accept-rubrics) to import; nothing was imported."
                )
            files = {e.sha256: bundle.evidence_bytes(e.sha256) for e in plan.new_evidence
                     if e.sha256 and not self.ws.store.blobs.has(e.sha256)}
        do_trust = plan.newly_trusted and plan.signer is not None
        if not plan.changes_anything and not do_trust:
            return ImportResult(plan, False, 0)
        # Evidence files go in first: they are content-addressed, so a failed transaction leaves only
        # unreferenced copies behind, never a record pointing at a missing file.
        for sha, data in files.items():
            try:
                self.ws.store.blobs.put_bytes(data, f"evidence {sha[:12]}…")
            except BlobError as exc:
                raise ServiceError(str(exc)) from None
        store = self.ws.store
        rubrics_added = 0
        digest = plan.digest
        with self.ws.unit_of_work() as uow:
            if do_trust and plan.signer is not None:
                store.trust_key(plan.signer.fingerprint, plan.signer.public_key, plan.signer.name, utc_now())
                uow.audit("trust", "key", plan.signer.fingerprint, field="trusted", new=plan.signer.name,
                          summary=f"Trusted {plan.signer.name}'s key {group_fingerprint(plan.signer.fingerprint)}")
            for old, (new, _moved) in sorted(plan.takeovers.items()):
                moved = store.move_scorecard_owner(old, new)
                store.move_record_owner(old, new)
                uow.audit("handover", "key", new, field="owner key", old=old, new=new,
                          summary=f"Hand-over signed by key {group_fingerprint(old)}: {plural(moved, 'scorecard')} "
                                  f"now belong to key {group_fingerprint(new)}")
            cards = plan.new_scorecards + [t for _o, t in plan.replaced_scorecards]
            for h in sorted({c.rubric_hash for c in cards}):
                rubric = self.ws.library.by_hash(h) or plan.rubrics[h]
                if store.save_rubric_version(rubric, origin="bundle" if rubric in plan.missing_rubrics else "shipped"):
                    rubrics_added += rubric in plan.missing_rubrics
            for v in plan.new_vendors:
                store.save_vendor(v)
                uow.audit("import", "vendor", v.id, vendor_id=v.id, new=v.name,
                          summary=f"Vendor {v.name} imported from a bundle by {plan.exported_by}")
            for e in plan.new_evidence:
                store.save_evidence(e)
                uow.audit("import", "evidence", e.id, vendor_id=e.vendor_id,
                          new=e.original_name or e.url or e.title, summary="Evidence imported from a bundle")
            for c in plan.new_claims:
                store.put_claim_exact(c, c.revision)
                store.set_record_owner("claim", c.id, plan.claim_owners.get(c.id, ""), c.revision)
                uow.audit("import", "claim", c.id, vendor_id=c.vendor_id, new=c.text[:200],
                          summary="Claim imported from a bundle")
            for ours_c, theirs_c in plan.replaced_claims:
                store.put_claim_exact(theirs_c, theirs_c.revision)
                if plan.signer is not None:
                    store.set_record_owner("claim", theirs_c.id, plan.signer.fingerprint, theirs_c.revision)
                uow.audit("replace", "claim", theirs_c.id, vendor_id=theirs_c.vendor_id, field="text",
                          old=ours_c.text[:200], new=theirs_c.text[:200],
                          summary=f"Edited claim (revision {ours_c.revision} → {theirs_c.revision}) replaced yours "
                                  f"({plan.signer_line()})")
            for item in plan.owned:
                write_owned(store, item)
                action = "import" if item.local_revision is None else "replace"
                said = (f"{item.noun.capitalize()} imported from a bundle: {item.words}" if action == "import"
                        else f"Newer {item.noun} replaced revision {item.local_revision}: {item.words}")
                uow.audit(action, item.entity, item.key, vendor_id=item.vendor_id, field="revision",
                          old=item.local_revision, new=item.revision, summary=f"{said} ({plan.signer_line()})")
            for which, why in plan.refused_records:
                uow.audit("refuse", "record", which[:200], vendor_id=None, new=which[:200],
                          summary=f"Bundle record refused: {which}: {why}")
            for card in plan.new_scorecards:
                store.insert_scorecards_bulk([card])
                uow.audit("import", "scorecard", card.id, vendor_id=card.vendor_id,
                          new=f"{card.rubric_id} {card.rubric_version} v{card.version} by {card.evaluator}",
                          summary=f"Scorecard by {card.evaluator} imported ({plan.signer_line()})")
            for ours, theirs in plan.replaced_scorecards:
                store.delete_scorecard(ours.id)
                store.insert_scorecards_bulk([theirs])
                uow.audit("replace", "scorecard", theirs.id, vendor_id=theirs.vendor_id, field="version",
                          old=f"v{ours.version} {ours.status}", new=f"v{theirs.version} {theirs.status}",
                          summary=f"Newer scorecard by {theirs.evaluator} replaced v{ours.version} "
                                  f"({plan.signer_line()})")
            for card, why in plan.refused_scorecards:
                uow.audit("refuse", "scorecard", card.id, vendor_id=None, new=f"v{card.version} {card.status}",
                          summary=f"Bundle scorecard by {card.evaluator} refused: {why}")
            if plan.changes_anything:
                uow.audit("import", "bundle", digest, new=display_name(plan.path),
                          summary="Imported bundle: " + "; ".join(plan.summary_lines()))
            uow.changed("bundle", digest)
            for r in plan.missing_rubrics:
                uow.after_commit(functools.partial(self.ws.library.remember, r))
        return ImportResult(plan, do_trust, rubrics_added)

    def _check_trust_key(self, bundle: Bundle, trust_key: str, path: Path) -> bool:
        """True when ``trust_key`` names the bundle's valid signing key; ServiceError (nothing imported) if not."""
        typed = normalise_fingerprint(trust_key)
        signer = bundle.signer
        if signer is None:
            raise ServiceError(f"{path}: --trust-key: the bundle is unsigned, so there is no key to trust. "
                               "Nothing was imported.")
        if not fingerprint_matches(typed, signer.fingerprint):
            raise ServiceError(f"{path}: --trust-key {trust_key}: the bundle is signed by {signer.name} with key "
                               f"{signer.fingerprint}, not that one. Check the fingerprint with the sender; nothing "
                               "was imported.")
        problem = key_problem(signer.fingerprint, signer.public_key)
        if problem is not None:
            raise ServiceError(f"{path}: the signer's key cannot be trusted: {problem}. Nothing was imported.")
        return True

    def trust(self, fingerprint: str, public_key: str, name: str) -> None:
        """Trust a signing key (audit-logged); ServiceError when it is not a valid Ed25519 key of that fingerprint."""
        problem = key_problem(fingerprint, public_key)
        if problem is not None:
            raise ServiceError(f"The key '{name}' cannot be trusted: {problem}.")
        with self.ws.unit_of_work() as uow:
            self.ws.store.trust_key(fingerprint, public_key, name, utc_now())
            uow.audit("trust", "key", fingerprint, field="trusted", new=name,
                      summary=f"Trusted {name}'s key {group_fingerprint(fingerprint)}")

    def positions(self, vendor_id: str) -> list[DecisionPosition]:
        """Colleagues' decisions on a vendor (newest first): what each trusted key decided, shown beside the
        vendor's decision, which only this workspace takes (docs/bundles.md, "The decision rule")."""
        return self.ws.store.decision_positions(vendor_id)

    def vendor_ids_for(self, names: Iterable[str]) -> list[str]:
        """Vendor ids for names (NotFound for an unknown name)."""
        out = []
        for n in names:
            v = self.ws.store.vendor_by_name(n)
            if v is None:
                raise NotFound(f"No vendor named '{n}'.")
            out.append(v.id)
        return out
