"""Weight profiles: named rubric (and criterion) weights used to rank vendors."""

from __future__ import annotations

from ...domain.models import WeightProfile
from ..mappers import weight_profile_from_row, weight_profile_row
from .base import Repository


class WeightProfileRepository(Repository):
    """The ``weight_profiles`` table."""

    def weight_profiles(self) -> list[WeightProfile]:
        """Stored weight profiles by name."""
        rows = self._rows("SELECT * FROM weight_profiles ORDER BY builtin DESC, name")
        return [weight_profile_from_row(r) for r in rows]

    def weight_profile_names(self) -> set[str]:
        """The names of the stored weight profiles (no profile is read: the app's start asks only this)."""
        return {str(r[0]) for r in self.db.execute("SELECT name FROM weight_profiles").fetchall()}

    def save_weight_profile(self, profile: WeightProfile) -> None:
        """Insert or replace a weight profile."""
        self._upsert("weight_profiles", weight_profile_row(profile), ("name",))

    def delete_weight_profile(self, name: str) -> None:
        """Delete a weight profile."""
        self.db.execute("DELETE FROM weight_profiles WHERE name = ?", [name])
