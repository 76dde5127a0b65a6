"""The evaluator's signing identity: an Ed25519 key pair, private half only in the secret store."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from ..secrets import SecretStoreUnavailable
from .workspace import ServiceError

if TYPE_CHECKING:
    from .workspace import Workspace

SETTING_PUBLIC_KEY = "identity.public_key"
SETTING_FINGERPRINT = "identity.fingerprint"


def fingerprint(public_key: bytes) -> str:
    """SHA-256 of the raw 32-byte public key, lowercase hex (64 characters)."""
    return hashlib.sha256(public_key).hexdigest()


def group_fingerprint(fp: str, group: int = 4) -> str:
    """A fingerprint in groups for reading aloud: '3f2a 9c01 …' (first 32 hex digits shown in 8 groups)."""
    short = fp[:32].upper()
    return " ".join(short[i:i + group] for i in range(0, len(short), group))


def public_key_bytes(text: str) -> bytes:
    """Decode a base64 public key and check it is 32 bytes (ServiceError otherwise)."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        raise ServiceError("The public key is not valid base64.") from None
    if len(raw) != 32:
        raise ServiceError(f"An Ed25519 public key has 32 bytes, not {len(raw)}.")
    return raw


def verify(public_key: bytes, signature: bytes, message: bytes) -> bool:
    """True when ``signature`` is a valid Ed25519 signature of ``message`` by ``public_key``."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def _secret_name(fp: str) -> str:
    return f"signing-key:{fp}"


@dataclass(frozen=True)
class KeyInfo:
    """The public half of an identity, as the user sees it."""

    fingerprint: str
    public_key: str  # base64 of the raw 32 bytes
    name: str

    @property
    def grouped(self) -> str:
        """The fingerprint grouped for display."""
        return group_fingerprint(self.fingerprint)


@dataclass(frozen=True)
class IdentityStatus:
    """What the evaluator can sign with: a key, or the reason there is none."""

    key: KeyInfo | None
    problem: str | None  # None when the key is usable for signing


class IdentityService:
    """Creates the key pair on first use, keeps the private key in ``ws.secrets`` and signs with it."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def public(self) -> KeyInfo | None:
        """The public key recorded in the workspace settings, if any (touches no keyring)."""
        settings = self.ws.store.settings()
        fp, pk = settings.get(SETTING_FINGERPRINT), settings.get(SETTING_PUBLIC_KEY)
        if not fp or not pk:
            return None
        return KeyInfo(str(fp), str(pk), self.ws.evaluator)

    def _load_private(self, info: KeyInfo) -> Ed25519PrivateKey | None:
        raw = self.ws.secrets.get(_secret_name(info.fingerprint))
        if raw is None:
            return None
        try:
            key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(raw))
        except ValueError:
            return None
        pub = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return key if fingerprint(pub) == info.fingerprint else None

    def _create(self) -> tuple[KeyInfo, Ed25519PrivateKey]:
        key = Ed25519PrivateKey.generate()
        pub = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        info = KeyInfo(fingerprint(pub), base64.b64encode(pub).decode("ascii"), self.ws.evaluator)
        secret = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        # The keyring first: settings must never name a key whose private half was not stored.
        self.ws.secrets.set(_secret_name(info.fingerprint), base64.b64encode(secret).decode("ascii"))
        old = self.public()
        with self.ws.unit_of_work() as uow:
            self.ws.store.set_setting(SETTING_FINGERPRINT, info.fingerprint)
            self.ws.store.set_setting(SETTING_PUBLIC_KEY, info.public_key)
            uow.audit("create", "identity", info.fingerprint, field="signing key",
                      old=old.fingerprint if old else None, new=info.fingerprint,
                      summary=f"Created signing key {info.grouped}")
        return info, key

    def signing_key(self, create: bool = True) -> tuple[KeyInfo | None, Ed25519PrivateKey | None, str | None]:
        """(public info, private key, problem): the key to sign with, created on first use.

        Without a usable keyring the problem says so and no key is returned; the caller exports
        unsigned. A key recorded in settings but missing from the keyring is not silently replaced:
        that would change the evaluator's identity behind colleagues' backs.
        """
        info = self.public()
        try:
            if info is None:
                if not create:
                    return None, None, "No signing key has been created yet."
                info, key = self._create()
                return info, key, None
            key_or_none = self._load_private(info)
        except SecretStoreUnavailable as exc:
            return info, None, str(exc)
        if key_or_none is None:
            return info, None, (
                f"The private key for {info.grouped} is not in this computer's keyring. Bundles are exported "
                "unsigned; create a new key with `vendoreval bundle whoami --new-key` (colleagues will have to "
                "trust the new key)."
            )
        return info, key_or_none, None

    def status(self) -> IdentityStatus:
        """The key the evaluator would sign with, or why there is none (creates the key on first use)."""
        info, key, problem = self.signing_key(create=True)
        return IdentityStatus(info if key is not None or info is not None else None, problem)

    def new_key(self) -> KeyInfo:
        """Replace the signing key with a fresh one (audit-logged); ServiceError without a keyring."""
        reason = self.ws.secrets.unavailable_reason()
        if reason:
            raise ServiceError(reason)
        try:
            info, _key = self._create()
        except SecretStoreUnavailable as exc:
            raise ServiceError(str(exc)) from None
        return info

    def sign(self, message: bytes) -> tuple[KeyInfo, bytes] | None:
        """Sign ``message`` with the evaluator's key; None when no key is usable."""
        info, key, _problem = self.signing_key(create=True)
        if info is None or key is None:
            return None
        return info, key.sign(message)
