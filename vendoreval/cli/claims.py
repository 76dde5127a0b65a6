"""`vendoreval claims search TEXT`: the claims of every vendor whose text, source or status holds the words;
`vendoreval claims find VENDOR FILE`: candidate claims from a vendor's own document (docs/claims.md)."""

from __future__ import annotations

import argparse
from typing import Any

from ..domain.models import ClaimStatus
from ..domain.text import page_label
from .common import EXIT_OK, CliError, Context, print_json, print_table


def register(sub: Any) -> None:
    """Add the `claims` subcommands."""
    p = sub.add_parser("claims", help="search the claims of every vendor")
    cs = p.add_subparsers(dest="claims_command", metavar="ACTION", required=True)
    sp = cs.add_parser("search", help="claims whose text, source or status holds every word of TEXT")
    sp.add_argument("text", metavar="TEXT", nargs="+", help="words to look for (all must appear; case-insensitive)")
    sp.add_argument("--status", choices=[s.value for s in ClaimStatus], default=None,
                    help="only claims with this status")
    sp.add_argument("--active", action="store_true", help="leave out the claims of archived vendors")
    sp.add_argument("--json", action="store_true", help="print JSON: a list of claims with their vendor")
    sp.set_defaults(func=cmd_search)
    fp = cs.add_parser("find", help="candidate claims in a vendor's document (PDF, DOCX, PPTX, HTML, TXT, EML)")
    fp.add_argument("vendor", metavar="VENDOR")
    fp.add_argument("file", metavar="FILE")
    fp.add_argument("--json", action="store_true", help="print JSON: a list of candidates")
    fp.add_argument("--accept", metavar="all|1,3,5", default=None,
                    help="record these candidates (1-based positions in the list) as asserted claims")
    fp.set_defaults(func=cmd_find)


def _clip(text: str, n: int = 70) -> str:
    one = " ".join(text.split())
    return one if len(one) <= n else one[: n - 1] + "…"


def cmd_search(ctx: Context, args: argparse.Namespace) -> int:
    """Print the matching claims, by vendor."""
    query = " ".join(args.text)
    if not query.strip():
        raise CliError("claims search: give the words to look for")
    status = ClaimStatus(args.status) if args.status else None
    hits = ctx.ws.claims.search(query, status, include_archived=not args.active)
    if args.json:
        print_json([{"id": h.claim.id, "vendor": h.vendor, "vendor_id": h.claim.vendor_id, "text": h.claim.text,
                     "source_kind": str(h.claim.source_kind), "source": h.claim.source, "page": h.claim.page,
                     "said_on": h.claim.said_on.isoformat() if h.claim.said_on else None,
                     "status": str(h.claim.status), "status_note": h.claim.status_note,
                     "criteria": [str(r) for r in h.claim.criteria], "matched": list(h.fields)} for h in hits])
        return EXIT_OK
    if not hits:
        print(f"No claim matches “{query}”.")
        return EXIT_OK
    print_table(["VENDOR", "STATUS", "SOURCE", "CLAIM", "ID"],
                [[h.vendor, ClaimStatus(h.claim.status).label,
                  _clip(h.claim.source + (f", {page_label(h.claim.page)}" if h.claim.page.strip() else ""), 30),
                  _clip(h.claim.text), h.claim.id] for h in hits])
    return EXIT_OK


def _positions(text: str, n: int) -> list[int]:
    if text.strip().casefold() == "all":
        return list(range(1, n + 1))
    out = []
    for part in text.split(","):
        part = part.strip()
        if not part.isascii() or not part.isdigit():
            raise CliError(f"--accept: '{part}' is not a candidate number (write all, or 1,3,5)")
        out.append(int(part))
    return out


def cmd_find(ctx: Context, args: argparse.Namespace) -> int:
    """Print the candidates of a document; with --accept, record the chosen ones."""
    from ..services.claim_finder import ClaimFinderService

    vendor = ctx.ws.vendors.find(args.vendor)
    svc = ClaimFinderService(ctx.ws)
    found = svc.find(vendor.id, args.file)
    positions = _positions(args.accept, len(found.candidates)) if args.accept is not None else None
    accepted: list[str] = []
    if positions is not None:
        _evidence, claims = svc.accept(vendor.id, found, positions)
        accepted = [c.id for c in claims]
    if args.json:
        print_json([c.as_json() for c in found.candidates])
    else:
        if not found.candidates:
            print(f"{found.path.name}: {found.sentences} sentences read; no new candidate claim.")
        for i, c in enumerate(found.candidates, 1):
            where = f"p. {c.page}" if c.page is not None else (c.location or "")
            print(f"{i:>3}. [{c.kind}] {where}: {_clip(c.text, 100)}")
            for m in c.criteria:
                print(f"       → {m.rubric}:{m.criterion} ({m.why})")
        for note in found.document.notes:
            print(f"Note: {note}")
        left = [f"{n} {what} not shown" for n, what in ((found.rejected_earlier, "rejected earlier"),
                                                       (found.recorded_already, "already recorded")) if n]
        if left:
            print("Left out: " + " · ".join(left) + ".")
    if accepted:
        import sys

        print(f"Recorded {len(accepted)} claim(s) for {vendor.name} from {found.path.name}.", file=sys.stderr)
    return EXIT_OK
