"""`vendoreval bundle export|import|whoami`: signed scorecard bundles between colleagues."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..domain.text import plural
from ..services.bundles import BundleService, ImportPlan
from ..services.identity import IdentityService
from .common import EXIT_BAD_INPUT, EXIT_OK, Context, print_json


def register(sub: Any) -> None:
    """Add the `bundle` subcommands."""
    p = sub.add_parser("bundle", help="export scorecards for a colleague, import theirs (signed bundles)")
    bs = p.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)
    ep = bs.add_parser("export", help="write scorecards, their claims, evidence and rubric versions to one file")
    ep.add_argument("--out", required=True, metavar="FILE", help="the bundle file to write")
    ep.add_argument("--vendor", action="append", metavar="NAME", help="only this vendor (repeatable)")
    ep.add_argument("--evaluator", dest="evaluators", action="append", metavar="NAME",
                    help="only this evaluator's scorecards (repeatable)")
    ep.set_defaults(func=cmd_export)
    ip = bs.add_parser("import", help="verify a bundle and merge it into this workspace")
    ip.add_argument("file", metavar="FILE")
    ip.add_argument("--trust-key", metavar="FINGERPRINT", default=None,
                    help="trust the signer's key from now on: give the fingerprint you checked with the sender "
                         "(all 64 hex digits, or the first 32 as `bundle whoami` groups them)")
    ip.add_argument("--accept-unsigned", action="store_true",
                    help="import an unsigned bundle anyway: it may only add new scorecards, never replace one")
    ip.add_argument("--accept-rubrics", action="store_true",
                    help="take rubric versions this workspace lacks from the bundle")
    ip.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    ip.add_argument("--json", action="store_true", help="print the outcome as JSON")
    ip.set_defaults(func=cmd_import)
    wp = bs.add_parser("whoami", help="show your signing key's fingerprint (creates the key on first use)")
    wp.add_argument("--new-key", action="store_true", help="replace your signing key with a new one")
    wp.add_argument("--json", action="store_true", help="print JSON")
    wp.set_defaults(func=cmd_whoami)


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    """Export scorecards to a bundle."""
    svc = BundleService(ctx.ws)
    vendor_ids = svc.vendor_ids_for(args.vendor) if args.vendor else None
    if args.evaluators:
        known = {e.casefold() for e in svc.evaluators()}
        unknown = [e for e in args.evaluators if e.casefold() not in known]
        if unknown:
            from .common import CliError

            raise CliError(f"--evaluator: no scorecards by {', '.join(unknown)} "
                           f"(evaluators: {', '.join(svc.evaluators()) or 'none'})")
    result = svc.export(Path(args.out), vendor_ids, args.evaluators)
    print(result.describe())
    return EXIT_OK


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    """Verify and merge a bundle (or, with --dry-run, only show what would change)."""
    svc = BundleService(ctx.ws)
    plan = svc.preview(Path(args.file))
    if args.dry_run:
        for w in plan.warnings:
            print(f"vendoreval: warning: {w}", file=sys.stderr)
        if args.json:
            print_json({"signer_line": plan.signer_line(), "changes": plan.summary_lines(),
                        "refused_scorecards": _refused(plan),
                        "refused_records": [{"record": which, "reason": why} for which, why in plan.refused_records],
                        "warnings": plan.warnings})
        else:
            print("\n".join([plan.signer_line(), *plan.summary_lines(), *plan.refusal_lines()]))
        return EXIT_OK
    result = svc.import_bundle(Path(args.file), trust_key=args.trust_key, accept_rubrics=args.accept_rubrics,
                               accept_unsigned=args.accept_unsigned)
    done = result.plan
    for w in done.warnings:
        print(f"vendoreval: warning: {w}", file=sys.stderr)
    nothing = done.refused_anything and not done.changes_anything and not result.trusted_now
    if args.json:
        print_json({
            "signed": done.signer is not None,
            "signer": done.signer.model_dump() if done.signer else None,
            "trusted": done.trusted,
            "new_scorecards": len(done.new_scorecards),
            "replaced_scorecards": len(done.replaced_scorecards),
            "refused_scorecards": _refused(done),
            "refused_records": [{"record": which, "reason": why} for which, why in done.refused_records],
            "new_records": [{"kind": i.noun, "record": i.words, "revision": i.revision} for i in done.owned
                            if i.local_revision is None],
            "replaced_records": [{"kind": i.noun, "record": i.words, "revision": i.revision,
                                  "old_revision": i.local_revision} for i in done.owned if i.local_revision is not None]
            + [{"kind": "claim", "record": t.text[:200], "revision": t.revision, "old_revision": o.revision}
               for o, t in done.replaced_claims],
            "handovers": {old: new for old, (new, _n) in done.takeovers.items()},
            "new_claims": len(done.new_claims),
            "new_evidence": len(done.new_evidence),
            "new_vendors": len(done.new_vendors),
            "rubrics_added": result.rubrics_added,
            "warnings": done.warnings,
        })
    else:
        print("\n".join([done.signer_line(), *done.summary_lines(), *done.refusal_lines()]))
        if result.trusted_now and done.signer is not None:
            print(f"Trusted {done.signer.name}'s key from now on.")
        elif done.signer is not None and not done.trusted:
            print(f"To trust this key, check its fingerprint with the sender, then run again with "
                  f"--trust-key {done.signer.fingerprint}")
    if nothing:
        what = [plural(len(done.refused_scorecards), "scorecard")] if done.refused_scorecards else []
        what += [plural(len(done.refused_records), "record")] if done.refused_records else []
        print(f"vendoreval: {' and '.join(what)} refused; nothing was imported", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _refused(plan: ImportPlan) -> list[dict[str, str]]:
    return [{"id": card.id, "evaluator": card.evaluator, "vendor": plan.vendor_names.get(card.vendor_id, ""),
             "rubric": f"{card.rubric_id} {card.rubric_version}", "reason": why}
            for card, why in plan.refused_scorecards]


def cmd_whoami(ctx: Context, args: argparse.Namespace) -> int:
    """Show (or replace) the evaluator's signing key."""
    ids = IdentityService(ctx.ws)
    if args.new_key:
        ids.new_key()
    status = ids.status()
    key = status.key
    if args.json:
        print_json({"evaluator": ctx.ws.evaluator, "fingerprint": key.fingerprint if key else None,
                    "public_key": key.public_key if key else None, "can_sign": status.problem is None,
                    "problem": status.problem})
    else:
        print(f"Evaluator:   {ctx.ws.evaluator}")
        if key is not None:
            print(f"Fingerprint: {key.grouped}")
            print(f"             ({key.fingerprint})")
        if status.problem:
            print(f"vendoreval: {status.problem}", file=sys.stderr)
            if key is None:
                print("Bundles you export are unsigned.")
    return EXIT_OK if status.problem is None or not args.new_key else EXIT_BAD_INPUT
