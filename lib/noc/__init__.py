"""The NOC classification: the front door.

    from lib.noc import load_noc
    noc = load_noc()                  # NocData, once per process and folder (raises NocDataError, one line)
    noc.get("21232").title("fr")      # UnitGroup; noc.lookup_code("2174"), noc.search("plombier"), noc.hierarchy(...)

    model.py     NocData, UnitGroup, Group, DutySection, Exclusion, CodeLookup (look-ups, search, hierarchy)
    load.py      load_noc: locate, parse, validate, parsed cache under data/cache/
    parse.py     the official CSV formats -> the model, and its validation
    manifest.py  data/noc/noc<version>.yaml (which files, checksums, sources), finding and reading the files
    derived.py   the two convenience EN/FR tables rebuilt from the official files
    download.py  fetching the official files into place (staged; never prints; the CLI reports)
"""
from __future__ import annotations

from lib.noc.load import load_noc
from lib.noc.model import LEVELS, CodeLookup, DutySection, Exclusion, Group, NocData, UnitGroup

__all__ = ["LEVELS", "CodeLookup", "DutySection", "Exclusion", "Group", "NocData", "UnitGroup", "load_noc"]
