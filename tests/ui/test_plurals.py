"""Counts a user reads agree with their number: "1 vendor", "2 vendors", "(1 condition)"."""

from __future__ import annotations

from typing import Any

from vendoreval.domain.models import Decision


def test_vendor_count_under_the_list(window: Any) -> None:
    vendors = window.page("vendors")
    vendors.new_vendor({"name": "Acme AI"})
    assert vendors.list.count.text() == "1 vendor"
    vendors.new_vendor({"name": "Beta Labs"})
    assert vendors.list.count.text() == "2 vendors"
    vendors.list.search.setText("acme")
    assert vendors.list.count.text() == "1 of 2 vendors"


def test_conditions_counted_in_the_ranking(window: Any) -> None:
    vendors = window.page("vendors")
    acme = vendors.new_vendor({"name": "Acme AI"})
    beta = vendors.new_vendor({"name": "Beta Labs"})
    ws = window.session.ws
    ws.vendors.decide(acme.id, Decision.GO_WITH_CONDITIONS, ["Cap the IP indemnity"])
    ws.vendors.decide(beta.id, Decision.GO_WITH_CONDITIONS, ["Cap the IP indemnity", "No training on our data"])
    window.show_page("compare")
    page = window.page("compare")
    decisions = {page.ranking_model.index(r, 1).data(): page.ranking_model.index(r, 9).data()
                 for r in range(page.ranking_model.rowCount())}
    assert decisions == {"Acme AI": "Go with conditions (1 condition)",
                         "Beta Labs": "Go with conditions (2 conditions)"}
