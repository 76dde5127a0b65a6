"""The ask in the brief, computed purely: the draft resolution, document control, one numbered list of conditions."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tests.unit.test_brief_data import DATE, brief, vendor_input
from vendoreval.domain.conditions import proposal_key
from vendoreval.domain.models import Condition, Decision, EvidenceStrength
from vendoreval.reports import brief_data as bd

FULL = bd.BriefOptions(date=DATE, owner="Maria Lopez", owner_role="Chief Marketing Officer",
                       meeting_date=dt.date(2026, 12, 10), agenda_item="7", paper="BP-2026-41", paper_version="2",
                       author="Sam Okafor", contract_to="the Audit Committee", contract_by=dt.date(2027, 2, 26),
                       fallback_vendor="Beta")


def rows(*walk_aways: str, knockout: tuple[int, ...] = ()) -> tuple[bd.ConditionRow, ...]:
    return tuple(bd.ConditionRow(i, f"Condition {i}", walk_away=w, knockout=i in knockout)
                 for i, w in enumerate(walk_aways, start=1))


def ask(**changes: object) -> bd.BriefOptions:
    return dataclasses.replace(FULL, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(("opts", "vendor", "conditions", "expected"), [
    (FULL, "Acme", rows("€1m", "30 days", ""),
     "The board approves Maria Lopez (Chief Marketing Officer) to negotiate with Acme on conditions 1–3; the final "
     "contract to the Audit Committee by 26 February 2027; if condition 1 or 2 fails, negotiate with Beta instead."),
    (ask(fallback_vendor="", fallback_stop=True), "Acme", rows("", "", "", "x", knockout=(2,)),
     "The board approves Maria Lopez (Chief Marketing Officer) to negotiate with Acme on conditions 1–4; the final "
     "contract to the Audit Committee by 26 February 2027; if condition 2 or 4 fails, stop the procurement."),
    (ask(contract_to="", contract_by=None), "Acme", rows("", ""),
     "The board approves Maria Lopez (Chief Marketing Officer) to negotiate with Acme on conditions 1 and 2; "
     "if any condition fails, negotiate with Beta instead."),
    (ask(owner="", owner_role="", contract_to="", fallback_vendor=""), "Acme", (),
     "The board approves the decision owner to negotiate with Acme; the final contract by 26 February 2027."),
    (ask(owner="", contract_by=None), "Acme", rows("x"),
     "The board approves the Chief Marketing Officer to negotiate with Acme on condition 1; the final contract to "
     "the Audit Committee; if condition 1 fails, negotiate with Beta instead."),
    (ask(owner_role="", contract_to="", contract_by=None, fallback_vendor="", fallback_stop=True), "Acme", (),
     "The board approves Maria Lopez to negotiate with Acme; if the negotiation fails, stop the procurement."),
    (ask(purpose="information", owner_role="", fallback_vendor="", fallback_stop=True), "Acme", rows(""),
     "The board notes that Maria Lopez will negotiate with Acme on condition 1; the final contract to the Audit "
     "Committee by 26 February 2027; if any condition fails, the procurement stops."),
    (ask(purpose="information", contract_to="", contract_by=None), "Acme", rows("x", "y"),
     "The board notes that Maria Lopez (Chief Marketing Officer) will negotiate with Acme on conditions 1 and 2; "
     "if condition 1 or 2 fails, Beta is the fallback."),
    (ask(owner="", owner_role=""), None, (),
     "The board resolves not to proceed with any vendor now and asks the decision owner to continue the "
     "evaluation and report to the Audit Committee by 26 February 2027."),
    (ask(contract_to="", contract_by=None), None, (),
     "The board resolves not to proceed with any vendor now and asks Maria Lopez (Chief Marketing Officer) to "
     "continue the evaluation."),
    (ask(fallback_vendor="", fallback_stop=True), None, (),
     "The board resolves not to proceed with any vendor and to stop the procurement."),
    (ask(purpose="information", owner_role="", contract_to="", contract_by=None), None, (),
     "The board notes that no vendor is recommended and that Maria Lopez continues the evaluation."),
    (ask(purpose="information", fallback_vendor="", fallback_stop=True), None, (),
     "The board notes that no vendor is recommended and that the procurement stops."),
])
def test_draft_resolution(opts: bd.BriefOptions, vendor: str | None, conditions: tuple[bd.ConditionRow, ...],
                          expected: str) -> None:
    assert bd.draft_resolution(opts, vendor, conditions) == expected


def test_numbers_phrase() -> None:
    assert bd.numbers_phrase([]) == ""
    assert bd.numbers_phrase([4]) == "4"
    assert bd.numbers_phrase([4, 2]) == "2 and 4"
    assert bd.numbers_phrase([1, 2, 3, 5]) == "1–3 and 5"
    assert bd.numbers_phrase([1, 3, 4, 5, 7, 8], "or") == "1, 3–5, 7 or 8"


def test_document_control_rows() -> None:
    assert bd.document_control(FULL) == (
        ("Paper", "BP-2026-41, version 2"),
        ("Meeting", "10 December 2026"),
        ("Agenda item", "7"),
        ("Purpose", "For decision"),
        ("Decision owner", "Maria Lopez, Chief Marketing Officer"),
        ("Author", "Sam Okafor"),
        ("Date", "27 November 2026"),
    )
    # what is not given is left out; purpose and date always show
    assert bd.document_control(bd.BriefOptions(date=DATE, purpose="information")) == (
        ("Purpose", "For information"), ("Date", "27 November 2026"))
    assert bd.document_control(bd.BriefOptions(date=DATE, paper_version="3", owner_role="CFO"))[:2] == (
        ("Paper", "Version 3"), ("Purpose", "For decision"))
    assert ("Decision owner", "CFO") in bd.document_control(bd.BriefOptions(date=DATE, owner_role="CFO"))


def test_condition_records_are_the_one_numbered_list() -> None:
    records = (
        Condition(vendor_id="acme", number=2, text="Written notice of model changes", current="none",
                  target="60 days", walk_away="30 days", owner="Procurement"),
        Condition(vendor_id="acme", number=1, text="Sign the DPA", owner="DPO",
                  origin=proposal_key("declined", "gdpr", "dpa")),
        Condition(vendor_id="acme", number=3, text="Raise the cap", target="€2m"),
    )
    a = vendor_input("Acme", {"dpa": 4, "summary": 2}, EvidenceStrength.ASSERTION, decision=Decision.GO_WITH_CONDITIONS,
                     conditions=[c.text for c in sorted(records, key=lambda c: c.number)])
    a = dataclasses.replace(a, condition_records=records)
    data = brief([a], [1], owner="Maria Lopez", fallback_stop=True)
    assert data.conditions == (
        bd.ConditionRow(1, "Sign the DPA", owner="DPO", knockout=True),  # dpa is a knock-out criterion
        bd.ConditionRow(2, "Written notice of model changes", "none", "60 days", "30 days", "Procurement"),
        bd.ConditionRow(3, "Raise the cap", target="€2m"),
    )
    assert [r.positions for r in data.conditions] == ["", "none → 60 days → 30 days", "— → €2m → —"]
    # the evidence's suggestions ('commit in the contract: …') do not join a list of records, in the brief as
    # in the verdict Compare shows
    assert data.summary.conditions == tuple(c.text for c in sorted(records, key=lambda c: c.number))
    assert data.resolution == ("The board approves Maria Lopez to negotiate with Acme on conditions 1–3; "
                               "if condition 1 or 2 fails, stop the procurement.")
    assert data.recommended_id == "acme"


def test_without_records_the_verdicts_conditions_are_numbered_and_marked() -> None:
    """No condition recorded: the commitments the evidence calls for are the list, each marked proposed; with
    one recorded, that is the list (the evidence's proposals wait on the Conditions tab), as Compare counts."""
    a = vendor_input("Acme", {"dpa": 4, "summary": 2}, EvidenceStrength.ASSERTION, decision=Decision.GO_WITH_CONDITIONS)
    data = brief([a], [1])
    assert [(r.number, r.text, r.proposed) for r in data.conditions] == [
        (1, "Commit in the contract: DPA (now resting on sales assertion).", True),
        (2, "Commit in the contract: SUMMARY (now resting on sales assertion).", True),
    ]
    assert data.resolution == "The board approves the decision owner to negotiate with Acme on conditions 1 and 2."
    recorded = dataclasses.replace(a, vendor=a.vendor.model_copy(update={"conditions": ["Sign the DPA"]}))
    data = brief([recorded], [1])
    assert [(r.number, r.text, r.proposed) for r in data.conditions] == [(1, "Sign the DPA", False)]
    assert data.summary.conditions == ("Sign the DPA",)
    assert data.resolution == "The board approves the decision owner to negotiate with Acme on condition 1."


def test_no_recommendation_resolves_to_continue() -> None:
    ko = vendor_input("Knocked", {"dpa": 1, "summary": 4}, EvidenceStrength.OWN_TEST)
    data = brief([ko], [1], owner="Maria Lopez", fallback_vendor="Beta")
    assert data.recommended_id is None and data.conditions == ()
    assert data.resolution == ("The board resolves not to proceed with any vendor now and asks Maria Lopez to "
                               "continue the evaluation.")
    assert data.cover.control == (("Purpose", "For decision"), ("Decision owner", "Maria Lopez"),
                                  ("Date", "27 November 2026"))
