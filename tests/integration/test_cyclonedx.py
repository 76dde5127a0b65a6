"""CycloneDX 1.6 attestations: `export --format cyclonedx` against the schema cyclonedx-python-lib ships
(offline), the mapping of claims, evidence and scores, the round trip through `import`, and hostile files."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator, JsonValidator

from tests.integration.test_no_network import no_network  # noqa: F401  (the offline guard, as a fixture)
from vendoreval.domain.models import ClaimStatus
from vendoreval.exchange.detect import ImportFormat, detect_format
from vendoreval.services import Workspace
from vendoreval.services.ageing import AgeingService
from vendoreval.services.cyclonedx import CycloneDxService

AT = "2026-11-30T12:00:00Z"
VALID_UNTIL = dt.date(2027, 6, 30)
REVIEW_BY = dt.date(2027, 1, 15)


def schema_errors(doc: dict[str, Any]) -> list[str]:
    """Every error the CycloneDX 1.6 JSON schema finds in ``doc`` (strict and plain validator)."""
    text = json.dumps(doc)
    out: list[str] = []
    for validator in (JsonStrictValidator(SchemaVersion.V1_6), JsonValidator(SchemaVersion.V1_6)):
        errors = validator.validate_str(text, all_errors=True)
        out.extend(str(e)[:300] for e in (errors or []))
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample workspace with one evidence valid-until and one claim review date, exported once."""
    from vendoreval.cli import main

    folder = tmp_path_factory.mktemp("cdx") / "demo"
    assert main(["--data-dir", str(folder), "demo"]) == 0
    ws = Workspace(folder, evaluator="ann")
    try:
        claim = next(c for c in ws.claims.list() if c.status == ClaimStatus.DOCUMENTED and c.evidence_ids)
        ageing = AgeingService(ws)
        ageing.set_evidence_dates(claim.evidence_ids[0], dt.date(2026, 1, 1), VALID_UNTIL)
        ageing.set_review_by(claim.id, REVIEW_BY)
        brightwave = next(v for v in ws.vendors.list() if v.name == "Brightwave Insights")
        conditions = ws.conditions.accept_all(brightwave.id)  # derived from criteria: their mitigation
        doc = CycloneDxService(ws).document(at=AT)
        totals = {t.vendor.name: t for t in ws.totals.vendor_totals(include_archived=True)}
        claims = ws.claims.list()
        evidence = ws.evidence.list()
        vendors = {v.id: v.name for v in ws.vendors.list()}
    finally:
        ws.close()
    out = folder.parent / "demo.cdx.json"
    assert main(["--data-dir", str(folder), "export", "--format", "cyclonedx", str(out)]) == 0
    return {"folder": folder, "doc": doc, "file": out, "claim": claim, "totals": totals, "claims": claims,
            "evidence": evidence, "vendors": vendors, "conditions": conditions}


def test_the_export_is_valid_cyclonedx_1_6_checked_offline(demo: dict[str, Any], no_network: list[str]) -> None:  # noqa: F811
    doc = demo["doc"]
    assert schema_errors(doc) == []
    assert schema_errors(json.loads(demo["file"].read_text(encoding="utf-8"))) == []
    # the check can fail: the schema refuses a field 1.6 does not have and a score out of range
    broken = copy.deepcopy(doc)
    broken["declarations"]["claims"][0]["status"] = "contradicted"
    broken["declarations"]["attestations"][0]["map"][0]["conformance"]["score"] = 1.5
    assert len(schema_errors(broken)) >= 2


