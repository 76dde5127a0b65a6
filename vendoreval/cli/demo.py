"""`vendoreval demo`: fill an empty workspace with the sample vendors, claims and scores."""

from __future__ import annotations

import argparse
from typing import Any

from ..services.demo import load_sample
from .common import EXIT_OK, Context


def register(sub: Any) -> None:
    """Add the `demo` subcommand."""
    p = sub.add_parser("demo", help="fill an empty workspace with a sample (five fictional marketing-AI vendors)")
    p.set_defaults(func=cmd_demo)


def cmd_demo(ctx: Context, args: argparse.Namespace) -> int:
    """Load the sample workspace; refuses (exit 2) when the workspace is not empty."""
    result = load_sample(ctx.ws)
    print(result.summary().replace("Restored sample workspace (workspace)", "Loaded the sample workspace"))
    print("Try: vendoreval vendors list, vendoreval scores")
    return EXIT_OK
