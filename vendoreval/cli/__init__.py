"""The command line: `vendoreval SUBCOMMAND ...`; with no subcommand it starts the desktop app.

Exit codes: 0 ok; 2 bad input or usage (the file, line or field and the reason on stderr); 1 a bug.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from ..errors import UserError
from .common import EXIT_BAD_INPUT, EXIT_BUG, EXIT_OK, CliError, Context, VisibleText, bad_input_errors


def commands() -> tuple[ModuleType, ...]:
    """The modules that add subcommands (each has ``register(subparsers)``), in the order of --help.

    Imported when a command line is parsed, not when the app starts: starting the desktop app needs
    none of them (about 0.2 s of launch CPU, benchmarks/bench_launch.py).
    """
    from . import (
        ageing,
        backup,
        brief,
        bundle,
        claims,
        commercials,
        compare,
        conditions,
        consensus,
        context,
        decide,
        demo,
        exchange,
        profiles,
        questionnaire,
        risks,
        rubrics,
        scorecards,
        scores,
        supply_chain,
        team,
        vendors,
    )

    return (rubrics, vendors, scores, scorecards, backup, brief, bundle, compare, consensus, decide, demo, exchange,
            profiles, questionnaire, supply_chain, ageing, context, claims, conditions, commercials, risks, team)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = _global_parser()
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in commands():
        module.register(sub)
    return parser


def _global_parser(**kwargs: Any) -> argparse.ArgumentParser:
    """A parser with the options that come before any COMMAND (no subcommands)."""
    parser = argparse.ArgumentParser(
        prog="vendoreval",
        description="Score AI vendors' claims against evidence-based rubrics, compare them, brief the board.",
        **kwargs,
    )
    parser.add_argument("--data-dir", metavar="DIR",
                        help="workspace folder (default: $VENDOREVAL_HOME or the user data folder)")
    parser.add_argument(
        "--evaluator", metavar="NAME", help="evaluator name for this run (default: settings or OS user)"
    )
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation in a temporary workspace and exit (0 when it works)")
    parser.add_argument("--quit-after-first-paint", action="store_true",
                        help="start the app as usual on the workspace, exit 0 as soon as the main window has "
                             "painted (a start-up check; 1 when it did not paint within 60 s)")
    return parser


#: Global options that take a value, and those that do not (``--version`` and ``--help`` are not here:
#: they need the full parser).
_VALUE_OPTIONS = {"--data-dir", "--evaluator"}
_FLAG_OPTIONS = {"--self-test", "--quit-after-first-paint"}


def _parse(argv: Sequence[str] | None) -> tuple[argparse.ArgumentParser, argparse.Namespace]:
    """Parse the command line. Without a COMMAND (starting the app) only the global options are parsed:
    importing every subcommand module would add ~0.2 s CPU to the app's start."""
    tokens = list(sys.argv[1:] if argv is None else argv)
    if _only_global_options(tokens):
        small = _global_parser(exit_on_error=False)
        try:
            args, rest = small.parse_known_args(tokens)
        except argparse.ArgumentError:
            rest = tokens  # the full parser reports it, with the full usage
        if not rest:
            args.command = None
            return small, args
    parser = build_parser()
    return parser, parser.parse_args(tokens)


def _only_global_options(tokens: list[str]) -> bool:
    """True when ``tokens`` are nothing but global options spelt out in full (and their values)."""
    it = iter(tokens)
    for token in it:
        name, eq, _value = token.partition("=")
        if token in _FLAG_OPTIONS:
            continue
        if name in _VALUE_OPTIONS:
            if not eq and next(it, None) is None:
                return False
            continue
        return False
    return True


def _version() -> str:
    from .. import __version__

    return __version__


#: Set once ``_start_gui`` ran the desktop app in this process: ``entry`` then ends it without the teardown.
_app_ran = False


