"""Finding and reading the official NOC files named by a version manifest (data/noc/noc<version>.yaml)."""
from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import yaml

from lib import settings
from lib.errors import UserError

SETUP_HINT = "run `python -m lib setup --download`, or set NOC_DATA_DIR to a folder with the NOC files"


class NocDataError(UserError):
    """The NOC data folder or one of its files is missing or unusable."""


@dataclass(frozen=True)
class FileSpec:
    role: str
    names: tuple[str, ...]
    url: str | None
    sha256: str | None
    required: bool


@dataclass(frozen=True)
class Manifest:
    version: str
    label: dict
    unit_group_count: int
    previous_version: str | None
    profile_url: dict
    landing_page: dict
    files: dict[str, FileSpec]


def load_manifest(version: str | None = None) -> Manifest:
    version = version or settings.noc_version()
    path = settings.DATA_DIR / "noc" / f"noc{version}.yaml"
    if not path.is_file():
        raise NocDataError(key="lib.noc_version_unsupported", version=repr(version), name=path.name)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    files = {
        role: FileSpec(role, tuple(spec["names"]), spec.get("url"), spec.get("sha256"), bool(spec.get("required")))
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
    )


def find_data_dir(manifest: Manifest) -> Path:
    """The first candidate folder that exists; a clear error when none does."""
    candidates = settings.noc_data_dirs(manifest.version)
    for folder in candidates:
        if folder.is_dir():
            return folder
    names = ", ".join(str(c) for c in candidates)
    raise NocDataError(key="lib.noc_folder_not_found", version=manifest.version, folders=names)


def locate_files(manifest: Manifest, folder: Path) -> dict[str, Path]:
    """Role -> path for every file present; missing required files stop with one line."""
    found: dict[str, Path] = {}
    for role, spec in manifest.files.items():
        path = next((folder / n for n in spec.names if (folder / n).is_file()), None)
        if path is not None:
            found[role] = path
        elif spec.required:
            raise NocDataError(key="lib.noc_file_missing", name=spec.names[0], folder=str(folder))
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
            raise NocDataError(key="lib.noc_truncated_row", name=path.name, line=number, found=len(row), expected=min_columns)
    return header, body
