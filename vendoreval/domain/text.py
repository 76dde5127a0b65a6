"""Counted nouns in the words a user reads: "1 vendor", "2 vendors", "1 criterion", "3 criteria".

Pure and tiny, so every layer (UI, CLI, reports, services) can use it. English only, like the rest of the app.
"""

from __future__ import annotations

import re

#: Plurals the rules below would get wrong.
IRREGULAR = {
    "criterion": "criteria",
    "analysis": "analyses",
    "person": "people",
}
#: Nouns that take no plural ("3 evidence" as in three pieces of evidence, the way the app counts records).
UNCOUNTABLE = frozenset({"evidence", "information", "feedback"})
_SINGULAR = {many: one for one, many in IRREGULAR.items()}


def plural_form(noun: str) -> str:
    """The plural of a singular noun; in a phrase ("audit entry") the last word takes it ("audit entries")."""
    head, sep, word = noun.rpartition(" ")
    lower = word.lower()
    if lower in UNCOUNTABLE or not word:
        many = word
    elif lower in IRREGULAR:
        many = _same_case(IRREGULAR[lower], word)
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        many = word[:-1] + "ies"
    elif lower.endswith(("s", "x", "z", "ch", "sh")):
        many = word + "es"
    else:
        many = word + "s"
    return head + sep + many


def singular_form(noun: str) -> str:
    """The singular of a plural noun (the inverse of plural_form for the nouns the app counts)."""
    head, sep, word = noun.rpartition(" ")
    lower = word.lower()
    if lower in UNCOUNTABLE or lower in IRREGULAR:
        one = word
    elif lower in _SINGULAR:
        one = _same_case(_SINGULAR[lower], word)
    elif lower.endswith("ies") and len(lower) > 3:
        one = word[:-3] + "y"
    elif lower.endswith(("sses", "xes", "zes", "ches", "shes")):
        one = word[:-2]
    elif lower.endswith("s") and not lower.endswith("ss"):
        one = word[:-1]
    else:
        one = word
    return head + sep + one


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``n`` and the noun agreeing with it: plural(1, "vendor") == "1 vendor", plural(2, "criterion") == "2 criteria".

    ``noun`` is the singular; ``many`` overrides the plural when the rules do not know it.
    """
    word = noun if n == 1 else (many if many is not None else plural_form(noun))
    return f"{n} {word}"


def _same_case(word: str, like: str) -> str:
    return word.capitalize() if like[:1].isupper() else word


def counted(n: int, plural_noun: str) -> str:
    """plural() for a noun given in the plural, as counters are keyed: counted(1, "claims") == "1 claim"."""
    return plural(n, singular_form(plural_noun), plural_noun)


_PAGE_NUMBER = re.compile(r"\d+(?:\s*[-–]\s*\d+)?")


def page_label(page: str) -> str:
    """Where in a source, as printed after it: a page number or range as 'p. 7' or 'p. 7–9'; anything else
    ('clause 9.2', 'p. 7', 'slide 12') as the user wrote it, not 'p. clause 9.2'. '' when there is none."""
    page = page.strip()
    if not page:
        return ""
    return f"p. {page}" if _PAGE_NUMBER.fullmatch(page) else page
