"""Line-numbered JSONL reading, shared by `python -m lib rank --input` and the dev sets (lib/matching/devset.py)."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from lib.errors import UserError

T = TypeVar("T")


def read_jsonl(path: Path, row_of: Callable[[int, dict], T], needs: str) -> Iterator[T]:
    """`row_of(line number, object)` for every non-blank line; a line that is not JSON or that `row_of` rejects
    (KeyError, TypeError, AttributeError) stops with one line: "<file> line <n> <needs>"."""
    with Path(path).open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield row_of(n, json.loads(line))
            except (json.JSONDecodeError, KeyError, AttributeError, TypeError):
                raise UserError(f"{Path(path).name} line {n} {needs}") from None
