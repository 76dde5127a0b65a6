"""AI-washing signals on screen (on the sample workspace): the vendor page's box, Compare's panel under the
ranking, and the ranking sorted by any column, Claimed included."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from vendoreval.domain.signals import Signals
from vendoreval.services.demo import load_sample
from vendoreval.services.supply_chain import SupplyChainService
from vendoreval.services.workspace import Workspace
from vendoreval.ui.messages import RecordingMessages
from vendoreval.ui.models.comparison_model import RANKING_HEADERS
from vendoreval.ui.session import own_session
from vendoreval.ui.views.compare_view import CompareView
from vendoreval.ui.views.vendor_detail_view import VendorDetailView

BRIGHTWAVE_CLAIM = "“Brightwave runs on our own proprietary foundation model.”"
PIXELMUSE_CLAIM = ("“Every image we generate is commercially safe: our model was trained only on licensed stock "
                   "photography.”")


@pytest.fixture
def sample(ws: Workspace) -> Workspace:
    load_sample(ws)
    return ws


def _detail(qtbot, ws: Workspace, name: str) -> VendorDetailView:  # type: ignore[no-untyped-def]
    holder = QWidget()  # owns the page's session: closed with it, as a page on its own does
    qtbot.addWidget(holder)
    view = VendorDetailView(own_session(ws, RecordingMessages(), holder), holder)
    QVBoxLayout(holder).addWidget(view)
    holder.resize(1280, 800)
    holder.show()
    qtbot.waitExposed(holder)
    view.set_vendor(ws.vendors.find(name).id)
    view.holder = holder  # type: ignore[attr-defined]  # (pytest-qt keeps only a weak reference)
    return view


def _compare(qtbot, ws: Workspace) -> CompareView:  # type: ignore[no-untyped-def]
    view = CompareView(ws, messages=RecordingMessages())
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: len(view.ranked_names()) == 5, timeout=5000)
    return view


def test_the_vendor_page_says_where_the_vendor_would_rank_at_face_value(qtbot, sample: Workspace) -> None:  # type: ignore[no-untyped-def]
    view = _detail(qtbot, sample, "Brightwave Insights")
    box = view.signals
    assert box.isVisible()
    assert box.lines == [
        "At face value Brightwave Insights would be 2nd; on evidence it is 3rd.",
        "Largest gaps by area (claimed → on evidence): GDPR 73 → 20 (53) · Viability 47 → 10 (37) · "
        "EU AI Act 48 → 12 (36)",
        "By criterion: Data processing agreement (Art. 28) 75 → 19 (56) · Training on our data 75 → 19 (56) · "
        "Lawful basis for personal data in the training data 75 → 19 (56)",
        f"⚠ Sold as its own model; a third-party model is behind it (claim contradicted: {BRIGHTWAVE_CLAIM}).",
    ]
    assert "<b>At face value Brightwave Insights would be 2nd; on evidence it is 3rd.</b>" in box.body.text()
    assert box.note.text().startswith("Among 5 vendors under the balanced weights.")
    # another vendor: same rank, nothing contradicted about its model or data
    view.set_vendor(sample.vendors.find("Lumen Copy").id)
    assert box.lines[0] == "Lumen Copy ranks the same on evidence as at face value: 1st."
    assert not any(line.startswith("⚠") for line in box.lines)


def test_the_vendor_box_follows_a_change_and_names_the_recorded_model(qtbot, sample: Workspace) -> None:  # type: ignore[no-untyped-def]
    view = _detail(qtbot, sample, "Brightwave Insights")
    box = view.signals
    SupplyChainService(sample).add(sample.vendors.find("Brightwave Insights").id, "OpenAI", "GPT-4o")
    expected = ("⚠ Sold as its own model; OpenAI GPT-4o, a third-party model, is behind it "
                f"(claim contradicted: {BRIGHTWAVE_CLAIM}).")
    qtbot.waitUntil(lambda: box.lines[-1] == expected, timeout=3000)  # after a pause in the changes
    view.set_vendor(None)
    assert not box.isVisible()


def test_compare_lists_the_vendors_that_move_and_the_contradicted_claims(qtbot, sample: Workspace) -> None:  # type: ignore[no-untyped-def]
    view = _compare(qtbot, sample)
    panel = view.signals_panel
    assert panel.isVisible()
    assert panel.lines == [
        "At face value Pixelmuse Studio would be 3rd; on evidence it is 2nd.",
        "At face value Brightwave Insights would be 2nd; on evidence it is 3rd.",
        f"⚠ Pixelmuse Studio: Its training data is not what it is sold as (claim contradicted: {PIXELMUSE_CLAIM}).",
        f"⚠ Brightwave Insights: Sold as its own model; a third-party model is behind it (claim contradicted: "
        f"{BRIGHTWAVE_CLAIM}).",
    ]
    assert panel.label.text().startswith("<b>AI-washing signals</b><br>At face value Pixelmuse Studio")
    assert "Brightwave Insights: GDPR: claimed 73, on evidence 20 (gap 53)" in panel.toolTip()


def _click_header(qtbot, view: CompareView, column: int) -> None:  # type: ignore[no-untyped-def]
    header = view.ranking.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_the_ranking_sorts_by_claimed_and_back_by_rank(qtbot, sample: Workspace) -> None:  # type: ignore[no-untyped-def]
    view = _compare(qtbot, sample)
    model, header = view.ranking_model, view.ranking.horizontalHeader()
    claimed = RANKING_HEADERS.index("Claimed")
    by_claimed = ["Lumen Copy", "Brightwave Insights", "Pixelmuse Studio", "Nordlicht Personalisation", "Quillstack"]

    def names() -> list[str]:
        return [model.index(r, 1).data() for r in range(model.rowCount())]

    def column(col: int) -> list[str]:
        return [model.index(r, col).data() for r in range(model.rowCount())]

    assert names() == view.ranked_names()  # the ranking's own order to begin with
    view.select_vendor(sample.vendors.find("Quillstack").id)
    _click_header(qtbot, view, claimed)
    first = header.sortIndicatorOrder()
    assert header.sortIndicatorSection() == claimed
    assert names() == (by_claimed if first == Qt.SortOrder.DescendingOrder else by_claimed[::-1])
    _click_header(qtbot, view, claimed)
    assert header.sortIndicatorOrder() != first
    assert names() == (by_claimed if first != Qt.SortOrder.DescendingOrder else by_claimed[::-1])
    view.ranking.sortByColumn(claimed, Qt.SortOrder.DescendingOrder)
    assert column(claimed) == ["73.3", "46.2", "45.6", "37.0", "31.4"]  # by value, not as text
    # the rank column still says the evidence rank, and the selection stays on its vendor
    assert column(0) == ["1", "3", "2", "5", "4"]
    assert view.current_vendor_id() == sample.vendors.find("Quillstack").id
    # a recount keeps the chosen order
    view.refresh_now()
    qtbot.waitUntil(lambda: not view.refreshing, timeout=5000)
    assert names() == by_claimed
    _click_header(qtbot, view, 0)
    if header.sortIndicatorOrder() != Qt.SortOrder.AscendingOrder:
        _click_header(qtbot, view, 0)
    assert names() == view.ranked_names()


def test_blanks_sort_last_either_way(qtbot, sample: Workspace) -> None:  # type: ignore[no-untyped-def]
    sample.vendors.create("Unscored Ltd")
    view = CompareView(sample, messages=RecordingMessages())
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: len(view.ranked_names()) == 6, timeout=5000)
    claimed = RANKING_HEADERS.index("Claimed")
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        view.ranking.sortByColumn(claimed, order)
        assert view.ranking_model.index(5, 1).data() == "Unscored Ltd"
        assert view.ranking_model.index(5, claimed).data() == "—"


@pytest.mark.skipif(not os.environ.get("VENDOREVAL_SCREENSHOTS"), reason="set VENDOREVAL_SCREENSHOTS=DIR to write")
def test_screenshots(qtbot, sample: Workspace) -> None:  # type: ignore[no-untyped-def]
    """docs/screenshots/signals-vendor.png and signals-compare.png at 1280x800 on the sample workspace."""
    out = Path(os.environ["VENDOREVAL_SCREENSHOTS"])
    out.mkdir(parents=True, exist_ok=True)
    detail = _detail(qtbot, sample, "Brightwave Insights")
    qtbot.wait(50)  # the box's new lines laid out
    assert detail.grab().save(str(out / "signals-vendor.png"))
    view = _compare(qtbot, sample)
    view.select_vendor(sample.vendors.find("Brightwave Insights").id)
    qtbot.wait(50)
    assert view.grab().save(str(out / "signals-compare.png"))


def test_at_launch_the_vendor_box_is_counted_once_the_window_has_painted(qtbot, sample: Workspace) -> None:  # type: ignore[no-untyped-def]
    """Counting every vendor's signals takes seconds on a large workspace: launch paints the window first."""
    from vendoreval.ui.main_window import MainWindow
    from vendoreval.ui.tasks import ThreadRunner

    labels: list[str] = []
    runner = ThreadRunner()
    real_run = runner.run

    def run(work, on_done, on_error=None, **kw):  # type: ignore[no-untyped-def]
        labels.append(kw.get("label", ""))
        return real_run(work, on_done, on_error, **kw)

    runner.run = run  # type: ignore[method-assign]
    window = MainWindow(sample, messages=RecordingMessages(), runner=runner)
    qtbot.addWidget(window)
    box = window.page("vendors").detail.signals
    assert not window.painted and "Counting the AI-washing signals" not in labels  # built, not painted: waits
    window.show()
    qtbot.waitUntil(lambda: window.painted, timeout=5000)
    qtbot.waitUntil(lambda: bool(box.lines), timeout=10_000)
    assert "Counting the AI-washing signals" in labels
    assert box.note.text().startswith("Among 5 vendors under the balanced weights.")
    window.close()
    runner.shutdown()


