"""Every tunable of the matcher in one place: what each encoder embeds, the channel weights per route, the
confidence thresholds and the window sizes. Chosen on the dev sets (README, "Matching: how it works and how well");
scripts/train_confidence.py refits THRESHOLDS. Refit the confidence thresholds whenever channels change.

A channel is written "<encoder>.<field>|<mode>": encoder "minilm" (the NOC-adapted all-MiniLM-L6-v2), "use"
(multilingual USE) or "bm25"; field an index field (title_en, title_fr, duty_en, duty_fr) or a per-group BM25
document (group_title_en, group_title_fr); mode "whole" (the whole text) or "sent" (mean over its sentences).
lib/matching/channels.py parses and checks every name here once, at import: a typo fails there, not at query time.
"""
from __future__ import annotations

from dataclasses import dataclass

# What each encoder embeds: exactly the fields some channel below reads (a test checks it; the build cost on 2 cores
# is dominated by "minilm" over 28k English titles). French duties are read through BM25 only.
PLAN = {"minilm": ("title_en", "duty_en"), "use": ("title_en", "title_fr", "duty_en")}

# (route, language) -> {channel: weight}; weighted fusion beat RRF on every bucket of the dev set.
WEIGHTS = {
    # Refit on the O*NET dev titles with the NOC-adapted MiniLM (both halves; README).
    ("title", "en"): {"minilm.title_en|whole": 2.0, "use.title_en|whole": 0.5, "bm25.title_en|whole": 0.5,
                      "use.duty_en|whole": 1.0, "bm25.group_title_en|whole": 0.5, "minilm.duty_en|whole": 1.0},
    ("title", "fr"): {"use.title_en|whole": 3.0, "use.title_fr|whole": 0.5, "bm25.title_fr|whole": 1.0,
                      "bm25.group_title_fr|whole": 1.0, "bm25.duty_fr|whole": 0.25, "use.duty_en|whole": 0.5},
    # English descriptions read the NOC-adapted MiniLM and BM25 only: without USE's two channels (its duties by
    # sentence, its titles against the whole text) O*NET EN descriptions went 0.383 -> 0.390 top-1 (odd half
    # 0.420 -> 0.400, even 0.347 -> 0.380; top-5 0.707 -> 0.717) at half the ranking time (README, "Query speed").
    ("paragraph", "en"): {"minilm.duty_en|sent": 1.0, "minilm.title_en|sent": 2.0, "bm25.duty_en|whole": 0.5},
    # French text meets the official French duties through BM25 (French stems, gender folding) and the French
    # titles, next to USE over the English duties: O*NET FR descriptions top-1 0.26 -> 0.35 on both halves.
    ("paragraph", "fr"): {"use.duty_en|sent": 2.0, "use.title_en|whole": 0.5, "bm25.duty_fr|whole": 0.5,
                          "bm25.group_title_fr|whole": 0.25, "use.title_fr|whole": 0.5},
    # Short French descriptions ("je conduis un camion de livraison") are read as English through a word-by-word
    # translation (lib/matching/fr_words.py) with the English description weights: FR one-sentence top-1
    # 0.53 -> 0.67 on both halves of the dev set. Longer French text keeps the route above (translation noise
    # cost paragraphs 3 points). The dev FR sentences have 6-13 words, the paragraphs 20-35.
    ("short", "fr"): {"minilm.duty_en|sent": 2.0, "use.duty_en|sent": 2.0, "minilm.title_en|sent": 1.0,
                      "use.title_en|whole": 0.5},
}
SHORT_FR_MAX_WORDS = 16        # French descriptions up to this many words take the "short" route
TRANSLATED = ("minilm",)       # on the "short" route these English-only encoders read the translation
# Without the official French elements the French routes fall back to English duties through USE.
FALLBACK_WEIGHTS = {
    ("paragraph", "fr"): {"use.duty_en|sent": 2.0, "use.title_en|whole": 0.5},
    ("title", "fr"): {"use.title_en|whole": 2.0, "use.title_fr|whole": 0.5, "bm25.title_fr|whole": 1.0,
                      "bm25.group_title_fr|whole": 0.25},
}
# A title named inside a description vs the description itself: 0.5 beat 1 and 2 on every synthetic
# title-in-text and ad bucket, both halves (README).
SPAN_WEIGHT = 0.5
# Added to the one group whose NOC titles include the named title word for word (README: ads headed by a NOC title).
EXACT_TITLE_BONUS = 0.1
# Evidence shown per result: the closest duties and example titles through these channels.
EVIDENCE = {"en": ("minilm.duty_en", "minilm.title_en"), "fr": ("use.duty_en", "use.title_fr")}
EVIDENCE_PER_CHANNEL = 2

MAX_SENTENCES = 8              # a pasted ad is scored on its first 8 duty-like sentences (~3 ms of int8 MiniLM each)
AD_MIN_SENTENCES = 6           # boilerplate is only dropped from long pasted text
DUTY_TOPK = 3                  # a group's duty score is the mean of its 3 best duties
LOOKALIKE_WINDOW = 5           # an excluded code counts as a look-alike when it ranks in the top 5


# The top result is "low" when channels holding less than a third of the fused weight rank it first on their own:
# on the O*NET dev files rank-1 precision was 0.21-0.36 under a third (README, "Confidence"). How much agreement
# "high" needs is fitted per kind and language with the thresholds below.
AGREE_FOR_MEDIUM = 1 / 3


@dataclass(frozen=True)
class Thresholds:
    high_score: float
    high_margin: float
    high_agree: float       # the share of the fused weight whose channel ranks the winner first, for "high"
    medium_score: float
    medium_margin: float
    floor: float            # below this top score nothing is convincing
    near: float             # later results within this gap of the top one count as "medium"


# Fitted by scripts/train_confidence.py on the shared O*NET dev sets, the project's own sets, the synthetic ads and
# the held-out NOC titles, per input kind and language (French descriptions and titles score on other scales).
# "high" (score, margin, agreement): right at rank 1 >= 0.85 of the time on each half and on every file where it
# covers two items or more (a text naming a title the NOC lists under the winner alone is "high" by rule);
# "medium" >= 0.50 of the rest. Floors stay under the 3 % quantile of the dev scores and above nonsense text.
THRESHOLDS = {
    "title": Thresholds(high_score=0.75, high_margin=0.0, high_agree=0.667,
                        medium_score=0.28, medium_margin=0.03, floor=0.45, near=0.05),
    "title_fr": Thresholds(high_score=0.8, high_margin=0.04, high_agree=0.0,
                           medium_score=0.29, medium_margin=0.0, floor=0.45, near=0.05),
    # Refit whole when English descriptions moved to MiniLM + BM25 only (their scores sit higher): nonsense
    # paragraphs top at 0.43, 3 % of the dev descriptions under 0.48.
    "paragraph": Thresholds(high_score=0.69, high_margin=0.1, high_agree=0.0,
                            medium_score=0.45, medium_margin=0.0, floor=0.45, near=0.02),
    "paragraph_fr": Thresholds(high_score=0.54, high_margin=0.05, high_agree=0.0,
                               medium_score=0.36, medium_margin=0.015, floor=0.32, near=0.02),
}

# One adaptation step costs about as much as embedding this many texts, so the setup bar's single ETA covers both
# stages: 3.15 s a step (124 steps in 390 s) against 1.15 ms a text (97.7k in 112 s), same 2-core machine, since the
# index is embedded in numpy on every core (issue 13; it was 400 when the build ran through torch, already too few).
STEP_COST = 2700