def test_file_layout_identity_and_determinism(demo: dict[str, Any], tmp_path: Path) -> None:
    doc = demo["doc"]
    assert doc["bomFormat"] == "CycloneDX" and doc["specVersion"] == "1.6" and doc["version"] == 1
    assert doc["metadata"]["timestamp"] == AT
    assert doc["serialNumber"].startswith("urn:uuid:")
    refs = [x["bom-ref"] for part in ("assessors", "claims", "evidence") for x in doc["declarations"][part]]
    refs += [o["bom-ref"] for o in doc["declarations"]["targets"]["organizations"]]
    refs += [c["bom-ref"] for c in doc["declarations"]["targets"].get("components", [])]
    refs += [s["bom-ref"] for s in doc["definitions"]["standards"]]
    refs += [r["bom-ref"] for s in doc["definitions"]["standards"] for r in s["requirements"]]
    assert len(refs) == len(set(refs)), [r for r, n in Counter(refs).items() if n > 1]
    # every reference points at something in the BOM
    known = set(refs)
    for a in doc["declarations"]["attestations"]:
        assert a["assessor"] in known
        for m in a.get("map", []):
            assert m["requirement"] in known
            assert set(m.get("claims", []) + m.get("counterClaims", [])) <= known
    for c in doc["declarations"]["claims"]:
        assert c["target"] in known and set(c.get("evidence", []) + c.get("counterEvidence", [])) <= known
    # the same workspace gives the same document; the default timestamp comes from the records, not the clock
    ws = Workspace(demo["folder"], evaluator="ann")
    try:
        service = CycloneDxService(ws)
        assert service.document(at=AT) == doc
        first = service.document()
        newest = max([v.updated_at for v in ws.vendors.list()] + [c.updated_at for c in ws.claims.list()]
                     + [e.created_at for e in ws.evidence.list()] + [c.updated_at for c in ws.store.scorecards()])
        assert first == service.document() and first["metadata"]["timestamp"] == newest
        path = tmp_path / "again.json"
        service.export(path, at=AT)
    finally:
        ws.close()
    assert json.loads(path.read_text(encoding="utf-8")) == doc


def test_claims_evidence_and_scores_map_onto_declarations(demo: dict[str, Any]) -> None:
    doc = demo["doc"]
    dec = doc["declarations"]
    by_ref = {c["bom-ref"]: c for c in dec["claims"]}
    props = [(p["name"], p["value"]) for p in doc["properties"]]
    for claim in demo["claims"]:
        entry = by_ref[f"claim:{claim.id}"]
        assert entry["predicate"] == claim.text
        assert entry["target"] == f"vendor:{claim.vendor_id}"
        refs = [f"evidence:{i}" for i in claim.evidence_ids]
        if claim.status == ClaimStatus.CONTRADICTED:  # its evidence contradicts it
            assert entry.get("counterEvidence") == refs and "evidence" not in entry
        else:
            assert entry.get("evidence", []) == refs and "counterEvidence" not in entry
        assert ("vendoreval:status", f"claim:{claim.id} {claim.status}") in props
    assert any(c.status == ClaimStatus.CONTRADICTED for c in demo["claims"])  # the sample has one to check
    # ageing dates: valid-until is when the evidence expires, the review date is a property
    dated = demo["claim"]
    ev = next(e for e in dec["evidence"] if e["bom-ref"] == f"evidence:{dated.evidence_ids[0]}")
    assert ev["expires"] == f"{VALID_UNTIL}T23:59:59Z" and ev["created"]
    assert ("vendoreval:review-by", f"claim:{dated.id} {REVIEW_BY}") in props
    assert ("vendoreval:effective-on", f"evidence:{dated.evidence_ids[0]} 2026-01-01") in props
    titles = {f"evidence:{e.id}": e.title for e in demo["evidence"]}
    assert {e["bom-ref"]: e["description"] for e in dec["evidence"] if e["bom-ref"].startswith("evidence:")} == titles
    # a condition derived from a criterion is that criterion's mitigation strategy
    assert demo["conditions"]
    entries = {e["bom-ref"]: e for e in dec["evidence"]}
    for cond in demo["conditions"]:
        rubric_crit = cond.origin.split(":", 2)[2]
        entry = entries[f"condition:{cond.id}"]
        assert entry["propertyName"] == "vendoreval:condition" and cond.text in entry["description"]
        plans = [m["conformance"].get("mitigationStrategies", []) for a in dec["attestations"] for m in a["map"]
                 if m["requirement"].startswith(f"requirement:{rubric_crit.split('/')[0]}@")
                 and m["requirement"].endswith(f"/{rubric_crit.split('/')[1]}")]
        assert [f"condition:{cond.id}"] in plans
    # one organization and one attestation per vendor; the evaluators are the assessors
    assert [o["name"] for o in dec["targets"]["organizations"]] == sorted(demo["vendors"].values())
    assert len(dec["attestations"]) == len(demo["vendors"])
    names = {a["organization"]["name"] for a in dec["assessors"]}
    assert {"Maya Lind (Marketing Ops)", "Tom Okafor (Procurement)"} <= names


