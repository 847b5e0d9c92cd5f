"""`setup --download` against a local HTTP server on 127.0.0.1 that serves only files under their official names.

We have no official full EN elements file nor the FR structure here, so the served files are official-format
fixtures built at run time (into tmp_path, never committed) from the shared data: the official EN structure and
concordance as they are, the reconstructed EN elements in the official 6 columns, and a French structure and a
full French elements file (5 columns) whose titles, example titles and texts come from the shared tables.
"""
from __future__ import annotations

import csv
import dataclasses
import functools
import json
import shutil
import socket
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lib import settings
from lib.cli import noc as cli_noc
from lib.errors import NoDataFound, UserError
from lib.noc import download as noc_setup
from lib.noc import load_noc
from lib.noc.manifest import find_data_dir, load_manifest
from tests.conftest import NOC_DIR

STRUCTURE_EN = "noc_2021_version_1.0_-_classification_structure.csv"
TITLES = "noc2021_example_titles_en_fr.csv"
UNIT_GROUPS = "noc2021_unit_groups_en_fr.csv"
# How each official file is served: under its Statistics Canada name or under its Open Government Portal name
# (the download then has to fall back from the first candidate to the second).
SERVED_AS = {
    "structure_en": "noc-2021-v1.0-classification-structure.csv",
    "elements_en": "noc_2021_version_1.0_-_elements.csv",
    "structure_fr": "cnp_2021_version_1.0_-_structure_de_la_classification.csv",
    "elements_fr": "cnp_2021_version_1.0_-_elements.csv",
    "concordance": "noc2016v1_3-noc2021v1_0-eng.csv",
}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def _write(path: Path, rows, bom: bool = True) -> None:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]  # official example titles start with a lower-case letter


@pytest.fixture(scope="module")
def official(tmp_path_factory) -> dict[str, Path]:
    """Official-format files (role -> path) built from the shared data."""
    root = tmp_path_factory.mktemp("official")
    titles = _rows(NOC_DIR / TITLES)[1:]
    en_examples = {}
    for code, lang, _, title, _ in titles:
        if lang == "en":
            en_examples.setdefault(code, set()).add(title)

    # EN elements: the official 6 columns; illustrative examples are all among "All examples", as officially.
    header, *body = _rows(NOC_DIR / "noc2021_elements_en_RECONSTRUCTED.csv")
    upper = lambda s: s[:1].upper() + s[1:]
    body = [r[:6] for r in body if len(r) >= 6
            and not (r[4] == "Illustrative example(s)" and upper(r[5]) not in en_examples.get(r[2], ()))]
    _write(root / "elements_en.csv", [header[:6], *body])

    # FR structure: the EN structure's layout with the French unit-group titles (other levels keep English text).
    fr_title = {r[0]: r[3] for r in _rows(NOC_DIR / UNIT_GROUPS)[1:]}
    structure = _rows(NOC_DIR / STRUCTURE_EN)[1:]
    _write(root / "structure_fr.csv", [["Niveau", "Structure hiérarchique", "Code de la CNP 2021 version 1.0",
                                        "Titre de classe", "Définition de classe"]]
           + [[r[0], r[1], r[2], fr_title.get(r[2], r[3]), r[4]] for r in structure])

    # FR elements: the official rows we have, plus "Tous les exemples" (and the first two as illustrative).
    fr_header, *fr_body = _rows(NOC_DIR / "cnp2021_elements_fr_no_examples.csv")
    examples: dict[str, list[list[str]]] = {}
    for code, lang, class_title, title, _ in titles:
        if lang == "fr":
            examples.setdefault(code, []).append(["5", code, class_title, "Tous les exemples", _lower_first(title)])
    rows, seen = [fr_header], set()
    for row in fr_body:
        if row[1] not in seen:
            seen.add(row[1])
            rows += [[*r[:3], "Exemple(s) illustratif(s)", r[4]] for r in examples[row[1]][:2]] + examples[row[1]]
        rows.append(row)
    _write(root / "elements_fr.csv", rows)
    shutil.copy(NOC_DIR / STRUCTURE_EN, root / "structure_en.csv")
    shutil.copy(NOC_DIR / "statcan_noc2016v1.3_to_noc2021v1.0_concordance_eng.csv", root / "concordance.csv")
    return {role: root / f"{role}.csv" for role in SERVED_AS}


