"""`vendoreval rubrics list|show|validate`: the rubric library."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..domain.context import applies_when_text
from ..domain.rubric import (
    FRAMEWORKS,
    Rubric,
    RubricError,
    crosswalk_titles,
    load_rubric_file,
    see_also_label,
    see_also_text,
)
from ..domain.text import plural
from ..files import write_text_atomic
from .common import EXIT_BAD_INPUT, EXIT_OK, CliError, Context, print_json, print_table


def register(sub: Any) -> None:
    """Add the `rubrics` subcommands."""
    p = sub.add_parser("rubrics", help="list, show and validate rubrics")
    rs = p.add_subparsers(dest="rubrics_command", metavar="ACTION", required=True)

    lp = rs.add_parser("list", help="every rubric version the workspace knows")
    lp.add_argument("--json", action="store_true", help="print JSON")
    lp.set_defaults(func=cmd_list)

    sp = rs.add_parser("show", help="a rubric's criteria, levels and sources")
    sp.add_argument("rubric_id")
    sp.add_argument("--version", dest="rubric_version", help="version (default: newest)")
    sp.add_argument("--json", action="store_true", help="print JSON")
    sp.add_argument("--crosswalk", action="store_true",
                    help="only a table criterion → ISO/IEC 42001 and NIST AI RMF ids")
    sp.set_defaults(func=cmd_show)

    vp = rs.add_parser("validate", help="check rubric files; every problem with file, criterion and reason")
    vp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    vp.set_defaults(func=cmd_validate)

    cp = rs.add_parser("import-csv", help="turn an indicator CSV in the FMTI layout into a rubric TOML file")
    cp.add_argument("csv", type=Path, metavar="CSV")
    cp.add_argument("--out", type=Path, required=True, metavar="FILE", help="the .toml file to write")
    cp.add_argument("--id", dest="new_id", metavar="ID", help="rubric id (default: from the CSV's file name)")
    cp.add_argument("--version", dest="new_version", default="1.0", metavar="VERSION",
                    help="rubric version (default 1.0)")
    cp.add_argument("--title", dest="new_title", metavar="TEXT", help="rubric title (default: from the file name)")
    cp.add_argument("--area", default="Transparency")
    cp.add_argument("--attribution", help="attribution text kept in the rubric (e.g. the CC BY notice)")
    cp.add_argument("--license", dest="new_license", help="licence of the indicator texts (e.g. 'CC BY 4.0')")
    cp.add_argument("--source", help="citation added to every criterion's sources")
    cp.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    cp.set_defaults(func=cmd_import_csv)


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    """List rubric versions."""
    entries = ctx.ws.library.entries()
    if args.json:
        print_json([
            {"id": e.rubric.id, "version": e.rubric.version, "title": e.rubric.title, "area": e.rubric.area,
             "criteria": len(e.rubric.criteria), "content_hash": e.rubric.content_hash, "origin": e.origin}
            for e in entries
        ])
    else:
        print_table(
            ["ID", "VERSION", "CRITERIA", "ORIGIN", "TITLE"],
            [[e.rubric.id, e.rubric.version, len(e.rubric.criteria), e.origin, e.rubric.title] for e in entries],
        )
    for problem in ctx.ws.library.problems:
        print(f"vendoreval: skipped invalid rubric file: {problem}", file=sys.stderr)
    return EXIT_OK


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    """Show one rubric."""
    rubric = ctx.ws.library.get(args.rubric_id, args.rubric_version)
    if rubric is None:
        known = ", ".join(ctx.ws.library.ids()) or "none"
        raise CliError(f"no rubric '{args.rubric_id}'"
                       + (f" version {args.rubric_version}" if args.rubric_version else "") + f" (known: {known})")
    find = ctx.ws.library.latest
    if args.json:
        data = {**rubric.model_dump(mode="json"), "content_hash": rubric.content_hash}
        for c in data["criteria"]:
            c["see_also_titles"] = [see_also_label(ref, find) for ref in c.get("see_also", [])]
        if args.crosswalk:
            data = {"id": rubric.id, "version": rubric.version, "crosswalk": crosswalk_rows(rubric),
                    "titles": {fw: dict(refs) for fw, refs in crosswalk_titles([rubric]).items()}}
        print_json(data)
        return EXIT_OK
    if args.crosswalk:
        print(f"{rubric.title} — {rubric.id} {rubric.version}: crosswalk")
        rows = crosswalk_rows(rubric)
        print_table(["CRITERION", *(name.upper() for name in FRAMEWORKS.values())],
                    [[r["criterion"], *(", ".join(r[fw]) or "—" for fw in FRAMEWORKS)] for r in rows])
        if not rows:
            print("No criterion of this rubric lists a crosswalk.")
        for fw, refs in crosswalk_titles([rubric]).items():
            print(f"{FRAMEWORKS[fw]}: " + "; ".join(f"{i} {t}" for i, t in refs))
        return EXIT_OK
    print(f"{rubric.title} — {rubric.id} {rubric.version} ({plural(len(rubric.criteria), 'criterion')})")
    print(f"content hash {rubric.content_hash}")
    if rubric.description:
        print(rubric.description)
    if rubric.attribution:
        print(f"Attribution: {rubric.attribution}")
    if rubric.law_reviewed_on:
        print(f"Law reviewed on {rubric.law_reviewed_on.isoformat()}")
    for c in rubric.criteria:
        print()
        extra = []
        if c.knockout_below is not None:
            extra.append(f"knock-out below level {c.knockout_below}")
        if c.duty_applies_from:
            extra.append(f"duty applies from {c.duty_applies_from.isoformat()}")
        print(f"[{c.id}] {c.title} (weight {c.weight:g}{'; ' + '; '.join(extra) if extra else ''})")
        print(f"  Q: {c.question}")
        for lv in c.scale.levels:
            print(f"    {lv.level} {lv.label}: {lv.description}")
            if lv.example:
                print(f"      Example: {lv.example}")
        if c.sources:
            print(f"  Sources: {'; '.join(c.sources)}")
        if c.crosswalk:
            print(f"  Crosswalk: {c.crosswalk_text()}")
        if c.see_also:
            print(f"  {see_also_text(c, find)}")
        if c.applies_when:
            print(f"  {applies_when_text(c.applies_when)} (vendoreval context)")
    if rubric.duties:
        print("\nDuties:")
        for d in rubric.duties:
            print(f"  {d.applies_from.isoformat()}  {d.duty} ({d.source})")
    if rubric.changelog:
        print("\nChange log:")
        for entry in rubric.changelog:
            print(f"  {entry.version} ({entry.date.isoformat()})")
            for change in entry.changes:
                print(f"    - {change}")
            if entry.sources:
                print(f"    Sources: {'; '.join(entry.sources)}")
    return EXIT_OK


def crosswalk_rows(rubric: Rubric) -> list[dict[str, Any]]:
    """Each criterion with a crosswalk: its id, title and the ids per framework."""
    return [{"criterion_id": c.id, "criterion": c.title, **{fw: c.crosswalk_ids(fw) for fw in FRAMEWORKS}}
            for c in rubric.criteria if c.crosswalk]


def cmd_validate(ctx: Context, args: argparse.Namespace) -> int:
    """Validate rubric files: exit 0 when all are valid, 2 with every problem otherwise."""
    failed = False
    for path in args.paths:
        try:
            rubric = load_rubric_file(path)
        except RubricError as exc:
            failed = True
            for problem in exc.problems:
                print(f"{path}: {problem}", file=sys.stderr)
            continue
        print(f"{path}: ok — {rubric.id} {rubric.version}, {plural(len(rubric.criteria), 'criterion')}")
    return EXIT_BAD_INPUT if failed else EXIT_OK


def cmd_import_csv(ctx: Context, args: argparse.Namespace) -> int:
    """Convert an FMTI-layout indicator CSV into a rubric file, checked by reading it back."""
    from ..exchange.indicator_csv import IndicatorCsvError, rubric_from_indicator_csv, rubric_to_toml, slugify

    if args.out.exists() and not args.force:
        raise CliError(f"{args.out} exists; pass --force to overwrite it")
    stem = args.csv.stem
    try:
        rubric = rubric_from_indicator_csv(
            args.csv, rubric_id=args.new_id or slugify(stem)[:60] or "indicators", version=args.new_version,
            title=args.new_title or stem.replace("_", " ").replace("-", " ").strip() or "Indicators",
            area=args.area, attribution=args.attribution, license=args.new_license, source=args.source,
        )
    except IndicatorCsvError as exc:
        raise CliError(str(exc)) from None
    except ValueError as exc:  # the rubric fields given on the command line (id, version) are invalid
        raise CliError(f"{args.csv}: {str(exc).splitlines()[-1].strip()}") from None
    text = f"# Generated from {args.csv.name} by `vendoreval rubrics import-csv`.\n\n" + rubric_to_toml(rubric)
    write_text_atomic(args.out, text, parents=True)
    back = load_rubric_file(args.out)
    print(f"wrote {args.out}: {back.id} {back.version}, {plural(len(back.criteria), 'criterion')}")
    return EXIT_OK
