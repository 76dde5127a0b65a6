"""A vendor name holds no control characters or direction marks: an escape sequence turned a terminal red,
a line break broke `vendors list`'s columns, a right-to-left override made a name read as another."""

from __future__ import annotations

from typing import Any

import pytest

from vendoreval.errors import UserError
from vendoreval.services import Workspace


@pytest.mark.parametrize(("name", "said"), [
    ("Bell\x07Esc\x1b[31mRed", "an escape character"),  # the first forbidden character is BEL: control
    ("Two\nLines", "a line break"),
    ("\tTabbed", "a tab"),
    ("Acme\u202egnp.exe", "a direction mark"),
])
def test_control_characters_and_direction_marks_are_refused(ws: Workspace, name: str, said: str) -> None:
    with pytest.raises(UserError) as refused:
        ws.vendors.create(name)
    text = str(refused.value)
    assert ("a control character" in text) if name.startswith("Bell") else (said in text)
    assert "U+" in text and ws.vendors.list() == []


def test_a_rename_is_checked_too_and_plain_names_pass(ws: Workspace) -> None:
    v = ws.vendors.create("Acme AI & Co <b>")  # markup is text, not a control character
    with pytest.raises(UserError, match="line break"):
        ws.vendors.update(v.id, name="Acme\nAI")
    assert ws.vendors.get(v.id).name == "Acme AI & Co <b>"
    ws.vendors.create("Lumière Labs — 日本語")


def test_the_cli_says_it_in_words_and_exit_2(cli: Any, ws: Workspace) -> None:
    res = cli("vendors", "add", "Bell\x1b[31mRed")
    assert res.code == 2 and "cannot hold an escape character (U+001B)" in res.err
    assert "\x1b" not in res.err
    empty = cli("vendors", "add", "")
    assert empty.code == 2 and "cannot be empty" in empty.err and "String should" not in empty.err


def test_the_cli_never_sends_control_characters_to_the_terminal(cli: Any, ws: Workspace) -> None:
    """Text from files reaches the terminal as characters: a name stored before names were checked (or brought
    in by a bundle) printed an escape sequence raw, and a bundle's manifest could print 'SIGNED … trusted'
    over its 'UNSIGNED:' line."""
    from vendoreval.domain.models import Vendor

    with ws.unit_of_work():
        ws.store.save_vendor(Vendor(name="Old\x1b[2K\x1b[1ASIGNED\u202eCo"))
    res = cli("vendors", "list")
    assert res.code == 0, res.err
    assert "\x1b" not in res.out and "\u202e" not in res.out
    assert "Old\\x1b[2K\\x1b[1ASIGNED\\u202eCo" in res.out
    as_json = cli("vendors", "list", "--json")
    assert as_json.code == 0 and "\x1b" not in as_json.out