def _serve(root: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture
def mirror(official, tmp_path):
    """A local server with the official-format files under their official names; yields (base URL, folder)."""
    root = tmp_path / "mirror"
    root.mkdir()
    for role, name in SERVED_AS.items():
        shutil.copy(official[role], root / name)
    server, base = _serve(root)
    yield base, root
    server.shutdown()


@pytest.fixture
def no_elements_checksum(monkeypatch):
    """The EN elements fixture is a reconstruction, so it cannot match the official checksum."""
    manifest = load_manifest("2021")
    files = dict(manifest.files)
    files["elements_en"] = dataclasses.replace(files["elements_en"], sha256=None)
    patched = dataclasses.replace(manifest, files=files)
    monkeypatch.setattr(noc_setup, "load_manifest", lambda version=None: patched)
    return patched


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir()) if parent.exists() else []


def test_download_gives_the_tested_data(mirror, tmp_path, no_elements_checksum, noc):
    base, _ = mirror
    dest = tmp_path / "data" / "noc2021"
    warnings = noc_setup.download_files(dest, base_url=base, version="2021")
    assert warnings == []
    manifest = load_manifest("2021")
    assert {p.name for p in dest.iterdir()} == {manifest.files[r].names[0] for r in SERVED_AS} | {TITLES, UNIT_GROUPS}
    assert _leftovers(dest.parent) == ["noc2021"]  # no staging folder left beside it

    # The derived tables equal the shared ones (the OaSIS title-type column cannot come from the official files).
    assert _rows(dest / UNIT_GROUPS) == _rows(NOC_DIR / UNIT_GROUPS)
    assert [r[:4] for r in _rows(dest / TITLES)] == [r[:4] for r in _rows(NOC_DIR / TITLES)]

    # And the parsed data equals what the tests check (official titles start lower-case; the shared table's don't).
    got = load_noc(data_dir=dest, use_cache=False)
    assert got.unit_groups.keys() == noc.unit_groups.keys() and got.concordance == noc.concordance
    cap = lambda titles: [t[:1].upper() + t[1:] for t in titles]
    for code, want in noc.unit_groups.items():
        ug = got.unit_groups[code]
        assert (ug.title_en, ug.title_fr, ug.definition_en) == (want.title_en, want.title_fr, want.definition_en)
        assert ug.example_titles_en == want.example_titles_en
        assert cap(ug.example_titles_fr) == cap(want.example_titles_fr), code
        assert _duty_lines(ug) == _duty_lines(want), code


def _duty_lines(ug) -> list[str]:
    """Role headings and duties in order: without the reconstruction's source column, telling a role heading
    from a duty is left to noc_parse's heuristic, which is not what this test is about."""
    return [line for s in ug.main_duties_en for line in ([s.heading] if s.heading else []) + list(s.duties)]


