"""Use cases for moving data in and out: workspace files, claims and scores CSV, FMTI score matrices.

Every import is checked completely before anything is written, then lands in one transaction (evidence
file bytes may be stored first: they are content-addressed and harmless if the import is refused).
"""

from __future__ import annotations

import functools
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from ..bulk import collector_paused
from ..domain.claim_links import criteria_diff
from ..domain.commercials import AMOUNT_FIELDS, Commercials
from ..domain.commercials import FIELDS as COMMERCIAL_FIELDS
from ..domain.context import VendorContext
from ..domain.models import (
    Answer,
    AuditEntry,
    Claim,
    Condition,
    EvidenceKind,
    EvidenceStrength,
    Score,
    Scorecard,
    ScorecardStatus,
    Vendor,
    utc_now,
)
from ..domain.risks import RiskNote
from ..domain.rubric import Rubric
from ..domain.rules import RuleError, ScoreValue, check_score, checked_score
from ..domain.supply_chain import ModelUse
from ..domain.text import counted, plural
from ..exchange import ExchangeError, write_output
from ..exchange import workspace_file as wf
from ..exchange.detect import ImportFormat, import_format, read_import_file
from ..exchange.fmti_matrix import match_rubric, norm_name, parse_matrix
from ..exchange.tabular import (
    CLAIM_COLUMNS,
    CLAIM_REQUIRED,
    SCORE_COLUMNS,
    SCORE_REQUIRED,
    ClaimRow,
    RowErrors,
    ScoreRow,
    parse_claims_csv,
    parse_scores_csv,
    read_table,
    write_csv,
)
from ..files import display_name
from ..store.blobs import BlobError
from . import claim_links
from .identity import (
    IDENTITY_SETTINGS,
    SETTING_FINGERPRINT,
    SETTING_PUBLIC_KEY,
    fingerprint_matches,
    key_problem,
    normalise_fingerprint,
    own_fingerprint,
)
from .settings import LOCAL_SETTINGS
from .workspace import UnitOfWork

if TYPE_CHECKING:
    from _typeshed import SupportsDunderGT

    from ..store.store import Store
    from .library import RubricLibrary
    from .workspace import Workspace

_Item = TypeVar("_Item")  # a record an import merges by key and time stamp
_Key = TypeVar("_Key", bound=Hashable)

#: The evidence strength recorded for FMTI scores: an independent party assessed the disclosures.
FMTI_STRENGTH = EvidenceStrength.CERTIFICATION

_RECORD_TABLES = ("vendors", "claims", "evidence", "scorecards", "agreed_scores", "audit")


#: How to fix an unknown vendor in an import file, for the app and the command line alike.
ADD_VENDOR_FIRST = "(add it first: New vendor in the app, `vendoreval vendors add` on the command line)"


