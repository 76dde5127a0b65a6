"""The vendor list model filters and sorts its rows itself (no proxy): what it shows, in which order, and the
view's selection following its vendor through a re-sort or a filter."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QApplication

from vendoreval.domain.models import Decision, Vendor
from vendoreval.ui.models.vendor_filter import VendorFilter
from vendoreval.ui.models.vendor_list_model import VendorListModel, VendorRow
from vendoreval.ui.views.vendor_list_view import VendorListView

NAMES = ["Acme AI", "beta labs", "Gamma Data", "Acme Copy", "delta", "Échelle"]


def _row(i: int, name: str, evidence: float | None, decision: Decision, archived: bool) -> VendorRow:
    vendor = Vendor(id=f"v{i:03d}", name=name, product=f"product {i}", decision=decision, archived=archived,
                    created_at="2026-01-01T00:00:00Z", updated_at="2026-01-01T00:00:00Z")
    return VendorRow(vendor, claimed=None if evidence is None else evidence + 5, evidence=evidence)


rows_strategy = st.lists(
    st.tuples(st.sampled_from(NAMES), st.one_of(st.none(), st.integers(0, 100).map(float)),
              st.sampled_from(list(Decision)), st.booleans()),
    max_size=25,
).map(lambda specs: [_row(i, *spec) for i, spec in enumerate(specs)])


@settings(max_examples=60, deadline=None)
@given(rows=rows_strategy, words=st.sampled_from(["", "acme", "ACME ai", "labs", "product 1", "zzz"]),
       decision=st.one_of(st.none(), st.sampled_from(list(Decision))), archived=st.booleans(),
       column=st.sampled_from([0, 2, 3, 4, 5]), descending=st.booleans())
def test_shows_the_accepted_rows_in_the_columns_order(qapp: QApplication, rows: list[VendorRow], words: str,
                                                      decision: Decision | None, archived: bool, column: int,
                                                      descending: bool) -> None:
    """Whatever the rows, filter and sort: the rows shown are those the filter accepts, ordered by the column's
    sort key (its text, case-folded, without one), ties in the order given; the sort holds across set_rows."""
    model = VendorListModel()
    model.sort(column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
    model.set_rows(rows)
    model.set_filter(words, decision, archived)
    reference = VendorFilter()
    reference.update(words, decision, archived)
    col = model.columns[column]
    key = col.sort or (lambda r: col.text(r).casefold())
    expected = sorted((r for r in rows if reference.accepts(r.vendor)), key=key, reverse=descending)
    shown = [model.row_at(i) for i in range(model.rowCount())]
    assert shown == expected
    assert [model.index(i, 0).data() for i in range(model.rowCount())] == [col0(r) for r in expected]
    assert model.total() == len(rows) and model.rows() == rows
    model.set_rows(list(reversed(rows)))  # new rows: the same filter and sort
    assert [model.row_at(i) for i in range(model.rowCount())] == sorted(
        (r for r in reversed(rows) if reference.accepts(r.vendor)), key=key, reverse=descending)


def col0(r: VendorRow) -> str:
    return r.vendor.name + (" (archived)" if r.vendor.archived else "")


def test_the_selection_follows_its_vendor_through_a_sort_and_a_filter(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = VendorListView()
    qtbot.addWidget(view)
    rows = [_row(0, "Acme AI", 40.0, Decision.IN_EVALUATION, False), _row(1, "Beta Labs", 90.0, Decision.GO, False),
            _row(2, "Gamma Data", 10.0, Decision.IN_EVALUATION, False)]
    view.set_rows(rows)
    assert [view.model.index(i, 0).data() for i in range(3)] == ["Acme AI", "Beta Labs", "Gamma Data"]
    picked: list[object] = []
    view.selected.connect(picked.append)
    assert view.select("v002")
    assert view.current_id() == "v002" and picked == ["v002"]
    view.sort.setCurrentIndex(1)  # Overall score (evidence), best first
    assert [view.model.index(i, 0).data() for i in range(3)] == ["Beta Labs", "Acme AI", "Gamma Data"]
    assert view.current_id() == "v002" and view.table.currentIndex().row() == 2
    assert view.table.selectionModel().isRowSelected(2, QModelIndex())
    view.search.setText("labs")  # Gamma is filtered out: the first vendor listed is shown, not a hidden one
    assert view.model.rowCount() == 1 and view.count.text() == "1 of 3 vendors"
    assert view.current_id() == "v001" and picked[-1] == "v001" and not view.select("v002")
    view.search.clear()
    assert view.count.text() == "3 vendors" and view.select("v002")
    view.decision.setCurrentIndex(view.decision.findData(Decision.GO))
    assert [view.model.index(i, 0).data() for i in range(view.model.rowCount())] == ["Beta Labs"]
    view.decision.setCurrentIndex(0)
    assert view.select("v002")
    view.show()
    header = view.table.horizontalHeader()
    at = QPoint(header.sectionViewportPosition(0) + 5, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)  # a click on the header sorts too
    names = [view.model.index(i, 0).data() for i in range(3)]
    assert names in (["Acme AI", "Beta Labs", "Gamma Data"], ["Gamma Data", "Beta Labs", "Acme AI"])
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)  # and again, the other way round
    assert [view.model.index(i, 0).data() for i in range(3)] == list(reversed(names))
    assert view.current_id() == "v002"
