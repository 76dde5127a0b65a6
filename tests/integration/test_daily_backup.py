"""The backup taken when a workspace is opened: at most one a day; a failure is reported, never fatal."""

from __future__ import annotations

from vendoreval.services.backup import BackupError, daily_backup


def test_daily_backup_once_a_day(ws):
    ws.vendors.create("Acme")
    assert daily_backup(ws) is None
    assert daily_backup(ws) is None
    assert len(list((ws.data_dir / "backups").glob("vendoreval-auto-*.db"))) == 1


def test_daily_backup_failure_is_a_message(ws, monkeypatch):
    ws.vendors.create("Acme")

    def broken(*args, **kwargs):
        raise BackupError("disk full")

    monkeypatch.setattr("vendoreval.services.backup.auto_backup", broken)
    note = daily_backup(ws)
    assert note is not None and "Automatic backup failed" in note and "disk full" in note
    assert ws.vendors.list()[0].name == "Acme"
