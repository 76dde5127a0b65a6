"""Schema migrations (sqlite-utils Migrations); the schema version is also kept in PRAGMA user_version.

Never edit a released migration: add a new one and bump SCHEMA_VERSION, and save a fixture database
of the released version under tests/fixtures/.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database, Migrations

#: sqlite-utils' name of the set in its ``_sqlite_migrations`` table.
MIGRATION_SET = "vendoreval"
MIGRATIONS_TABLE = "_sqlite_migrations"
SCHEMA_VERSION = 15
#: The schema versions a released build wrote: each has a fixture database in tests/fixtures/. Versions
#: 3 to 7 were added by one round of work together and released only as version 8, so no database of
#: those versions exists anywhere.
RELEASED_SCHEMAS = (1, 2, 8, 11, 14, 15)

Migration = Callable[["Database"], None]
#: (name, function) of every migration in the order they apply. Registered here and handed to sqlite-utils'
#: Migrations only when one is pending (``migration_set``), so opening a current workspace imports no
#: sqlite-utils (store/connection.py).
_REGISTERED: list[tuple[str, Migration]] = []


def _migration(name: str) -> Callable[[Migration], Migration]:
    def register(fn: Migration) -> Migration:
        _REGISTERED.append((name, fn))
        return fn

    return register


def migration_names() -> tuple[str, ...]:
    """The names of this build's migrations, in order."""
    return tuple(name for name, _fn in _REGISTERED)


_SET: list[Migrations] = []


def migration_set() -> Migrations:
    """sqlite-utils' Migrations with every migration of this build (made once, on first use)."""
    if not _SET:
        from sqlite_utils import Migrations

        migrations = Migrations(MIGRATION_SET)
        for name, fn in _REGISTERED:
            migrations(name=name)(fn)
        _SET.append(migrations)
    return _SET[0]

_SCHEMA_1 = """
CREATE TABLE vendors (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  product TEXT NOT NULL DEFAULT '',
  website TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  decision TEXT NOT NULL DEFAULT 'not_started',
  conditions TEXT NOT NULL DEFAULT '[]',
  archived INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX idx_vendors_name ON vendors(name COLLATE NOCASE);

CREATE TABLE claims (
  id TEXT PRIMARY KEY,
  vendor_id TEXT NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
  text TEXT NOT NULL,
  source_kind TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  page TEXT NOT NULL DEFAULT '',
  said_on TEXT,
  said_to TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  status_note TEXT NOT NULL DEFAULT '',
  criteria TEXT NOT NULL DEFAULT '[]',
  evidence_ids TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX idx_claims_vendor ON claims(vendor_id);

CREATE TABLE evidence (
  id TEXT PRIMARY KEY,
  vendor_id TEXT NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  sha256 TEXT,
  original_name TEXT,
  size INTEGER,
  url TEXT,
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE INDEX idx_evidence_vendor ON evidence(vendor_id);

CREATE TABLE rubric_versions (
  content_hash TEXT PRIMARY KEY,
  rubric_id TEXT NOT NULL,
  version TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  added_at TEXT NOT NULL,
  origin TEXT NOT NULL DEFAULT 'shipped'
);
CREATE INDEX idx_rubric_versions_id ON rubric_versions(rubric_id, version);

CREATE TABLE scorecards (
  id TEXT PRIMARY KEY,
  vendor_id TEXT NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
  rubric_id TEXT NOT NULL,
  rubric_version TEXT NOT NULL,
  rubric_hash TEXT NOT NULL REFERENCES rubric_versions(content_hash),
  evaluator TEXT NOT NULL,
  evaluator_key TEXT,
  status TEXT NOT NULL DEFAULT 'draft',
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  submitted_at TEXT
);
CREATE INDEX idx_scorecards_vendor ON scorecards(vendor_id, rubric_id);

CREATE TABLE scores (
  scorecard_id TEXT NOT NULL REFERENCES scorecards(id) ON DELETE CASCADE,
  criterion_id TEXT NOT NULL,
  answer TEXT NOT NULL,
  level INTEGER,
  figure REAL,
  strength TEXT,
  rationale TEXT NOT NULL DEFAULT '',
  claim_ids TEXT NOT NULL DEFAULT '[]',
  evidence_ids TEXT NOT NULL DEFAULT '[]',
  updated_at TEXT NOT NULL,
  PRIMARY KEY (scorecard_id, criterion_id)
);

CREATE TABLE agreed_scores (
  vendor_id TEXT NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
  rubric_id TEXT NOT NULL,
  rubric_hash TEXT NOT NULL,
  criterion_id TEXT NOT NULL,
  answer TEXT NOT NULL,
  level INTEGER,
  strength TEXT,
  rationale TEXT NOT NULL DEFAULT '',
  agreed_by TEXT NOT NULL DEFAULT '',
  agreed_at TEXT NOT NULL,
  PRIMARY KEY (vendor_id, rubric_hash, criterion_id)
);

CREATE TABLE audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  vendor_id TEXT,
  field TEXT NOT NULL DEFAULT '',
  old TEXT,
  new TEXT,
  summary TEXT NOT NULL DEFAULT ''
);
CREATE INDEX idx_audit_vendor ON audit(vendor_id, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE weight_profiles (
  name TEXT PRIMARY KEY,
  description TEXT NOT NULL DEFAULT '',
  rubric_weights TEXT NOT NULL DEFAULT '{}',
  criterion_weights TEXT NOT NULL DEFAULT '{}',
  builtin INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE trusted_keys (
  fingerprint TEXT PRIMARY KEY,
  public_key TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  trusted_at TEXT NOT NULL
);
"""


