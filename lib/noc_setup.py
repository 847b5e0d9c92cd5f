"""Getting the official NOC files onto a real user's machine, and checking what is there."""
from __future__ import annotations

import os
import socket
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tqdm import tqdm

from lib import settings
from lib.errors import UserError
from lib.noc_files import FileSpec, NocDataError, load_manifest, sha256_of

TIMEOUT_S = 30
OFFLINE_HINT = ("you seem to be offline or the site is blocked: copy the NOC files into {dest} "
                "(or point NOC_DATA_DIR at a folder that has them) and run `python -m lib setup` again")


def _source_url(spec: FileSpec, base_url: str | None) -> str:
    """The official URL, or the same file name under a mirror (tests use a local server)."""
    if base_url:
        return base_url.rstrip("/") + "/" + spec.url.rsplit("/", 1)[-1]
    return spec.url


def _fetch(url: str, target: Path, expected_sha256: str | None) -> None:
    """Download to a temporary name, check, then move into place: a failed download never replaces a good file."""
    tmp = target.with_name(target.name + ".part")
    request = urllib.request.Request(url, headers={"User-Agent": "qc-program-finder-setup"})
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
        total = int(response.headers.get("Content-Length") or 0) or None
        with tmp.open("wb") as out, tqdm(total=total, unit="B", unit_scale=True, desc=target.name, file=sys.stderr) as bar:
            for block in iter(lambda: response.read(1 << 16), b""):
                out.write(block)
                bar.update(len(block))
    if expected_sha256 and sha256_of(tmp) != expected_sha256:
        tmp.unlink(missing_ok=True)
        raise UserError(f"{target.name} downloaded from {url} is not the official file (checksum differs); nothing was replaced")
    tmp.replace(target)


def download_files(dest: Path, base_url: str | None = None, version: str | None = None) -> list[str]:
    """Fetch every file of the manifest that has a URL; returns warnings for optional files that failed."""
    manifest = load_manifest(version)
    dest.mkdir(parents=True, exist_ok=True)
    warnings = []
    for spec in manifest.files.values():
        if not spec.url:
            continue
        target = dest / spec.names[0]
        if target.is_file() and spec.sha256 and sha256_of(target) == spec.sha256:
            continue  # already there and verified
        url = _source_url(spec, base_url)
        try:
            _fetch(url, target, spec.sha256)
        except urllib.error.HTTPError as exc:
            message = f"{spec.names[0]}: {url} answered HTTP {exc.code}"
            if spec.required:
                raise UserError(message + "; try again later or download it by hand into " + str(dest)) from None
            warnings.append(message + " (optional: the app works without it)")
        except (urllib.error.URLError, socket.timeout, ConnectionError, TimeoutError) as exc:
            reason = getattr(exc, "reason", exc)
            if spec.required:
                raise UserError(f"cannot reach {url} ({reason}): " + OFFLINE_HINT.format(dest=dest)) from None
            warnings.append(f"{spec.names[0]}: cannot reach {url} ({reason}) (optional)")
    return warnings


FRENCH_PARTS = {"titles": "titles", "example_titles": "example titles", "main_duties": "main duties",
                "employment_requirements": "employment requirements", "exclusions": "exclusions",
                "definitions": "lead statements"}


def french_summary(noc) -> str:
    """Which French parts the data has, per unit group; what is missing is shown in English."""
    total, have = len(noc.unit_groups), noc.french_coverage()
    parts = [f"{label} {have[part]}/{total}" for part, label in FRENCH_PARTS.items()]
    missing = [label for part, label in FRENCH_PARTS.items() if have[part] == 0]
    return ", ".join(parts) + (f" (no French {', '.join(missing)}: English is shown)" if missing else "")


def run(download: bool = False, base_url: str | None = None, dest: str | None = None, build_index: bool = False) -> int:
    from lib.noc import load_noc

    version = settings.noc_version()
    folder = Path(dest) if dest else settings.DATA_DIR / f"noc{version}"
    if download:
        for warning in download_files(folder, base_url, version):
            print(f"warning: {warning}", file=sys.stderr)
    try:
        noc = load_noc(version, data_dir=folder if (download or dest) else None)
    except NocDataError as exc:
        raise UserError(f"{exc}") from None
    label = noc.label.get("en", noc.version)
    print(f"{label}: {len(noc.unit_groups)} unit groups from {noc.data_dir}")
    for role, name in sorted(noc.sources.items()):
        print(f"  {role:18} {name}")
    print("  French: " + french_summary(noc))
    for role, reason in sorted(noc.skipped.items()):
        print(f"warning: {reason} (French pages use the English {role.split('_')[0]} instead)", file=sys.stderr)
    if download and not os.environ.get("NOC_DATA_DIR"):
        print(f"The app and CLI will use {folder} from now on.")
    if build_index:
        from lib.matching import get_matcher

        bar = tqdm(total=None, desc="index", file=sys.stderr)

        def progress(done: int, total: int, label: str) -> None:
            bar.total, bar.n = total, done
            bar.set_description(label, refresh=False)
            bar.refresh()

        started = time.time()
        matcher = get_matcher(noc, progress=progress)
        bar.close()
        spent = "; ".join(f"{k.removesuffix('_s').replace('adapt', 'model adapted to the NOC in').replace('index', 'index built in')} {v:.0f} s"
                          for k, v in matcher.setup_times.items())
        print(f"Matching model and index ready ({matcher.encoders['st'].name}; {spent or 'loaded from cache'}; "
              f"{time.time() - started:.0f} s in all).")
    return 0