@dataclass
class ImportResult:
    """What an import did: the format, and per kind of record how many were added, updated, kept."""

    source: str
    format: ImportFormat
    restored: bool = False  # an exact restore into an empty workspace
    added: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    kept: Counter[str] = field(default_factory=Counter)  # already present and not older
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One paragraph for the user."""
        def part(label: str, c: Counter[str]) -> str:
            return f"{label} " + ", ".join(counted(n, k) for k, n in sorted(c.items()) if n) if +c else ""

        parts = [p for p in (part("added", self.added), part("updated", self.updated),
                             part("kept (local copy not older)", self.kept)) if p]
        head = "Restored" if self.restored else "Imported"
        text = f"{head} {self.source} ({self.format.value}): " + ("; ".join(parts) or "nothing new")
        return "\n".join([text, *self.notes])

    def as_json(self) -> dict[str, Any]:
        """The result as plain data (for --json)."""
        return {"source": self.source, "format": self.format.value, "restored": self.restored,
                "added": dict(sorted(self.added.items())), "updated": dict(sorted(self.updated.items())),
                "kept": dict(sorted(self.kept.items())), "notes": self.notes}


@dataclass
class ImportPreview:
    """A claims or scores file read and checked, not imported: its rows, its problems per line, and what
    importing it would add, update and keep."""

    source: str
    format: ImportFormat
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    problems: list[tuple[int, str | None, str]]  # (line, column or None, reason), by line
    result: ImportResult  # the counts an import would give (when there are no problems)

    @property
    def ok(self) -> bool:
        """True when the file can be imported as it is."""
        return not self.problems

    def problems_at(self, line: int) -> list[str]:
        """The problems of one line, each as 'column: reason'."""
        return [f"{col}: {why}" if col else why for at, col, why in self.problems if at == line]

    def summary(self) -> str:
        """One sentence for the user."""
        what = "claim" if self.format.is_claims else "score"
        rows = plural(len(self.rows), "row")
        if self.problems:
            lines = len({line for line, _c, _w in self.problems})
            return (f"{rows} read; {plural(len(self.problems), 'problem')} on {plural(lines, 'line')}. "
                    "Nothing can be imported until the file is fixed.")
        r = self.result
        parts = [f"{r.added[what + 's']} new", f"{r.updated[what + 's']} changed", f"{r.kept[what + 's']} unchanged"]
        cards = f"; {plural(r.added['scorecards'], 'new draft scorecard')}" if r.added["scorecards"] else ""
        notes = "".join(f" {n[0].upper()}{n[1:]}." for n in r.notes)
        return (f"{rows} read: {plural(len(self.rows), what)} — {', '.join(parts)}{cards}.{notes} "
                "Nothing is written until you import.")


def _dump(model: BaseModel, **kwargs: Any) -> dict[str, Any]:
    # Store readers build some models with model_construct (raw strings in enum fields); that is fine
    # for JSON output, so pydantic's serializer warnings about it are silenced.
    return model.model_dump(mode="json", warnings=False, **kwargs)


class ExchangeService:
    """Import and export for one workspace."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # --- workspace file: export ---------------------------------------------------------------

    def workspace_data(self) -> dict[str, Any]:
        """The whole workspace as plain, sorted data (the content of a workspace file)."""
        store = self.ws.store
        evidence = sorted(store.evidence(), key=lambda e: e.id)
        files = []
        for sha in sorted({e.sha256 for e in evidence if e.kind == EvidenceKind.FILE and e.sha256}):
            try:
                files.append(wf.file_entry(sha, store.blobs.read(sha)))
            except BlobError as exc:
                raise ExchangeError(f"cannot export: {exc}; the workspace's evidence folder is damaged") from None
        rubrics = [
            {"content_hash": r["content_hash"], "origin": r["origin"], "added_at": r["added_at"],
             "rubric": json.loads(r["body"])}
            for r in store.rubric_version_rows()
        ]
        keys = [dict(k) for _, k in sorted(store.trusted_keys().items())]
        vendor_ids = {v.id for v in store.vendors()}  # a note on a deleted vendor stays behind
        return {
            "format": wf.FORMAT,
            "format_version": wf.FORMAT_VERSION,
            "vendors": [_dump(v) for v in sorted(store.vendors(), key=lambda v: v.id)],
            "claims": [_dump(c) for c in sorted(store.claims(), key=lambda c: c.id)],
            "evidence": [_dump(e) for e in evidence],
            "files": files,
            "rubrics": rubrics,
            "scorecards": [_dump(c) for c in sorted(store.scorecards(), key=lambda c: c.id)],
            "agreed_scores": [
                _dump(a) for a in sorted(store.agreed_scores(),
                                         key=lambda a: (a.vendor_id, a.rubric_hash, a.criterion_id))
            ],
            "weight_profiles": [_dump(p) for p in sorted(store.weight_profiles(), key=lambda p: p.name)],
            "settings": dict(sorted((k, v) for k, v in store.settings().items() if k not in LOCAL_SETTINGS)),
            "trusted_keys": keys,
            "models": [_model_dump(m) for m in sorted(store.vendor_models(), key=lambda m: m.id)],
            "ageing": {k: [{c: v for c, v in r.items() if v is not None} for r in rows]
                       for k, rows in store.ageing_rows().items()},
            "engagement_contexts": [{"vendor_id": c.vendor_id, "answers": c.context.as_json(),
                                     "updated_at": c.updated_at} for c in store.engagement_contexts()],
            "conditions": {"records": [_dump(c) for c in store.conditions()],
                           "dropped": list(store.dropped_proposals().values())},
            "commercials": [_commercials_dump(c) for c in store.commercials_all()],
            "risks": [_note_dump(n) for n in store.risk_notes() if n.vendor_id == "" or n.vendor_id in vendor_ids],
            "audit": [_dump(a) for a in store.audit_ascending()],
        }

    def workspace_bytes(self) -> bytes:
        """The workspace file's bytes."""
        return wf.dumps(self.workspace_data())

    def export_workspace(self, path: Path) -> int:
        """Write the whole workspace to one file (atomically); returns its size in bytes."""
        data = self.workspace_bytes()
        write_output(Path(path), data, parents=True)
        return len(data)

    # --- CSV export ---------------------------------------------------------------------------

    def claims_csv(self) -> bytes:
        """Every claim as CSV (columns in docs/csv-formats.md), by vendor name then date recorded."""
        names = {v.id: v.name for v in self.ws.store.vendors()}
        claims = sorted(self.ws.store.claims(), key=lambda c: (names[c.vendor_id].casefold(), c.created_at, c.id))
        rows = [[c.id, names[c.vendor_id], c.text, c.source_kind, c.source, c.page,
                 c.said_on.isoformat() if c.said_on else "", c.said_to, c.status, c.status_note,
                 "; ".join(str(r) for r in c.criteria)] for c in claims]
        return write_csv(CLAIM_COLUMNS, rows)

    def scores_csv(self) -> bytes:
        """Every score of every scorecard as CSV, by vendor, rubric, evaluator and criterion order."""
        names = {v.id: v.name for v in self.ws.store.vendors()}
        rows = []
        cards = sorted(self.ws.store.scorecards(),
                       key=lambda c: (names[c.vendor_id].casefold(), c.rubric_id, c.rubric_version, c.evaluator))
        for card in cards:
            rubric = self.ws.library.by_hash(card.rubric_hash)
            order = {cid: i for i, cid in enumerate(rubric.criterion_ids())} if rubric else {}
            for s in sorted(card.scores.values(), key=lambda s: (order.get(s.criterion_id, 10**6), s.criterion_id)):
                rows.append([names[card.vendor_id], card.rubric_id, card.rubric_version, card.evaluator,
                             s.criterion_id, s.answer, "" if s.level is None else s.level,
                             "" if s.figure is None else repr(s.figure), s.strength or "", s.rationale, card.status,
                             "; ".join(s.claim_ids)])
        return write_csv(SCORE_COLUMNS, rows)

    def export_csv(self, path: Path, kind: str) -> int:
        """Write the claims ('claims') or scores ('scores') CSV; returns its size."""
        data = self.claims_csv() if kind == "claims" else self.scores_csv()
        write_output(Path(path), data, parents=True)
        return len(data)

    # --- import: dispatch ---------------------------------------------------------------------

    def import_file(self, path: Path, fmt: ImportFormat | str | None = None, *, rubric: str | None = None,
                    evaluator: str | None = None, trust_keys: Iterable[str] = (),
                    vendor: str | None = None) -> ImportResult:
        """Import a file, its format recognised from the content unless ``fmt`` is given.

        ``trust_keys``: fingerprints of the workspace file's keys the user confirmed (restore only).
        ``vendor``: CycloneDX attestations: the vendor they are imported for (default: the file's first target).
        """
        path = Path(path)
        raw = read_import_file(path)
        source = str(path)
        kind = import_format(raw, source, fmt)
        trust = list(trust_keys)
        if trust and kind != ImportFormat.WORKSPACE:
            raise ExchangeError(f"{source}: --trust-key applies to a workspace file; this is {kind.value}")
        if vendor is not None and kind != ImportFormat.CYCLONEDX:
            raise ExchangeError(f"{source}: --vendor applies to a CycloneDX file; this is {kind.value}")
        if kind == ImportFormat.CYCLONEDX:
            from .cyclonedx import CycloneDxService  # it builds on this module's ImportResult

            return CycloneDxService(self.ws).import_declarations(raw, source, vendor=vendor)
        if kind == ImportFormat.WORKSPACE:
            return self.import_workspace(wf.parse(raw, source), source, trust_keys=trust)
        if kind.is_claims:
            errors = RowErrors(source)
            claim_rows = parse_claims_csv(raw, source, errors)
            if errors.items:  # the other rows checked too, nothing written: every problem of the file at once
                self.import_claims(claim_rows, source, fmt=kind, errors=errors, dry_run=True)
                errors.raise_if_any()
            return self.import_claims(claim_rows, source, fmt=kind)
        if kind.is_scores:
            with collector_paused():  # thousands of rows: no collector pause between reading and writing them
                errors = RowErrors(source)
                score_rows = parse_scores_csv(raw, source, errors)
                if errors.items:
                    self.import_scores(score_rows, source, fmt=kind, errors=errors, dry_run=True)
                    errors.raise_if_any()
                return self.import_scores(score_rows, source, fmt=kind)
        return self.import_fmti(raw, source, rubric=rubric, evaluator=evaluator)

    def preview_import(self, path: Path, check: Callable[[], None] | None = None,
                       fmt: ImportFormat | str | None = None) -> ImportPreview:
        """What importing a claims or scores file (CSV or XLSX) would do, with every problem per line;
        nothing is written. ExchangeError for a file that cannot be read at all (or another format).
        ``check`` is called between the steps (reading, parsing, checking): what it raises (a cancel) passes
        through; a 20 MB file takes seconds. ``fmt``: the format asked for (as ``import_file``)."""
        step = check or (lambda: None)
        path = Path(path)
        raw = read_import_file(path)
        source = str(path)
        kind = import_format(raw, source, fmt)
        errors = RowErrors(source)
        if kind.is_claims:
            step()
            table = read_table(raw, source, CLAIM_COLUMNS, CLAIM_REQUIRED, RowErrors(source))
            step()
            claim_rows = parse_claims_csv(raw, source, errors)
            step()
            result = self.import_claims(claim_rows, source, fmt=kind, errors=errors, dry_run=True)
        elif kind.is_scores:
            step()
            table = read_table(raw, source, SCORE_COLUMNS, SCORE_REQUIRED, RowErrors(source))
            step()
            score_rows = parse_scores_csv(raw, source, errors)
            step()
            result = self.import_scores(score_rows, source, fmt=kind, errors=errors, dry_run=True)
        else:
            raise ExchangeError(f"{source}: this is a {kind.value} file; File → Import previews claims and scores "
                                "files (CSV or XLSX). Import it with `vendoreval import`.")
        problems = sorted(dict.fromkeys(errors.entries), key=lambda e: e[0])
        return ImportPreview(source, kind, table.columns, table.rows, problems, result)

    def _is_blank(self) -> bool:
        counts = self.ws.store.table_counts()
        return all(counts[t] == 0 for t in _RECORD_TABLES)

    def _finish(self, uow: UnitOfWork, result: ImportResult) -> None:
        """Inside the unit: announce the import and, after the commit, let the library see new rubric versions."""
        uow.changed("workspace", result.source)
        uow.after_commit(self.ws.library.reload)

    # --- import: workspace file ---------------------------------------------------------------

    def keys_in_file(self, path: Path) -> list[FileKey]:
        """The signing keys a workspace file names (its trusted keys and its own identity), for the user to confirm."""
        source = str(path)
        return file_keys(wf.parse(read_import_file(Path(path)), source))

    def _keys_to_trust(self, doc: wf.WorkspaceDocument, source: str, trust_keys: list[str], blank: bool,
                       result: ImportResult) -> list[FileKey]:
        """The file's keys the user confirmed; ExchangeError (nothing imported) for a confirmation that cannot hold."""
        keys = file_keys(doc)
        if trust_keys and not blank:
            raise ExchangeError(f"{source}: keys are trusted from a workspace file only when it is restored into an "
                                "empty workspace; trust a colleague's key when you import their bundle "
                                "(bundle import --trust-key FINGERPRINT). Nothing was imported.")
        chosen: list[FileKey] = []
        for typed in trust_keys:
            fp = normalise_fingerprint(typed)
            match = [k for k in keys if fingerprint_matches(fp, k.fingerprint)]
            if len(match) != 1:
                listed = ", ".join(f"{k.name or '?'} {k.fingerprint[:16]}…" for k in keys) or "none"
                raise ExchangeError(f"{source}: --trust-key {typed}: the file names no such key (its keys: {listed}). "
                                    "Nothing was imported.")
            if match[0].problem is not None:
                raise ExchangeError(f"{source}: the key '{match[0].name}' ({match[0].fingerprint[:16]}…) cannot be "
                                    f"trusted: {match[0].problem}. Nothing was imported.")
            if match[0] not in chosen:
                chosen.append(match[0])
        for k in keys:
            if k in chosen:
                continue
            what = "your signing key in that workspace" if k.identity else "a trusted key there"
            if k.problem is not None:
                result.notes.append(f"Refused key '{k.name}' ({k.fingerprint[:16]}…), {what}: {k.problem}.")
            elif blank:
                result.notes.append(f"Not trusted: '{k.name}', {what}, key {k.fingerprint} (confirm it with "
                                    "--trust-key FINGERPRINT to keep it).")
            else:
                result.notes.append(f"Not trusted: '{k.name}', {what}, key {k.fingerprint[:16]}… (a merge never adds "
                                    "trusted keys).")
        return chosen

    def import_workspace(self, doc: wf.WorkspaceDocument, source: str, *,
                         trust_keys: Iterable[str] = ()) -> ImportResult:
        """Restore a workspace file into an empty workspace exactly, or merge it by id into a non-empty one.

        Signing keys never come in with a merge. A restore keeps only the keys listed in ``trust_keys``
        (fingerprints the user confirmed, each one of the file's keys and a valid Ed25519 key): the file's
        trusted keys, and its own signing identity.
        """
        store = self.ws.store
        result = ImportResult(source, ImportFormat.WORKSPACE)
        blank = self._is_blank()
        if not blank:
            self._check_merge(doc, source)
        chosen = self._keys_to_trust(doc, source, list(trust_keys), blank, result)
        keep_identity = any(k.identity for k in chosen)
        for f in doc.files:
            if not store.blobs.has(f.sha256):
                try:
                    store.blobs.put_bytes(f.data(), f"{source}: evidence file {f.sha256[:12]}…")
                except BlobError as exc:
                    raise ExchangeError(str(exc)) from None
        rubric_rows = [{"content_hash": r.content_hash, "rubric_id": r.rubric.id, "version": r.rubric.version,
                        "title": r.rubric.title, "body": r.rubric.to_json(), "added_at": r.added_at,
                        "origin": r.origin} for r in doc.rubrics]
        if blank:
            result.restored = True
            with self.ws.unit_of_work() as uow:
                store.insert_rubric_version_rows(rubric_rows)
                store.insert_vendors_bulk(doc.vendors)
                store.insert_evidence_bulk(doc.evidence)
                store.insert_claims_bulk(doc.claims)
                store.insert_scorecards_bulk(doc.scorecards)
                store.insert_agreed_bulk(doc.agreed_scores)
                for m in doc.models:
                    store.save_vendor_model(_model_use(m))
                store.put_ageing_rows(_ageing_rows(doc.ageing))
                store.insert_engagement_contexts_bulk([_vendor_context(c) for c in doc.engagement_contexts])
                _put_conditions(store, doc.conditions, {v.id for v in doc.vendors})
                store.put_commercials_bulk([c.record() for c in doc.commercials])
                store.put_risk_notes_bulk([n.note() for n in doc.risks])
                for p in doc.weight_profiles:
                    store.save_weight_profile(p)
                for key, value in doc.settings.items():
                    if key in LOCAL_SETTINGS:  # the logo is this workspace's own picture, never a file's path
                        continue
                    if key not in IDENTITY_SETTINGS or keep_identity:
                        store.set_setting(key, value)
                for k in doc.trusted_keys:
                    if any(c.fingerprint == k.fingerprint and not c.identity for c in chosen):
                        store.trust_key(k.fingerprint, k.public_key, k.name, k.trusted_at)
                store.insert_audit_rows([AuditEntry.model_validate(a.model_dump()) for a in doc.audit])
                # no audit entry of its own: a restore is an exact copy of the file, its audit log included
                result.added["trusted keys"] = sum(1 for c in chosen if not c.identity)
                self._finish(uow, result)
            for name, items in (("vendors", doc.vendors), ("claims", doc.claims), ("evidence", doc.evidence),
                                ("scorecards", doc.scorecards), ("agreed scores", doc.agreed_scores),
                                ("models", doc.models), ("engagement contexts", doc.engagement_contexts),
                                ("commercials", doc.commercials), ("risk notes", doc.risks),
                                ("audit entries", doc.audit)):
                result.added[name] = len(items)
            return result
        with self.ws.unit_of_work() as uow:
            self._merge(uow, doc, rubric_rows, result)
        return result

    def _check_merge(self, doc: wf.WorkspaceDocument, source: str) -> None:
        """Refuse a merge that would give two vendors one name."""
        local_by_name = {v.name.casefold(): v for v in self.ws.store.vendors()}
        problems = []
        for i, v in enumerate(doc.vendors):
            other = local_by_name.get(v.name.casefold())
            if other is not None and other.id != v.id:
                problems.append(f"vendors[{i}]: '{v.name}' is already in this workspace under another id "
                                f"({other.id}); rename one of them first")
        if problems:
            raise ExchangeError(f"{source}: duplicate vendors; nothing was imported:\n  " + "\n  ".join(problems))

    def _merge(self, uow: UnitOfWork, doc: wf.WorkspaceDocument, rubric_rows: list[dict[str, Any]],
               result: ImportResult) -> None:
        store = self.ws.store
        known_hashes = {r["content_hash"] for r in store.rubric_version_rows()}
        store.insert_rubric_version_rows(rubric_rows)
        result.added["rubric versions"] = sum(1 for r in rubric_rows if r["content_hash"] not in known_hashes)

        def newer(kind: str, items: list[_Item], local: Mapping[_Key, _Item], key: Callable[[_Item], _Key],
                  stamp: Callable[[_Item], SupportsDunderGT[Any]]) -> list[_Item]:
            out = []
            for item in items:
                mine = local.get(key(item))
                if mine is None:
                    result.added[kind] += 1
                    out.append(item)
                elif stamp(item) > stamp(mine):
                    result.updated[kind] += 1
                    out.append(item)
                else:
                    result.kept[kind] += 1
            return out

        vendors = newer("vendors", doc.vendors, {v.id: v for v in store.vendors()}, lambda v: v.id,
                        lambda v: v.updated_at)
        store.insert_vendors_bulk(vendors, upsert=True)
        claims = newer("claims", doc.claims, {c.id: c for c in store.claims()}, lambda c: c.id,
                       lambda c: c.updated_at)
        evidence = newer("evidence", doc.evidence, {e.id: e for e in store.evidence()}, lambda e: e.id,
                         lambda e: 0)  # evidence records are never edited: an existing one is kept
        store.insert_evidence_bulk(evidence, upsert=True)
        store.insert_claims_bulk(claims, upsert=True)
        local_cards = {c.id: c for c in store.scorecards()}
        cards = newer("scorecards", doc.scorecards, local_cards, lambda c: c.id,
                      lambda c: (c.version, c.updated_at))
        for i, card in enumerate(cards):
            if card.id in local_cards:
                store.delete_scorecard(card.id)  # its scores go with it (cascade); the file's replace them
                # a file may bring a newer copy, never a new owner: who may replace it stays as it was
                cards[i] = card.model_copy(update={"owner_key": local_cards[card.id].owner_key})
        store.insert_scorecards_bulk(cards)
        agreed = newer("agreed scores", doc.agreed_scores,
                       {(a.vendor_id, a.rubric_hash, a.criterion_id): a for a in store.agreed_scores()},
                       lambda a: (a.vendor_id, a.rubric_hash, a.criterion_id), lambda a: a.agreed_at)
        store.insert_agreed_bulk(agreed, upsert=True)
        local_models = {m.id: wf.ModelRecord.model_validate(_model_dump(m)) for m in store.vendor_models()}
        for m in newer("models", doc.models, local_models, lambda m: m.id, lambda m: m.updated_at):
            store.save_vendor_model(_model_use(m))
        store.put_ageing_rows(self._newer_ageing(doc.ageing))
        local_contexts = {c.vendor_id: c for c in store.engagement_contexts()}
        contexts = newer("engagement contexts", [_vendor_context(c) for c in doc.engagement_contexts], local_contexts,
                         lambda c: c.vendor_id, lambda c: c.updated_at)
        store.insert_engagement_contexts_bulk(contexts)
        _put_conditions(store, doc.conditions, {v.id for v in vendors})
        terms = newer("commercials", [c.record() for c in doc.commercials],
                      {c.vendor_id: c for c in store.commercials_all()}, lambda c: c.vendor_id, lambda c: c.updated_at)
        store.put_commercials_bulk(terms)
        notes = newer("risk notes", [n.note() for n in doc.risks], {n.key: n for n in store.risk_notes()},
                      lambda n: n.key, lambda n: n.updated_at)
        store.put_risk_notes_bulk(notes)
        have_profiles = {p.name.casefold() for p in store.weight_profiles()}
        for p in doc.weight_profiles:
            if p.name.casefold() not in have_profiles:
                store.save_weight_profile(p)
                result.added["weight profiles"] += 1
        settings = store.settings()
        for key, value in doc.settings.items():
            # who this workspace's evaluator is, and whom it trusts, never comes from another workspace's file
            if key not in settings and key not in IDENTITY_SETTINGS and key not in LOCAL_SETTINGS:
                store.set_setting(key, value)

        def sig(a: AuditEntry) -> tuple[Any, ...]:
            return (a.at, a.actor, a.action, a.entity, a.entity_id, a.vendor_id, a.field, a.old, a.new, a.summary)

        have = {sig(a) for a in store.audit_ascending()}
        theirs = [AuditEntry.model_validate(a.model_dump(exclude={"id"})) for a in doc.audit if sig(a) not in have]
        store.add_audit_entries(theirs)  # their history as it was: their actors and times, before our entry
        result.added["audit entries"] += len(theirs)
        self._log_import(uow, result)
        self._finish(uow, result)

    def _newer_ageing(self, section: wf.AgeingSection) -> dict[str, list[dict[str, object]]]:
        """The file's ageing rows that are newer than ours (confirmations: those we do not have)."""
        mine = self.ws.store.ageing_rows()
        theirs = _ageing_rows(section)
        keys = {"evidence": ("evidence_id",), "claims": ("claim_id",), "cadence": ("vendor_id",),
                "rechecks": ("scorecard_id", "criterion_id", "trigger_key")}
        out: dict[str, list[dict[str, object]]] = {}
        for part, pk in keys.items():
            have = {tuple(r[k] for k in pk): r for r in mine[part]}
            stamp = "confirmed_at" if part == "rechecks" else "updated_at"
            out[part] = [r for r in theirs[part] if tuple(r[k] for k in pk) not in have
                         or str(r[stamp]) > str(have[tuple(r[k] for k in pk)][stamp])]
        return out

    @staticmethod
    def _log_import(uow: UnitOfWork, result: ImportResult, vendor_id: str | None = None) -> None:
        counts = "; ".join(f"{counted(n, k)} {what}"
                           for what, c in (("added", result.added), ("updated", result.updated))
                           for k, n in sorted(c.items()) if n)
        name = display_name(result.source)
        uow.audit("import", "import", name, vendor_id=vendor_id, new=result.format.value,
                  summary=f"Imported {name}: {counts or 'nothing new'}")

    # --- import: claims CSV -------------------------------------------------------------------

    def _vendors_by_name(self) -> dict[str, Vendor]:
        # SQLite's NOCASE folds ASCII only; 'bleu étoile' must find 'Bleu Étoile'
        return {_fold(v.name): v for v in self.ws.store.vendors()}

    def _vendor_resolver(self, errors: RowErrors) -> Callable[[str, int], Vendor | None]:
        by_name = self._vendors_by_name()
        fold = functools.cache(_fold)  # a file names the same few vendors on thousands of rows

        def vendor(name: str, line: int) -> Vendor | None:
            found = by_name.get(fold(name))
            if found is None:
                errors.add(line, f"unknown vendor '{name}' {ADD_VENDOR_FIRST}", "vendor")
            return found

        return vendor

    def import_claims(self, rows: list[ClaimRow], source: str, *, fmt: ImportFormat = ImportFormat.CLAIMS_CSV,
                      errors: RowErrors | None = None, dry_run: bool = False) -> ImportResult:
        """Add (or, for a row whose id is an existing claim, update) claims; vendors must exist.

        ``dry_run``: check and count, write nothing. ``errors``: problems are recorded there instead of
        raised (with ``dry_run``, for a preview).
        """
        lenient = errors is not None
        errors = errors if errors is not None else RowErrors(source)
        vendor = self._vendor_resolver(errors)
        result = ImportResult(source, fmt)
        seen_ids: dict[str, int] = {}
        planned: list[tuple[ClaimRow, Claim, Claim | None]] = []
        now = utc_now()
        # a row without an id that repeats a claim of its vendor (recorded, or earlier in the file) is left
        # out: importing the same file twice recorded every claim twice
        recorded: dict[str, set[tuple[str, str, str]]] = {}
        repeats = 0
        for row in rows:
            v = vendor(row.vendor, row.line)
            for ref in row.criteria:
                problem = self._criterion_problem(ref.rubric_id, ref.criterion_id)
                if problem:
                    errors.add(row.line, problem, "criteria")
            if row.id:
                if row.id in seen_ids:
                    errors.add(row.line, f"claim id {row.id} already on line {seen_ids[row.id]}", "id")
                seen_ids[row.id] = row.line
            if v is None:
                continue
            if not row.id:
                have = recorded.get(v.id)
                if have is None:
                    have = recorded[v.id] = {_claim_key(c.text, c.source, c.page) for c in self.ws.store.claims(v.id)}
                key = _claim_key(row.text, row.source, row.page)
                if key in have:
                    repeats += 1
                    result.kept["claims"] += 1
                    continue
                have.add(key)
            old = self.ws.store.claim(row.id) if row.id else None
            if old is not None and old.vendor_id != v.id:
                errors.add(row.line, f"claim {row.id} belongs to another vendor", "id")
                continue
            fields = {"text": row.text, "source_kind": row.source_kind, "source": row.source, "page": row.page,
                      "said_on": row.said_on, "said_to": row.said_to, "status": row.status,
                      "status_note": row.status_note, "criteria": list(row.criteria)}
            try:
                if old is None:
                    claim = Claim(vendor_id=v.id, created_at=now, updated_at=now, **fields,
                                  **({"id": row.id} if row.id else {}))
                else:
                    claim = Claim.model_validate({**old.model_dump(), **fields, "updated_at": now})
            except ValueError as exc:
                errors.add(row.line, str(exc).splitlines()[-1].strip())
                continue
            planned.append((row, claim, old))
        if not lenient:
            errors.raise_if_any()
        if repeats:
            one = repeats == 1
            result.notes.append(f"{plural(repeats, 'row')} without an id {'repeats' if one else 'repeat'} a claim "
                                "the vendor has (recorded, or earlier in the file: the same words, source and page) "
                                f"and {'is' if one else 'are'} left out")
        if dry_run:
            for _row, claim, old in planned:
                what = result.added if old is None else result.kept if _same_claim(old, claim) else result.updated
                what["claims"] += 1
            return result
        with self.ws.unit_of_work() as uow:
            for row, claim, old in planned:
                if old is not None and _same_claim(old, claim):
                    result.kept["claims"] += 1
                    continue
                self.ws.store.save_claim(claim)
                # its criteria reach the scores of my drafts, as for a claim recorded by hand (services/claim_links)
                claim_links.relink(self.ws, uow, claim, *criteria_diff(old.criteria if old else [], claim.criteria))
                if old is None:
                    result.added["claims"] += 1
                    uow.audit("create", "claim", claim.id, vendor_id=claim.vendor_id, new=claim.text[:200],
                              summary=f"Imported a claim ({display_name(source)}, line {row.line})")
                else:
                    result.updated["claims"] += 1
                    uow.audit("update", "claim", claim.id, vendor_id=claim.vendor_id, old=old.text[:200],
                              new=claim.text[:200],
                              summary=f"Updated a claim ({display_name(source)}, line {row.line})")
            self._log_import(uow, result)
            self._finish(uow, result)
        return result

    def _criterion_problem(self, rubric_id: str, criterion_id: str) -> str | None:
        versions = self.ws.library.versions(rubric_id)
        if not versions:
            return f"unknown rubric '{rubric_id}' (known: {', '.join(self.ws.library.ids()) or 'none'})"
        if not any(criterion_id in r.criterion_ids() for r in versions):
            return f"rubric '{rubric_id}' has no criterion '{criterion_id}'"
        return None

    # --- import: scores CSV -------------------------------------------------------------------

    @collector_paused()
    def import_scores(self, rows: list[ScoreRow], source: str, *, fmt: ImportFormat = ImportFormat.SCORES_CSV,
                      errors: RowErrors | None = None, dry_run: bool = False) -> ImportResult:
        """Set scores on draft scorecards (created when missing); vendors, rubrics and criteria must exist.

        A row with a ``claims`` cell links exactly those claims (of the same vendor) to the score; without
        the column the score keeps its links. ``dry_run`` and ``errors`` as for ``import_claims``.

        Every row is checked by the domain's rule (``check_score``); a file of thousands of rows names the
        same few vendors, rubrics, criteria and levels again and again, so each distinct one is looked up
        and checked once and its verdict (the value, or the reason it is refused) reused for the others.
        """
        lenient = errors is not None
        errors = errors if errors is not None else RowErrors(source)
        result = ImportResult(source, fmt)
        cards: dict[tuple[str, str, str], Scorecard] = {}
        rubrics: dict[str, Rubric] = {}
        new_cards: set[str] = set()
        planned: list[tuple[ScoreRow, Scorecard, Rubric, Score]] = []
        updates = 0  # planned scores that replace one the card has
        touched: set[str] = set()  # the cards of the planned scores
        seen: dict[tuple[str, str], int] = {}
        now = utc_now()
        owner = own_fingerprint(self.ws)  # scorecards made here belong to our key
        existing: dict[tuple[str, str, str], Scorecard] = {}  # latest per (vendor, rubric version, evaluator)
        for c in self.ws.store.scorecards_by_evaluator({row.evaluator or self.ws.evaluator for row in rows}):
            k = (c.vendor_id, c.rubric_hash, c.evaluator)
            if k not in existing or c.version > existing[k].version:
                existing[k] = c
        claim_vendor = ({c.id: c.vendor_id for c in self.ws.store.claims()}
                        if any(row.claims for row in rows) else {})
        places: dict[tuple[str, str, str | None], _Place] = {}  # (vendor, rubric, version) as the file names them
        verdicts: dict[tuple[str, str, Answer, int | None, float | None], _Verdict] = {}
        by_name = self._vendors_by_name()
        library = self.ws.library
        default_evaluator = self.ws.evaluator
        submitted = ScorecardStatus.SUBMITTED
        for row in rows:
            line = row.line
            place = places.get((row.vendor, row.rubric, row.rubric_version))
            if place is None:
                place = places[(row.vendor, row.rubric, row.rubric_version)] = _place(library, by_name, row)
            v, rubric = place.vendor, place.rubric
            if v is None:
                errors.add(line, f"unknown vendor '{row.vendor}' {ADD_VENDOR_FIRST}",
                           "vendor")
            if rubric is None:
                errors.add(line, place.problem, place.field)
                continue
            vkey = (rubric.content_hash, row.criterion, row.answer, row.level, row.figure)
            verdict = verdicts.get(vkey)
            if verdict is None:
                verdict = verdicts[vkey] = _verdict(rubric, row)
            value = verdict.value
            if value is None:
                errors.add(line, verdict.problem, verdict.field)
                continue
            if v is None:
                continue
            if row.claims is not None:
                bad = [cid for cid in row.claims if claim_vendor.get(cid) != v.id]
                for cid in bad:
                    errors.add(line, f"no claim {cid} of {v.name}" if cid not in claim_vendor else
                               f"claim {cid} belongs to another vendor, not {v.name}", "claims")
                if bad:
                    continue
            evaluator = row.evaluator or default_evaluator
            key = (v.id, rubric.content_hash, evaluator)
            card = cards.get(key)
            if card is None:
                found = existing.get(key)
                if found is not None:
                    card = found
                else:
                    card = Scorecard(vendor_id=v.id, rubric_id=rubric.id, rubric_version=rubric.version,
                                     rubric_hash=rubric.content_hash, evaluator=evaluator, created_at=now,
                                     updated_at=now, owner_key=owner)
                    new_cards.add(card.id)
                cards[key] = card
                rubrics[rubric.content_hash] = rubric
            criterion_id = verdict.criterion_id
            dup = (card.id, criterion_id)
            if dup in seen:
                errors.add(line, f"{criterion_id} for {v.name} / {evaluator} already on line {seen[dup]}", "criterion")
                continue
            seen[dup] = line
            old = card.scores.get(criterion_id)
            if value.figure is not None:  # the row's own figure (the verdict may be of an equal one: 0.0 and -0.0)
                value = ScoreValue(value.answer, value.level, row.figure)
            score = checked_score(
                criterion_id, value, strength=row.strength, rationale=row.rationale,
                claim_ids=list(row.claims) if row.claims is not None else list(old.claim_ids) if old else [],
                evidence_ids=list(old.evidence_ids) if old else [], updated_at=now)
            if old is not None and _same_score(old, score):
                result.kept["scores"] += 1
                continue
            if card.status == submitted:
                errors.add(line, f"the {rubric.id} scorecard of {v.name} by {evaluator} is submitted; "
                                 "reopen it before importing changes")
                continue
            planned.append((row, card, rubric, score))
            touched.add(card.id)
            if old is not None:
                updates += 1
        if not lenient:
            errors.raise_if_any()
        unnamed = sum(1 for row, *_rest in planned if not row.evaluator)
        if unnamed:  # said before anything is written: a preview shows it
            result.notes.append(f"{plural(unnamed, 'score')} without an evaluator in the file "
                                f"{'is' if unnamed == 1 else 'are'} scored as {default_evaluator} (this workspace's "
                                "evaluator); an 'evaluator' column names someone else")
        if dry_run:
            result.added["scorecards"] += len(new_cards)
            result.added["scores"] += len(planned) - updates
            result.updated["scores"] += updates
            return result
        from .scorecards import describe_score

        words: dict[tuple[str, str, str, int | None], str] = {}

        def describe(score: Score | None, rubric: Rubric) -> str:  # the same few words on thousands of rows
            if score is None:
                return "unscored"
            key = (rubric.content_hash, score.criterion_id, score.answer, score.level)
            found = words.get(key)
            if found is None:
                found = words[key] = describe_score(score, rubric)
            return found

        name = display_name(source)
        with self.ws.unit_of_work() as uow:
            stored = [self.ws.store.save_rubric_version(rubrics[content_hash])
                      for content_hash in sorted({c.rubric_hash for c in cards.values() if c.id in new_cards})]
            for card in cards.values():
                if card.id in new_cards:
                    result.added["scorecards"] += 1
                    uow.audit("create", "scorecard", card.id, vendor_id=card.vendor_id,
                              new=f"{card.rubric_id} {card.rubric_version}",
                              summary=f"Scorecard created by import ({name})")
            self.ws.store.save_scorecard_headers(
                [c if c.id in new_cards else c.model_copy(update={"updated_at": now})
                 for c in cards.values() if c.id in new_cards or c.id in touched])
            self.ws.store.save_scores([(card.id, score) for _, card, _, score in planned])
            result.added["scores"] += len(planned) - updates
            result.updated["scores"] += updates
            uow.audit_many("score", "score", (
                (f"{card.id}:{score.criterion_id}", card.vendor_id, score.criterion_id,
                 describe(card.scores.get(score.criterion_id), rubric), describe(score, rubric),
                 f"Imported score ({name}, line {row.line})")
                for row, card, rubric, score in planned))
            self._log_import(uow, result)
            if any(stored):
                self._finish(uow, result)
            else:  # every rubric version was in the library and the database: nothing for the library to reload
                uow.changed("workspace", result.source)
        return result

    # --- import: FMTI score matrix ------------------------------------------------------------

    def import_fmti(self, raw: bytes, source: str, *, rubric: str | None = None,
                    evaluator: str | None = None) -> ImportResult:
        """One vendor per developer column (created if missing), one submitted scorecard each."""
        matrix = parse_matrix(raw, source)
        rubric_id, _, version = (rubric or "fmti").partition("@")
        if version:
            one = self.ws.library.get(rubric_id, version)
            if one is None:
                known = ", ".join(r.version for r in self.ws.library.versions(rubric_id)) or "none"
                raise ExchangeError(f"{source}: --rubric {rubric}: no such rubric version (known: {known})")
            candidates = [one]
        else:
            candidates = self.ws.library.versions(rubric_id)
        match = match_rubric(matrix, candidates, rubric_id, self.ws.library.fmti_editions())
        rub = match.rubric
        default = f"FMTI {match.edition.edition}" if match.edition else f"FMTI {rub.version}"
        who = (evaluator or default).strip()
        if not who:
            raise ExchangeError("--evaluator: the evaluator name cannot be empty")
        result = ImportResult(source, ImportFormat.FMTI)
        name = display_name(source)
        if match.edition is not None:
            spelled = sum(1 for _, n, _ in matrix.indicators if norm_name(n) in match.edition.aliases)
            result.notes.append(f"{match.edition.title} matrix: {plural(spelled, 'indicator name')} read through "
                                f"that edition's aliases for {rub.id} {rub.version}")
        if matrix.total_column:
            result.notes.append("Total column checked against each indicator's count (not imported as a developer)")
        if match.unscored:
            unscored = len(match.unscored)
            rows = "has no row and stays" if unscored == 1 else "have no row and stay"
            result.notes.append(f"{plural(unscored, 'criterion')} of {rub.id} {rub.version} {rows} unscored: "
                                f"{', '.join(match.unscored[:10])}{' …' if unscored > 10 else ''}")
        now = utc_now()
        owner = own_fingerprint(self.ws)  # scorecards made here belong to our key
        by_name = self._vendors_by_name()
        new_vendors: dict[int, Vendor] = {}
        errors = RowErrors(source)
        for i, developer in enumerate(matrix.developers):
            if _fold(developer) not in by_name:
                try:
                    new_vendors[i] = Vendor(name=developer, description=f"Foundation model developer (from {name})",
                                            created_at=now, updated_at=now)
                except ValueError as exc:
                    errors.add(1, f"developer '{developer[:60]}' cannot be a vendor name: "
                                  f"{str(exc).splitlines()[-1].strip()}", developer[:60])
        errors.raise_if_any()
        with self.ws.unit_of_work() as uow:
            self.ws.store.save_rubric_version(rub)
            for i, developer in enumerate(matrix.developers):
                vendor = by_name.get(_fold(developer)) or new_vendors[i]
                if i in new_vendors:
                    self.ws.store.save_vendor(vendor)
                    result.added["vendors"] += 1
                    uow.audit("create", "vendor", vendor.id, vendor_id=vendor.id, new=vendor.name,
                              summary=f"Created vendor {vendor.name} (FMTI import)")
                scores = {
                    cid: Score(criterion_id=cid, answer=Answer.LEVEL, level=values[i], strength=FMTI_STRENGTH,
                               rationale=f"{who} score matrix ({name}, line {line})", updated_at=now)
                    for (line, _, values), cid in zip(matrix.indicators, match.criterion_ids, strict=True)
                }
                existing = [c for c in self.ws.store.scorecards(vendor.id, rub.id)
                            if c.rubric_hash == rub.content_hash and c.evaluator == who]
                old = max(existing, key=lambda c: c.version) if existing else None
                if old is not None and {k: (s.answer, s.level) for k, s in old.scores.items()} == {
                        k: (s.answer, s.level) for k, s in scores.items()} and old.status == ScorecardStatus.SUBMITTED:
                    result.kept["scorecards"] += 1
                    continue
                if old is not None:
                    card = old.model_copy(update={"status": ScorecardStatus.SUBMITTED, "version": old.version + 1,
                                                  "scores": scores, "updated_at": now, "submitted_at": now})
                    self.ws.store.delete_scorecard(old.id)
                    result.updated["scorecards"] += 1
                else:
                    card = Scorecard(vendor_id=vendor.id, rubric_id=rub.id, rubric_version=rub.version,
                                     rubric_hash=rub.content_hash, evaluator=who, status=ScorecardStatus.SUBMITTED,
                                     scores=scores, created_at=now, updated_at=now, submitted_at=now,
                                     owner_key=owner)
                    result.added["scorecards"] += 1
                self.ws.store.insert_scorecards_bulk([card])
                uow.audit("submit", "scorecard", card.id, vendor_id=vendor.id, field="status",
                          new=f"submitted v{card.version}",
                          summary=f"FMTI {rub.version}: {matrix.count(i)} of {len(rub.criteria)} indicators "
                                  f"({name})")
            self._log_import(uow, result)
            self._finish(uow, result)
        return result


