"""`vendoreval export PATH` and `vendoreval import PATH`: workspace files, claims/scores CSV, FMTI matrices."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..exchange.detect import ImportFormat
from ..services.cyclonedx import CycloneDxService
from ..services.exchange import ExchangeService
from .common import EXIT_BAD_INPUT, EXIT_OK, Context, print_json

_EXPORT_FORMATS = ("workspace", "claims-csv", "scores-csv", "cyclonedx")


def register(sub: Any) -> None:
    """Add the `export` and `import` subcommands."""
    ep = sub.add_parser("export", help="write the whole workspace (or its claims or scores as CSV) to a file")
    ep.add_argument("path", type=Path, metavar="PATH")
    ep.add_argument("--format", dest="export_format", choices=_EXPORT_FORMATS, default=None,
                    help="workspace (default; a .csv PATH means claims-csv unless given), claims-csv, scores-csv, or "
                         "cyclonedx (CycloneDX 1.6 attestations: claims, evidence, conformance; docs/cyclonedx.md)")
    ep.set_defaults(func=cmd_export)

    ip = sub.add_parser("import", help="import a workspace file, claims or scores CSV, or an FMTI score matrix")
    ip.add_argument("path", type=Path, metavar="PATH")
    ip.add_argument("--format", dest="import_format", choices=[f.value for f in ImportFormat], default=None,
                    help="the file's format (default: recognised from the content)")
    ip.add_argument("--rubric", metavar="ID[@VERSION]", default=None,
                    help="FMTI: the rubric (version) to score against (default: the fmti version whose names match)")
    ip.add_argument("--evaluator", dest="import_evaluator", metavar="NAME", default=None,
                    help="FMTI: the evaluator recorded on the scorecards (default: 'FMTI <edition>')")
    ip.add_argument("--vendor", dest="import_vendor", metavar="NAME", default=None,
                    help="CycloneDX: the vendor the claims are for (default: the file's targets.organizations[0].name)")
    ip.add_argument("--trust-key", dest="trust_keys", action="append", default=[], metavar="FINGERPRINT",
                    help="workspace file restored into an empty workspace: keep this one of the file's signing keys "
                         "(repeatable; the others are listed and left out). A merge never adds keys")
    ip.add_argument("--preview", action="store_true",
                    help="claims or scores file: check it and say what importing it would do, per line; write nothing "
                         "(exit 2 when a line has a problem)")
    ip.add_argument("--json", action="store_true", help="print the result as JSON")
    ip.set_defaults(func=cmd_import)


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    """Write the export file."""
    fmt = args.export_format
    if fmt is None:
        fmt = "claims-csv" if args.path.suffix.lower() == ".csv" else "workspace"
    service = ExchangeService(ctx.ws)
    if fmt == "workspace":
        size = service.export_workspace(args.path)
    elif fmt == "cyclonedx":
        size = CycloneDxService(ctx.ws).export(args.path)
    else:
        size = service.export_csv(args.path, "claims" if fmt == "claims-csv" else "scores")
    print(f"wrote {args.path} ({fmt}, {size:,} bytes)")
    return EXIT_OK


def cmd_preview(ctx: Context, args: argparse.Namespace) -> int:
    """Check a claims or scores file and print what importing it would do; nothing is written."""
    preview = ExchangeService(ctx.ws).preview_import(args.path, fmt=args.import_format)
    if args.json:
        print_json({"source": preview.source, "format": preview.format.value, "rows": len(preview.rows),
                    "problems": [{"line": line, "column": col, "reason": why} for line, col, why in preview.problems],
                    "would": preview.result.as_json() if preview.ok else None})
    else:
        print(preview.summary())
        for line, col, why in preview.problems:  # the problems are errors: on stderr, as every CLI error
            print(f"{preview.source}, line {line}" + (f", column {col}" if col else "") + f": {why}",
                  file=sys.stderr)
    return EXIT_OK if preview.ok else EXIT_BAD_INPUT


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    """Import one file in one transaction."""
    if args.preview:
        return cmd_preview(ctx, args)
    result = ExchangeService(ctx.ws).import_file(args.path, args.import_format, rubric=args.rubric,
                                                 evaluator=args.import_evaluator, trust_keys=args.trust_keys,
                                                 vendor=args.import_vendor)
    if args.json:
        print_json(result.as_json())
    else:
        print(result.summary())
    return EXIT_OK