def entry() -> int:
    """The process's entry point (the ``vendoreval`` command, ``python -m vendoreval``, the frozen launcher).

    Runs ``main``; after the desktop app ran, ends the process with ``ui.app.end_process`` (its data saved,
    the interpreter's teardown skipped). Tests and scripts call ``main``, which always returns.
    """
    code = main()
    if _app_ran:
        from ..ui.app import end_process

        end_process(code)
    return code


def _start_gui(args: argparse.Namespace) -> int:
    global _app_ran
    probe = bool(getattr(args, "quit_after_first_paint", False))
    try:
        from ..ui.heap import hold_full_collections

        hold_full_collections()  # start-up without the collector; full passes wait for the launch's work
        from ..ui.app import run
    except ImportError as exc:
        if probe:  # a start-up check must not pass without a GUI
            print(f"vendoreval: the desktop app cannot start: {exc}", file=sys.stderr)
            return EXIT_BUG
        build_parser().print_help()
        return EXIT_OK
    _app_ran = True
    if probe:
        return run(data_dir=args.data_dir, evaluator=args.evaluator, quit_after_first_paint=True)
    return run(data_dir=args.data_dir, evaluator=args.evaluator)


#: Options holding file names: a non-UTF-8 name is still a name the OS can open (kept as surrogate escapes).
_PATH_OPTIONS = {"data_dir", "out", "verify", "file", "path", "paths", "csv"}


def _undecodable_text(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str | None:
    """Why a text argument cannot be used: bytes that are not UTF-8 (Python keeps them as lone surrogates,
    which no database, PDF or spreadsheet can store); None when every text argument is clean."""
    names = _argument_names(parser, args)
    for dest, value in vars(args).items():
        if dest in _PATH_OPTIONS:
            continue
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and any("\ud800" <= ch <= "\udfff" for ch in text):
                shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                return (f"{names.get(dest, dest)}: '{shown}' is not UTF-8 text "
                        "(check the terminal's or script's encoding); nothing was changed")
    return None


def _argument_names(parser: argparse.ArgumentParser, args: argparse.Namespace | None = None) -> dict[str, str]:
    """dest -> how the user wrote the argument (--option or METAVAR): the chosen subcommand's own arguments
    win over the same dest elsewhere (``team join --name`` and ``vendors add NAME`` share the dest 'name')."""
    names: dict[str, str] = {}
    chosen: list[argparse.ArgumentParser] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            picked = getattr(args, action.dest, None) if args is not None else None
            for key, sub in action.choices.items():
                if key == picked:
                    chosen.append(sub)
                else:
                    for dest, name in _argument_names(sub).items():
                        names.setdefault(dest, name)
        elif action.dest not in names or args is not None:
            names[action.dest] = action.option_strings[0] if action.option_strings else str(
                action.metavar or action.dest.upper())
    for sub in chosen:
        names.update(_argument_names(sub, args))
    return names


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    parser, args = _parse(argv)
    if getattr(args, "self_test", False):
        from ..selftest import run as self_test

        return self_test()
    undecodable = _undecodable_text(parser, args)
    if undecodable is not None:
        print(f"vendoreval: {undecodable}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not getattr(args, "command", None):
        return _start_gui(args)
    if getattr(args, "quit_after_first_paint", False):
        parser.error("--quit-after-first-paint starts the desktop app: give it no COMMAND")
    ctx = Context(args)
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = VisibleText(out), VisibleText(err)
    try:
        return int(args.func(ctx, args) or EXIT_OK)
    except CliError as exc:
        print(f"vendoreval: {exc}", file=sys.stderr)
        return exc.code
    except bad_input_errors() as exc:
        print(f"vendoreval: {ctx.explain(exc) if isinstance(exc, UserError) else exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception:
        traceback.print_exc()
        print("vendoreval: an unexpected error occurred (a bug); please report it with the text above.",
              file=sys.stderr)
        return EXIT_BUG
    finally:
        ctx.close()
        sys.stdout, sys.stderr = out, err
