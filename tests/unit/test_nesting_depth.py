"""The quick nesting scan run before JSON and TOML parsers: the same answer as a byte-by-byte walk."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from vendoreval.errors import MAX_NESTING, nesting_depth_exceeded


def walk(data: bytes, limit: int) -> bool:
    """The plain definition: depth +1 at [ or {, -1 (never below 0) at ] or }, nothing inside "strings"."""
    depth, in_string, escaped = 0, False, False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == ord("\\"):
                escaped = True
            elif byte == ord('"'):
                in_string = False
        elif byte == ord('"'):
            in_string = True
        elif byte in b"[{":
            depth += 1
            if depth > limit:
                return True
        elif byte in b"]}":
            depth = max(0, depth - 1)
    return False


strings = st.lists(st.sampled_from(["[", "]", "{", "a", "\\\\", '\\"', "\\[", "\\u00e9"]), max_size=6).map(
    lambda parts: '"' + "".join(parts) + '"')
documents = st.lists(st.one_of(st.sampled_from(["[", "[", "{", "]", "}", "a", ",", "\n"]), strings), max_size=120).map(
    lambda parts: "".join(parts).encode())


@settings(max_examples=150, deadline=None)
@given(documents, st.integers(0, 12), st.booleans())
def test_scan_agrees_with_the_walk(doc: bytes, limit: int, unterminated: bool) -> None:
    if unterminated:
        doc += b'"[[[[' + b"{" * limit
    assert nesting_depth_exceeded(doc, limit) == walk(doc, limit)


def test_limits_and_strings() -> None:
    assert not nesting_depth_exceeded("[" * MAX_NESTING + "]" * MAX_NESTING)
    assert nesting_depth_exceeded("[" * (MAX_NESTING + 1))
    assert nesting_depth_exceeded("x = " + "{y = " * (MAX_NESTING + 1))
    assert not nesting_depth_exceeded(json.dumps({"text": "[" * 10_000}))  # brackets in a string are text
    assert not nesting_depth_exceeded(json.dumps([{"a": [1]}] * 10_000))  # many brackets, shallow
    assert nesting_depth_exceeded(b"]" * 50 + b"[" * (MAX_NESTING + 1))  # stray closers do not hide depth
    assert nesting_depth_exceeded('"\\\\"' + "[" * (MAX_NESTING + 1))  # an escaped backslash ends no string
    assert not nesting_depth_exceeded('"\\"' + "[" * (MAX_NESTING + 1))  # an escaped quote does not end it