def test_conformance_is_the_evidence_weighted_score_over_100(demo: dict[str, Any]) -> None:
    """Re-weighting each attestation's conformance scores by the requirements' weights gives back the
    vendor's evidence-weighted rubric scores; the claimed score travels as a property."""
    doc = demo["doc"]
    weights = {r["bom-ref"]: float(next(p["value"] for p in r["properties"] if p["name"] == "vendoreval:weight"))
               for s in doc["definitions"]["standards"] for r in s["requirements"]}
    claimed = {tuple(p["value"].split(" ")[:2]): float(p["value"].split(" ")[2])
               for p in doc["properties"] if p["name"] == "vendoreval:claimed"}
    orgs = {o["name"]: o["bom-ref"] for o in doc["declarations"]["targets"]["organizations"]}
    checked = 0
    for name, totals in demo["totals"].items():
        att = next(a for a in doc["declarations"]["attestations"] if a["summary"].startswith(f"{name}:"))
        for rid, result in totals.rubrics.items():
            rows = [m for m in att["map"] if m["requirement"].startswith(f"requirement:{rid}@")
                    and not m["conformance"]["rationale"].startswith(("Not applicable", "Scored not applicable"))]
            total_w = sum(weights[m["requirement"]] for m in rows)
            ev = 100 * sum(weights[m["requirement"]] * m["conformance"]["score"] for m in rows) / total_w
            cl = 100 * sum(weights[m["requirement"]] * claimed[(orgs[name], m["requirement"])] for m in rows) / total_w
            assert ev == pytest.approx(result.score.evidence_weighted, abs=0.05), (name, rid)
            assert cl == pytest.approx(result.score.claimed, abs=0.05), (name, rid)
            for m in rows:
                assert 0 <= m["conformance"]["score"] <= 1 and m["conformance"]["rationale"]
                if "confidence" in m:
                    assert m["confidence"]["score"] in (0.25, 0.5, 0.75, 0.9, 1.0)
            checked += 1
    assert checked >= 10


def test_round_trip_into_a_fresh_workspace(demo: dict[str, Any], tmp_path: Path, cli) -> None:
    fresh = tmp_path / "fresh"
    for name in demo["vendors"].values():
        assert cli("vendors", "add", name, data=fresh).code == 0
    path = demo["file"]
    assert detect_format(path.read_bytes(), str(path)) == ImportFormat.CYCLONEDX
    first = sorted(demo["vendors"].values())[0]
    r = cli("import", str(path), data=fresh)  # the first organization, by its name
    assert r.code == 0, r.err
    assert "cyclonedx" in r.out and "added" in r.out
    for name in sorted(demo["vendors"].values())[1:]:
        r = cli("import", str(path), "--vendor", name, data=fresh)
        assert r.code == 0, r.err
    ws = Workspace(fresh, evaluator="bob")
    try:
        names = {v.id: v.name for v in ws.vendors.list()}
        ev_titles = {e.id: e.title for e in ws.evidence.list()}

        def view(claims: list[Any], vendors: dict[str, str], titles: dict[str, str]) -> set[tuple[Any, ...]]:
            return {(vendors[c.vendor_id], c.text, str(c.status), tuple(sorted(map(str, c.criteria))),
                     tuple(sorted(titles[i] for i in c.evidence_ids))) for c in claims}

        before = view(demo["claims"], demo["vendors"], {e.id: e.title for e in demo["evidence"]})
        assert view(ws.claims.list(), names, ev_titles) == before
        assert sorted(ev_titles.values()) == sorted(e.title for e in demo["evidence"])
        ageing = AgeingService(ws)
        assert ageing.review_by(demo["claim"].id) == REVIEW_BY
        assert ageing.evidence_dates(demo["claim"].evidence_ids[0]).valid_until == VALID_UNTIL
        audit = [a for a in ws.store.audit_ascending() if a.action == "import"]
        assert len(audit) == len(names) and all(a.new == "cyclonedx" for a in audit)
        counts = ws.store.table_counts()
    finally:
        ws.close()
    # importing the same file again adds nothing
    r = cli("import", str(path), "--vendor", first, data=fresh)
    assert r.code == 0 and "kept" in r.out and "added" not in r.out.split("\n")[0].split(":", 2)[-1]
    ws = Workspace(fresh, evaluator="bob")
    try:
        after = ws.store.table_counts()
    finally:
        ws.close()
    assert {k: v for k, v in after.items() if k != "audit"} == {k: v for k, v in counts.items() if k != "audit"}