def _ageing_rows(section: wf.AgeingSection) -> dict[str, list[dict[str, object]]]:
    return {"evidence": [r.model_dump(mode="json") for r in section.evidence],
            "claims": [r.model_dump(mode="json") for r in section.claims],
            "cadence": [r.model_dump(mode="json") for r in section.cadence],
            "rechecks": [r.model_dump(mode="json") for r in section.rechecks]}


def _model_dump(m: ModelUse) -> dict[str, Any]:
    return {"id": m.id, "vendor_id": m.vendor_id, "provider": m.provider, "model": m.model, "version": m.version,
            "own": m.own, "note": m.note, "created_at": m.created_at, "updated_at": m.updated_at}


def _put_conditions(store: Store, section: wf.ConditionsSection, vendor_ids: set[str]) -> None:
    """The file's condition records of ``vendor_ids`` (the vendors taken from the file) replace theirs; the
    file's dropped proposals are added (a vendor without records in the file keeps the records its
    ``conditions`` texts became)."""
    by_vendor: dict[str, list[Condition]] = defaultdict(list)
    for c in section.records:
        if c.vendor_id in vendor_ids:
            by_vendor[c.vendor_id].append(c)
    for vendor_id, records in sorted(by_vendor.items()):
        store.replace_conditions(vendor_id, sorted(records, key=lambda c: c.number))
    have = store.dropped_proposals()
    for d in section.dropped:
        if f"{d.vendor_id} {d.key}" not in have and store.vendor(d.vendor_id) is not None:
            store.save_dropped_proposal(d.vendor_id, d.key, d.text, d.dropped_at, d.actor)
