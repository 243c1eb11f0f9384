"""Train the score of the suspected-typo family (TYP900) and write
``wordlists/confusion_weights.json``.

    pip install -e '.[bench]'        # numpy
    python benchmarks/train_typos.py [--max-fa 0.85] [--l2 0.3 1 3 10 30] [--positive-weight 1 2 5]

Training data, from the shared corpora (read, never copied: only the fitted weights are
written): every candidate of ``confusion.candidates`` on the *tune* half of the
development set (``../shared/corpus/ecspell_odw_train.tsv``, split as
``eval_typos.py`` splits it) — positive when it covers a wrong character — and every
candidate on the *even* paragraphs of ``../shared/corpus/news_zh.txt`` (edited prose:
all negative). The held-out half of the development set and the odd paragraphs of
the news are left for ``eval_typos.py``.

The model is an L2-regularised logistic regression over ``confusion.FEATURES``
(standardised, fitted by Newton's method, positives weighted); standardisation is folded
into the written weights. ``min_score`` is the lowest threshold (step 0.05) whose false
alarms on the training news stay at or under ``--max-fa`` per 10,000 characters. The
regularisation and the positives' weight are chosen from a small grid by 5-fold
cross-validation on the training data alone (the recall on the tune sentences of each
fold's model, at the threshold its own training news allow), so the held-out figures
of ``eval_typos.py`` stay unseen.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from cuomin.engine import confusion
from eval_typos import SHARED, load_dev, news_paragraphs

ROOT = Path(__file__).resolve().parents[1]


def dataset(texts) -> list[list[tuple]]:
    """Per text: its candidates as (start, end, features, label)."""
    return [[(start, end, x, any(start <= i < end for i in errors))
             for start, end, _word, _gain, x in confusion.candidates(text)] for errors, text in texts]


def fit(X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray, l2: float, iterations: int = 50) -> np.ndarray:
    """Logistic regression (intercept last) by Newton's method."""
    Xb = np.hstack([X, np.ones((len(X), 1))])
    w = np.zeros(Xb.shape[1])
    reg = np.full(Xb.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(Xb @ w)))
        grad = Xb.T @ (sample_weight * (p - y)) + reg * w
        hess = (Xb * (sample_weight * p * (1 - p))[:, None]).T @ Xb + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def train(groups: list[list[tuple]], l2: float, positive_weight: float) -> tuple[np.ndarray, float]:
    """(weights, bias) on the original feature scale."""
    rows = [c for g in groups for c in g]
    X = np.array([x for _, _, x, _ in rows])
    y = np.array([float(label) for *_, label in rows])
    mu, sd = X.mean(axis=0), X.std(axis=0)
    sd[sd == 0] = 1.0
    w = fit((X - mu) / sd, y, np.where(y == 1, positive_weight, 1.0), l2)
    return w[:-1] / sd, float(w[-1] - (mu / sd) @ w[:-1])


def _scored(groups, coef, bias):
    return [[(s, e, None, bias + float(np.dot(coef, x))) for s, e, x, _ in g] for g in groups]


def threshold_for(news_groups, coef, bias, news_chars: int, max_fa: float) -> float | None:
    """The lowest threshold (step 0.05) with at most ``max_fa`` false alarms per 10k characters."""
    scored = _scored(news_groups, coef, bias)
    for t in np.arange(-3.0, 8.0001, 0.05):
        if sum(len(confusion.select(g, float(t))) for g in scored) / news_chars * 1e4 <= max_fa:
            return round(float(t), 2)
    return None


def recall(dev_groups, errors_per_text, coef, bias, threshold: float) -> float:
    covered = wrong = 0
    for g, errors in zip(_scored(dev_groups, coef, bias), errors_per_text):
        found = confusion.select(g, threshold)
        wrong += len(errors)
        covered += len({i for s, e, *_ in found for i in errors if s <= i < e})
    return covered / wrong if wrong else 0.0


