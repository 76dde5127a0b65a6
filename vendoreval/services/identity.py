"""The evaluator's signing identity: an Ed25519 key pair, private half only in the secret store."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain.models import utc_now
from ..secrets import SecretStoreUnavailable
from .workspace import ServiceError

# cryptography and exchange.bundle are imported where a key is used, not on import: every workspace
# imports this module (scorecards name their owner key) and launching the app signs nothing (~0.1 s CPU,
# benchmarks/bench_launch.py). PyInstaller follows imports inside functions too (build.spec).
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from .workspace import Workspace

SETTING_PUBLIC_KEY = "identity.public_key"
SETTING_FINGERPRINT = "identity.fingerprint"
#: Hand-over statements signed by this evaluator's earlier keys (plain dicts of ``exchange.bundle.Handover``).
SETTING_HANDOVERS = "identity.handovers"
#: The settings that say who this workspace's evaluator is: never taken from another workspace's file.
IDENTITY_SETTINGS = (SETTING_FINGERPRINT, SETTING_PUBLIC_KEY, SETTING_HANDOVERS)

# Ed25519 (RFC 8032): the curve -x^2 + y^2 = 1 + d x^2 y^2 over GF(2^255 - 19).
_P = 2**255 - 19
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)


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


def _decode_point(raw: bytes) -> tuple[int, int] | None:
    """The curve point (x, y) a 32-byte Ed25519 public key encodes (RFC 8032 5.1.3), or None."""
    y = int.from_bytes(raw, "little")
    sign, y = y >> 255, y & ((1 << 255) - 1)
    if y >= _P:
        return None
    u, v = (y * y - 1) % _P, (_D * y * y + 1) % _P
    x2 = u * pow(v, _P - 2, _P) % _P
    if x2 == 0:
        return None if sign else (0, y)
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P:
        x = x * _SQRT_M1 % _P
        if (x * x - x2) % _P:
            return None
    if x & 1 != sign:
        x = _P - x
    return x, y


def _small_order(x: int, y: int) -> bool:
    """True when 8 * (x, y) is the neutral point: such a 'key' lets anyone make signatures that verify."""
    point = (x, y, 1, x * y % _P)
    for _ in range(3):
        x1, y1, z1, t1 = point
        a, b = (y1 - x1) * (y1 - x1) % _P, (y1 + x1) * (y1 + x1) % _P
        c, d = 2 * t1 * t1 * _D % _P, 2 * z1 * z1 % _P
        e, f, g, h = b - a, d - c, d + c, b + a
        point = (e * f % _P, g * h % _P, f * g % _P, e * h % _P)
    return point[0] == 0 and (point[1] - point[2]) % _P == 0


def key_problem(fp: str, public_key: str) -> str | None:
    """Why ``public_key`` (base64) cannot be trusted as the key with fingerprint ``fp``; None when it can.

    Refused: text that is not base64, a length other than 32 bytes, bytes that are not a point of the
    Ed25519 curve (or a point of small order, which anyone could sign for), a fingerprint that is not
    the SHA-256 of the key.
    """
    try:
        raw = base64.b64decode(public_key, validate=True)
    except (ValueError, TypeError):
        return "its public key is not valid base64"
    if len(raw) != 32:
        return f"its public key has {len(raw)} bytes; an Ed25519 public key has 32"
    point = _decode_point(raw)
    if point is None or _small_order(*point):
        return "its public key is not a valid Ed25519 public key"
    if fingerprint(raw) != str(fp).strip().lower():
        return f"its fingerprint {str(fp)[:16]}… is not the SHA-256 of its public key"
    return None


def normalise_fingerprint(text: str) -> str:
    """A fingerprint as typed (groups, spaces, colons, any case) as lowercase hex; ServiceError if it is not one."""
    hexdigits = "".join(ch for ch in text if ch not in " :-\t").lower()
    if len(hexdigits) < 32 or len(hexdigits) > 64 or any(ch not in "0123456789abcdef" for ch in hexdigits):
        raise ServiceError(
            f"'{text}' is not a key fingerprint: give the 64 hex digits shown as 'Full key fingerprint' "
            "(or at least the first 32, as grouped by `bundle whoami`)."
        )
    return hexdigits


def fingerprint_matches(typed: str, fp: str) -> bool:
    """True when ``typed`` (normalised, at least 32 hex digits) is ``fp`` or the start of it."""
    return fp.startswith(typed)


def verify(public_key: bytes, signature: bytes, message: bytes) -> bool:
    """True when ``signature`` is a valid Ed25519 signature of ``message`` by ``public_key``."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def sign_handover(old: KeyInfo, old_key: Ed25519PrivateKey, new_fingerprint: str, name: str,
                  at: str) -> dict[str, str]:
    """A hand-over statement: ``old`` signs that the key ``new_fingerprint`` takes over its scorecards."""
    from ..exchange.bundle import Handover

    handover = Handover(old_fingerprint=old.fingerprint, old_public_key=old.public_key,
                        new_fingerprint=new_fingerprint, name=name, created_at=at)
    handover.signature = old_key.sign(handover.signing_message()).hex()
    return handover.model_dump(mode="json")


