"""Workspace settings (JSON values by key) and the signing keys the workspace trusts."""

from __future__ import annotations

from typing import Any

from ..mappers import setting_from_row, setting_row, trusted_key_from_row, trusted_key_row
from .base import Repository


class SettingsRepository(Repository):
    """The ``settings`` and ``trusted_keys`` tables."""

    def settings(self) -> dict[str, Any]:
        """Workspace settings as a dict of JSON values."""
        return dict(setting_from_row(r) for r in self._rows("SELECT key, value FROM settings"))

    def setting_revisions(self) -> dict[str, int]:
        """The revision of each stored setting by key (a setting never stored has none)."""
        return {r["key"]: int(r["revision"]) for r in self._rows("SELECT key, revision FROM settings")}

    def set_setting(self, key: str, value: Any) -> None:
        """Store one workspace setting."""
        self._upsert("settings", setting_row(key, value), ("key",))

    def trusted_keys(self) -> dict[str, dict[str, str]]:
        """Trusted signing keys by fingerprint."""
        rows = self._rows("SELECT * FROM trusted_keys ORDER BY fingerprint")
        return {r["fingerprint"]: trusted_key_from_row(r) for r in rows}

    def trust_key(self, fingerprint: str, public_key: str, name: str, at: str) -> None:
        """Record a signing key as trusted."""
        self.db.table("trusted_keys").upsert(trusted_key_row(fingerprint, public_key, name, at), pk="fingerprint")