@_migration("0001_initial")
def m0001_initial(db: Database) -> None:
    """Schema 1: vendors, claims, evidence, rubric snapshots, scorecards, scores, audit, profiles."""
    for statement in _split(_SCHEMA_1):
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")


@_migration("0002_scorecard_owner")
def m0002_scorecard_owner(db: Database) -> None:
    """Schema 2: each scorecard records the key that owns it (the only key whose bundles may replace it).

    A scorecard stamped with an evaluator key came from that key's bundle and is owned by it; every other
    existing scorecard is owned by no key, so no bundle replaces it (see docs/bundles.md).
    """
    db.execute("ALTER TABLE scorecards ADD COLUMN owner_key TEXT")
    db.execute("UPDATE scorecards SET owner_key = evaluator_key WHERE evaluator_key IS NOT NULL")
    db.execute("PRAGMA user_version = 2")


#: Tables whose rows users edit in place: each row carries a revision, raised by one on every write, so
#: that an edit made on a stale copy is refused instead of overwriting a newer value (services.workspace).
REVISED_TABLES = ("vendors", "claims", "evidence", "scorecards", "scores", "agreed_scores", "weight_profiles",
                  "settings")


@_migration("0003_revisions")
def m0003_revisions(db: Database) -> None:
    """Schema 3: a revision on every record users edit; existing rows start at 1."""
    for table in REVISED_TABLES:
        db.execute(f"ALTER TABLE {table} ADD COLUMN revision INTEGER NOT NULL DEFAULT 1")
    _raise_user_version(db, 3)


_SCHEMA_4 = """
CREATE TABLE engagement_contexts (
  vendor_id TEXT PRIMARY KEY REFERENCES vendors(id) ON DELETE CASCADE,
  answers TEXT NOT NULL DEFAULT '{}',
  updated_at TEXT NOT NULL
);
"""


@_migration("0004_engagement_context")
def m0004_engagement_context(db: Database) -> None:
    """Schema 4: each vendor's engagement-context answers (no row: nothing answered, every criterion applies).

    A table of its own rather than a column on ``vendors``: the vendor row, its revision stamp and every
    writer that copies vendors (bundles, merges, undo snapshots) stay as they were; a deleted vendor's
    answers go with it (cascade). The answers are one JSON object of the answered keys only
    (``{"gpai-model": "none", "markets": ["eu"]}``), so a question added to domain/context.py needs no
    migration; an absent key is an unanswered question.

    Registered in number order, so a new database runs it before 0008; a database written by a build
    that already had 0008 (released schema 8) runs it after, so the version is raised to 4, never lowered.
    """
    for statement in _split(_SCHEMA_4):
        db.execute(statement)
    if int(db.execute("PRAGMA user_version").fetchone()[0]) < 4:
        db.execute("PRAGMA user_version = 4")


