"""Use cases of the model supply chain: the models behind a vendor, public baselines, contradictions.

Baselines are reference data: the FMTI edition shipped in resources/baselines/ plus any edition the user
imports (`vendoreval baselines import`). They are never vendors and never enter totals or bundles.
"""

from __future__ import annotations

import functools
import hashlib
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import files
from ..domain.context import ContextError
from ..domain.models import utc_now
from ..domain.rubric import Rubric
from ..domain.supply_chain import (
    Baseline,
    Contradiction,
    ModelUse,
    ProviderBaseline,
    SupplyChainError,
    developer_key,
    gpai_answer,
    gpai_conflict,
    make_model_use,
    norm,
    own_model_contradictions,
    provider_baselines,
    same_model,
)
from ..domain.text import plural
from ..errors import MAX_NESTING, toml_too_deep
from ..exchange import ExchangeError
from ..exchange.fmti_matrix import Edition, Matrix, match_rubric, norm_name, parse_matrix
from ..files import display_name
from ..paths import resource_path, rubrics_dir
from .workspace import NotFound, ServiceError

if TYPE_CHECKING:
    from .workspace import Workspace

#: The largest baseline matrix read (the published ones are 5–8 KB).
MAX_MATRIX_BYTES = 2 * 1024 * 1024
SHIPPED_BASELINE = ("resources", "baselines", "Dec2025_scores.csv")
SHIPPED_EDITION = "2025-12"


def _toml(path: Path, what: str) -> dict[str, object]:
    try:
        text = files.read_bytes(path, max_bytes=1 << 20, what=what).decode("utf-8")
        if toml_too_deep(text):
            raise ServiceError(f"{path}: TOML nested too deeply (more than {MAX_NESTING} levels)", file=str(path))
        return tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ServiceError(f"{path}: not a readable TOML file: {exc}", file=str(path)) from None


@functools.cache
def developer_aliases() -> dict[str, tuple[str, ...]]:
    """Other names of FMTI developers (resources/baselines/developers.toml)."""
    path = resource_path("resources", "baselines", "developers.toml")
    data = _toml(path, "developer alias list").get("developers", {})
    assert isinstance(data, dict)
    return {str(k): tuple(str(x) for x in v) for k, v in data.items()}


@functools.cache
def relevance() -> dict[str, tuple[str, ...]]:
    """Which FMTI indicators each of our criteria is about (rubrics/data/fmti-relevance.toml)."""
    data = _toml(rubrics_dir() / "data" / "fmti-relevance.toml", "FMTI relevance file").get("relevance", {})
    assert isinstance(data, dict)
    return {str(k): tuple(str(x) for x in v) for k, v in data.items()}


@dataclass(frozen=True)
class BaselineImport:
    """What `baselines import` did."""

    baseline: Baseline
    replaced: bool  # an earlier import of the same edition was replaced
    unchanged: bool  # the same file was imported before: nothing written