def _mutate(doc: dict[str, Any], how: str) -> bytes:
    d = copy.deepcopy(doc)
    dec = d["declarations"]
    text: str | None = None
    if how == "not json":
        return b"{\"bomFormat\": \"CycloneDX\", \"specVersion\": "
    if how == "wrong bomFormat":
        d["bomFormat"] = "SPDX"
    elif how == "wrong specVersion":
        d["specVersion"] = "1.5"
    elif how == "no declarations":
        del d["declarations"]
    elif how == "missing targets":
        del dec["targets"]
    elif how == "no organizations":
        dec["targets"]["organizations"] = []
    elif how == "unknown vendor":
        dec["targets"]["organizations"][0]["name"] = "Nobody Inc"
    elif how == "huge string":
        dec["claims"][0]["predicate"] = "x" * 20_001
    elif how == "non-finite number":
        text = json.dumps(d).replace('"score": 0.0625', '"score": NaN', 1)
    elif how == "huge number":
        text = json.dumps(d).replace('"version": 1', '"version": 1e999', 1)
    elif how == "duplicate key":
        text = json.dumps(d).replace('"bomFormat": "CycloneDX"', '"bomFormat": "CycloneDX", "bomFormat": "CycloneDX"')
    elif how == "wrong type":
        dec["claims"][0]["evidence"] = "evidence:x"
    elif how == "dangling evidence":
        first = next(c for c in dec["claims"] if c["target"] == dec["targets"]["organizations"][0]["bom-ref"])
        first["evidence"] = ["evidence:nowhere"]
    elif how == "bad status":
        p = next(p for p in d["properties"] if p["name"] == "vendoreval:status")
        p["value"] = p["value"].rsplit(" ", 1)[0] + " sort-of-true"
    elif how == "deep nesting":
        text = json.dumps(d)[:-1] + ', "x": ' + "[" * 500 + "]" * 500 + "}"
    return (text if text is not None else json.dumps(d)).encode("utf-8")


BAD = {
    "not json": "malformed JSON",
    "wrong bomFormat": "bomFormat: not a CycloneDX BOM",
    "wrong specVersion": "specVersion: '1.5'",
    "no declarations": "declarations: missing",
    "missing targets": "declarations.targets: Field required",
    "no organizations": "declarations.targets.organizations: List should have at least 1 item",
    "unknown vendor": "declarations.targets.organizations[0].name: no vendor 'Nobody Inc'",
    "huge string": "declarations.claims[0].predicate: String should have at most 20000 characters",
    "non-finite number": "NaN is not a JSON number",
    "huge number": "too large to be a finite number",
    "duplicate key": "key 'bomFormat' appears twice",
    "wrong type": "declarations.claims[0].evidence: Input should be a valid array",
    "dangling evidence": ".evidence[0]: no evidence with bom-ref 'evidence:nowhere'",
    "bad status": "vendoreval:status of claim:",
    "deep nesting": "nested too deeply",
}


@pytest.mark.parametrize("how", sorted(BAD))
def test_hostile_files_are_refused_naming_the_place_and_nothing_changes(how: str, demo: dict[str, Any],
                                                                        tmp_path: Path, cli) -> None:
    target = tmp_path / "target"
    for name in demo["vendors"].values():
        assert cli("vendors", "add", name, data=target).code == 0
    path = tmp_path / "bad.json"
    path.write_bytes(_mutate(demo["doc"], how))
    ws = Workspace(target, evaluator="bob")
    try:
        before = ws.store.table_counts()
    finally:
        ws.close()
    r = cli("import", str(path), data=target)
    assert r.code == 2 and r.out == ""
    assert r.err.startswith(f"vendoreval: {path}") and BAD[how] in r.err, r.err
    ws = Workspace(target, evaluator="bob")
    try:
        assert ws.store.table_counts() == before
    finally:
        ws.close()


def test_vendor_option_applies_to_cyclonedx_only(demo: dict[str, Any], tmp_path: Path, cli) -> None:
    target = tmp_path / "t"
    assert cli("vendors", "add", "Acme", data=target).code == 0
    assert cli("export", str(tmp_path / "ws.json"), data=target).code == 0
    r = cli("import", str(tmp_path / "ws.json"), "--vendor", "Acme", data=target)
    assert r.code == 2 and "--vendor applies to a CycloneDX file" in r.err
    r = cli("import", str(demo["file"]), "--vendor", "Nobody", data=target)
    assert r.code == 2 and "--vendor: no vendor 'Nobody'" in r.err
    # a vendor of another name takes the claims of the file's first organization
    r = cli("import", str(demo["file"]), "--vendor", "acme", data=target)
    assert r.code == 0, r.err
    ws = Workspace(target, evaluator="bob")
    try:
        first = sorted(demo["vendors"].values())[0]
        want = sorted(c.text for c in demo["claims"] if demo["vendors"][c.vendor_id] == first)
        assert sorted(c.text for c in ws.claims.list()) == want
    finally:
        ws.close()
