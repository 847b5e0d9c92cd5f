"""Getting the official NOC files onto a real user's machine, and checking what is there.

A download goes into a hidden staging folder beside the destination. Each file is tried from its candidate
sources in turn (Statistics Canada, then the Open Government Portal resource) and checked by sha256 where the
manifest knows it; the derived tables are built from the official files; the whole set is parsed and validated.
Only then are the files moved into place. Anything else — offline, a 404 on a required file, a wrong checksum,
Ctrl-C — removes the staging folder, so a failed download leaves nothing behind. Nothing here prints (only a
byte progress bar on stderr): lib/cli/noc.py reports what was built and what is there.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

from lib.errors import NocDataError, UserError
from lib.noc import derived
from lib.noc.load import load_noc
from lib.noc.manifest import FileSpec, Manifest, load_manifest, offline_hint, sha256_of

TIMEOUT_S = 30
NETWORK_ERRORS = (urllib.error.URLError, socket.timeout, ConnectionError, TimeoutError)


class CandidateFailed(Exception):
    """One source of one file did not give the official file; the message says why (one clause)."""


def _basename(url: str) -> str:
    return url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


class Sources:
    """Candidate URLs per file: the Statistics Canada URL, then the portal resource (looked up once, lazily).

    With a mirror (`base_url`, used by tests and by people who copy the files to a web server of their own),
    the candidates are the mirror's URLs for the same official file names.
    """

    def __init__(self, manifest: Manifest, base_url: str | None = None):
        self.manifest, self.base_url = manifest, base_url.rstrip("/") + "/" if base_url else None
        self._portal: dict[str, str] | None = None
        self.portal_error = ""

    def candidates(self, spec: FileSpec):
        if self.base_url:
            names = [_basename(spec.url)] if spec.url else []
            names += [spec.portal] if spec.portal and spec.portal not in names else []
            yield from (self.base_url + name for name in names)
            return
        if spec.url:
            yield spec.url
        if spec.portal:
            url = self.portal_resources().get(spec.portal)
            if url:
                yield url

    def portal_reasons(self, spec: FileSpec) -> list[str]:
        """Why the portal gave no candidate for this file (empty when it did, or was not asked)."""
        if not spec.portal or self.base_url or self._portal is None:
            return []
        if self.portal_error:
            return [f"portal {self.portal_error}"]
        return [] if spec.portal in self._portal else [f"the portal lists no {spec.portal}"]

    def portal_resources(self) -> dict[str, str]:
        """File name -> download URL of every resource of the portal dataset (CKAN package_show)."""
        if self._portal is None:
            self._portal = {}
            portal = self.manifest.portal or {}
            if portal.get("api"):
                api = portal["api"].format(dataset=portal.get("dataset", ""))
                try:
                    with urllib.request.urlopen(_request(api), timeout=TIMEOUT_S) as response:
                        resources = json.load(response)["result"]["resources"]
                    self._portal = {_basename(r["url"]): r["url"] for r in resources if r.get("url")}
                except NETWORK_ERRORS as exc:
                    self.portal_error = f"{api}: {getattr(exc, 'reason', exc)}"
                except (ValueError, KeyError, TypeError):
                    self.portal_error = f"{api}: not a CKAN package description"
        return self._portal


def _request(url: str) -> urllib.request.Request:
    return urllib.request.Request(url, headers={"User-Agent": "qc-program-finder-setup"})


def _fetch(url: str, target: Path, expected_sha256: str | None) -> None:
    """One candidate into `target` (inside the staging folder); CandidateFailed says why not."""
    try:
        with urllib.request.urlopen(_request(url), timeout=TIMEOUT_S) as response:
            total = int(response.headers.get("Content-Length") or 0) or None
            with target.open("wb") as out, tqdm(total=total, unit="B", unit_scale=True, desc=target.name,
                                                file=sys.stderr, leave=False) as bar:
                for block in iter(lambda: response.read(1 << 16), b""):
                    out.write(block)
                    bar.update(len(block))
    except urllib.error.HTTPError as exc:
        target.unlink(missing_ok=True)
        raise CandidateFailed(f"{url} answered HTTP {exc.code}") from None
    except NETWORK_ERRORS as exc:
        target.unlink(missing_ok=True)
        raise CandidateFailed(f"cannot reach {url} ({getattr(exc, 'reason', exc)})") from None
    if expected_sha256 and sha256_of(target) != expected_sha256:
        target.unlink()
        raise CandidateFailed(f"{url} is not the official file (checksum differs)")


def _get(spec: FileSpec, sources: Sources, staging: Path, dest: Path) -> list[str]:
    """The file into the staging folder; returns the reasons every candidate failed (empty list: success)."""
    target = staging / spec.names[0]
    kept = dest / spec.names[0]
    if spec.sha256 and kept.is_file() and sha256_of(kept) == spec.sha256:
        shutil.copy2(kept, target)  # already there and verified: no need to fetch it again
        return []
    reasons = []
    for url in sources.candidates(spec):
        try:
            _fetch(url, target, spec.sha256)
            return []
        except CandidateFailed as failed:
            reasons.append(str(failed))
    reasons += sources.portal_reasons(spec)
    return reasons or ["no source is known"]


def _move_into_place(staging: Path, dest: Path) -> None:
    if not dest.exists():
        staging.rename(dest)
        return
    for path in staging.iterdir():
        os.replace(path, dest / path.name)


def download_files(dest: Path, base_url: str | None = None, version: str | None = None,
                   report: Callable[[str], None] | None = None) -> list[str]:
    """Fetch, check and build the whole data set, then move it into `dest`; warnings for optional files.

    `report(line)` hears what was built along the way (the CLI prints it); this module never prints.

    A required file that no source gives, a set that does not parse, or an interruption raises (or propagates)
    and leaves `dest` as it was: untouched if it existed, absent if it did not.
    """
    manifest = load_manifest(version)
    dest = Path(dest)
    created = [p for p in [dest.parent, *dest.parent.parents] if not p.exists()]
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.download-", dir=dest.parent))
    sources = Sources(manifest, base_url)
    warnings: list[str] = []
    try:
        for spec in manifest.files.values():
            if not (spec.url or spec.portal):
                continue
            reasons = _get(spec, sources, staging, dest)
            if not reasons:
                continue
            offline = all(r.startswith("cannot reach") or r.startswith("portal") for r in reasons)
            detail = f"{spec.names[0]}: " + "; ".join(reasons)
            if spec.required:
                hint = offline_hint(manifest, dest)
                if not offline:
                    hint = f"try again later, or {hint}"
                prefix = "you seem to be offline or the site is blocked — " if offline else ""
                raise UserError(f"{prefix}{detail}. Nothing was saved: {hint}")
            warnings.append(f"{detail} (optional: the app works without it)")
        for name in derived.build_missing(manifest, staging):
            if report:
                report(f"built {name} from the official files")
        _check(manifest, staging)
        _move_into_place(staging, dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in created:  # a --dest under folders that did not exist: leave no empty folders either
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
    return warnings


def _check(manifest: Manifest, staging: Path) -> None:
    """The downloaded set parses and validates as the app will read it (an HTML error page saved as CSV, say)."""
    try:
        load_noc(manifest.version, data_dir=staging, use_cache=False)
    except NocDataError as exc:
        raise UserError(f"the downloaded files do not check out ({exc}); nothing was saved") from None
