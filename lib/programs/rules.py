"""The rules files loaded and checked together: `load_rules` -> `Rules`, what engine.evaluate applies.

Each file is validated against schema.py by yaml_load.parse (one located line per mistake); here the files are
checked against each other and against the NOC in use (the version, every code they name), then indexed.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lib.errors import RulesError
from lib.programs.schema import (
    DRAWS_PATH,
    PROGRAMS_PATH,
    REGULATED_PATH,
    DrawsFile,
    ProgramsFile,
    RegulatedFile,
    RegulatedProfession,
    Regulator,
    Source,
    Text,
)
from lib.programs.yaml_load import parse


@dataclass(frozen=True)
class Rules:
    programs: ProgramsFile
    regulated_file: RegulatedFile
    sources: dict[str, Source]
    regulated_sources: dict[str, Source]
    regulators: dict[str, Regulator]
    regulated_by_code: dict[str, RegulatedProfession]
    draws_file: DrawsFile | None = None

    def message(self, key: str, **params) -> Text:
        """Render one template in both languages; Text parameters are picked per language."""
        template = self.programs.messages[key]
        out = {}
        for lang in ("en", "fr"):
            values = {k: (v.get(lang) if isinstance(v, Text) else v) for k, v in params.items()}
            out[lang] = getattr(template, lang).format(**values)
        return Text(**out)


def load_rules(noc=None, programs_path: str | Path | None = None,
               regulated_path: str | Path | None = None, draws_path: str | Path | None = None) -> Rules:
    """Read and validate both rules files against the NOC in use; raises RulesError (one line)."""
    if noc is None:
        from lib.noc import load_noc
        noc = load_noc()
    p_path = Path(programs_path or PROGRAMS_PATH)
    r_path = Path(regulated_path or REGULATED_PATH)
    programs = parse(ProgramsFile, p_path)
    regulated = parse(RegulatedFile, r_path)
    draws = parse(DrawsFile, Path(draws_path or DRAWS_PATH))
    for path, version in ((p_path, programs.noc_version), (r_path, regulated.noc_version)):
        if version != noc.version:
            raise RulesError(f"{path}: written for NOC {version} but NOC {noc.version} is loaded; "
                             f"update the codes and noc_version")
    for component_id, code in programs.component_codes():
        if code not in noc.unit_groups:
            raise RulesError(f"{p_path}: component {component_id}: {code} is not a NOC {noc.version} code")
    for prof in regulated.professions:
        if prof.code not in noc.unit_groups:
            raise RulesError(f"{r_path}: {prof.code} is not a NOC {noc.version} code")
    return Rules(programs=programs, regulated_file=regulated,
                 sources={s.id: s for s in programs.sources},
                 regulated_sources={s.id: s for s in regulated.sources},
                 regulators={r.id: r for r in regulated.regulators},
                 regulated_by_code={p.code: p for p in regulated.professions}, draws_file=draws)
