"""The closed value sets of a ranking result, declared once (labels: `match_confidence.*`, `evidence.*` in
data/i18n; tests/test_i18n.py checks each value has one in both languages)."""
from __future__ import annotations

from typing import Literal

MatchConfidence = Literal["high", "medium", "low"]   # Match.confidence, from lib/matching/confidence.py
EvidenceKind = Literal["duty", "title", "definition", "named_title"]  # Evidence.kind: which NOC text the line is
# ("named_title": the title the text names, as the NOC lists it under this group)
