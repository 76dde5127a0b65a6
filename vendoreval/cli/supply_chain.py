"""`vendoreval models list|add|remove|set-version VENDOR …` and `vendoreval baselines list|import`."""

from __future__ import annotations

import argparse
from typing import Any

from ..domain.text import plural
from ..services.supply_chain import SupplyChainService
from .common import EXIT_OK, Context, print_json, print_table


def register(sub: Any) -> None:
    """Add the `models` and `baselines` subcommands."""
    p = sub.add_parser("models", help="the models a vendor's product is built on, with their public baseline")
    ms = p.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    lp = ms.add_parser("list", help="a vendor's models and each provider's FMTI score")
    lp.add_argument("vendor", metavar="VENDOR")
    lp.add_argument("--json", action="store_true", help="print JSON")
    lp.set_defaults(func=cmd_list)
    ap = ms.add_parser("add", help="record a model the product uses")
    ap.add_argument("vendor", metavar="VENDOR")
    ap.add_argument("--provider", required=True, help="who develops the model (e.g. OpenAI)")
    ap.add_argument("--model", required=True, help="the model's name (e.g. GPT-4o)")
    ap.add_argument("--version", default="", help="the model version, when known")
    ap.add_argument("--own", action="store_true", help="the vendor's own model")
    ap.add_argument("--note", default="", help="where this comes from (e.g. sub-processor list, 2026-11)")
    ap.set_defaults(func=cmd_add)
    vp = ms.add_parser("set-version", help="a new version of a recorded model (recorded as an event)")
    vp.add_argument("vendor", metavar="VENDOR")
    vp.add_argument("model", metavar="MODEL", help="model name, 'provider model' or id")
    vp.add_argument("version")
    vp.set_defaults(func=cmd_set_version)
    rp = ms.add_parser("remove", help="remove a recorded model")
    rp.add_argument("vendor", metavar="VENDOR")
    rp.add_argument("model", metavar="MODEL", help="model name, 'provider model' or id")
    rp.set_defaults(func=cmd_remove)

    b = sub.add_parser("baselines", help="public baselines (FMTI editions): reference data, not vendors")
    bs = b.add_subparsers(dest="baselines_command", metavar="ACTION", required=True)
    blp = bs.add_parser("list", help="each developer's FMTI score per edition")
    blp.add_argument("--json", action="store_true", help="print JSON")
    blp.set_defaults(func=cmd_baselines_list)
    bip = bs.add_parser("import", help="add a published FMTI score matrix as a baseline edition")
    bip.add_argument("file", metavar="FILE")
    bip.add_argument("--edition", metavar="YYYY-MM", help="the edition (recognised from the names when omitted)")
    bip.set_defaults(func=cmd_baselines_import)


def _model_json(svc: SupplyChainService, vendor_id: str) -> list[dict[str, Any]]:
    baselines = {b.model.id: b for b in svc.for_vendor(vendor_id)}
    out = []
    for m in svc.models(vendor_id):
        b = baselines.get(m.id)
        out.append({
            "id": m.id, "provider": m.provider, "model": m.model, "version": m.version, "own": m.own,
            "note": m.note,
            "baseline": None if b is None or b.latest is None else {
                "developer": b.latest.developer, "edition": b.latest.edition, "score": b.latest.total,
                "out_of": b.latest.out_of,
                "trend": [{"edition": s.edition, "score": s.total} for s in b.scores],
                "relevant": {k: [{"indicator": n, "value": v} for n, v in rows] for k, rows in b.relevant.items()},
            },
            "baseline_note": "" if m.own else (b.summary if b else ""),
        })
    return out


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    """A vendor's models."""
    vendor = ctx.ws.vendors.find(args.vendor)
    svc = SupplyChainService(ctx.ws)
    rows = _model_json(svc, vendor.id)
    if args.json:
        print_json({"vendor": vendor.name, "models": rows,
                    "contradictions": [c.sentence for c in svc.contradictions(vendor.id)]})
        return EXIT_OK
    if not rows:
        print(f"{vendor.name}: no models recorded (vendoreval models add {vendor.name!r} --provider … --model …)")
        return EXIT_OK
    print_table(["ID", "PROVIDER", "MODEL", "VERSION", "OWN", "FMTI"],
                [[r["id"][:8], r["provider"], r["model"], r["version"], "yes" if r["own"] else "",
                  "" if r["own"] else (f"{r['baseline']['score']}/{r['baseline']['out_of']} "
                                       f"({r['baseline']['edition']})" if r["baseline"] else "no baseline")]
                 for r in rows])
    for c in svc.contradictions(vendor.id):
        print(f"! {c.sentence} Claim: \"{c.claim_text[:120]}\"")
    return EXIT_OK


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    """Record a model."""
    vendor = ctx.ws.vendors.find(args.vendor)
    svc = SupplyChainService(ctx.ws)
    m = svc.add(vendor.id, args.provider, args.model, version=args.version, own=args.own, note=args.note)
    base = next((b for b in svc.for_vendor(vendor.id) if b.model.id == m.id), None)
    print(f"{vendor.name}: built on {m.label}" + (f". {base.summary}" if base else ""))
    return EXIT_OK


def cmd_set_version(ctx: Context, args: argparse.Namespace) -> int:
    """Change a model's version."""
    vendor = ctx.ws.vendors.find(args.vendor)
    m = SupplyChainService(ctx.ws).set_version(vendor.id, args.model, args.version)
    print(f"{vendor.name}: {m.label}")
    return EXIT_OK


def cmd_remove(ctx: Context, args: argparse.Namespace) -> int:
    """Remove a model."""
    vendor = ctx.ws.vendors.find(args.vendor)
    m = SupplyChainService(ctx.ws).remove(vendor.id, args.model)
    print(f"{vendor.name}: removed {m.label}")
    return EXIT_OK


def cmd_baselines_list(ctx: Context, args: argparse.Namespace) -> int:
    """Each developer's score per edition."""
    svc = SupplyChainService(ctx.ws)
    baselines = svc.baselines()
    developers = svc.developer_table()
    if args.json:
        print_json({
            "editions": [{"edition": b.edition, "title": b.title, "rubric": f"{b.rubric_id}@{b.rubric_version}",
                          "source": b.source, "developers": len(b.scores), "indicators": b.indicator_count}
                         for b in baselines],
            "developers": [{"developer": d, "scores": s} for d, s in developers.items()],
        })
        return EXIT_OK
    editions = [b.edition for b in baselines]
    print_table(["DEVELOPER", *editions],
                [[d, *(str(s[e]) if e in s else "" for e in editions)] for d, s in developers.items()])
    print(f"\n{plural(len(baselines), 'edition')}: " + "; ".join(f"{b.title} ({b.source})" for b in baselines))
    return EXIT_OK


def cmd_baselines_import(ctx: Context, args: argparse.Namespace) -> int:
    """Add an edition."""
    res = SupplyChainService(ctx.ws).import_baseline(args.file, edition=args.edition)
    b = res.baseline
    if res.unchanged:
        print(f"{b.title}: this file was imported before; nothing changed")
    else:
        verb = "replaced" if res.replaced else "added"
        print(f"{b.title} {verb} as a baseline: {plural(len(b.scores), 'developer')}, "
              f"{b.indicator_count} indicators (fmti {b.rubric_version})")
    return EXIT_OK
