"""A vendor's commercial terms and the total cost over the term, in one pure module.

Amounts are ``Decimal`` from the moment they are read (never a float: 0.1 + 0.2 must be 0.3), finite
and not negative. The total cost over the term is

    one-off + annual x term_months / 12 + exit cost

computed exactly (as a fraction; ``TotalCost.exact``) and shown to the cent, or to as many places as the
amounts have (``TotalCost.decimal``). Different currencies are never converted or added: a total is in
its vendor's currency, and ``by_currency`` keeps vendors with different currencies apart.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .rules import RuleError

#: The fields a user sets, in the order the CLI, the app and the JSON show them.
FIELDS = ("pricing_model", "one_off", "annual", "exit_cost", "currency", "term_months", "renewal", "notice_months",
          "category", "use_case", "benefit", "benefit_claim")
#: The business case (Board paper 5, "why, in words"): free text, and the claim the benefit rests on (its id).
CASE_FIELDS = ("category", "use_case", "benefit", "benefit_claim")
#: The text fields and their longest length (characters, after spaces are collapsed).
TEXT_LIMITS = {"pricing_model": 500, "category": 120, "use_case": 2000, "benefit": 2000, "benefit_claim": 64}
AMOUNT_FIELDS = ("one_off", "annual", "exit_cost")
RENEWALS = ("auto", "manual")
LABELS = {
    "pricing_model": "pricing model",
    "one_off": "one-off cost",
    "annual": "annual cost",
    "exit_cost": "exit cost",
    "currency": "currency",
    "term_months": "term (months)",
    "renewal": "renewal",
    "notice_months": "notice (months)",
    "category": "product category",
    "use_case": "use case",
    "benefit": "expected benefit",
    "benefit_claim": "claim the benefit rests on",
}
MAX_PRICING_MODEL = 500
MAX_AMOUNT = Decimal(10) ** 15  # a thousand million million: no contract costs more
MAX_PLACES = 4
MAX_TERM_MONTHS = 600
MAX_NOTICE_MONTHS = 120

#: ISO 4217 codes of the currencies in use (funds, precious metals and test codes left out).
CURRENCIES = frozenset((
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF",
    "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY", "COP", "CRC",
    "CUC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL",
    "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK",
    "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD",
    "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN",
    "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON",
    "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL", "SOS", "SRD", "SSP", "STN",
    "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU",
    "UZS", "VED", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG", "ZWL",
))

_AMOUNT_TEXT = re.compile(r"^\d+(\.\d+)?$")


class CommercialsError(RuleError):
    """A commercial term the rules refuse; ``field`` is one of ``FIELDS``."""


def _refuse(field: str, reason: str) -> CommercialsError:
    return CommercialsError(f"{LABELS[field]}: {reason}", field=field)


def parse_amount(value: object, field: str = "annual") -> Decimal | None:
    """An amount as typed or stored ('1200.50', 1200, Decimal) -> Decimal; None or '' -> None (not recorded).

    Refused: booleans, floats (inexact), NaN and infinities, negative amounts, thousands separators,
    more than four decimal places, and 10^15 or more.
    """
    if value is None:
        return None
    if isinstance(value, bool | float):
        raise _refuse(field, f"{value!r} is not an amount; give it as digits, e.g. 1200.50")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if not _AMOUNT_TEXT.match(text):
            if text.startswith("-") and _AMOUNT_TEXT.match(text[1:]):
                raise _refuse(field, f"{text} is negative; an amount is 0 or more")
            raise _refuse(field, f"'{text}' is not an amount; give digits with an optional decimal point "
                                 "and no thousands separators or currency sign, e.g. 1200.50")
        amount = Decimal(text)
    else:
        raise _refuse(field, f"{value!r} is not an amount")
    if not amount.is_finite():
        raise _refuse(field, f"{amount} is not a finite amount")
    if amount < 0:
        raise _refuse(field, f"{amount} is negative; an amount is 0 or more")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_PLACES:
        raise _refuse(field, f"{amount} has more than {MAX_PLACES} decimal places")
    if amount >= MAX_AMOUNT:
        raise _refuse(field, f"{amount} is too large (the limit is 10^15)")
    return amount


def parse_currency(value: object) -> str | None:
    """An ISO 4217 code ('eur' -> 'EUR'); None or '' -> None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise _refuse("currency", f"{value!r} is not a currency code")
    code = value.strip().upper()
    if not code:
        return None
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise _refuse("currency", f"'{value.strip()}' is not an ISO 4217 code (three letters, e.g. EUR, USD, GBP)")
    if code not in CURRENCIES:
        raise _refuse("currency", f"{code} is not an ISO 4217 currency code (e.g. EUR, USD, GBP)")
    return code


