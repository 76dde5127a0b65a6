"""Weight profiles: the shipped ones (balanced, compliance first, capability first) and the user's own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError

from ..domain.models import WeightProfile, weight_problems
from .vendors import validation_message
from .workspace import NotFound, ServiceError, check_fresh, on_latest

if TYPE_CHECKING:
    from .workspace import Workspace

BALANCED = "balanced"

#: The names of the shipped profiles (``builtin_profiles()`` in this order).
BUILTIN_PROFILE_NAMES = (BALANCED, "compliance first", "capability first")


def builtin_profiles() -> list[WeightProfile]:
    """The shipped profiles, made when asked for: validating a model on import would build pydantic's
    validator on every start of the app (benchmarks/bench_launch.py), which stores them only once."""
    return [
        WeightProfile(name=BALANCED, description="Every rubric weighs the same.", builtin=True),
        WeightProfile(
            name="compliance first",
            description="GDPR, copyright and the AI Act weigh three times as much as the rest.",
            rubric_weights={"gdpr": 3.0, "copyright": 3.0, "ai-act": 3.0, "training-data": 1.0,
                            "capabilities": 1.0, "viability": 1.0, "fmti": 1.0, "ai-security": 1.0},
            builtin=True,
        ),
        WeightProfile(
            name="capability first",
            description="Capabilities and training data weigh three times as much as the rest.",
            rubric_weights={"capabilities": 3.0, "training-data": 3.0, "gdpr": 1.0, "copyright": 1.0,
                            "ai-act": 1.0, "viability": 1.0, "fmti": 1.0, "ai-security": 1.0},
            builtin=True,
        ),
    ]


class ProfileService:
    """Named sets of rubric and criterion weights."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def ensure_builtin(self) -> None:
        """Store the shipped profiles when the workspace lacks them (one transaction)."""
        have = self.ws.store.weight_profile_names()
        if have.issuperset(BUILTIN_PROFILE_NAMES):
            return
        missing = [p for p in builtin_profiles() if p.name not in have]
        if missing:
            with self.ws.unit_of_work():
                for p in missing:
                    self.ws.store.save_weight_profile(p)

    def list(self) -> list[WeightProfile]:
        """All profiles, shipped first."""
        return self.ws.store.weight_profiles()

    def get(self, name: str | None) -> WeightProfile:
        """A profile by name (case-insensitive); None gives 'balanced'."""
        wanted = (name or BALANCED).strip().casefold()
        for p in self.list():
            if p.name.casefold() == wanted:
                return p
        raise NotFound(f"No weight profile named '{name}'. Known: {', '.join(p.name for p in self.list())}.")

    def _named(self, name: str) -> WeightProfile | None:
        return {p.name.casefold(): p for p in self.list()}.get(name.casefold())

    @on_latest
    def save(self, profile: WeightProfile, *, expected_revision: int | None = None) -> WeightProfile:
        """Create or replace a user profile (shipped profiles are not overwritten).

        ``expected_revision``: the revision of the profile the weights were edited on (0: a new name);
        StaleEdit when it was saved elsewhere since.
        """
        try:
            profile = WeightProfile.model_validate(profile.model_dump())
        except ValidationError as exc:
            raise ServiceError(f"Invalid weight profile: {validation_message(exc)}") from None
        too_big = weight_problems(profile)
        if too_big:
            raise ServiceError(f"Invalid weight profile: {'; '.join(too_big)}")
        old = self._named(profile.name)
        if old is not None and old.builtin:
            raise ServiceError(f"'{old.name}' is a shipped profile; save your weights under another name.")
        what = f"The weight profile {profile.name}"
        if expected_revision is not None:
            check_fresh(old, expected_revision, what)
        profile = profile.model_copy(update={"builtin": False, "revision": 1 if old is None else old.revision + 1})
        with self.ws.unit_of_work() as uow:
            check_fresh(self._named(profile.name), 0 if old is None else old.revision, what)  # under the lock
            self.ws.store.save_weight_profile(profile)
            uow.audit("profile", "weight_profile", profile.name,
                      old=None if old is None else old.model_dump_json(),
                      new=profile.model_dump_json(), summary=f"Saved weight profile {profile.name}")
            uow.changed("weight_profile", profile.name)
        return profile

    def delete(self, name: str) -> None:
        """Delete a user profile."""
        profile = self.get(name)
        if profile.builtin:
            raise ServiceError(f"'{profile.name}' is a shipped profile and cannot be deleted.")
        with self.ws.unit_of_work() as uow:
            self.ws.store.delete_weight_profile(profile.name)
            uow.audit("profile", "weight_profile", profile.name, old=profile.model_dump_json(),
                      summary=f"Deleted weight profile {profile.name}")
            uow.changed("weight_profile", profile.name)
