"""Scanner throughput against matchers over exactly the same literal keys.

All baselines get the same ~2 KB posts and the Scanner's own normalized literal keys
(``Scanner.literal_keys()``); each produces every (overlapping) occurrence, as the
Scanner's matcher must. The Scanner does much more per text (normalization,
verification, pattern rules, structural checks), so its ratio to a bare matcher is
the figure that matters.
"""

from __future__ import annotations

import importlib.util

import pytest

from conftest import PUBLISHED, record

ROUNDS = dict(rounds=5, iterations=1, warmup_rounds=1)


def test_scanner(benchmark, scanner, posts, posts_bytes):
    benchmark.pedantic(lambda: [scanner.scan(p, PUBLISHED) for p in posts], **ROUNDS)
    record("scanner", benchmark, posts_bytes)


def test_scanner_plain(benchmark, scanner, posts, posts_bytes):
    """The reference path (no shortcut): what the fast path is measured against."""
    benchmark.pedantic(lambda: [scanner._scan_plain(p, PUBLISHED) for p in posts], rounds=3, iterations=1,
                       warmup_rounds=1)
    record("scanner_plain", benchmark, posts_bytes)


def test_pyahocorasick_str(benchmark, scanner, posts, posts_bytes):
    import ahocorasick

    auto = ahocorasick.Automaton()
    for i, key in enumerate(scanner.literal_keys()):
        auto.add_word(key, (i, len(key)))
    auto.make_automaton()
    benchmark.pedantic(lambda: [list(auto.iter(p)) for p in posts], **ROUNDS)
    record("pyahocorasick_str", benchmark, posts_bytes)


@pytest.mark.skipif(importlib.util.find_spec("ahocorasick_rs") is None, reason="ahocorasick_rs not installed")
def test_ahocorasick_rs(benchmark, scanner, posts, posts_bytes):
    import ahocorasick_rs

    auto = ahocorasick_rs.AhoCorasick(scanner.literal_keys())
    benchmark.pedantic(lambda: [auto.find_matches_as_indexes(p, overlapping=True) for p in posts], **ROUNDS)
    record("ahocorasick_rs", benchmark, posts_bytes)


@pytest.mark.skipif(importlib.util.find_spec("flashtext") is None, reason="flashtext not installed")
def test_flashtext(benchmark, scanner, posts, posts_bytes):
    from flashtext import KeywordProcessor

    kp = KeywordProcessor(case_sensitive=True)
    for key in scanner.literal_keys():
        kp.add_keyword(key)
    benchmark.pedantic(lambda: [kp.extract_keywords(p, span_info=True) for p in posts], **ROUNDS)
    record("flashtext", benchmark, posts_bytes)


def test_jieba_segment_all(benchmark, scanner, posts):
    """The naive approach: segment everything with jieba, look every token up in a set.
    About 1.8 MB/s, so it runs on the first ~300 KB only (throughput is per byte; the
    whole corpus measured the same); five rounds like the Scanner, so that one slow
    moment of the shared machine does not decide the ratio's median."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    keys = set(scanner.literal_keys())
    sample, size = [], 0
    for p in posts:
        sample.append(p)
        size += len(p.encode("utf-8"))
        if size >= 300_000:
            break
    jieba.initialize()
    benchmark.pedantic(lambda: [[w for w in jieba.lcut(p) if w in keys] for p in sample], **ROUNDS)
    record("jieba_segment_all", benchmark, size)


# ---------------------------------------------------------------- matcher options
@pytest.mark.parametrize("backend", ["rs", "bytes", "str"])
def test_matcher_backend(benchmark, scanner, posts, posts_bytes, backend):
    """The matcher options behind the Scanner's interface, on the Scanner's keys."""
    from cuomin.engine.matcher import LiteralMatcher

    if backend == "rs" and importlib.util.find_spec("ahocorasick_rs") is None:
        pytest.skip("ahocorasick_rs not installed")
    matcher = LiteralMatcher(scanner._matcher.keys, backend)
    for p in posts:  # past the NFA → DFA switch, as in any batch
        matcher.find(p)
    benchmark.pedantic(lambda: [matcher.find(p) for p in posts], **ROUNDS)
    record(f"matcher_{backend}", benchmark, posts_bytes)


def test_stage_normalize(benchmark, scanner, posts, posts_bytes):
    benchmark.pedantic(lambda: [scanner._normalizer(p) for p in posts], **ROUNDS)
    record("stage_normalize_fast", benchmark, posts_bytes)


def test_stage_normalize_plain(benchmark, scanner, posts, posts_bytes):
    from cuomin.engine.normalize import normalize

    table = scanner._table
    benchmark.pedantic(lambda: [normalize(p, table) for p in posts], **ROUNDS)
    record("stage_normalize_plain", benchmark, posts_bytes)


def test_stage_patterns(benchmark, scanner, posts, posts_bytes):
    """Every pattern rule over every post, no gate (the regex cost alone)."""
    rules = [p for _, p in scanner._patterns]
    benchmark.pedantic(lambda: [list(r.finditer(p)) for p in posts for r in rules], **ROUNDS)
    record("stage_patterns_all", benchmark, posts_bytes)


def test_stage_structures(benchmark, scanner, posts, posts_bytes):
    checks = [fast for _, _, fast in scanner._structures]
    benchmark.pedantic(lambda: [list(c(p)) for p in posts for c in checks], **ROUNDS)
    record("stage_structures_fast", benchmark, posts_bytes)


def test_stage_structures_plain(benchmark, scanner, posts, posts_bytes):
    checks = [plain for _, plain, _ in scanner._structures]
    benchmark.pedantic(lambda: [list(c(p)) for p in posts for c in checks], **ROUNDS)
    record("stage_structures_plain", benchmark, posts_bytes)


def test_scanner_with_suspected_typos(benchmark, posts, posts_bytes):
    """The Scanner with the optional suspected-typo pack (confusion-set model), to
    show what turning it on costs (issue 5 asks for ≥ 3 MB/s with it)."""
    from cuomin import Scanner

    heavy = Scanner(extra_packs=["suspected-typos"])
    benchmark.pedantic(lambda: [heavy.scan(p, PUBLISHED) for p in posts], **ROUNDS)
    record("scanner_with_suspected_typos", benchmark, posts_bytes)