def _commercials_dump(c: Commercials) -> dict[str, Any]:
    """One vendor's terms as the workspace file keeps them (amounts as decimal text; unrecorded terms left out)."""
    out: dict[str, Any] = {"vendor_id": c.vendor_id, "updated_at": c.updated_at}
    for f in COMMERCIAL_FIELDS:
        value = c.value(f)
        if value not in (None, ""):
            out[f] = c.field_text(f) if f in AMOUNT_FIELDS else value
    return out


def _note_dump(n: RiskNote) -> dict[str, Any]:
    """A risk note as the workspace file keeps it (the user's fields; no revision)."""
    out: dict[str, Any] = {"kind": n.kind, "vendor_id": n.vendor_id, "criterion": n.criterion, "owner": n.owner,
                           "mitigation": n.mitigation, "residual": n.residual, "updated_at": n.updated_at}
    for f in ("impact", "likelihood"):
        if getattr(n, f) is not None:
            out[f] = getattr(n, f)
    return out


def _vendor_context(c: wf.ContextRecord) -> VendorContext:
    return VendorContext(c.vendor_id, c.context, c.updated_at)


def _model_use(m: wf.ModelRecord) -> ModelUse:
    return ModelUse(vendor_id=m.vendor_id, provider=m.provider, model=m.model, version=m.version, own=m.own,
                    note=m.note, id=m.id, created_at=m.created_at, updated_at=m.updated_at)


