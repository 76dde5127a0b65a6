"""Recognising an import file's format from its content, and refusing what is not text."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendoreval.exchange import ExchangeError, detect
from vendoreval.exchange.detect import ImportFormat, detect_format, read_import_file


@pytest.mark.parametrize(("raw", "fmt"), [
    (b'  \n{"format": "vendoreval-workspace"}', ImportFormat.WORKSPACE),
    (b"\xef\xbb\xbfvendor,text\nA,b\n", ImportFormat.CLAIMS_CSV),
    (b"Vendor;Rubric;Criterion;Level\n", ImportFormat.SCORES_CSV),
    (b"vendor,rubric,evaluator,criterion,answer\n", ImportFormat.SCORES_CSV),
    (b"Indicator,OpenAI,Meta\n", ImportFormat.FMTI),
    (b"\xef\xbb\xbfDomain,Subdomain,Indicator,A\n", ImportFormat.FMTI),
    (b'{"$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",\n "bomFormat" : "CycloneDX"}',
     ImportFormat.CYCLONEDX),
    (b'{"format": "vendoreval-workspace", "vendors": [{"name": "bomFormat"}]}', ImportFormat.WORKSPACE),
])
def test_formats_are_recognised(raw: bytes, fmt: ImportFormat) -> None:
    assert detect_format(raw, "f") == fmt


@pytest.mark.parametrize(("raw", "expected"), [
    (b"PK\x03\x04\x14\x00\x06\x00", "not an XLSX file, or it is truncated or damaged"),  # a zip: read as XLSX
    (b"a,b\n1,2\n", "format not recognised"),
    ("vendor,text".encode("utf-16"), "UTF-16"),
])
def test_unknown_content_is_refused(raw: bytes, expected: str) -> None:
    with pytest.raises(ExchangeError, match=r"^f") as err:
        detect_format(raw, "f")
    assert expected in str(err.value)


def test_missing_empty_and_oversized_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ExchangeError, match="no such file"):
        read_import_file(tmp_path / "nope.csv")
    empty = tmp_path / "e.csv"
    empty.write_bytes(b" \n")
    with pytest.raises(ExchangeError, match="empty"):
        read_import_file(empty)
    monkeypatch.setattr(detect, "MAX_IMPORT_BYTES", 10)
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 11)
    with pytest.raises(ExchangeError, match=r"big.csv: the file is 11 bytes; an import file may be at most 10 bytes"):
        read_import_file(big)