class SupplyChainService:
    """The models behind each vendor's product and the public record about their providers."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # --- models -------------------------------------------------------------------------------

    def models(self, vendor_id: str) -> list[ModelUse]:
        """The models a vendor's product uses, in the order recorded."""
        self.ws.vendors.get(vendor_id)
        return self.ws.store.vendor_models(vendor_id)

    def add(self, vendor_id: str, provider: str, model: str, *, version: str = "", own: bool = False,
            note: str = "") -> ModelUse:
        """Record a model; ServiceError when a field breaks a rule or the same model is recorded already."""
        vendor = self.ws.vendors.get(vendor_id)
        try:
            entry = make_model_use(vendor_id, provider, model, version=version, own=own, note=note)
        except SupplyChainError as exc:
            raise ServiceError(f"{vendor.name}: {exc}") from None
        models = self.ws.store.vendor_models(vendor_id)
        if any(same_model(entry, m) for m in models):
            raise ServiceError(f"{vendor.name}: {entry.label} is recorded already")
        answer = self.ws.contexts.get(vendor_id).get("gpai-model")
        conflict = gpai_conflict(answer if isinstance(answer, str) else None, [*models, entry])
        if conflict is not None:
            raise ContextError(f"{vendor.name}: {entry.label} was not recorded: {conflict}. Change the engagement "
                               "context's gpai-model answer first if the product changed.", field="gpai-model")
        implied = gpai_answer([*models, entry])
        with self.ws.unit_of_work() as uow:
            self.ws.store.save_vendor_model(entry)
            if answer is None:
                # the supply chain is the detail behind the context answer: recording a model answers it
                self.ws.contexts.set(vendor_id, {"gpai-model": implied})
            uow.audit("create", "model", entry.id, vendor_id=vendor_id, new=entry.label,
                      summary=f"{vendor.name}: built on {entry.label}")
            uow.changed("vendor", vendor_id, vendor_id)
        return entry

    def set_version(self, vendor_id: str, ref: str, version: str) -> ModelUse:
        """A new version of a recorded model (an event in the audit log: scores may need a re-check)."""
        vendor = self.ws.vendors.get(vendor_id)
        old = self.find(vendor_id, ref)
        try:
            new = make_model_use(vendor_id, old.provider, old.model, version=version, own=old.own, note=old.note)
        except SupplyChainError as exc:
            raise ServiceError(f"{vendor.name}: {exc}") from None
        if norm(new.version) == norm(old.version):
            return old
        updated = ModelUse(vendor_id=vendor_id, provider=old.provider, model=old.model, version=new.version,
                           own=old.own, note=old.note, id=old.id, created_at=old.created_at)
        with self.ws.unit_of_work() as uow:
            self.ws.store.save_vendor_model(updated)
            uow.audit("update", "model", old.id, vendor_id=vendor_id, field="version", old=old.version or "none",
                      new=updated.version or "none",
                      summary=f"{vendor.name}: {old.provider} {old.model} version "
                              f"{old.version or 'none'} → {updated.version or 'none'}")
            uow.changed("vendor", vendor_id, vendor_id)
        return updated

    def find(self, vendor_id: str, ref: str) -> ModelUse:
        """A vendor's model by id (or its first 8+ characters), model name or 'provider model'."""
        vendor = self.ws.vendors.get(vendor_id)
        models = self.ws.store.vendor_models(vendor_id)
        wanted = norm(ref)
        hits = [m for m in models if m.id == ref or (len(ref) >= 8 and m.id.startswith(ref))]
        if not hits:
            hits = [m for m in models if wanted in (norm(m.model), norm(f"{m.provider} {m.model}"))]
        if not hits:
            known = "; ".join(m.label for m in models) or "none recorded"
            raise NotFound(f"{vendor.name}: no model '{ref}' (known: {known})")
        if len(hits) > 1:
            raise ServiceError(f"{vendor.name}: '{ref}' names {len(hits)} models; give the id: "
                               + "; ".join(f"{m.id[:8]} {m.label}" for m in hits))
        return hits[0]

    def remove(self, vendor_id: str, ref: str) -> ModelUse:
        """Remove a recorded model."""
        vendor = self.ws.vendors.get(vendor_id)
        entry = self.find(vendor_id, ref)
        with self.ws.unit_of_work() as uow:
            self.ws.store.delete_vendor_model(entry.id)
            uow.audit("delete", "model", entry.id, vendor_id=vendor_id, old=entry.label,
                      summary=f"{vendor.name}: no longer built on {entry.label}")
            uow.changed("vendor", vendor_id, vendor_id)
        return entry

    def undo_add(self, entry: ModelUse, answer_before: object) -> None:
        """Undo of ``add``: remove the model and, when ``add`` answered the context's gpai-model question
        (``answer_before``, the answer then, was None) and the answer is still that one, clear it again, in
        one transaction. A tester undid "Add model" and the context still said the product uses a
        third-party model, which decides which criteria apply."""
        vendor_id = entry.vendor_id
        with self.ws.unit_of_work():
            try:
                self.remove(vendor_id, entry.id)
            except NotFound:  # removed meanwhile (another window, the command line)
                pass
            if answer_before is None:
                models = self.ws.store.vendor_models(vendor_id)
                answer = self.ws.contexts.get(vendor_id).get("gpai-model")
                if not models and answer is not None and answer == gpai_answer([entry]):
                    self.ws.contexts.set(vendor_id, {"gpai-model": None})

    def restore(self, entry: ModelUse) -> None:
        """Put a removed model back as it was (undo of remove, redo of add): like ``add``, it answers the
        context's gpai-model question when that is unanswered."""
        vendor = self.ws.vendors.get(entry.vendor_id)
        with self.ws.unit_of_work() as uow:
            if self.ws.contexts.get(entry.vendor_id).get("gpai-model") is None:
                implied = gpai_answer([*self.ws.store.vendor_models(entry.vendor_id), entry])
                self.ws.contexts.set(entry.vendor_id, {"gpai-model": implied})
            self.ws.store.save_vendor_model(entry)
            uow.audit("restore", "model", entry.id, vendor_id=entry.vendor_id, new=entry.label,
                      summary=f"{vendor.name}: built on {entry.label} (restored)")
            uow.changed("vendor", entry.vendor_id, entry.vendor_id)

    # --- baselines ----------------------------------------------------------------------------

    def baselines(self) -> list[Baseline]:
        """Every baseline edition, oldest first: the shipped one and the imported ones (an imported edition
        replaces the shipped one of the same YYYY-MM)."""
        by_edition = {b.edition: b for b in [*self._shipped(), *self.ws.store.baselines()]}
        return [by_edition[k] for k in sorted(by_edition)]

    def _shipped(self) -> list[Baseline]:
        try:
            path = resource_path(*SHIPPED_BASELINE)
        except FileNotFoundError:
            return []
        chosen = next((e for e in self.ws.library.fmti_editions() if e.edition == SHIPPED_EDITION), None)
        return [_shipped_baseline(path, chosen.title if chosen else "FMTI December 2025",
                                  chosen.version if chosen else "2025.12")]

    def developer_table(self) -> dict[str, dict[str, int]]:
        """Each developer's total per edition, developers named once across editions (through the alias list:
        'Stability' in May 2024 is 'Stability AI')."""
        aliases = developer_aliases()
        shown = {norm(k): k for k in aliases}
        table: dict[str, dict[str, int]] = {}
        for b in self.baselines():
            for dev in b.developers:
                key = developer_key(dev, aliases)
                table.setdefault(shown.get(key, dev), {})[b.edition] = b.total(dev)
        return dict(sorted(table.items(), key=lambda kv: kv[0].casefold()))

    def import_baseline(self, path: str | Path, *, edition: str | None = None) -> BaselineImport:
        """Add an FMTI edition as a baseline; ExchangeError naming the file, line and reason otherwise."""
        source = str(path)
        raw = files.read_bytes(path, max_bytes=MAX_MATRIX_BYTES, what="FMTI score matrix")
        baseline = _read_baseline(raw, source, self.ws.library.fmti_editions(),
                                  self.ws.library.versions("fmti"), edition)
        sha = hashlib.sha256(raw).hexdigest()
        previous = self.ws.store.baseline_sha256(baseline.edition)
        if previous == sha:
            return BaselineImport(baseline, replaced=False, unchanged=True)
        with self.ws.unit_of_work() as uow:
            self.ws.store.save_baseline(baseline, sha, utc_now())
            uow.audit("import", "baseline", baseline.edition, new=baseline.title,
                      summary=f"Baseline {baseline.title} from {display_name(source)}: "
                              f"{plural(len(baseline.scores), 'developer')}")
            uow.changed("baseline", baseline.edition)
        return BaselineImport(baseline, replaced=previous is not None, unchanged=False)

    def for_vendor(self, vendor_id: str) -> list[ProviderBaseline]:
        """The public baseline of each third-party model provider the vendor records."""
        return provider_baselines(self.models(vendor_id), self.baselines(), developer_aliases(), relevance())

    def contradictions(self, vendor_id: str,
                       baselines: list[ProviderBaseline] | None = None) -> list[Contradiction]:
        """Claims of an own model while a third-party model is recorded behind the product (``baselines``:
        the vendor's ``for_vendor`` result when the caller has it already)."""
        models = self.models(vendor_id)
        claims = [(c.id, c.text) for c in self.ws.store.claims(vendor_id)]
        return own_model_contradictions(claims, models, self.for_vendor(vendor_id) if baselines is None
                                        else baselines)


