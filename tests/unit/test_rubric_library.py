"""The shipped rubric library: every file valid, complete, consistent, and every cited source explained."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from vendoreval.domain.rubric import Rubric, ScaleKind, load_rubric_file, loads_rubric

REPO = Path(__file__).resolve().parents[2]
RUBRICS = REPO / "rubrics"
SOURCES_DOC = REPO / "docs" / "sources.md"
FILES = sorted(RUBRICS.glob("*.toml"))

EXPECTED = {
    "training-data.toml": ("training-data", "Training data"),
    "capabilities.toml": ("capabilities", "Capabilities"),
    "gdpr.toml": ("gdpr", "GDPR"),
    "copyright.toml": ("copyright", "Copyright"),
    "ai-act.toml": ("ai-act", "EU AI Act"),
    "viability.toml": ("viability", "Viability"),
    "ai-security.toml": ("ai-security", "AI security"),
    "fmti-2025-12.toml": ("fmti", "Transparency"),
    "fmti-v1.toml": ("fmti", "Transparency"),
}


def load(name: str) -> Rubric:
    return load_rubric_file(RUBRICS / name)


def library() -> list[Rubric]:
    return [load_rubric_file(p) for p in FILES]


def test_the_library_has_the_expected_files() -> None:
    assert {p.name for p in FILES} >= set(EXPECTED)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_file_loads_and_validates(path: Path) -> None:
    rubric = load_rubric_file(path)
    assert len(rubric.criteria) >= 8
    ids = rubric.criterion_ids()
    assert len(ids) == len(set(ids))
    if path.name in EXPECTED:
        assert (rubric.id, rubric.area) == EXPECTED[path.name]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_files_do_not_depend_on_the_shared_folder(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "include" not in re.findall(r"^\s*(\w+)\s*=", text, flags=re.M)
    assert "../shared" not in text


def test_rubric_versions_are_unique() -> None:
    keys = [(r.id, r.version) for r in library()]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("name", [n for n in EXPECTED if not n.startswith("fmti")])
def test_hand_written_rubrics_are_complete(name: str) -> None:
    """Every criterion has a question, guidance, anchored levels and (nearly always) a source."""
    rubric = load(name)
    assert rubric.description
    for c in rubric.criteria:
        assert len(c.question) >= 40, f"{c.id}: question too short to send to a vendor"
        assert len(c.guidance) >= 150, f"{c.id}: guidance too thin"
        assert c.group, c.id
        descriptions = [lv.description for lv in c.scale.levels]
        assert len(set(descriptions)) == len(descriptions), f"{c.id}: levels not distinct"
        if c.scale.kind is ScaleKind.ORDINAL:
            assert c.scale.top == 4, c.id
        if c.knockout_below is not None:
            assert c.knockout_reason, c.id
    with_sources = sum(1 for c in rubric.criteria if c.sources)
    assert with_sources >= len(rubric.criteria) - 5


# ---------------------------------------------------------------------------------------------
# FMTI


def test_fmti_has_two_versions_of_100_binary_equal_weight_indicators() -> None:
    versions = {r.version: r for r in library() if r.id == "fmti"}
    assert set(versions) == {"2025.12", "1.1"}
    for rubric in versions.values():
        assert len(rubric.criteria) == 100
        assert {c.scale.kind for c in rubric.criteria} == {ScaleKind.BINARY}
        assert {c.weight for c in rubric.criteria} == {1.0}
        assert rubric.attribution and "CC BY" in rubric.attribution
        assert "Stanford CRFM" in rubric.attribution and "2310.12941" in rubric.attribution
        assert "github.com/stanford-crfm/fmti" in rubric.attribution
        assert rubric.license == "CC BY 4.0"
        for c in rubric.criteria:
            assert c.title == c.title.strip()
            assert re.fullmatch(r"[a-z0-9][a-z0-9_-]*", c.id), c.id
            assert c.group and " / " in c.group
    assert versions["2025.12"].criterion("crawling").title == "Crawling"
    assert versions["1.1"].criterion("data-creators").title == "Data creators"


# ---------------------------------------------------------------------------------------------
# specific rules


def test_training_tokens_map_to_the_eu_template_bands() -> None:
    scale = load("training-data.toml").criterion("text-tokens").scale
    assert scale.kind is ScaleKind.NUMERIC and scale.unit == "tokens"
    assert scale.thresholds == [1e9, 1e13]
    assert [lv.label for lv in scale.levels] == ["< 1 billion", "1 billion–10 trillion", "> 10 trillion"]
    assert scale.level_for_figure(5e8) == 0
    assert scale.level_for_figure(2e9) == 1
    assert scale.level_for_figure(2e13) == 2
    # the template's middle band "1 billion to 10 trillion tokens" is closed at both ends
    assert scale.level_for_figure(1e9) == 1
    assert scale.level_for_figure(1e13) == 1
    assert scale.level_for_figure(1.0000001e13) == 2


def test_training_images_map_to_the_eu_template_bands() -> None:
    scale = load("training-data.toml").criterion("image-count").scale
    assert scale.thresholds == [1e6, 1e9]
    assert [lv.label for lv in scale.levels] == ["< 1 million", "1 million–1 billion", "> 1 billion"]
    assert [scale.level_for_figure(f) for f in (5e5, 2e6, 2e9)] == [0, 1, 2]
    assert [scale.level_for_figure(f) for f in (1e6, 1e9)] == [1, 1]


@pytest.mark.parametrize("criterion_id", ["audio-hours", "video-hours"])
def test_training_hours_keep_both_boundaries_in_the_middle_band(criterion_id: str) -> None:
    scale = load("training-data.toml").criterion(criterion_id).scale
    assert scale.thresholds == [1e4, 1e6]
    assert [scale.level_for_figure(f) for f in (9_999, 1e4, 5e5, 1e6, 1_000_001)] == [0, 1, 1, 1, 2]


def test_knockouts_on_the_dpa_and_the_copyright_policy() -> None:
    dpa = load("gdpr.toml").criterion("dpa")
    # a DPA with gaps (level 1) misses Art. 28(3) and does not pass; level 2 must cover (a)-(h)
    assert dpa.knockout_below == 2 and dpa.knockout_reason
    assert dpa.scale.levels[1].label == "Gaps"
    assert "report only" not in dpa.scale.levels[2].description
    assert "inspections" in dpa.scale.levels[2].description
    policy = load("copyright.toml").criterion("copyright-policy")
    assert policy.knockout_below == 1 and policy.knockout_reason
    assert "provides its own general-purpose AI model" in policy.knockout_reason
    assert load("ai-act.toml").criterion("prohibited-practices").knockout_below == 1


APPLIES_WHEN = {
    # the law reaches these criteria only in some engagement contexts
    # either of: Art. 53(1)(c) binds model providers; a vendor's own crawling or fine-tuning is TDM (DSM Art. 4(3))
    ("copyright.toml", "copyright-policy"): [{"gpai-model": ["own"]}, {"crawls-or-fine-tunes": ["yes"]}],
    ("ai-act.toml", "gpai-documentation"): {"gpai-model": ["third-party", "own"]},
    ("ai-act.toml", "training-summary"): {"gpai-model": ["third-party", "own"]},
    ("ai-act.toml", "code-of-practice"): {"gpai-model": ["third-party", "own"]},
    ("gdpr.toml", "dpa"): {"personal-data": ["processor"]},
    ("gdpr.toml", "sub-processors"): {"personal-data": ["processor"]},
    ("ai-act.toml", "synthetic-content-marking"): {"generates": ["text", "image", "audio", "video"]},
    ("ai-act.toml", "high-risk-deployer"): {"annex-iii": ["yes"]},
    ("ai-act.toml", "provider-switch"): {"annex-iii": ["yes"]},
    ("ai-act.toml", "affected-persons"): {"annex-iii": ["yes"]},
    ("training-data.toml", "ab-2013-disclosure"): {"markets": ["us-ca"],
                                                   "generates": ["text", "image", "audio", "video"]},
}


@pytest.mark.parametrize(("name", "criterion_id"), list(APPLIES_WHEN))
def test_criteria_declare_where_the_law_applies(name: str, criterion_id: str) -> None:
    assert load(name).criterion(criterion_id).applies_when == APPLIES_WHEN[(name, criterion_id)]


def test_every_knockout_outside_art5_is_limited_to_the_contexts_the_law_reaches() -> None:
    for path in FILES:
        for c in load_rubric_file(path).criteria:
            if c.knockout_below is not None and c.id != "prohibited-practices":  # Art. 5 binds everyone
                assert c.applies_when, f"{path.name}/{c.id}: a knock-out needs applies_when"


def test_one_scored_criterion_per_fact() -> None:
    ids = {(r.id, c.id) for r in library() for c in r.criteria}
    for gone in (("training-data", "customer-usage-data"), ("copyright", "licensed-content"),
                 ("copyright", "output-marking"), ("training-data", "crawling-opt-out")):
        assert gone not in ids, gone
    # the facts are still scored once, and the others point at them
    assert {("gdpr", "training-on-customer-data"), ("training-data", "licensed-data"),
            ("ai-act", "synthetic-content-marking"), ("copyright", "tdm-opt-outs")} <= ids
    refs = {ref for r in library() for c in r.criteria for ref in c.see_also}
    assert {"gdpr/training-on-customer-data", "training-data/licensed-data",
            "ai-act/synthetic-content-marking", "copyright/tdm-opt-outs"} <= refs


def test_see_also_points_at_criteria_that_exist() -> None:
    ids = {f"{r.id}/{c.id}" for r in library() for c in r.criteria}
    for r in library():
        for c in r.criteria:
            for ref in c.see_also:
                assert ref in ids, f"{r.id}/{c.id}: see_also {ref} does not exist"


def test_calibrated_anchors_have_a_worked_example_per_level() -> None:
    for name, cid in (("copyright.toml", "ip-indemnity"), ("copyright.toml", "output-ownership"),
                      ("training-data.toml", "own-model"),
                      ("ai-act.toml", "training-summary"),  # 'on schedule'
                      ("ai-act.toml", "roles-classification")):  # products on several models
        levels = load(name).criterion(cid).scale.levels
        assert all(lv.example for lv in levels), f"{cid}: every level needs a worked example"


def test_ip_indemnity_no_longer_cites_the_output_safeguards_measure() -> None:
    assert "GPAI Code of Practice, Copyright chapter, Measure 1.4" not in load("copyright.toml").criterion(
        "ip-indemnity").sources


def test_changed_rubrics_are_2026_12_with_a_dated_change_log() -> None:
    for name in ("ai-act.toml", "gdpr.toml", "copyright.toml", "training-data.toml", "ai-security.toml"):
        r = load(name)
        # copyright 2026.12.1: copyright-policy's 'either of' applies_when; ai-act 2026.12.1: worked examples,
        # 2026.12.2: Art. 4 as amended, the Art. 86 date as an inference, both Art. 50(2) exemptions
        assert r.version == {"copyright.toml": "2026.12.1", "ai-act.toml": "2026.12.2"}.get(name, "2026.12"), name
        assert r.law_reviewed_on == dt.date(2026, 12, 4 if name == "ai-act.toml" else 2)
        assert r.changelog and r.changelog[0].version == r.version and r.changelog[0].changes
        assert r.changelog[-1].version == "2026.12"


def test_omnibus_duties_are_tracked() -> None:
    duties = {(d.source, d.applies_from) for d in load("ai-act.toml").duties}
    assert ("EU AI Act Art. 111(4)", dt.date(2026, 12, 2)) in duties
    assert ("EU AI Act Art. 5", dt.date(2026, 12, 2)) in duties
    assert ("EU AI Act Art. 111(3)", dt.date(2027, 8, 2)) in duties
    assert ("EU AI Act Art. 113", dt.date(2027, 12, 2)) in duties
    text = " ".join(c.model_dump_json() for c in load("ai-act.toml").criteria)
    assert "politically agreed" not in text and "pending" not in text


def test_disclosed_no_where_no_is_good_news_or_not_applicable() -> None:
    top = load("gdpr.toml").criterion("training-on-customer-data")
    assert top.disclosed_no == top.scale.top
    training = load("training-data.toml")
    assert training.criterion("licensed-data").disclosed_no == 1
    assert training.criterion("image-count").disclosed_no == "not_applicable"


LEGAL_DATES = {
    ("gdpr.toml", "dpa"): dt.date(2018, 5, 25),
    ("ai-act.toml", "prohibited-practices"): dt.date(2025, 2, 2),
    ("ai-act.toml", "ai-literacy"): dt.date(2025, 2, 2),
    ("ai-act.toml", "training-summary"): dt.date(2025, 8, 2),
    ("ai-act.toml", "gpai-documentation"): dt.date(2025, 8, 2),
    ("ai-act.toml", "ai-interaction-disclosure"): dt.date(2026, 8, 2),
    ("ai-act.toml", "synthetic-content-marking"): dt.date(2026, 8, 2),
    ("ai-act.toml", "deployer-transparency"): dt.date(2026, 8, 2),
    ("ai-act.toml", "high-risk-deployer"): dt.date(2027, 12, 2),  # Digital Omnibus on AI
    ("copyright.toml", "copyright-policy"): dt.date(2025, 8, 2),
    ("copyright.toml", "tdm-opt-outs"): dt.date(2021, 6, 7),  # DSM Directive transposition
    ("gdpr.toml", "us-automated-decisions"): dt.date(2027, 1, 1),
    ("training-data.toml", "ab-2013-disclosure"): dt.date(2026, 1, 1),
}


@pytest.mark.parametrize(("name", "criterion_id"), list(LEGAL_DATES))
def test_duty_dates(name: str, criterion_id: str) -> None:
    assert load(name).criterion(criterion_id).duty_applies_from == LEGAL_DATES[(name, criterion_id)]


def test_every_gdpr_criterion_carries_the_gdpr_date() -> None:
    gdpr = [c for c in load("gdpr.toml").criteria if c.group not in ("US state laws",) and c.id != "eprivacy-marketing"]
    assert {c.duty_applies_from for c in gdpr} == {dt.date(2018, 5, 25)}


# ---------------------------------------------------------------------------------------------
# sources


def cited_sources() -> dict[str, set[str]]:
    """Source string -> the files citing it."""
    cited: dict[str, set[str]] = {}
    for path in FILES:
        rubric = load_rubric_file(path)
        for c in rubric.criteria:
            for source in c.sources:
                cited.setdefault(source, set()).add(path.name)
        for entry in rubric.changelog:  # the change log's sources and the tracked duties are explained too
            for source in entry.sources:
                cited.setdefault(source, set()).add(path.name)
        for duty in rubric.duties:
            cited.setdefault(duty.source, set()).add(path.name)
    return cited


def test_every_cited_source_is_listed_in_docs_sources() -> None:
    text = SOURCES_DOC.read_text(encoding="utf-8")
    missing = sorted(s for s in cited_sources() if f"`{s}`" not in text)
    assert not missing, f"add these to docs/sources.md: {missing}"


def test_docs_sources_lists_nothing_that_is_not_cited() -> None:
    text = SOURCES_DOC.read_text(encoding="utf-8")
    listed = set(re.findall(r"^- `([^`]+)`", text, flags=re.M))
    assert listed, "docs/sources.md lists sources as '- `exact string` — explanation'"
    assert listed == set(cited_sources())


def test_single_fmti_citations_name_real_indicators() -> None:
    names = {
        "FMTI 2025": {c.title for c in load("fmti-2025-12.toml").criteria},
        "FMTI v1.1": {c.title for c in load("fmti-v1.toml").criteria},
    }
    for source in cited_sources():
        m = re.fullmatch(r"(FMTI 2025|FMTI v1\.1): (.+)", source)
        if m:
            assert m.group(2) in names[m.group(1)], source


# "GDPR Art. 28(3)(a)", "GDPR Arts 15-22", "GDPR Art. 21(2)-(3)", "EU AI Act Art. 53(1)(b) and Annex XII"
ARTICLE = r"(GDPR|EU AI Act) (Art\.|Arts) \d+(\(\d+\))?(\([a-z]\))?(-\d+|-\(\d+\))?( and Annex [IVX]+)?"


def test_docs_sources_has_the_dates_table_as_of_the_review() -> None:
    text = SOURCES_DOC.read_text(encoding="utf-8")
    assert "as of 2 December 2026" in text
    for needle in ("| 2 December 2027 |", "| 2 August 2028 |", "| **2 December 2026** |", "Arts 51-56",
                   "Regulation (EU) 2026/1744", "not confirmed against the primary text", "ISO/IEC 27701:2025"):
        assert needle in text, needle
    assert "publication in the Official Journal pending" not in text


def test_article_citations_are_well_formed() -> None:
    for source in cited_sources():
        if source.startswith(("GDPR Art", "EU AI Act Art")):
            assert re.fullmatch(ARTICLE, source), source


def test_the_example_in_docs_rubric_format_is_valid() -> None:
    text = (REPO / "docs" / "rubric-format.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", text, flags=re.S)
    assert example is not None
    rubric = loads_rubric(example.group(1), "docs/rubric-format.md")
    assert rubric.criterion("dpa").knockout_below == 1
    assert rubric.criterion("text-tokens").scale.level_for_figure(2e9) == 1


def test_ai_security_weighs_1_in_every_shipped_profile() -> None:
    from vendoreval.services.profiles import builtin_profiles

    default = load("ai-security.toml").weight
    assert default == 1.0
    for profile in builtin_profiles():
        assert profile.rubric_weights.get("ai-security", default) == 1.0, profile.name
        assert len(profile.rubric_weights) in (0, 8), profile.name  # every shipped rubric id, or none


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_rubrics_validate_cli_passes_on_every_shipped_file(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from vendoreval.cli import main

    assert main(["rubrics", "validate", str(path)]) == 0
    assert "ok" in capsys.readouterr().out


@pytest.mark.parametrize("name", [n for n in EXPECTED if not n.startswith("fmti")])
def test_every_hand_written_criterion_has_a_crosswalk(name: str) -> None:
    for c in load(name).criteria:
        frameworks = {ref.framework for ref in c.crosswalk}
        assert frameworks == {"iso42001", "nist-ai-rmf"}, f"{name}/{c.id}: {frameworks}"
        for ref in c.crosswalk:
            pattern = r"A\.\d+(\.\d+)+" if ref.framework == "iso42001" else r"(GOVERN|MAP|MEASURE|MANAGE) \d+\.\d+"
            assert re.fullmatch(pattern, ref.id), ref.id


def test_the_generated_fmti_rubrics_have_no_crosswalk() -> None:
    for name in ("fmti-2025-12.toml", "fmti-v1.toml"):
        assert not any(c.crosswalk for c in load(name).criteria)
