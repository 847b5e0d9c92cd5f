"""The version manifest (data/noc/noc<version>.yaml: which official files, their checksums and sources), finding
the data folder and its files, and reading their CSV rows with errors that name the file."""
from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import yaml

from lib import settings
from lib.errors import NocDataError, NoDataFound


@dataclass(frozen=True)
class FileSpec:
    role: str
    names: tuple[str, ...]
    url: str | None          # Statistics Canada
    sha256: str | None
    required: bool
    portal: str | None = None  # the file's name among the Open Government Portal dataset's resources
    derived_from: tuple[str, ...] = ()  # roles of the official files this table is built from (lib/noc/derived.py)


@dataclass(frozen=True)
class Manifest:
    version: str
    label: dict
    unit_group_count: int
    previous_version: str | None
    profile_url: dict
    landing_page: dict
    files: dict[str, FileSpec]
    portal: dict | None = None  # {"dataset": id, "api": CKAN package_show URL pattern}


def load_manifest(version: str | None = None) -> Manifest:
    version = version or settings.noc_version()
    path = settings.DATA_DIR / "noc" / f"noc{version}.yaml"
    if not path.is_file():
        raise NocDataError(key="lib.noc_version_unsupported", version=repr(version), name=path.name)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    files = {
        role: FileSpec(role, tuple(spec["names"]), spec.get("url"), spec.get("sha256"), bool(spec.get("required")),
                       spec.get("portal"), tuple(spec.get("derived_from") or ()))
        for role, spec in raw["files"].items()
    }
    return Manifest(
        version=str(raw["version"]),
        label=raw["label"],
        unit_group_count=int(raw["unit_group_count"]),
        previous_version=raw.get("previous_version"),
        profile_url=raw["profile_url"],
        landing_page=raw["landing_page"],
        files=files,
        portal=raw.get("portal"),
    )


def missing_required(manifest: Manifest, folder: Path) -> list[str]:
    """The first accepted name of every required file that `folder` lacks (all of them when it does not exist)."""
    return [spec.names[0] for spec in manifest.files.values()
            if spec.required and not any((folder / n).is_file() for n in spec.names)]


def offline_hint(manifest: Manifest, folder: Path) -> str:
    """Exactly which files to put where, for someone without a download."""
    required = [s.names[0] for s in manifest.files.values() if s.required]
    optional = [s.names[0] for s in manifest.files.values() if not s.required and (s.url or s.portal)]
    page = manifest.landing_page.get("en", "")
    return (f"put the official Statistics Canada files {' and '.join(required)} (and, for French and NOC "
            f"{manifest.previous_version} codes, {', '.join(optional)}; from {page}) into {folder}, "
            f"or set NOC_DATA_DIR to the folder that has them, then run `python -m lib setup`; "
            f"online, `python -m lib setup --download` fetches them")


def find_data_dir(manifest: Manifest) -> Path:
    """The first candidate folder that holds every required file; one line naming each folder tried when none does.

    A folder without the files (an empty data/noc2021/ left by an old failed download, say) is skipped rather
    than chosen, so the shared data beside the repo is still found.
    """
    candidates = settings.noc_data_dirs(manifest.version)
    tried = []
    for folder in candidates:
        if not folder.is_dir():
            tried.append((folder, "no such folder"))
            continue
        missing = missing_required(manifest, folder)
        if not missing:
            return folder
        tried.append((folder, f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing"))
    looked = "; ".join(f"{folder}: {why}" for folder, why in tried)
    raise NoDataFound(f"NOC {manifest.version} data not found ({looked}): "
                      + offline_hint(manifest, candidates[0]), tried)


def locate_files(manifest: Manifest, folder: Path) -> dict[str, Path]:
    """Role -> path for every file present; missing required files stop with one line naming them all."""
    found: dict[str, Path] = {}
    for role, spec in manifest.files.items():
        path = next((folder / n for n in spec.names if (folder / n).is_file()), None)
        if path is not None:
            found[role] = path
    missing = missing_required(manifest, folder)
    if missing:
        raise NocDataError(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing from {folder}: "
                           + offline_hint(manifest, folder))
    return found


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_rows(path: Path, min_columns: int) -> tuple[list[str], list[list[str]]]:
    """Header and data rows of a UTF-8 CSV (BOM tolerated), with errors that name the file."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NocDataError(key="lib.noc_not_utf8", name=path.name, byte=exc.start) from None
    except OSError as exc:
        raise NocDataError(key="lib.noc_unreadable", name=path.name, reason=exc.strerror) from None
    if "\x00" in text:
        raise NocDataError(key="lib.noc_binary", name=path.name)
    # A stray carriage return inside an unquoted field would otherwise split a row in two.
    text = text.replace("\r\n", "\n").replace("\r", " ")
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise NocDataError(key="lib.noc_bad_csv", name=path.name, reason=str(exc)) from None
    if not rows:
        raise NocDataError(key="lib.noc_empty", name=path.name)
    header, body = rows[0], [r for r in rows[1:] if any(cell.strip() for cell in r)]
    if len(header) < min_columns:
        raise NocDataError(key="lib.noc_few_columns", name=path.name, found=len(header), expected=min_columns)
    for number, row in enumerate(body, start=2):
        if len(row) < min_columns:
            raise NocDataError(key="lib.noc_truncated_row", name=path.name, line=number, found=len(row),
                               expected=min_columns)
    return header, body