@dataclass(frozen=True)
class FileKey:
    """A signing key named in a workspace file: a key it trusts, or its own evaluator's signing identity."""

    fingerprint: str
    public_key: str
    name: str
    identity: bool  # the file's own signing key (its settings), not one of its trusted keys
    problem: str | None  # why it can never be trusted (not a valid Ed25519 key, fingerprint mismatch)

    def describe(self) -> str:
        """One line for a list the user confirms."""
        what = "signing key of the workspace" if self.identity else "trusted key"
        text = f"{self.name or '(no name)'} — {what} — {self.fingerprint}"
        return text + (f" — REFUSED: {self.problem}" if self.problem else "")


def file_keys(doc: wf.WorkspaceDocument) -> list[FileKey]:
    """Every key a workspace file names, its identity first, each checked (``problem``)."""
    out = []
    fp, pk = doc.settings.get(SETTING_FINGERPRINT), doc.settings.get(SETTING_PUBLIC_KEY)
    if isinstance(fp, str) and isinstance(pk, str):
        name = doc.settings.get("evaluator")
        out.append(FileKey(fp, pk, name if isinstance(name, str) else "", True, key_problem(fp, pk)))
    for k in doc.trusted_keys:
        out.append(FileKey(k.fingerprint, k.public_key, k.name, False, key_problem(k.fingerprint, k.public_key)))
    return out


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def _claim_key(text: str, source: str, page: str) -> tuple[str, str, str]:
    """What makes two claims of one vendor the same claim to an import: the words, the source and the page,
    each with its spacing and case ignored."""
    return _fold(text), _fold(source), _fold(page)


