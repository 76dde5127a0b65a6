"""Strict JSON for documents read from files and bundles (workspace files, bundle manifests and content).

``loads`` is Python's parser with the holes closed: ``NaN``, ``Infinity`` and ``-Infinity`` literals
are refused (they are not JSON, and once stored made every export crash or spread to colleagues as
``"figure":Infinity``), as are numbers too large to be finite (``1e400``), whole numbers with more
digits than SQLite stores, and an object that names a key twice. ``validate`` then checks the text
against a pydantic model in strict mode: no boolean as a number (``"level": true`` is not level 1),
no number as a boolean, no string as a number, plus the domain's strict types (``domain.strict``):
finite floats, ISO-8601 UTC timestamps not in the future. Every refusal is an ExchangeError naming
the file, the JSON path of the field and the reason.
"""

from __future__ import annotations

import json
import math
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..domain.strict import MAX_INT_DIGITS, input_context
from . import ExchangeError

M = TypeVar("M", bound=BaseModel)


class RefusedJson(ValueError):
    """Valid to Python's JSON parser but refused here: NaN/Infinity, huge numbers, duplicate keys."""


def _no_constant(name: str) -> float:
    raise RefusedJson(f"{name} is not a JSON number")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise RefusedJson(f"the number {text[:24]} is too large to be a finite number")
    return value


def _int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise RefusedJson(f"a whole number with {digits} digits ({text[:12]}…) is too large")
    return int(text)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Python keeps the last of duplicate keys silently; a file saying two things about one field is refused
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise RefusedJson(f"key {key!r} appears twice in one object")
        obj[key] = value
    return obj


def loads(text: str | bytes, source: str) -> Any:
    """Decoded JSON; ExchangeError naming ``source`` (and the line for malformed JSON) otherwise."""
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_float, parse_int=_int,
                          object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        raise ExchangeError(f"{source}, line {exc.lineno} column {exc.colno}: malformed JSON ({exc.msg})",
                            file=source, line=exc.lineno) from None
    except RefusedJson as exc:
        raise ExchangeError(f"{source}: malformed JSON ({exc})", file=source) from None
    except RecursionError:
        raise ExchangeError(f"{source}: JSON nested too deeply", file=source) from None
    except UnicodeDecodeError as exc:
        raise ExchangeError(f"{source}: not UTF-8 text ({exc.reason} at offset {exc.start})", file=source) from None


def json_path(loc: tuple[int | str, ...]) -> str:
    """A pydantic location as a JSON path: vendors[3].name."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


#: Error types whose message is clearer with the value that was given.
_SHOW_INPUT = {"int_type", "float_type", "bool_type", "finite_number", "string_type", "int_from_float",
               "literal_error"}


def error_reason(error: Any) -> str:
    """One pydantic error in words: the message, with the value given when a type was wrong."""
    msg = str(error["msg"]).removeprefix("Value error, ")
    if error.get("type") in _SHOW_INPUT and "input" in error:
        given = error["input"]
        if isinstance(given, bool):
            return f"{msg}, not a boolean ({json.dumps(given)})"
        if not isinstance(given, dict | list):
            shown = json.dumps(given) if not isinstance(given, float) or math.isfinite(given) else repr(given)
            return f"{msg}, got {shown[:40]}"
    return msg


def validation_lines(exc: ValidationError, limit: int = 10) -> tuple[list[str], int]:
    """'path: reason' lines for the first ``limit`` errors, and how many more there were."""
    errors = exc.errors()
    return [f"{json_path(tuple(e['loc']))}: {error_reason(e)}" for e in errors[:limit]], max(0, len(errors) - limit)


def validate(model: type[M], text: str | bytes, source: str, *, what: str = "file") -> M:
    """``text`` (already accepted by ``loads``) as ``model``, strictly; ExchangeError listing the problems."""
    try:
        return model.model_validate_json(text, strict=True, context=input_context())
    except ValidationError as exc:
        lines, more = validation_lines(exc)
        tail = f" (and {more} more)" if more else ""
        raise ExchangeError(f"{source}: invalid {what}{tail}:\n  " + "\n  ".join(lines), file=source) from None
