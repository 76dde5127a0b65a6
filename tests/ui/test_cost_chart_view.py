"""The Compare page's cost-against-score chart: a point per vendor with a cost and a score, a tooltip per point,
knocked-out vendors hollow, the vendors without commercials listed under it, the page's layout at 1280x800."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from tests.integration.test_compare_cli import DEFAULT, build_workspace
from vendoreval.services.workspace import Workspace
from vendoreval.ui.messages import RecordingMessages
from vendoreval.ui.views.compare_view import CompareView


@pytest.fixture(autouse=True)
def _no_shipped_rubrics(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vendoreval.services.library.rubrics_dir", lambda: tmp_path_factory.mktemp("shipped"))


@pytest.fixture
def view(qtbot, ws: Workspace, tmp_path: Path):  # type: ignore[no-untyped-def]
    ids = build_workspace(ws, tmp_path / "rubrics", {**DEFAULT, "Delta": {"skills": (2, 2)}})
    ws.commercials.set(ids["Acme"], {"annual": "10000", "term_months": 24, "currency": "EUR"})
    ws.commercials.set(ids["Beta"], {"one_off": "5000", "currency": "EUR"})
    ws.commercials.set(ids["Gamma"], {"one_off": "30000", "currency": "EUR"})
    v = CompareView(ws, messages=RecordingMessages())
    qtbot.addWidget(v)
    v.resize(1280, 800)
    v.show()
    qtbot.waitExposed(v)
    qtbot.waitUntil(lambda: v.comparison is not None and len(v.comparison.ranking) == 4, timeout=10000)
    v.tabs.setCurrentWidget(v.cost_chart)
    qtbot.wait(20)
    return v


def test_a_point_per_vendor_with_a_cost_and_a_tooltip(view: CompareView, qtbot) -> None:  # type: ignore[no-untyped-def]
    plot = view.cost_chart.plot
    drawn = {d.point.name: d for d in plot.layout_points()}
    assert sorted(drawn) == ["Acme", "Beta", "Gamma"]
    # cheaper is further left, a higher score further up (screen y grows downwards)
    assert drawn["Beta"].centre.x() < drawn["Acme"].centre.x() < drawn["Gamma"].centre.x()
    assert drawn["Acme"].centre.y() < drawn["Beta"].centre.y()
    assert drawn["Gamma"].point.knocked_out and not drawn["Acme"].point.knocked_out
    assert view.cost_chart.notes.isVisible()
    assert view.cost_chart.notes.text() == "No cost recorded: Delta"
    labels = [d.label for d in drawn.values()]
    assert not any(a.intersects(b) for i, a in enumerate(labels) for b in labels[i + 1:])
    assert plot.point_at(drawn["Acme"].centre + QPointF(3, 2)) is drawn["Acme"]
    assert plot.point_at(QPointF(1, 1)) is None
    # the tooltip a user sees on hovering the point
    centre = drawn["Gamma"].centre.toPoint()
    QApplication.sendEvent(plot, QHelpEvent(QEvent.Type.ToolTip, centre, plot.mapToGlobal(centre)))
    qtbot.waitUntil(lambda: QToolTip.isVisible(), timeout=3000)
    assert QToolTip.text() == ("Gamma (rank 4)\nEvidence-weighted score: 75.0 / 100\n"
                               "Total cost over the term: EUR 30,000.00\nKnocked out: ranks last whatever its score")
    QApplication.sendEvent(plot, QHelpEvent(QEvent.Type.ToolTip, QPoint(1, 1), plot.mapToGlobal(QPoint(1, 1))))
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=3000)  # away from every point: no tooltip


def test_the_chart_follows_the_vendors_ticked(view: CompareView, qtbot) -> None:  # type: ignore[no-untyped-def]
    view.set_vendors(["Acme", "Delta"])
    qtbot.waitUntil(lambda: view.ranked_names() == ["Acme", "Delta"], timeout=10000)
    assert [d.point.name for d in view.cost_chart.plot.layout_points()] == ["Acme"]
    assert "Acme: score 62.5, EUR 20,000.00" in view.cost_chart.plot.accessibleDescription()
    view.set_vendors(["Delta"])
    qtbot.waitUntil(lambda: view.ranked_names() == ["Delta"], timeout=10000)
    assert view.cost_chart.plot.layout_points() == []
    assert view.cost_chart.notes.text() == "No cost recorded: Delta"


def test_fits_at_1280_by_800(view: CompareView) -> None:
    plot = view.cost_chart.plot
    assert plot.width() >= 600 and plot.height() >= 400  # room for the points and their labels
    assert view.cost_chart.geometry().bottom() <= view.height()
    image = view.grab().toImage()
    assert not image.isNull() and image.width() == 1280