def _same_claim(a: Claim, b: Claim) -> bool:
    return a.model_dump(exclude={"updated_at"}) == b.model_dump(exclude={"updated_at"})


def _same_score(a: Score, b: Score) -> bool:
    keys = ("answer", "level", "figure", "strength", "rationale", "claim_ids")
    return all(getattr(a, k) == getattr(b, k) for k in keys)


@dataclass(frozen=True)
class _Place:
    """Where a scores row points (its vendor and rubric version), looked up once per distinct naming."""

    vendor: Vendor | None
    rubric: Rubric | None
    problem: str = ""  # why the rubric is refused (when ``rubric`` is None), and the column to fix
    field: str = "rubric"


def _place(library: RubricLibrary, by_name: Mapping[str, Vendor], row: ScoreRow) -> _Place:
    vendor = by_name.get(_fold(row.vendor))
    rubric = library.get(row.rubric, row.rubric_version)
    if rubric is not None:
        return _Place(vendor, rubric)
    versions = library.versions(row.rubric)
    if versions:
        known = ", ".join(r.version for r in versions)
        return _Place(vendor, None, f"rubric '{row.rubric}' has no version {row.rubric_version} (known: {known})",
                      "rubric_version")
    return _Place(vendor, None, f"unknown rubric '{row.rubric}' (known: {', '.join(library.ids())})")


@dataclass(frozen=True)
class _Verdict:
    """The rule's verdict on one (rubric version, criterion, answer, level, figure): the value, or why not."""

    criterion_id: str
    value: ScoreValue | None
    problem: str = ""
    field: str = "level"


def _verdict(rubric: Rubric, row: ScoreRow) -> _Verdict:
    try:
        crit = rubric.criterion(row.criterion)
    except KeyError:
        return _Verdict(row.criterion, None, f"rubric {rubric.id} {rubric.version} has no criterion '{row.criterion}'",
                        "criterion")
    try:
        return _Verdict(crit.id, check_score(crit, row.answer, row.level, row.figure))
    except RuleError as exc:
        return _Verdict(crit.id, None, str(exc), exc.field or "level")