def test_the_panel_label_remembers_heights_but_answers_as_a_plain_label(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    from vendoreval.ui.widgets.signals_box import SignalsPanel, _html

    panel = SignalsPanel()
    qtbot.addWidget(panel)
    plain = QLabel("")
    qtbot.addWidget(plain)
    plain.setWordWrap(True)
    plain.setTextFormat(Qt.TextFormat.RichText)
    for n in (3, 40):  # a new text (more lines) is measured again, not answered from the old text's heights
        text = "<b>AI-washing signals</b><br>" + _html([f"At face value Vendor {i} would be {i + 1}th; on evidence "
                                                         f"it is {i}th." for i in range(n)] + ["⚠ contradicted"])
        panel.label.setText(text)
        plain.setText(text)
        for width in (120, 300, 120, 640, 300):
            assert panel.label.heightForWidth(width) == plain.heightForWidth(width)
    font = panel.label.font()
    font.setPointSizeF(font.pointSizeF() * 2)  # a bigger font is measured again too
    panel.label.setFont(font)
    plain.setFont(font)
    assert panel.label.heightForWidth(300) == plain.heightForWidth(300)


def _many_signals(vendors: int) -> Signals:
    """A comparison of ``vendors`` vendors in which every vendor moves and every other one has a claim warning."""
    from vendoreval.domain.signals import ClaimSignal, VendorSignals

    out = []
    for i in range(vendors):
        claims = (ClaimSignal(f"c{i}", "ownership", "Our own model.", "Sold as its own model; a third-party model "
                              "is behind it (claim contradicted: “Our own model.”)."),) if i % 2 == 0 else ()
        out.append(VendorSignals(f"v{i}", f"Vendor {i:03d}", face_rank=vendors - i, evidence_rank=i + 1,
                                 claims=claims))
    return Signals(tuple(out))


def test_compare_panel_stays_short_on_many_vendors_and_lists_all_on_request(qtbot) -> None:  # type: ignore[no-untyped-def]
    from vendoreval.ui.widgets.signals_box import PANEL_LINES, SignalsPanel

    panel = SignalsPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 100)
    panel.show()
    signals = _many_signals(200)
    panel.show_signals(signals)
    assert len(panel.lines) == 200 + 100  # every signal is kept
    assert panel.shown == panel.lines[:PANEL_LINES] + panel.lines[200:200 + PANEL_LINES]  # the top of each kind
    text = panel.label.text()
    assert "Vendor 000" in text and "Vendor 199" not in text
    assert "… and 197 more vendors rank otherwise on evidence; 97 more claim warnings." in text
    assert panel.heightForWidth(900) < 260 and panel.sizeHint().height() < 260  # was ~2,700 px on 200 vendors
    panel.label.linkActivated.emit("all")  # the "Show all 300…" link
    assert panel.dialog is not None and panel.dialog.isVisible()
    listed = panel.browser.toPlainText()
    assert "300 signals" in listed and "Vendor 199" in listed and listed.count("⚠") == 100
    # a new comparison while the list is open: the list follows it
    panel.show_signals(_many_signals(4))  # 4 moves and 2 warnings: one more move than the panel's 3 is shown
    assert "6 signals" in panel.browser.toPlainText()
    assert panel.shown == panel.lines
    assert "more" not in panel.label.text() and "Show all" not in panel.label.text()


def test_compare_panel_link_is_in_the_label_when_lines_are_cut(qtbot) -> None:  # type: ignore[no-untyped-def]
    from vendoreval.ui.widgets.signals_box import SignalsPanel

    panel = SignalsPanel()
    qtbot.addWidget(panel)
    panel.show_signals(_many_signals(10))
    assert "<a href='all'>Show all 15…</a>" in panel.label.text()
    assert "… and 7 more vendors rank otherwise on evidence; 2 more claim warnings." in panel.label.text()
    assert panel.label.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByKeyboard
