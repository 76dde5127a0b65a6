"""Deeply nested input, in every format the app reads, is a UserError naming the file, never a RecursionError.

Each case goes through the service the CLI and the app call and checks that the workspace database is
as it was. (XLSX questionnaires: tests/integration/test_questionnaire.py; the CLI: the bad-input sweep.)
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from vendoreval.domain.rubric import RubricError
from vendoreval.errors import MAX_NESTING, UserError
from vendoreval.exchange import ExchangeError
from vendoreval.services import Workspace
from vendoreval.services.bundles import BundleService
from vendoreval.services.exchange import ExchangeService

DEEP = 100_000


@pytest.fixture
def filled(ws: Workspace) -> Workspace:
    v = ws.vendors.create("Acme")
    ws.claims.add(v.id, "We never train on your data")
    return ws


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a = " + "[" * DEEP, id="arrays"),
        pytest.param("a = " + "{ b = " * DEEP, id="inline-tables"),
        pytest.param(f'id = "x"\na = {"[" * (MAX_NESTING + 1)}1{"]" * (MAX_NESTING + 1)}\n', id="just-over-the-limit"),
        # a double quote in a comment fools the quick scan into reading the brackets as a string: the
        # parser's RecursionError is caught instead
        pytest.param('# a "quoted word\na = ' + "[" * DEEP, id="past-the-scan"),
    ],
)
def test_deep_rubric_toml_is_refused_naming_the_file(filled: Workspace, tmp_path: Path, text: str) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(text, encoding="utf-8")
    before = filled.store.counts()
    with pytest.raises(RubricError) as caught:
        filled.library.add_file(path)
    assert isinstance(caught.value, UserError) and caught.value.file == str(path)
    assert str(caught.value).startswith(f"{path}: TOML nested too deeply")
    assert filled.store.counts() == before
    assert not filled.library.user_dir.exists() or not list(filled.library.user_dir.iterdir())


WORKSPACE_HEAD = '{"format": "vendoreval-workspace", "format_version": 1, "vendors": '


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("[" * DEEP, id="100k-unclosed"),
        # Python's parser would take 300 levels; the limit keeps everything after it shallow too
        pytest.param("[" * 300 + "]" * 300 + "}", id="300-levels"),
        pytest.param('[{"name": "' + "[" * 500 + '"}' + "," + "{" * 201 + "}" * 201 + "]}",
                     id="brackets-in-strings-too"),
    ],
)
def test_deep_workspace_json_is_refused_naming_the_file(filled: Workspace, tmp_path: Path, body: str) -> None:
    path = tmp_path / "deep.json"
    path.write_text(WORKSPACE_HEAD + body, encoding="utf-8")
    before = filled.store.counts()
    with pytest.raises(ExchangeError, match="JSON nested too deeply") as caught:
        ExchangeService(filled).import_file(path)
    assert str(caught.value).startswith(f"{path}: ") and caught.value.file == str(path)
    assert filled.store.counts() == before


def test_brackets_inside_strings_do_not_count(filled: Workspace, tmp_path: Path) -> None:
    """A claim text full of brackets is text, not nesting: the file gets past the depth check."""
    path = tmp_path / "brackets.json"
    path.write_text(WORKSPACE_HEAD + json.dumps([{"text": "[" * 1000 + '\\"{' * 500}]) + "}", encoding="utf-8")
    with pytest.raises(ExchangeError) as caught:
        ExchangeService(filled).import_file(path)
    assert "nested too deeply" not in str(caught.value)  # refused later, for what the file lacks


def _bundle(path: Path, manifest: bytes | None, content: bytes) -> Path:
    """An unsigned bundle holding ``content``; its manifest is ``manifest`` or a valid one listing the content."""
    if manifest is None:
        manifest = json.dumps({"format": "vendoreval-bundle", "format_version": 1, "created_at": "2026-01-01T00:00:00Z",
                               "unsigned_reason": "test",
                               "content": {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
                               }).encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", manifest)
        zf.writestr("content.json", content)
    return path


@pytest.mark.parametrize(
    ("member", "manifest", "content"),
    [
        pytest.param("manifest.json", b'{"format": "vendoreval-bundle", "content": ' + b"[" * DEEP, b"{}",
                     id="manifest"),
        pytest.param("content.json", None, b'{"scorecards": ' + b"[" * DEEP, id="content"),
        pytest.param("content.json", None, b'{"vendors": [' + b"{}," * 1000 + b"[" * 300 + b"]" * 300 + b"]}",
                     id="content-300-levels"),
    ],
)
def test_deep_bundle_json_is_refused_naming_the_file(
    filled: Workspace, tmp_path: Path, member: str, manifest: bytes | None, content: bytes
) -> None:
    path = _bundle(tmp_path / "deep.bundle", manifest, content)
    before = filled.store.counts()
    with pytest.raises(ExchangeError) as caught:
        BundleService(filled).preview(path)
    assert str(caught.value).startswith(f"{path}: {member}: JSON nested too deeply"), str(caught.value)
    assert caught.value.file == str(path)
    assert filled.store.counts() == before


def test_deep_recent_workspaces_list_reads_empty(tmp_path: Path) -> None:
    from vendoreval.paths import config_dir
    from vendoreval.services.settings import recent_workspaces, remember_workspace

    remember_workspace(tmp_path)
    (config_dir() / "recent_workspaces.json").write_text("[" * DEEP, encoding="utf-8")
    assert recent_workspaces() == []
