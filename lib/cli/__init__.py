"""`python -m lib <command>`: the command-line face of the library, a layer over the cores (nothing imports it).

    noc, setup        lib/cli/noc.py       one unit group, code look-up, getting the official data
    rank, evaluate    lib/cli/rank.py      matching text to unit groups, dev-set scores
    programs          lib/cli/programs.py  what each program says for a code and a situation
"""
from __future__ import annotations

import argparse
import sys

from lib.cli import noc, programs, rank
from lib.errors import UserError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lib", description="Québec skilled-worker program finder")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module in (noc, rank, programs):  # each adds its subcommands; run(args) returns the exit code
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"error: {exc.text(getattr(args, 'lang', 'en'))}", file=sys.stderr)  # English unless --lang fr
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
