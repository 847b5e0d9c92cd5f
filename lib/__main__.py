"""`python -m lib <command>`: the command-line face of the library (noc, setup, rank, evaluate, programs)."""
from __future__ import annotations

import argparse
import importlib
import sys

from lib.errors import UserError

# Each module adds its own subcommands with register(subparsers); run(args) returns the exit code.
COMMAND_MODULES = ("lib.cli_noc", "lib.cli_rank", "lib.cli_programs")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lib", description="Québec skilled-worker program finder")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
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


if __name__ == "__main__":
    sys.exit(main())