def parse_months(value: object, field: str) -> int | None:
    """A whole number of months (a term of 1..600, a notice of 0..120); None or '' -> None."""
    if value is None:
        return None
    lo, hi = (1, MAX_TERM_MONTHS) if field == "term_months" else (0, MAX_NOTICE_MONTHS)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _refuse(field, f"{value!r} is not a whole number of months")
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if not re.fullmatch(r"\d{1,6}", text):
            raise _refuse(field, f"'{text}' is not a whole number of months")
        value = int(text)
    if not lo <= value <= hi:
        raise _refuse(field, f"{value} is out of range {lo}..{hi} months")
    return value


def parse_renewal(value: object) -> str | None:
    """'auto' or 'manual' (any case); None or '' -> None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise _refuse("renewal", f"{value!r} is not auto or manual")
    text = value.strip().lower()
    if not text:
        return None
    if text not in RENEWALS:
        raise _refuse("renewal", f"'{value.strip()}' is not auto or manual")
    return text


def parse_pricing_model(value: object) -> str:
    """The pricing model in the user's words ('per seat per month', 'usage: EUR 0.002 per 1k tokens')."""
    return parse_text("pricing_model", value)


def parse_text(field: str, value: object) -> str:
    """A text field in the user's words, spaces collapsed ('' when None), at most ``TEXT_LIMITS[field]``."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _refuse(field, f"{value!r} is not text")
    text = " ".join(value.split())
    limit = TEXT_LIMITS[field]
    if len(text) > limit:
        raise _refuse(field, f"{len(text)} characters; at most {limit}")
    return text


def parse_field(field: str, value: object) -> Any:
    """One field's value checked (CommercialsError naming the field)."""
    if field in AMOUNT_FIELDS:
        return parse_amount(value, field)
    if field == "currency":
        return parse_currency(value)
    if field in ("term_months", "notice_months"):
        return parse_months(value, field)
    if field == "renewal":
        return parse_renewal(value)
    if field in TEXT_LIMITS:
        return parse_text(field, value)
    raise CommercialsError(f"'{field}' is not a commercial term; the terms are: {', '.join(FIELDS)}", field=field)


class CurrencyMismatch(RuleError):
    """Two amounts in different currencies were to be added or compared: they never are."""


@dataclass(frozen=True)
class TotalCost:
    """The total cost over the term: exact, in one currency (None: no currency recorded)."""

    exact: Fraction
    currency: str | None
    places: int = 2

    def decimal(self) -> Decimal:
        """The total to ``places`` decimal places (half to even); equal to ``exact`` when it has that many."""
        with decimal.localcontext() as ctx:
            ctx.prec = 60
            value = Decimal(self.exact.numerator) / Decimal(self.exact.denominator)
            return value.quantize(Decimal(1).scaleb(-self.places), rounding=decimal.ROUND_HALF_EVEN)

    @property
    def rounded(self) -> bool:
        """True when ``decimal()`` is not the exact total (a term that splits a year's cost unevenly)."""
        return Fraction(self.decimal()) != self.exact

    def text(self) -> str:
        """'EUR 123,456.00' (no currency: '123,456.00 (no currency)')."""
        amount = f"{self.decimal():,}"
        return f"{self.currency} {amount}" if self.currency else f"{amount} (no currency)"

    def __add__(self, other: TotalCost) -> TotalCost:
        if not isinstance(other, TotalCost):
            return NotImplemented
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency or 'no currency'} and {other.currency or 'no currency'} "
                                   "amounts are never added (no currency is converted)")
        return TotalCost(self.exact + other.exact, self.currency, max(self.places, other.places))


