"""Loading one NOC version: locate its files (lib/noc/manifest.py), parse and validate them (lib/noc/parse.py)
into the model (lib/noc/model.py), with a parsed JSON cache under data/cache/ keyed by the files' checksums,
and one NocData per (version, folder) per process."""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from lib import _atomic, settings
from lib.errors import NocDataError
from lib.noc.manifest import Manifest, find_data_dir, load_manifest, locate_files, sha256_of
from lib.noc.model import Group, NocData, unit_group_from_dict
from lib.noc.parse import parse, validate

log = logging.getLogger("lib.noc")
CACHE_FORMAT = 4  # bump when the parsed shape changes so old caches are ignored (it changes the data checksum)


def _checksum(files: dict[str, Path]) -> str:
    parts = [f"format{CACHE_FORMAT}"] + [f"{role}:{path.name}:{sha256_of(path)}"
                                         for role, path in sorted(files.items())]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _from_cache(raw: dict):
    unit_groups = {d["code"]: unit_group_from_dict(d) for d in raw["unit_groups"]}
    groups = {d["code"]: Group(**d) for d in raw["groups"]}
    concordance = {k: tuple(v) for k, v in raw["concordance"].items()}
    return unit_groups, groups, concordance, dict(raw["skipped"])


def _cache_path(version: str, checksum: str) -> Path:
    return settings.CACHE_DIR / f"noc{version}-{checksum[:16]}.json"


def _read_cache(path: Path):
    try:
        return _from_cache(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or corrupt: rebuilt from the sources, never trusted


def _write_cache(path: Path, unit_groups, groups, concordance, skipped) -> None:
    payload = {
        "unit_groups": [asdict(ug) for ug in unit_groups.values()],
        "groups": [asdict(g) for g in groups.values()],
        "concordance": concordance,
        "skipped": skipped,
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _atomic.write_text(path, json.dumps(payload, ensure_ascii=False))
    except OSError:
        pass  # a read-only checkout still works, only slower


def load_noc(version: str | None = None, data_dir: str | Path | None = None, use_cache: bool = True) -> NocData:
    """Load and validate one NOC version, once per process and folder; raises NocDataError (one line)."""
    manifest: Manifest = load_manifest(version)
    folder = Path(data_dir) if data_dir else find_data_dir(manifest)
    if not folder.is_dir():
        raise NocDataError(key="lib.noc_folder_missing", folder=str(folder))
    if not use_cache:
        return _load(manifest.version, str(folder.resolve()), False)
    return _load_once(manifest.version, str(folder.resolve()))


def _load(version: str, folder_name: str, use_cache: bool) -> NocData:
    manifest = load_manifest(version)
    folder = Path(folder_name)
    files = locate_files(manifest, folder)
    checksum = _checksum(files)
    cache = _cache_path(manifest.version, checksum)
    parsed = _read_cache(cache) if use_cache else None
    if parsed is None:
        parsed = parse(manifest, files)
        validate(manifest, *parsed[:3])
        if use_cache:
            _write_cache(cache, *parsed)
    unit_groups, groups, concordance, skipped = parsed
    if skipped:
        log.warning("%s", "; ".join(s["text"] for s in skipped.values()))
    return NocData(
        version=manifest.version,
        checksum=checksum,
        label=manifest.label,
        unit_groups=unit_groups,
        groups=groups,
        concordance=concordance,
        previous_version=manifest.previous_version,
        profile_urls=manifest.profile_url,
        data_dir=str(folder),
        sources={role: path.name for role, path in files.items() if role not in skipped},
        skipped=skipped,
    )


@lru_cache(maxsize=4)
def _load_once(version: str, folder_name: str) -> NocData:
    return _load(version, folder_name, True)
