"""Use cases: the one API both front ends (desktop app and CLI) call."""

from .workspace import Change, Locked, NotFound, ServiceError, StaleEdit, UnitOfWork, Workspace

__all__ = ["Change", "Locked", "NotFound", "ServiceError", "StaleEdit", "UnitOfWork", "Workspace"]