def own_fingerprint(ws: Workspace) -> str | None:
    """This workspace's signing key fingerprint (the owner of scorecards made here), None without a key."""
    info = IdentityService(ws).public()
    return info.fingerprint if info is not None else None


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
        """The public key recorded in the workspace settings, if any and valid (touches no keyring)."""
        settings = self.ws.store.settings()
        fp, pk = settings.get(SETTING_FINGERPRINT), settings.get(SETTING_PUBLIC_KEY)
        if not fp or not pk or key_problem(str(fp), str(pk)) is not None:
            return None
        return KeyInfo(str(fp), str(pk), self.ws.evaluator)

    def handovers(self) -> list[dict[str, str]]:
        """The hand-over statements this evaluator's earlier keys signed (oldest first), as stored."""
        stored = self.ws.store.settings().get(SETTING_HANDOVERS)
        return [dict(h) for h in stored if isinstance(h, dict)] if isinstance(stored, list) else []

    def _load_private(self, info: KeyInfo) -> Ed25519PrivateKey | None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

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
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

        key = Ed25519PrivateKey.generate()
        pub = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        info = KeyInfo(fingerprint(pub), base64.b64encode(pub).decode("ascii"), self.ws.evaluator)
        secret = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        old = self.public()
        old_key = self._load_private(old) if old is not None else None
        # The keyring first: settings must never name a key whose private half was not stored.
        self.ws.secrets.set(_secret_name(info.fingerprint), base64.b64encode(secret).decode("ascii"))
        handovers = self.handovers()
        if old is not None and old_key is not None:
            # The old key says, in its own signature, that the new one takes over its scorecards.
            handovers.append(sign_handover(old, old_key, info.fingerprint, self.ws.evaluator, utc_now()))
        with self.ws.unit_of_work() as uow:
            self.ws.store.set_setting(SETTING_FINGERPRINT, info.fingerprint)
            self.ws.store.set_setting(SETTING_PUBLIC_KEY, info.public_key)
            if old is not None:
                self.ws.store.set_setting(SETTING_HANDOVERS, handovers)
                moved = self.ws.store.move_scorecard_owner(old.fingerprint, info.fingerprint)
                if moved:
                    uow.audit("handover", "identity", info.fingerprint, field="owner key", old=old.fingerprint,
                              new=info.fingerprint, summary=f"{moved} of your scorecards now belong to the new key")
                    uow.changed("scorecard", "*")
            uow.audit("create", "identity", info.fingerprint, field="signing key",
                      old=old.fingerprint if old else None, new=info.fingerprint,
                      summary=f"Created signing key {info.grouped}"
                              + (" (hand-over signed by the old key)" if old is not None and old_key is not None
                                 else ""))
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