@_migration("0008_supply_chain_ageing")
def m0008_supply_chain_ageing(db: Database) -> None:
    """Schema 8: the models behind each vendor's product, imported public baselines (FMTI editions), and
    the dates that make claims and evidence age.

    Baselines are reference data about foundation-model developers, not vendors: they have tables of
    their own and never appear in vendor lists, totals or bundles. The review dates are kept beside the
    records they date (no foreign key: a deleted record restored by undo finds its dates again).
    """
    db.execute("""CREATE TABLE vendor_models (
  id TEXT PRIMARY KEY,
  vendor_id TEXT NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  version TEXT NOT NULL DEFAULT '',
  own INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
)""")
    db.execute("CREATE INDEX idx_vendor_models_vendor ON vendor_models(vendor_id)")
    db.execute("""CREATE TABLE baseline_editions (
  edition TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  rubric_id TEXT NOT NULL,
  rubric_version TEXT NOT NULL,
  source TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  imported_at TEXT NOT NULL
)""")
    db.execute("""CREATE TABLE baseline_scores (
  edition TEXT NOT NULL REFERENCES baseline_editions(edition) ON DELETE CASCADE,
  developer TEXT NOT NULL,
  indicator TEXT NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY (edition, developer, indicator)
)""")
    db.execute("""CREATE TABLE evidence_dates (
  evidence_id TEXT PRIMARY KEY,
  effective_on TEXT,
  valid_until TEXT,
  updated_at TEXT NOT NULL
)""")
    db.execute("""CREATE TABLE claim_reviews (
  claim_id TEXT PRIMARY KEY,
  review_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
)""")
    db.execute("""CREATE TABLE vendor_cadence (
  vendor_id TEXT PRIMARY KEY,
  months INTEGER NOT NULL,
  updated_at TEXT NOT NULL
)""")
    db.execute("""CREATE TABLE recheck_confirmations (
  scorecard_id TEXT NOT NULL,
  criterion_id TEXT NOT NULL,
  trigger_key TEXT NOT NULL,
  confirmed_at TEXT NOT NULL,
  actor TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (scorecard_id, criterion_id, trigger_key)
)""")
    db.execute("PRAGMA user_version = 8")


_SCHEMA_10 = """
CREATE TABLE conditions (
  id TEXT PRIMARY KEY,
  vendor_id TEXT NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  text TEXT NOT NULL,
  current TEXT NOT NULL DEFAULT '',
  target TEXT NOT NULL DEFAULT '',
  walk_away TEXT NOT NULL DEFAULT '',
  owner TEXT NOT NULL DEFAULT '',
  origin TEXT NOT NULL DEFAULT 'manual',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX idx_conditions_number ON conditions(vendor_id, number);
CREATE TABLE condition_drops (
  vendor_id TEXT NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  text TEXT NOT NULL DEFAULT '',
  dropped_at TEXT NOT NULL,
  actor TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (vendor_id, key)
);
"""


@_migration("0010_conditions")
def m0010_conditions(db: Database) -> None:
    """Schema 10: conditions to negotiate become records (number, current -> target -> walk-away, owner,
    origin), and the proposals a user dropped are remembered.

    Each vendor's plain-text conditions (the JSON list in ``vendors.conditions``) become records numbered
    1..N in their order, origin 'manual', dated the vendor's last change; the column is then emptied
    ('[]') and no longer written: the records are the conditions (``Vendor.conditions`` reads their texts).
    """
    import json
    import uuid

    for statement in _split(_SCHEMA_10):
        db.execute(statement)
    rows = db.execute("SELECT id, conditions, updated_at FROM vendors ORDER BY id").fetchall()
    for vendor_id, raw, updated_at in rows:
        try:
            texts = json.loads(raw or "[]")
        except ValueError:
            texts = []
        texts = [t.strip() for t in texts if isinstance(t, str) and t.strip()] if isinstance(texts, list) else []
        for number, text in enumerate(texts, start=1):
            db.execute("INSERT INTO conditions (id, vendor_id, number, text, origin, created_at, updated_at, revision) "
                       "VALUES (?, ?, ?, ?, 'manual', ?, ?, 1)",
                       [str(uuid.uuid4()), vendor_id, number, text, updated_at, updated_at])
    db.execute("UPDATE vendors SET conditions = '[]' WHERE conditions != '[]'")
    _raise_user_version(db, 10)