def cross_validate(dev, dev_groups, news, news_groups, l2, pw, max_fa, folds: int = 5) -> float:
    """Mean tune recall of models fitted without each fold, at their own thresholds."""
    out = []
    for k in range(folds):
        train_groups = [g for i, g in enumerate(dev_groups + news_groups) if i % folds != k]
        coef, bias = train(train_groups, l2, pw)
        held_news = [g for i, g in enumerate(news_groups) if (len(dev_groups) + i) % folds == k]
        held_chars = sum(len(t) for i, (_, t) in enumerate(news) if (len(dev_groups) + i) % folds == k)
        t = threshold_for(held_news, coef, bias, held_chars, max_fa)
        fold_dev = [(g, errs) for i, (g, (errs, _)) in enumerate(zip(dev_groups, dev)) if i % folds == k]
        out.append(recall([g for g, _ in fold_dev], [e for _, e in fold_dev], coef, bias, t) if t is not None else 0.0)
    return float(np.mean(out))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=SHARED / "ecspell_odw_train.tsv")
    ap.add_argument("--news", type=Path, default=SHARED / "news_zh.txt")
    ap.add_argument("--max-fa", type=float, default=0.85, help="false alarms per 10k training-news characters")
    ap.add_argument("--l2", type=float, nargs="+", default=[0.3, 1.0, 3.0, 10.0, 30.0])
    ap.add_argument("--positive-weight", type=float, nargs="+", default=[1.0, 2.0, 5.0])
    ap.add_argument("--out", type=Path, default=ROOT / "wordlists" / "confusion_weights.json")
    args = ap.parse_args(argv)
    if not args.data.exists() or not args.news.exists():
        print("the shared corpora are not here; nothing trained", file=sys.stderr)
        return 1
    tune = load_dev(args.data)["tune"]
    news = news_paragraphs(args.news)["train"]
    news_chars = sum(len(t) for _, t in news)
    dev_groups, news_groups = dataset(tune), dataset(news)
    grid = [(l2, pw) for l2 in args.l2 for pw in args.positive_weight]
    cv = {(l2, pw): cross_validate(tune, dev_groups, news, news_groups, l2, pw, args.max_fa) for l2, pw in grid}
    for (l2, pw), r in cv.items():
        print(f"l2 {l2:g}, positive weight {pw:g}: cross-validated tune recall {r:.3f}")
    l2, pw = max(grid, key=lambda k: (cv[k], -k[0]))
    coef, bias = train(dev_groups + news_groups, l2, pw)
    threshold = threshold_for(news_groups, coef, bias, news_chars, args.max_fa)
    if threshold is None:
        print("no threshold reaches --max-fa", file=sys.stderr)
        return 1
    rows = [c for g in dev_groups + news_groups for c in g]
    positives = sum(1 for *_, label in rows if label)
    out = {
        "about": "Weights of the suspected-typo score (TYP900), written by benchmarks/train_typos.py; see docs/quality.md.",
        "features": list(confusion.FEATURES),
        "weights": [round(float(v), 6) for v in coef],
        "bias": round(bias, 6),
        "min_score": threshold,
        "trained_on": {
            "dev_tune_sentences": len(tune),
            "news_training_characters": news_chars,
            "candidates": len(rows),
            "positives": positives,
            "min_freq": confusion.MIN_FREQ,
            "min_freq_long": confusion.MIN_FREQ_LONG,
            "min_freq_shape_long": confusion.MIN_FREQ_SHAPE_LONG,
            "gain_floor": confusion.GAIN_FLOOR,
            "window": confusion.WINDOW,
            "l2": l2,
            "positive_weight": pw,
            "cross_validated_tune_recall": round(cv[(l2, pw)], 4),
            "max_fa": args.max_fa,
        },
    }
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(rows)} candidates ({positives} positive); l2 {l2:g}, positive weight {pw:g}; "
          f"min_score {threshold}; wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