@dataclass(frozen=True)
class Commercials:
    """A vendor's commercial terms; a field that is None was not recorded (``revision`` 0: never stored)."""

    vendor_id: str
    pricing_model: str = ""
    one_off: Decimal | None = None
    annual: Decimal | None = None
    exit_cost: Decimal | None = None
    currency: str | None = None
    term_months: int | None = None
    renewal: str | None = None
    notice_months: int | None = None
    category: str = ""
    use_case: str = ""
    benefit: str = ""
    benefit_claim: str = ""  # a claim id of the vendor's, or ''
    updated_at: str = ""
    revision: int = 0

    def is_empty(self) -> bool:
        """True when no term is recorded."""
        return all(getattr(self, f) in (None, "") for f in FIELDS)

    def value(self, field: str) -> Any:
        """One field's value (``FIELDS``)."""
        if field not in FIELDS:
            raise KeyError(field)
        return getattr(self, field)

    def with_values(self, values: Mapping[str, Any]) -> Commercials:
        """A copy with some fields set (values checked; None or '' clears one)."""
        return replace(self, **{k: parse_field(k, v) for k, v in values.items()})

    def total_problem(self) -> str | None:
        """Why there is no total cost, or None when there is one."""
        if all(getattr(self, f) is None for f in AMOUNT_FIELDS):
            return "no costs recorded"
        if self.annual is not None and self.term_months is None:
            return "the term is not recorded"
        return None

    def total(self) -> TotalCost | None:
        """one-off + annual x term_months / 12 + exit cost, exactly (None: see ``total_problem``).

        A cost not recorded counts as 0 once another is; an annual cost needs the term.
        """
        if self.total_problem() is not None:
            return None
        one_off, annual, exit_cost = (getattr(self, f) or Decimal(0) for f in AMOUNT_FIELDS)
        months = self.term_months or 0
        exact = Fraction(one_off) + Fraction(annual) * months / 12 + Fraction(exit_cost)
        places = max([2] + [_places(getattr(self, f)) for f in AMOUNT_FIELDS])
        return TotalCost(exact, self.currency, places)

    def exit_terms(self) -> bool:
        """True when an exit cost or a notice period is recorded."""
        return self.exit_cost is not None or self.notice_months is not None

    def field_text(self, field: str) -> str:
        """One field as the form and the CLI show it ('' when not recorded)."""
        v = self.value(field)
        return "" if v is None else (format(v, "f") if isinstance(v, Decimal) else str(v))

    def as_json(self) -> dict[str, Any]:
        """Plain data: amounts as decimal strings (exact), the total and why there is none."""
        total = self.total()
        return {
            "vendor_id": self.vendor_id,
            **{f: (format(v, "f") if isinstance(v := getattr(self, f), Decimal) else v) for f in FIELDS},
            "total_cost": None if total is None else format(total.decimal(), "f"),
            "total_cost_rounded": None if total is None else total.rounded,
            "total_problem": self.total_problem(),
            "updated_at": self.updated_at or None,
            "revision": self.revision,
        }


def _places(amount: Decimal | None) -> int:
    if amount is None:
        return 0
    exponent = amount.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def by_currency(totals: Iterable[tuple[str, TotalCost | None]]) -> dict[str | None, list[tuple[str, TotalCost]]]:
    """(key, total) pairs grouped by currency, cheapest first in each group; totals never cross groups."""
    out: dict[str | None, list[tuple[str, TotalCost]]] = {}
    for key, total in totals:
        if total is not None:
            out.setdefault(total.currency, []).append((key, total))
    for group in out.values():
        group.sort(key=lambda kv: (kv[1].exact, kv[0]))
    return dict(sorted(out.items(), key=lambda kv: (kv[0] is None, kv[0] or "")))