@_migration("0011_commercials_risks")
def m0011_commercials_risks(db: Database) -> None:
    """Schema 11: each vendor's commercial terms, and what users wrote on the derived risks.

    Amounts are kept as decimal text (never REAL: a total cost must add up to the cent). The risks
    themselves are derived (domain/risks.py) and never stored; a note is keyed by (kind, vendor,
    criterion) with no foreign key, so it comes back when its cause does (the vendor id is '' for the
    evaluation as a whole: doing nothing).
    """
    db.execute("""CREATE TABLE commercials (
  vendor_id TEXT PRIMARY KEY REFERENCES vendors(id) ON DELETE CASCADE,
  pricing_model TEXT NOT NULL DEFAULT '',
  one_off TEXT,
  annual TEXT,
  exit_cost TEXT,
  currency TEXT,
  term_months INTEGER,
  renewal TEXT,
  notice_months INTEGER,
  updated_at TEXT NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1
)""")
    db.execute("""CREATE TABLE risk_notes (
  kind TEXT NOT NULL,
  vendor_id TEXT NOT NULL,
  criterion TEXT NOT NULL DEFAULT '',
  owner TEXT NOT NULL DEFAULT '',
  mitigation TEXT NOT NULL DEFAULT '',
  residual TEXT NOT NULL DEFAULT '',
  impact INTEGER,
  likelihood INTEGER,
  updated_at TEXT NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (kind, vendor_id, criterion)
)""")
    _raise_user_version(db, 11)


@_migration("0012_claim_rejections")
def m0012_claim_rejections(db: Database) -> None:
    """Schema 12: the candidate claims a reviewer rejected, so the claim finder does not propose them again.

    A rejection is keyed by the vendor and the SHA-256 of the sentence's normalised text (white space
    collapsed, case folded), so the same sentence in a later copy of the deck stays left out; the
    document it was rejected in is kept by its SHA-256. ``outcome`` is 'rejected', or 'edited' for a
    candidate accepted in other words (the claim's text is not the sentence, so it is remembered here).
    """
    db.execute("""CREATE TABLE claim_rejections (
  vendor_id TEXT NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
  text_sha256 TEXT NOT NULL,
  document_sha256 TEXT NOT NULL DEFAULT '',
  rejected_at TEXT NOT NULL,
  outcome TEXT NOT NULL DEFAULT 'rejected',
  PRIMARY KEY (vendor_id, text_sha256)
)""")
    _raise_user_version(db, 12)


@_migration("0014_business_case")
def m0014_business_case(db: Database) -> None:
    """Schema 14: the business case beside each vendor's commercial terms — its product category, the use
    case, the expected benefit and the claim that benefit rests on (Board paper: "why, in words")."""
    for column in ("category", "use_case", "benefit", "benefit_claim"):
        db.execute(f"ALTER TABLE commercials ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    _raise_user_version(db, 14)


@_migration("0015_record_owners")
def m0015_record_owners(db: Database) -> None:
    """Schema 15 (bundle format 2): who owns each shared record, colleagues' decisions, and revisions on the
    engagement contexts and the models (the only shared records that had none).

    ``record_owners`` names the key that owns a record by (entity, key): the only key whose bundles may
    replace it (docs/bundles.md, "Who may change what"). A record without a row was made here and is owned
    by this workspace's own key; owner '' is a record that came in an unsigned bundle: no bundle replaces
    it. ``revision`` is the revision the owner last sent: only a higher one replaces the record, whatever
    local edits did to the stored copy's own revision. No foreign key: an owner row outlives an undo that
    removes and restores its record.
    ``decision_positions`` holds the decisions colleagues took on a vendor, one per key: they are shown
    beside the vendor's decision, which only this workspace takes (docs/bundles.md, "The decision rule").
    """
    db.execute("""CREATE TABLE record_owners (
  entity TEXT NOT NULL,
  record_key TEXT NOT NULL,
  owner TEXT NOT NULL,
  revision INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (entity, record_key)
)""")
    db.execute("""CREATE TABLE decision_positions (
  vendor_id TEXT NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
  owner TEXT NOT NULL,
  decided_by TEXT NOT NULL DEFAULT '',
  decision TEXT NOT NULL,
  conditions TEXT NOT NULL DEFAULT '[]',
  decided_at TEXT NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (vendor_id, owner)
)""")
    for table in ("engagement_contexts", "vendor_models"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN revision INTEGER NOT NULL DEFAULT 1")
    _raise_user_version(db, 15)


def _raise_user_version(db: Database, version: int) -> None:
    """Set PRAGMA user_version to ``version`` unless it is higher already (a migration numbered below one
    already applied, added in the same round, must not lower it)."""
    current = int(db.execute("PRAGMA user_version").fetchone()[0])
    db.execute(f"PRAGMA user_version = {max(current, int(version))}")


def _split(script: str) -> list[str]:
    """Split a schema script into statements (triggers keep their inner semicolons)."""
    out, buf = [], []
    for line in script.strip().splitlines():
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and (not joined.upper().startswith("CREATE TRIGGER") or joined.endswith("END;")):
            out.append(joined)
            buf = []
    if "".join(buf).strip():
        out.append("\n".join(buf))
    return out