@functools.lru_cache(maxsize=4)
def _shipped_baseline(path: Path, title: str, version: str) -> Baseline:
    """The shipped edition, parsed once per process."""
    matrix = parse_matrix(files.read_bytes(path, max_bytes=MAX_MATRIX_BYTES, what="shipped baseline"), str(path))
    return Baseline(edition=SHIPPED_EDITION, title=title, rubric_id="fmti", rubric_version=version,
                    source="shipped", scores=_scores(matrix, {}))


def _scores(matrix: Matrix, aliases: Mapping[str, str]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for i, dev in enumerate(matrix.developers):
        out[dev] = {" ".join(aliases.get(norm_name(name), name).split()): values[i]
                    for _, name, values in matrix.indicators}
    return out


def _read_baseline(raw: bytes, source: str, editions: Sequence[Edition], rubrics: Sequence[Rubric],
                   edition: str | None) -> Baseline:
    """A matrix as a baseline: its edition given or recognised from the indicator names."""
    matrix = parse_matrix(raw, source)  # Total row and column checked, every bad cell named
    candidates = list(rubrics)
    if edition is not None:
        chosen = next((e for e in editions if e.edition == edition), None)
        if chosen is None:
            known = ", ".join(e.edition for e in editions) or "none"
            raise ExchangeError(f"{source}: --edition {edition}: no such FMTI edition (known: {known}; add one in "
                                "rubrics/data/fmti-editions.toml)")
        candidates = [r for r in candidates if r.version == chosen.version] or candidates
        match = match_rubric(matrix, candidates, "fmti", [chosen])
        if match.rubric.version != chosen.version:
            raise ExchangeError(f"{source}: the indicator names are those of fmti {match.rubric.version}, not of "
                                f"{chosen.title} (fmti {chosen.version})")
    else:
        match = match_rubric(matrix, candidates, "fmti", editions)
        chosen = match.edition
        if chosen is None:
            same = [e for e in editions if e.version == match.rubric.version]
            if len(same) != 1:
                listed = ", ".join(e.edition for e in same) or "none"
                raise ExchangeError(f"{source}: the indicator names fit fmti {match.rubric.version}, which "
                                    f"{len(same)} editions score ({listed}); say which with --edition YYYY-MM")
            chosen = same[0]
    return Baseline(edition=chosen.edition, title=chosen.title, rubric_id=match.rubric.id,
                    rubric_version=match.rubric.version, source=display_name(source),
                    scores=_scores(matrix, chosen.aliases))
