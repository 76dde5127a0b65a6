"""A vendor's commercial terms: pricing, costs, currency, term, renewal and notice, and the total cost over the term;
and the business case: the product category, the use case, the expected benefit and the claim it rests on.

Each field is saved on its own as it is edited (a text field after a pause or on leaving it, a choice at
once), one transaction each, through the services; each edit names the revision it was made on, so an
edit over a newer value from elsewhere is refused and shown (ui/stale.py), and can be undone.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...domain.commercials import CURRENCIES, FIELDS, LABELS, Commercials
from ...services.workspace import Change, NotFound
from ..session import Session
from ..stale import commit_on_revision, on_stale
from ..widgets.autosave import AutoSave
from ..widgets.conflict_note import ConflictNote, with_note
from .table_tab import VendorTab

#: Text fields: (field, label with mnemonic, placeholder).
_TEXT_FIELDS = (
    ("pricing_model", "Pricin&g model:", "e.g. per seat per month, or usage-based per 1,000 requests"),
    ("one_off", "&One-off cost:", "set-up, onboarding, integration (e.g. 5000)"),
    ("annual", "&Annual cost:", "the recurring cost per year (e.g. 12000.50)"),
    ("exit_cost", "Exi&t cost:", "what leaving costs: data export, migration, early termination"),
    ("term_months", "Te&rm (months):", "e.g. 36"),
    ("notice_months", "&Notice (months):", "notice to end or not renew (e.g. 3)"),
    ("category", "Product &category:", "e.g. copywriting assistant, image generation, personalisation engine"),
    ("use_case", "U&se case:", "what we would use it for, e.g. first drafts of product descriptions in 6 languages"),
    ("benefit", "Expected &benefit:", "e.g. halve the time to publish a campaign; 2 FTE of agency work"),
)
_NO_CLAIM = "No claim chosen"
_NOT_RECORDED = "Not recorded"
_RENEWALS = ((None, _NOT_RECORDED), ("auto", "Renews automatically"), ("manual", "Renewed only by a decision"))


class CommercialsTab(VendorTab):
    """The commercial-terms form of one vendor, with the total cost over the term."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._loading = False
        self._revision = 0  # the revision of the terms the choices (currency, renewal) show
        intro = QLabel(
            "What the contract costs and how it ends. Amounts are in the vendor's currency and never "
            "converted: the comparison shows vendors with different currencies apart.", self)
        intro.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow: the label goes above its field
        self.fields: dict[str, QLineEdit] = {}
        self.notes: dict[str, ConflictNote] = {}
        self.autosaves: dict[str, AutoSave] = {}
        self.currency = self._currency_box()
        self.renewal = QComboBox(self)
        for value, text in _RENEWALS:
            self.renewal.addItem(text, value)
        self.renewal.setAccessibleName("Renewal")
        self.renewal.setMaximumWidth(260)
        self.renewal.activated.connect(lambda _i: self._choice("renewal", self.renewal.currentData()))
        self.benefit_claim = QComboBox(self)
        self.benefit_claim.setAccessibleName("Claim the benefit rests on")
        self.benefit_claim.setToolTip("The vendor's claim the expected benefit rests on (the brief names it)")
        self.benefit_claim.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.benefit_claim.setMinimumContentsLength(20)  # the claim is whole in the list and the tooltip
        self.benefit_claim.activated.connect(
            lambda _i: self._choice("benefit_claim", self.benefit_claim.currentData() or None))
        texts = {key: (label, placeholder) for key, label, placeholder in _TEXT_FIELDS}
        self.total = QLabel(self)
        self.total.setWordWrap(True)
        self.total.setTextFormat(Qt.TextFormat.RichText)
        self.total.setAccessibleName("Total cost over the term")
        self.total.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for key in FIELDS:
            if key == "category":  # the total closes the terms; the business case follows
                form.addRow(self.total)
                heading = QLabel("<b>Business case</b> — why this vendor, in words; the board brief prints it", self)
                heading.setContentsMargins(0, 10, 0, 0)
                heading.setWordWrap(True)  # a narrow pane wraps it instead of cutting it
                form.addRow(heading)
            if key == "benefit_claim":
                label = QLabel("Benefit rests on claim:", self)  # no Alt letter: L opens this tab
                label.setBuddy(self.benefit_claim)
                form.addRow(label, self.benefit_claim)
                continue
            if key in ("currency", "renewal"):
                widget = self.currency if key == "currency" else self.renewal
                label = QLabel("C&urrency:" if key == "currency" else "Rene&wal:", self)
                label.setBuddy(widget)
                form.addRow(label, widget)
                continue
            label_text, placeholder = texts[key]
            edit = QLineEdit(self)
            edit.setPlaceholderText(placeholder)
            edit.setToolTip(placeholder[:1].upper() + placeholder[1:])
            edit.setAccessibleName(LABELS[key].capitalize())
            if key not in ("pricing_model", "category", "use_case", "benefit"):
                edit.setMaximumWidth(260)
            self.fields[key] = edit
            box, self.notes[key] = with_note(edit, self)
            label = QLabel(label_text, self)
            label.setBuddy(edit)
            form.addRow(label, box)
            autosave = AutoSave(edit, self._committer(key))
            session.register_autosave(autosave)
            self.autosaves[key] = autosave
        outer = QVBoxLayout(self)
        outer.addWidget(intro)
        outer.addLayout(form)
        outer.addStretch(1)

    def _currency_box(self) -> QComboBox:
        box = QComboBox(self)
        box.addItem(_NOT_RECORDED, None)
        for code in ("EUR", "USD", "GBP", "CHF"):  # the usual ones first, then all of ISO 4217
            box.addItem(code, code)
        box.insertSeparator(box.count())
        for code in sorted(CURRENCIES - {"EUR", "USD", "GBP", "CHF"}):
            box.addItem(code, code)
        box.setAccessibleName("Currency")
        box.setToolTip("The ISO 4217 code of every amount of this vendor")
        box.setMaximumWidth(160)
        box.activated.connect(lambda _i: self._choice("currency", box.currentData()))
        return box

    # --- showing ----------------------------------------------------------------------------------

    def terms(self) -> Commercials:
        """The shown vendor's stored terms (an empty record when none, or no vendor)."""
        if self.vendor_id is None:
            return Commercials("")
        try:
            return self.ws.commercials.get(self.vendor_id)
        except NotFound:
            return Commercials("")

    def refresh(self) -> None:
        """Show the stored terms; a field with typing not yet saved keeps it."""
        terms = self.terms()
        writable = self.vendor_id is not None and self.ws.read_only_reason is None
        self._revision = terms.revision
        self._loading = True
        try:
            for key, autosave in self.autosaves.items():
                if autosave.pending and autosave.revision is not None and self.vendor_id == terms.vendor_id:
                    autosave.revision = terms.revision  # keep the typing; it is saved on the newest terms
                else:
                    autosave.set_text(terms.field_text(key), terms.revision)
                self.fields[key].setReadOnly(not writable)
            self.currency.setCurrentIndex(max(0, self.currency.findData(terms.currency)) if terms.currency else 0)
            self.renewal.setCurrentIndex(max(0, self.renewal.findData(terms.renewal)) if terms.renewal else 0)
            self.currency.setEnabled(writable)
            self.renewal.setEnabled(writable)
            self._fill_claims(terms.benefit_claim)
            self.benefit_claim.setEnabled(writable)
        finally:
            self._loading = False
        self._show_total(terms)

    def _fill_claims(self, chosen: str) -> None:
        """The vendor's claims to choose from (their words, shortened), with the chosen one selected."""
        box = self.benefit_claim
        box.clear()
        box.addItem(_NO_CLAIM, "")
        claims = self.ws.claims.list(self.vendor_id) if self.vendor_id is not None else []
        for c in claims:
            text = " ".join(c.text.split())
            box.addItem(text if len(text) <= 90 else text[:89] + "…", c.id)
            box.setItemData(box.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        box.setCurrentIndex(max(0, box.findData(chosen)) if chosen else 0)

    def _show_total(self, terms: Commercials) -> None:
        if self.vendor_id is None:
            self.total.setText("")
            return
        total = terms.total()
        if total is None:
            why = html.escape(terms.total_problem() or "")
            self.total.setText(f"<p><b>Total cost over the term:</b> none yet — {why}.</p>")
            return

        def amount(v: Decimal | None) -> str:
            return f"{v or 0:,}"

        rounded = " (rounded to the cent)" if total.rounded else ""
        self.total.setText(
            f"<p><b>Total cost over the term: {html.escape(total.text())}</b>{rounded}<br>"
            f"= one-off {amount(terms.one_off)} + annual {amount(terms.annual)} × {terms.term_months or 0} / 12 "
            f"+ exit {amount(terms.exit_cost)}</p>")

    def on_change(self, change: Change) -> None:
        """Reload after this vendor's terms (or the vendor) changed."""
        if change.entity in ("commercials", "vendor", "workspace", "claim"):
            self.refresh()

    # --- editing ----------------------------------------------------------------------------------

    def _committer(self, key: str) -> Callable[[str], bool]:
        def commit(text: str) -> bool:
            vid = self.vendor_id
            if vid is None:
                return True
            try:
                old = self.ws.commercials.get(vid).field_text(key)
            except NotFound:
                return True

            def apply(revision: int | None) -> Commercials:
                return self.ws.commercials.set(vid, {key: text}, expected_revision=revision)

            return commit_on_revision(self.session, self.autosaves[key], self.notes[key],
                                      f"Commercials: {LABELS[key]}", text, apply,
                                      lambda: self.ws.commercials.set(vid, {key: old}),
                                      lambda c: c.field_text(key))
        return commit

    def _choice(self, key: str, value: str | None) -> Commercials | None:
        """Record the currency or the renewal at once (one transaction), undoable."""
        if self._loading or self.vendor_id is None:
            return None
        vid = self.vendor_id
        before = self.terms()
        if before.value(key) == value:
            return before
        what = f"Commercials: {LABELS[key]}"

        def retry(revision: int | None) -> Commercials:
            return self.ws.commercials.set(vid, {key: value}, expected_revision=revision)

        stale = on_stale(self.session, what, value or _NOT_RECORDED, lambda c: c.field_text(key) or _NOT_RECORDED,
                         retry, self.refresh, lambda: self.ws.commercials.set(vid, {key: before.value(key)}))
        result = self.session.edit(what, lambda: retry(self._revision),
                                   lambda: self.ws.commercials.set(vid, {key: before.value(key)}),
                                   lambda: retry(None), stale=stale)
        if result is None:
            self.refresh()
        return result
