"""A real `NocData` of six hand-written unit groups, and the hashing encoders: the matcher's unit tests in seconds.

The text is written for the tests (it is not NOC data); everything else is the library's own code, so code
look-ups, search and the matcher run exactly as on the full classification.
"""
from __future__ import annotations

from lib.matching.encoders import HashingModel
from lib.noc import DutySection, Exclusion, NocData, UnitGroup

MODEL = "hash"  # the model name the tiny matcher's index is cached under


def _ug(code, en, fr, definition, duties, titles_en, titles_fr, excl=()):
    return UnitGroup(code=code, teer=int(code[1]), title_en=en, title_fr=fr, definition_en=definition,
                     main_duties_en=(DutySection(None, tuple(duties)),), example_titles_en=tuple(titles_en),
                     example_titles_fr=tuple(titles_fr),
                     exclusions_en=tuple(Exclusion(f"{c} (See {c})", (c,)) for c in excl))


def unit_groups() -> list[UnitGroup]:
    return [
        _ug("63200", "Cooks", "Cuisiniers/cuisinières", "Cooks prepare and cook meals.",
            ["Prepare and cook meals in a restaurant kitchen", "Clean kitchen and work areas"],
            ["Line cook", "Short order cook"], ["Cuisinier/cuisinière de restaurant", "Commis de cuisine"],
            excl=["62200"]),
        _ug("62200", "Chefs", "Chefs", "Chefs plan menus and supervise kitchen staff.",
            ["Plan menus and estimate food costs", "Supervise cooks and kitchen staff"],
            ["Executive chef", "Sous-chef"], ["Chef exécutif/chef exécutive", "Sous-chef"], excl=["63200"]),
        _ug("31301", "Registered nurses", "Infirmiers autorisés/infirmières autorisées",
            "Registered nurses provide nursing care to patients.",
            ["Assess patients and administer medications", "Monitor vital signs of patients"],
            ["Registered nurse", "Nurse - intensive care"],
            ["Infirmier/infirmière", "Infirmier/infirmière en soins intensifs"]),
        _ug("21232", "Software developers and programmers",
            "Développeurs/développeuses et programmeurs/programmeuses de logiciels",
            "Software developers write and test code.",
            ["Write, test and debug code for software applications", "Document new software features"],
            ["Software developer", "Programmer"],
            ["Développeur/développeuse de logiciels", "Programmeur/programmeuse"]),
        _ug("72300", "Plumbers", "Plombiers/plombières", "Plumbers install and repair pipes.",
            ["Install and repair water pipes and drains", "Test pipes for leaks"],
            ["Plumber", "Pipe installer"], ["Plombier/plombière", "Installateur/installatrice de tuyaux"]),
        _ug("65100", "Cashiers", "Caissiers/caissières", "Cashiers receive payments in stores.",
            ["Operate cash registers and receive payments", "Bag purchases for customers"],
            ["Cashier", "Grocery cashier"], ["Caissier/caissière", "Caissier/caissière d'épicerie"]),
    ]


def noc(checksum: str = "f" * 64) -> NocData:
    """NOC 2021 with six unit groups and two NOC 2016 codes in its concordance; another checksum = other data."""
    return NocData(
        version="2021", checksum=checksum,
        label={"en": "NOC 2021 (six hand-written unit groups)", "fr": "CNP 2021 (six groupes écrits à la main)"},
        unit_groups={g.code: g for g in unit_groups()}, groups={},
        concordance={"6322": ("63200",), "2174": ("21232",)}, previous_version="2016",
        profile_urls={"en": "https://example.invalid/en/{code}", "fr": "https://example.invalid/fr/{code}"})


def encoders() -> dict:
    """The matcher's two encoders as hashing stand-ins: same text, same vector; no weights, instant."""
    return {"minilm": HashingModel("hash-st"), "use": HashingModel("hash-use")}
