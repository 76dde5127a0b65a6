"""The desktop app (PySide6): views over the workspace services; no SQL and no scoring rules here."""