def test_a_failed_download_leaves_no_folder_behind(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    dest = tmp_path / "data" / "noc2021"
    with pytest.raises(UserError, match="offline") as err:
        noc_setup.download_files(dest, base_url=f"http://127.0.0.1:{closed_port}/", version="2021")
    assert str(dest) in str(err.value) and STRUCTURE_EN in str(err.value)  # says which files to put where
    assert not (tmp_path / "data").exists()


@pytest.mark.full_data   # the `official` files are built from the full data
def test_a_partial_download_leaves_the_folder_as_it_was(mirror, tmp_path, no_elements_checksum):
    base, root = mirror
    (root / SERVED_AS["elements_en"]).unlink()  # a required file that no source has
    dest = tmp_path / "noc2021"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine")
    with pytest.raises(UserError, match="noc_2021_version_1.0_-_elements.csv: .*HTTP 404.*Nothing was saved"):
        noc_setup.download_files(dest, base_url=base, version="2021")
    assert _leftovers(dest) == ["notes.txt"] and _leftovers(tmp_path) == ["mirror", "noc2021"]


@pytest.mark.full_data   # the `official` files are built from the full data
def test_download_refuses_a_file_that_is_not_the_official_one(mirror, tmp_path):
    dest = tmp_path / "noc2021"
    with pytest.raises(UserError, match="not the official file"):
        noc_setup.download_files(dest, base_url=mirror[0], version="2021")
    assert _leftovers(tmp_path) == ["mirror"]


@pytest.mark.full_data   # the `official` files are built from the full data
def test_optional_files_that_fail_are_warnings(mirror, tmp_path, no_elements_checksum):
    base, root = mirror
    (root / SERVED_AS["structure_fr"]).unlink()
    (root / SERVED_AS["elements_fr"]).unlink()
    dest = tmp_path / "noc2021"
    warnings = noc_setup.download_files(dest, base_url=base, version="2021")
    assert len(warnings) == 2 and all("HTTP 404" in w and "optional" in w for w in warnings)
    assert not (dest / TITLES).exists() and load_noc(data_dir=dest, use_cache=False).unit_groups


@pytest.mark.full_data   # the `official` files are built from the full data
def test_portal_resources_come_from_the_ckan_api(official, tmp_path):
    root = tmp_path / "portal"
    (root / "api").mkdir(parents=True)
    server, base = _serve(root)
    try:
        url = f"{base}dataset/x/resource/1/download/noc_2021_version_1.0_-_elements.csv"
        (root / "api" / "package_show").write_text(json.dumps({"result": {"resources": [{"url": url}]}}))
        manifest = dataclasses.replace(load_manifest("2021"), portal={"dataset": "x", "api": base + "api/package_show"})
        sources = noc_setup.Sources(manifest)
        spec = manifest.files["elements_en"]
        assert list(sources.candidates(spec)) == [spec.url, url]
    finally:
        server.shutdown()


@pytest.mark.full_data   # the `official` files are built from the full data
def test_official_files_copied_by_hand_get_their_derived_tables(official, tmp_path, capsys):
    folder = tmp_path / "noc2021"
    folder.mkdir()
    manifest = load_manifest("2021")
    for role, path in official.items():
        shutil.copy(path, folder / manifest.files[role].names[0])
    assert cli_noc.setup(dest=str(folder)) == 0
    assert (folder / TITLES).is_file() and (folder / UNIT_GROUPS).is_file()
    assert "516 unit groups" in capsys.readouterr().out


@pytest.mark.full_data
def test_the_search_skips_folders_without_the_files(monkeypatch, tmp_path):
    empty = tmp_path / "data" / "noc2021"
    empty.mkdir(parents=True)  # what an old failed download used to leave behind
    monkeypatch.setattr(settings, "noc_data_dirs", lambda version=None: [empty, NOC_DIR])
    assert find_data_dir(load_manifest("2021")) == NOC_DIR


def test_nothing_found_names_every_folder_and_what_it_lacked(monkeypatch, tmp_path):
    empty, absent = tmp_path / "empty", tmp_path / "absent"
    empty.mkdir()
    (empty / STRUCTURE_EN).write_text("x")
    monkeypatch.setattr(settings, "noc_data_dirs", lambda version=None: [empty, absent])
    with pytest.raises(NoDataFound) as err:
        find_data_dir(load_manifest("2021"))
    message = str(err.value)
    assert f"{empty}: noc_2021_version_1.0_-_elements.csv is missing" in message
    assert f"{absent}: no such folder" in message
    assert f"into {empty}" in message and "cnp_2021_version_1.0_-_elements.csv" in message and "\n" not in message
    assert [folder for folder, _ in err.value.tried] == [empty, absent]
