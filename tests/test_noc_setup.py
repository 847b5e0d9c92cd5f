"""`setup --download` against a local HTTP server on 127.0.0.1 serving the shared files under their official names."""
from __future__ import annotations

import dataclasses
import functools
import shutil
import socket
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from lib import noc_setup
from lib.errors import UserError
from lib.noc import load_noc
from lib.noc_files import load_manifest
from tests.conftest import NOC_DIR


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def mirror(tmp_path):
    """Serve the shared NOC files named as the last part of their official URLs (the French structure is absent)."""
    root = tmp_path / "mirror"
    root.mkdir()
    manifest = load_manifest("2021")
    for spec in manifest.files.values():
        source = next((NOC_DIR / n for n in spec.names if (NOC_DIR / n).is_file()), None)
        if spec.url and source:
            shutil.copy(source, root / spec.url.rsplit("/", 1)[-1])
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def _manifest_without_elements_checksum(monkeypatch):
    """The shared elements table is a reconstruction, so it cannot match the official checksum."""
    manifest = load_manifest("2021")
    files = dict(manifest.files)
    files["elements_en"] = dataclasses.replace(files["elements_en"], sha256=None)
    monkeypatch.setattr(noc_setup, "load_manifest", lambda version=None: dataclasses.replace(manifest, files=files))


def test_download_fetches_checks_and_loads(mirror, tmp_path, monkeypatch):
    _manifest_without_elements_checksum(monkeypatch)
    dest = tmp_path / "noc2021"
    warnings = noc_setup.download_files(dest, base_url=mirror, version="2021")
    assert {p.name for p in dest.iterdir()} == {
        "noc_2021_version_1.0_-_classification_structure.csv",
        "noc_2021_version_1.0_-_elements.csv",
        "cnp_2021_version_1.0_-_elements.csv",
        "statcan_noc2016v1.3_to_noc2021v1.0_concordance_eng.csv",
    }
    assert len(warnings) == 1 and "HTTP 404" in warnings[0]  # the French structure: optional
    noc = load_noc(data_dir=dest, use_cache=False)
    assert len(noc.unit_groups) == 516 and noc.lookup_code("2174").codes == ("21230", "21232", "21234")
    # The official French elements under their official name (5 columns) load, not stop the app.
    assert noc.sources["elements_fr"] == "cnp_2021_version_1.0_-_elements.csv" and not noc.skipped
    assert noc.get("72300").duties("fr")[0].startswith("lire des plans")


def test_download_refuses_a_file_that_is_not_the_official_one(mirror, tmp_path):
    dest = tmp_path / "noc2021"
    with pytest.raises(UserError, match="not the official file"):
        noc_setup.download_files(dest, base_url=mirror, version="2021")
    assert not (dest / "noc_2021_version_1.0_-_elements.csv").exists()
    assert not list(dest.glob("*.part"))


def test_download_offline_says_what_to_do(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    with pytest.raises(UserError, match="offline"):
        noc_setup.download_files(tmp_path / "noc2021", base_url=f"http://127.0.0.1:{closed_port}/", version="2021")
