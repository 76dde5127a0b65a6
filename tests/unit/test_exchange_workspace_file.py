"""The workspace file format: the committed JSON Schema is current, and bad files name the JSON path."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from tests import factories
from vendoreval.exchange import ExchangeError
from vendoreval.exchange import workspace_file as wf

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "workspace.schema.json"


def doc(**parts: object) -> bytes:
    return json.dumps({"format": "vendoreval-workspace", "format_version": 1, **parts}).encode()


def test_committed_schema_is_generated_from_the_current_models() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == wf.json_schema_text(), (
        "docs/workspace.schema.json is stale: run python -m vendoreval.exchange.workspace_file")


def test_schema_describes_every_top_level_section() -> None:
    props = wf.json_schema()["properties"]
    assert set(props) == {"format", "format_version", "vendors", "claims", "evidence", "files", "rubrics",
                          "scorecards", "agreed_scores", "weight_profiles", "settings", "trusted_keys", "models",
                          "ageing", "engagement_contexts", "conditions", "commercials", "risks", "audit"}


def test_minimal_document_parses() -> None:
    at = "2026-01-02T03:04:05Z"
    parsed = wf.parse(doc(vendors=[{"id": "v1", "name": "Acme", "created_at": at, "updated_at": at}]), "f.json")
    assert parsed.vendors[0].name == "Acme"


@pytest.mark.parametrize(("raw", "expected"), [
    (b'{"format": "vendoreval-workspace",\n "vendors": [}', "f.json, line 2 column"),
    (b"\xff\xfe{}", "f.json: UTF-16 text (Excel's 'Unicode Text'); a workspace file is UTF-8 JSON"),
    (b'{"format":\n "\xe9"}', "f.json, line 2: not UTF-8 text (byte 0xe9 at offset 13)"),
    (b"[1, 2]", "not a vendoreval workspace file"),
    (doc(vendors=[{"id": "v1"}]), "vendors[0].name: Field required"),
    (doc(claims=[{"id": "c", "vendor_id": "v", "text": "x", "status": "maybe"}]), "claims[0].status"),
    (doc(vendors=[{"id": "v", "name": "A"}, {"id": "v", "name": "B"}]), "vendors[1]: duplicate 'v'"),
    (doc(vendors=[{"id": "v", "name": "A"}, {"id": "w", "name": "a"}]), "vendors[1]: duplicate 'a'"),
    (doc(files=[{"sha256": "a" * 64, "size": 1, "data_base64": "!!"}]), "files[0]: Value error, data_base64"),
    (doc(unexpected=1), "unexpected: Extra inputs are not permitted"),
    (doc(engagement_contexts=[{"vendor_id": "v", "answers": {"markets": ["eu", "fr"]}, "updated_at": "x"}]),
     "engagement_contexts[0]: Value error, answers: markets: 'fr' is not allowed; markets takes a comma list"),
    (doc(engagement_contexts=[{"vendor_id": "v", "answers": {"gpai": "own"}, "updated_at": "x"}]),
     "engagement_contexts[0]: Value error, answers: unknown context question 'gpai'"),
    (doc(vendors=[{"id": "v", "name": "A"}],
         engagement_contexts=[{"vendor_id": "w", "answers": {}, "updated_at": "x"}]),
     "engagement_contexts[0].vendor_id: no vendor w in the file"),
])
def test_bad_documents_name_the_place(raw: bytes, expected: str) -> None:
    with pytest.raises(ExchangeError) as err:
        wf.parse(raw, "f.json")
    assert "f.json" in str(err.value) and expected.replace("Value error, ", "") in str(err.value)


def test_rubric_snapshot_must_hash_to_its_recorded_hash() -> None:
    r = factories.rubric("r")
    good = {"content_hash": r.content_hash, "added_at": "2026-01-02T03:04:05Z", "rubric": r.model_dump(mode="json")}
    assert wf.parse(doc(rubrics=[good]), "f.json").rubrics[0].rubric == r
    tampered = json.loads(json.dumps(good))
    tampered["rubric"]["criteria"][0]["weight"] = 9.0
    with pytest.raises(ExchangeError, match=r"rubrics\[0\].*was changed"):
        wf.parse(doc(rubrics=[tampered]), "f.json")


def test_scores_are_checked_against_their_rubric() -> None:
    r = factories.rubric("r")
    card = {"id": "s", "vendor_id": "v", "rubric_id": "r", "rubric_version": "1.0", "rubric_hash": r.content_hash,
            "evaluator": "ann", "scores": {"a": {"criterion_id": "a", "answer": "level", "level": 7},
                                           "zz": {"criterion_id": "zz", "answer": "not_disclosed"}}}
    raw = doc(vendors=[{"id": "v", "name": "A"}], scorecards=[card],
              rubrics=[{"content_hash": r.content_hash, "added_at": "2026-01-02T03:04:05Z",
                        "rubric": r.model_dump(mode="json")}])
    with pytest.raises(ExchangeError) as err:
        wf.parse(raw, "f.json")
    assert "scorecards[0].scores.a: level 7 is out of range 0..4" in str(err.value)
    assert "no criterion 'zz'" in str(err.value)


def test_evidence_file_round_trips_its_bytes() -> None:
    data = bytes(range(256))
    entry = wf.file_entry(hashlib.sha256(data).hexdigest(), data)
    assert base64.b64decode(entry["data_base64"]) == data
    assert wf.parse(doc(files=[entry]), "f.json").files[0].data() == data


def test_dumps_is_canonical() -> None:
    a = wf.dumps({"b": 1, "a": {"y": "é", "x": [2, 1]}})
    assert a == wf.dumps({"a": {"x": [2, 1], "y": "é"}, "b": 1})
    assert a.endswith(b"\n") and "é".encode() in a


def test_nan_is_not_json() -> None:
    with pytest.raises(ExchangeError, match=r"f.json: malformed JSON \(NaN is not a JSON number\)"):
        wf.parse(doc(settings={"x": float("nan")}), "f.json")
