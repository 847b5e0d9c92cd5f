"""YAML files with located errors: read a file and validate it against a pydantic model, or fail in one line.

Used for the program rules (schema.py); general enough for any authored YAML whose mistakes must name the file and
the place ("programs.yaml: programs[pstq].components[pstq-3].sources: ..."), e.g. the UI strings in data/i18n/.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from lib.errors import RulesError

# libyaml's parser when PyYAML was built with it (several times faster); the pure-Python one otherwise. Both
# report errors with a line (problem_mark); the tags are resolved in Python either way, so the rule below holds.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _NoDatesLoader(_SafeLoader):
    """YAML without implicit timestamps: pydantic parses dates, so a bad date gets a located error."""


_NoDatesLoader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in _SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RulesError(f"{path}: file not found; restore it from git") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}: cannot be read ({exc.__class__.__name__}); it must be UTF-8 text") from None
    try:
        data = yaml.load(text, Loader=_NoDatesLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise RulesError(f"{path}: invalid YAML{where}: {problem}") from None
    if not isinstance(data, dict):
        raise RulesError(f"{path}: expected a mapping at the top level")
    return data


def parse(model: type[BaseModel], path: Path):
    """Validate one file; the first problem becomes one line naming the file and the place."""
    data = read_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = _readable_loc(data, err["loc"])
        msg = re.sub(r"^Value error, ", "", err["msg"])
        value = err.get("input")
        if err["type"] in ("date_from_datetime_parsing", "date_parsing", "date_type") or "date" in err["type"]:
            msg = f"bad date {value!r} (use YYYY-MM-DD)"
        elif err["type"] == "extra_forbidden":
            msg = "unknown key (check the spelling)"
        raise RulesError(f"{path}: {where + ': ' if where else ''}{msg}") from None


def _readable_loc(data, loc) -> str:
    """Turn ('programs', 0, 'components', 2, 'sources') into 'programs[pstq].components[pstq-3].sources'."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and key < len(node):
            node = node[key]
            label = node.get("id") or node.get("code") if isinstance(node, dict) else None
            parts[-1:] = [f"{parts[-1] if parts else ''}[{label if label else key}]"]
        else:
            node = node.get(key) if isinstance(node, dict) else None
            parts.append(str(key))
    return ".".join(parts)
