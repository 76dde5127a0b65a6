"""Secrets (the evaluator's signing key) in the OS keyring, or in memory for tests; never in plaintext."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from .errors import UserError

SERVICE_NAME = "vendoreval"

#: keyring backends that store nothing: treated as "no keyring" (never keyrings.alt, never a file).
_NO_KEYRING_BACKENDS = ("keyring.backends.fail", "keyring.backends.null")


class SecretStoreUnavailable(UserError):
    """No usable keyring: the message says why, in the user's words."""


@runtime_checkable
class SecretStore(Protocol):
    """Where secrets live: get/set/delete text by name; ``unavailable_reason`` is None when usable."""

    def get(self, name: str) -> str | None:
        """The secret stored under ``name`` (None if absent); SecretStoreUnavailable without a keyring."""
        ...

    def set(self, name: str, value: str) -> None:
        """Store a secret; SecretStoreUnavailable without a keyring."""
        ...

    def delete(self, name: str) -> None:
        """Remove a secret if present."""
        ...

    def unavailable_reason(self) -> str | None:
        """None when secrets can be stored, else why not."""
        ...


class InMemorySecretStore:
    """Secrets in a dict: for tests, and for stores that must not outlive the process."""

    def __init__(self, unavailable: str | None = None) -> None:
        self._data: dict[str, str] = {}
        self._unavailable = unavailable

    def get(self, name: str) -> str | None:
        """The secret or None."""
        if self._unavailable:
            raise SecretStoreUnavailable(self._unavailable)
        return self._data.get(name)

    def set(self, name: str, value: str) -> None:
        """Store a secret."""
        if self._unavailable:
            raise SecretStoreUnavailable(self._unavailable)
        self._data[name] = value

    def delete(self, name: str) -> None:
        """Remove a secret."""
        self._data.pop(name, None)

    def unavailable_reason(self) -> str | None:
        """Why this store refuses secrets (None: it accepts them)."""
        return self._unavailable


def _no_keyring_message(detail: str) -> str:
    return (
        f"No usable OS keyring ({detail}). vendoreval keeps working, but cannot keep a signing key: "
        "bundles you export are unsigned."
    )


class KeyringSecretStore:
    """Secrets in the OS keyring through ``keyring``; any keyring trouble counts as 'no keyring'.

    Nothing touches the keyring until a secret is first asked for, so opening a workspace stays fast
    and works on machines without one. After the first failure the store stays unavailable for the
    session, so the user is told once rather than on every action.
    """

    def __init__(self, service: str = SERVICE_NAME) -> None:
        self.service = service
        self._checked = False
        self._reason: str | None = None

    def _backend(self) -> Any:
        import keyring

        return keyring.get_keyring()

    def _check(self) -> None:
        """Decide once whether the keyring backend can hold secrets."""
        if self._checked:
            return
        self._checked = True
        try:
            backend = self._backend()
        except Exception as exc:  # keyring's backend discovery can fail in many ways (dbus, config)
            self._reason = _no_keyring_message(f"{type(exc).__name__}: {exc}")
            return
        module = type(backend).__module__
        if module.startswith(_NO_KEYRING_BACKENDS):
            # the backend's module name ('keyring.backends.fail') says nothing to a user: what to start does
            self._reason = _no_keyring_message("no keyring service was found; on Linux, GNOME Keyring or KWallet "
                                               "provides one")
        elif module.startswith("keyrings.alt"):
            # keyrings.alt writes secrets to plain or weakly protected files: refuse it.
            self._reason = _no_keyring_message(f"{module} keeps secrets in files, which vendoreval refuses")

    def _fail(self, exc: BaseException) -> SecretStoreUnavailable:
        from keyring.errors import KeyringLocked

        detail = "the keyring is locked" if isinstance(exc, KeyringLocked) else f"{type(exc).__name__}: {exc}"
        self._reason = _no_keyring_message(detail)
        return SecretStoreUnavailable(self._reason)

    def unavailable_reason(self) -> str | None:
        """None when the keyring looks usable, else why not (checked on first call)."""
        self._check()
        return self._reason

    def get(self, name: str) -> str | None:
        """The secret from the keyring (None if absent)."""
        reason = self.unavailable_reason()
        if reason:
            raise SecretStoreUnavailable(reason)
        try:
            value = self._backend().get_password(self.service, name)
        except Exception as exc:  # NoKeyringError, KeyringLocked, dbus errors: all mean "no keyring"
            raise self._fail(exc) from None
        return None if value is None else str(value)

    def set(self, name: str, value: str) -> None:
        """Store a secret in the keyring."""
        reason = self.unavailable_reason()
        if reason:
            raise SecretStoreUnavailable(reason)
        try:
            self._backend().set_password(self.service, name, value)
        except Exception as exc:
            raise self._fail(exc) from None

    def delete(self, name: str) -> None:
        """Remove a secret from the keyring if it is there."""
        if self.unavailable_reason():
            return
        from keyring.errors import PasswordDeleteError

        try:
            self._backend().delete_password(self.service, name)
        except PasswordDeleteError:
            pass
        except Exception as exc:
            raise self._fail(exc) from None
