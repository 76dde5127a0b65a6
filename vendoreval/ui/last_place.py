"""Where the user was: the page, the vendor and its tab, kept per workspace so the app reopens there.

Kept in the app's QSettings beside the window geometry (this is the user's view, not workspace data: it is not
audited and not shared with colleagues), under a key derived from the workspace folder. A vendor that is gone
or hidden by the list's filter when the window opens is skipped silently: the list keeps its first vendor.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QTimer


def workspace_key(data_dir: Path) -> str:
    """A settings group name for a workspace folder (a hash: paths hold characters QSettings keys must not)."""
    return "workspaces/" + hashlib.sha256(str(Path(data_dir).resolve()).encode("utf-8")).hexdigest()[:16]


class LastPlace:
    """Remembers the window's page and the selected vendor and tab as they change; puts them back on open."""

    def __init__(self, settings: QSettings, data_dir: Path) -> None:
        self.settings = settings
        self.group = workspace_key(data_dir)
        self.data_dir = str(Path(data_dir).resolve())
        self.window: Any = None

    # --- reading and writing --------------------------------------------------------------------

    def _get(self, name: str) -> str | None:
        value = self.settings.value(f"{self.group}/{name}")
        return value if isinstance(value, str) and value else None

    def _set(self, name: str, value: str | None) -> None:
        if self.window is None:
            return  # stopped: the window is closing or shows another workspace
        key = f"{self.group}/{name}"
        if value is None:
            self.settings.remove(key)
        else:
            self.settings.setValue(key, value)
            self.settings.setValue(f"{self.group}/folder", self.data_dir)  # for a person reading the file

    # --- the window -----------------------------------------------------------------------------

    def restore(self, window: Any) -> None:
        """Select the remembered vendor and tab and show the remembered page, skipping what no longer exists."""
        vendors = window.page("vendors")
        vendor = self._get("vendor")
        if vendors is not None and vendor is not None:
            vendors.list.select(vendor)  # False when deleted or filtered out: the first vendor stays selected
        tab = self._get("vendor_tab")
        if vendors is not None and tab is not None and tab.isdigit() and int(tab) < vendors.detail.tabs.count():
            vendors.detail.tabs.setCurrentIndex(int(tab))
        page = self._get("page")
        if page is not None and page in window.lazy_pages:
            window.show_page(page)
        card = self._get("scorecard")
        if page == "scorecard" and card is not None and _exists(window, card):  # the scorecard it showed
            window.page("scorecard").open_card(card)
        elif card is not None:  # reopened on another page: the Scorecard page shows it when first visited
            self._open_card_on_first_visit(window, card)
        consensus_vendor = self._get("consensus_vendor")
        if page == "consensus" and consensus_vendor is not None:  # the vendor and rubric it showed
            window.page("consensus").select(consensus_vendor, self._get("consensus_rubric"))

    def _open_card_on_first_visit(self, window: Any, card: str) -> None:
        """When the user first goes to the Scorecard page without asking for a scorecard, show the one it showed
        last time (a tester restarted on the Claims tab, pressed Ctrl+2 and found "No scorecard open"). The
        page is built only then, not at launch; a scorecard asked for (from a vendor's Scorecards tab) wins."""
        keys = [spec.key for spec in window.page_specs]
        connected = True

        def visited(row: int) -> None:
            nonlocal connected
            if not (0 <= row < len(keys)) or keys[row] != "scorecard" or not connected:
                return
            connected = False
            window.sidebar.currentRowChanged.disconnect(visited)

            def open_if_empty() -> None:  # after the page switch, and after a scorecard asked for opened
                editor = window.lazy_pages["scorecard"].page
                if editor is not None and editor.card is None and _exists(window, card):
                    editor.open_card(card)

            QTimer.singleShot(0, window, open_if_empty)

        window.sidebar.currentRowChanged.connect(visited)

    def watch(self, window: Any) -> None:
        """Record every change of page, vendor or vendor tab from now on."""
        self.window = window
        keys = [spec.key for spec in window.page_specs]
        window.sidebar.currentRowChanged.connect(
            lambda row: self._set("page", keys[row] if 0 <= row < len(keys) else None))
        vendors = window.page("vendors")
        if vendors is not None:
            vendors.list.selected.connect(lambda vendor_id: self._set("vendor", vendor_id))
            vendors.detail.tabs.currentChanged.connect(lambda i: self._set("vendor_tab", str(i) if i >= 0 else None))

    def stop(self) -> None:
        """Stop recording (before the pages are torn down, whose last signals say nothing about the user).

        The Consensus page's own vendor and rubric are kept here, as they are when the window closes.
        """
        window = self.window
        consensus = window.lazy_pages["consensus"].page if window is not None and "consensus" in window.lazy_pages \
            else None
        if consensus is not None:
            self._set("consensus_vendor", consensus.vendor.currentData() or None)
            self._set("consensus_rubric", consensus.rubric.currentData() or None)
        editor = window.lazy_pages["scorecard"].page if window is not None and "scorecard" in window.lazy_pages \
            else None
        if editor is not None:
            self._set("scorecard", editor.card.id if editor.card is not None else None)
        self.window = None


def _exists(window: Any, card_id: str) -> bool:
    """True when the scorecard is still there (deleted since: the page opens empty, without a message)."""
    try:
        window.session.ws.scorecards.get(card_id)
    except Exception:
        return False
    return True
