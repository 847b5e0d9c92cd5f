"""One place for environment settings and project paths, with their defaults."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"          # project-authored data (rules, UI strings, NOC version manifests)
CACHE_DIR = DATA_DIR / "cache"    # parsed NOC caches (git-ignored)
MODELS_DIR = ROOT / "models"      # model and index caches (git-ignored)

DEFAULT_NOC_VERSION = "2021"
DEFAULT_MODEL = "all-MiniLM-L6-v2"


def noc_version() -> str:
    """NOC version in use (`NOC_VERSION`); NOC 2026 will be a new manifest in data/noc/."""
    return os.environ.get("NOC_VERSION", DEFAULT_NOC_VERSION).strip() or DEFAULT_NOC_VERSION


def noc_data_dirs(version: str | None = None) -> list[Path]:
    """Folders searched for the official NOC files, in order.

    `NOC_DATA_DIR` wins; otherwise the project's download folder, then the shared folder beside the repo.
    """
    version = version or noc_version()
    explicit = os.environ.get("NOC_DATA_DIR", "").strip()
    if explicit:
        return [Path(explicit).expanduser()]
    return [DATA_DIR / f"noc{version}", ROOT.parent / "shared" / "data" / f"noc{version}"]


def model_name() -> str:
    """Sentence-transformers model: a hub name or a local path (`QC_MODEL`)."""
    return os.environ.get("QC_MODEL", "").strip() or DEFAULT_MODEL


def forced_language() -> str | None:
    """`QC_LANG=en|fr` forces the query language instead of detecting it."""
    value = os.environ.get("QC_LANG", "").strip().lower()
    return value if value in ("en", "fr") else None


def switched_on(variable: str) -> bool:
    """An on/off setting that is on unless set to 0, false, no or off (`QC_ADAPT`, `QC_ONNX`)."""
    return os.environ.get(variable, "1").strip().lower() not in ("0", "false", "no", "off")


def keep_hub_offline() -> None:
    """The bundled or a local sentence model must never reach for the Hugging Face hub (`HF_HUB_OFFLINE=1`);
    called where such a model is chosen (lib.matching.encoders.default_encoders, the NOC adaptation)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
