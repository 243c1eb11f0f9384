"""The Scanner: rule packs compiled once, then reused for any number of texts.

Pipeline per text: normalize (offset map) → one Aho-Corasick pass over all literal
keys and allow phrases → verify each hit (effective date, context, word boundary)
→ sensitive keys written in pinyin, where the text has any (engine/pinyin.py) →
pattern rules and structural checks → allow-list → overlap resolution → Findings.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Iterable, Mapping, Optional, Sequence, Union

from ..encoding import has_lone_surrogates, replace_lone_surrogates
from ..models import CATEGORY_PRIORITY, SEVERITY_RANK, Category, Finding, Severity
from ..rules.loader import (
    AllowPhrase,
    PackError,
    default_pack_paths,
    expand_pack_paths,
    load_allow_file,
    load_pack,
    shipped_charmap_path,
)
from .chartables import pinyin_heteronyms, pinyin_readings, similar_chars
from .matcher import LiteralMatcher
from .normalize import BASE_TABLE, Normalizer, make_fold_table, normalize, normalize_key
from .patterns import DIGIT, PatternRule, compile_pattern_rule
from .pinyin import PINYIN_CONFIDENCE, PinyinIndex
from .roster import TitleProbe, title_probes
from .structure import CHECK_PARAMS, CHECKS, FAST_CHECKS, RULE_SET_CHECKS
from .verify import ContextCheck, context_allows, on_word_boundaries, on_word_boundaries_as

if TYPE_CHECKING:  # the pydantic schema is only imported to build (not to load) a Scanner
    from ..rules.schema import Pack, Rule

PackLike = Union[str, "os.PathLike[str]", "Pack"]
ParamValue = Union[bool, int, float, str]
AllowLike = Union[str, AllowPhrase, "os.PathLike[str]"]


def code_selected(code: str, category: str, selectors: Iterable[str]) -> bool:
    """Whether a rule matches any selector: a category id, a code, or a code prefix."""
    return any(sel == category or code.startswith(sel.upper()) for sel in selectors)


@dataclass(frozen=True)
class _Literal:
    """A compiled literal entry (one per wrong form)."""

    code: str
    category: str
    severity: str
    wrong: str
    suggestions: tuple[str, ...]
    message: str
    source: str
    effective: Optional[dt.date]
    boundary: bool
    context: Optional[ContextCheck]
    #: a roster title (:class:`~cuomin.engine.roster.TitleProbe`): the hit is the title,
    #: and the findings are the names beside it, judged at the publication date
    probe: Optional[TitleProbe] = None

    @property
    def sensitive_word(self) -> bool:
        """A sensitive word (not a roster title): what evasion by pinyin or homophones
        is read for."""
        return self.category == "sensitive" and self.probe is None


@dataclass(frozen=True)
class _RuleMeta:
    """What scanning needs of a pattern or structure rule (plain data, no pydantic)."""

    code: str
    category: str
    severity: str
    reason: str
    source: str
    tier: str
    effective: Optional[dt.date]
    context: Optional[ContextCheck]

    @classmethod
    def of(cls, rule: "Rule") -> "_RuleMeta":
        return cls(
            rule.code, rule.category.value, rule.severity.value, rule.reason, rule.source, rule.tier,
            rule.effective, ContextCheck.of(rule.context),
        )


@dataclass(frozen=True)
class RuleInfo:
    """What `cuomin rules` shows about a rule; ``pack`` is the file it came from."""

    rule: "Rule"
    pack: str

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def entry_count(self) -> int:
        if self.rule.kind == "literal":
            return sum(len(e.wrong) for e in self.rule.entries)
        if self.rule.kind == "roster":
            return len(self.rule.people)
        return 1


@dataclass
class _Candidate:
    start: int
    end: int
    code: str
    category: str
    severity: str
    suggestions: Sequence[str]
    message: str
    source: str
    confidence: float = 1.0
    tier: str = "confirmed"

    def sort_key(self):
        # confirmed before suspected, then longer spans (more specific) first, then
        # category priority, then severity
        return (
            self.tier != "confirmed",
            -(self.end - self.start),
            _CATEGORY_ORDER[self.category],
            -SEVERITY_RANK[self.severity],
            self.start,
            self.code,
        )


#: the confidence of a roster name with one character wrong (suspected, 疑似)
NEAR_NAME_CONFIDENCE = 0.9
_NEWLINE = re.compile("\n")
_CATEGORY_ORDER = {c: i for i, c in enumerate(CATEGORY_PRIORITY)}


class Scanner:
    """Finds 错敏 problems in text.

    ``packs``: rule pack paths (files or directories) or parsed :class:`Pack` objects
    replacing the default packs; ``extra_packs``: packs added to them. ``allow``:
    phrases that are never reported (``str``), :class:`AllowPhrase` objects, or paths
    of allow-list files (``pathlib.Path``). ``select``/``ignore``: category ids, codes
    or code prefixes. ``params``: rule code → parameters of its structure check, over
    the rule's own (``{"TYP900": {"min_score": 1.0}}``). The examples of packs given here are run and a pack whose
    examples fail is refused (:class:`PackError`); the shipped packs' examples run
    in the test suite instead, so that building the default Scanner stays fast.
    A Scanner is immutable once built: reuse it, share it between
    threads, pickle it to worker processes.
    """

    def __init__(
        self,
        packs: Optional[Iterable[PackLike]] = None,
        *,
        extra_packs: Iterable[PackLike] = (),
        allow: Iterable[AllowLike] = (),
        select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        check_examples: bool = True,
        params: Optional[Mapping[str, Mapping[str, ParamValue]]] = None,
    ):
        user_packs = _load_packs(extra_packs if packs is None else [*packs, *extra_packs])
        if check_examples:
            from .examples import check_examples as _check

            for pack in user_packs:
                _check(pack)
        loaded = (_load_packs(default_pack_paths()) if packs is None else []) + user_packs
        self.select = tuple(select)
        self.ignore = tuple(ignore)
        self.params = {code.upper(): dict(values) for code, values in (params or {}).items()}
        self.allow = tuple(_load_allow(allow))
        self._rules: Optional[dict[str, RuleInfo]] = {}
        self._rules_blob: Optional[bytes] = None
        for pack in loaded:
            for rule in pack.rules:
                if rule.code in self.rules:
                    raise PackError(
                        f"{pack.path}: rule {rule.code} is already defined in {self.rules[rule.code].pack}"
                    )
                self.rules[rule.code] = RuleInfo(rule, pack.path)
        charmap: dict[str, str] = dict(load_pack(shipped_charmap_path()).charmap)
        for pack in loaded:
            charmap.update(pack.charmap)
        self._table = make_fold_table(charmap) if charmap else BASE_TABLE
        self._build()

    # ---------------------------------------------------------------- building
    def _active(self, rule: "Rule") -> bool:
        return self._selected(rule.code, rule.category.value)

    def _selected(self, code: str, category: str) -> bool:
        """Whether a rule of this code and category runs, after ``select``/``ignore``."""
        if self.select and not code_selected(code, category, self.select):
            return False
        return not (self.ignore and code_selected(code, category, self.ignore))

    def _build(self) -> None:
        # what the ledger and option checks need to know of every rule, kept apart from
        # the rule objects (unpickling those imports pydantic: ~0.1 s)
        self._categories = {code: info.rule.category.value for code, info in self.rules.items()}
        self._literals: list[_Literal] = []
        self._patterns: list[tuple[_RuleMeta, PatternRule]] = []
        self._structures: list[tuple[_RuleMeta, object, object]] = []
        keys: dict[str, list[int]] = {}
        given: list[tuple[int, str]] = []  # structure rules that read the rule set (bound below)
        for info in self.rules.values():
            rule = info.rule
            if not self._active(rule):
                continue
            try:
                if rule.kind == "literal":
                    for entry in rule.entries:
                        for wrong in entry.wrong:
                            key = normalize_key(wrong, self._table)
                            keys.setdefault(key, []).append(len(self._literals))
                            self._literals.append(_compile_literal(rule, entry, wrong))
                elif rule.kind == "roster":
                    for probe in title_probes(rule, similar_chars()):
                        keys.setdefault(normalize_key(probe.title, self._table), []).append(len(self._literals))
                        self._literals.append(_compile_roster_probe(rule, probe))
                elif rule.kind == "pattern":
                    self._patterns.append((_RuleMeta.of(rule), compile_pattern_rule(rule)))
                else:
                    if rule.check not in CHECKS:
                        raise ValueError(f"unknown check {rule.check!r} (known: {', '.join(sorted(CHECKS))})")
                    check = CHECKS[rule.check]
                    fast_check = FAST_CHECKS.get(rule.check, check)
                    # a check's parameters (thresholds) come from its rule, then from ``params``
                    _check_params(rule.check, rule.params)
                    values = {**rule.params, **self.params.get(rule.code, {})}
                    if values:
                        check, fast_check = partial(check, **values), partial(fast_check, **values)
                    self._structures.append((_RuleMeta.of(rule), check, fast_check))
                    if rule.check in RULE_SET_CHECKS:
                        given.append((len(self._structures) - 1, rule.check))
            except ValueError as exc:
                raise PackError(f"{info.pack}: rule {rule.code}: {exc}") from None
        for code, values in self.params.items():
            info = self.rules.get(code)
            if info is None or info.rule.kind != "structure":
                raise PackError(f"params for {code}: no structure rule of that code is loaded")
            try:
                _check_params(info.rule.check, values)
            except ValueError as exc:
                raise PackError(f"params for {code}: {exc}") from None
        for i, name in given:
            meta, check, fast_check = self._structures[i]
            extra = RULE_SET_CHECKS[name](keys, self._literals)
            self._structures[i] = (meta, partial(check, **extra), partial(fast_check, **extra))
        for i, allowed in enumerate(self.allow):
            keys.setdefault(normalize_key(allowed.phrase, self._table), []).append(-1 - i)
        # pattern rules' anchors: one pass over the text as written tells which rules
        # can match it at all (the reference path runs every rule instead)
        anchors: dict[str, list[int]] = {}
        for i, (_, prule) in enumerate(self._patterns):
            for anchor in prule.anchors:
                anchors.setdefault(anchor, []).append(i)
        self._anchor_rules = [frozenset(ids) for ids in anchors.values()]
        self._anchor_matcher = LiteralMatcher(list(anchors)) if anchors else None
        key_list = list(keys)
        self._key_values = [(len(key), tuple(ids)) for key, ids in keys.items()]
        self._matcher = LiteralMatcher(key_list)
        self._normalizer = Normalizer(self._table, key_list)
        self._plain_matcher: Optional[LiteralMatcher] = None
        # sensitive keys are also looked for where the text writes them in pinyin
        sensitive = [
            (key, k) for k, key in enumerate(key_list)
            if any(i >= 0 and self._literals[i].sensitive_word for i in keys[key])
        ]
        self._pinyin = (PinyinIndex(sensitive, pinyin_readings(), pinyin_heteronyms()) or None) if sensitive else None

    # ---------------------------------------------------------------- scanning
    def scan(self, text: str, published: Optional[dt.date] = None) -> list[Finding]:
        """All findings in ``text``, sorted by position. ``published`` is the
        publication date for date-aware rules (default: today). Surrogate code points
        (not characters; e.g. from a JSON ``\\udc80`` escape) are read as U+FFFD,
        which keeps the offsets."""
        return self._scan(text, published, True)

    def _scan_plain(self, text: str, published: Optional[dt.date] = None) -> list[Finding]:
        """:meth:`scan` without any shortcut (plain normalization, pyahocorasick over
        ``str`` keys, every pattern and check on every text): the reference the fast
        path is tested against."""
        return self._scan(text, published, False)

    def _scan(self, text: str, published: Optional[dt.date], fast: bool) -> list[Finding]:
        try:
            return self._scan_text(text, published, fast)
        except UnicodeEncodeError:  # the matchers take UTF-8: checked only when it fails
            if not has_lone_surrogates(text):
                raise
            return self._scan_text(replace_lone_surrogates(text), published, fast)

    def _scan_text(self, text: str, published: Optional[dt.date], fast: bool) -> list[Finding]:
        if not text:
            return []
        if published is None:
            published = dt.date.today()
        elif isinstance(published, dt.datetime):
            published = published.date()
        candidates: list[_Candidate] = []
        allowed: list[tuple[int, int, tuple[str, ...]]] = []
        if self._key_values:
            if fast:
                norm = self._normalizer(text)
                hits = self._matcher.find(norm.text)
            else:
                norm = normalize(text, self._table)
                if self._plain_matcher is None:
                    self._plain_matcher = LiteralMatcher(self._matcher.keys, "str")
                hits = self._plain_matcher.find(norm.text)
            if hits:
                self._match_literals(text, norm, hits, published, candidates, allowed)
            if self._pinyin is not None:
                spelt = self._pinyin.find(norm.text, lambda a, b: text[slice(*norm.span(a, b))])
                if spelt:
                    self._match_pinyin(text, norm, spelt, published, candidates)
            del norm, hits  # a copy of the text: not kept through the other stages
        has_digit = None
        anchored: frozenset[int] = frozenset()
        if fast and self._anchor_matcher is not None:
            owners = {k for k, _, _ in self._anchor_matcher.find(text)}
            anchored = frozenset().union(*(self._anchor_rules[k] for k in owners))
        for i, (rule, prule) in enumerate(self._patterns):
            if rule.effective and published < rule.effective:
                continue
            if fast and prule.anchors and i not in anchored:
                continue
            if fast and prule.gate is not None:
                if prule.gate_digits_only:
                    if has_digit is None:
                        has_digit = DIGIT.search(text) is not None
                    if not has_digit:
                        continue
                elif prule.gate.search(text) is None:
                    continue
            for start, end, suggestions in prule.finditer(text):
                if context_allows(text, start, end, rule.context):
                    candidates.append(_rule_candidate(rule, start, end, suggestions))
        for rule, check, fast_check in self._structures:
            # a check yields (start, end, suggestions, detail[, confidence])
            for start, end, suggestions, detail, *confidence in (fast_check if fast else check)(text):
                candidates.append(_rule_candidate(rule, start, end, suggestions, detail, *confidence))
        if not candidates:
            return []
        if allowed:
            candidates = [c for c in candidates if not _is_allowed(c, allowed)]
        return _to_findings(text, _resolve_overlaps(candidates))

    def _match_literals(self, text, norm, hits, published, candidates, allowed) -> None:
        """Verify literal hits. A hit turned down for its date or its context still
        *shadows* the shorter hits inside it: in a 2022 text 银保监会 is right, so 保监会
        (abolished in 2018) must not be reported inside it; nor 土资源 inside 原国土资源部."""
        boundary_cache: dict[tuple[int, int], bool] = {}
        shadows: list[tuple[int, int]] = []
        found: list[_Candidate] = []
        literals = self._literals
        key_values = self._key_values
        for k, s, e in hits:
            length, ids = key_values[k]
            start, end = norm.span(s, e)
            spread = (end - start) != length
            for i in ids:
                if i < 0:
                    allowed.append((start, end, self.allow[-1 - i].codes))
                    continue
                lit = literals[i]
                if spread and lit.category != "sensitive":
                    continue
                if lit.probe is not None:
                    if lit.effective is None or published >= lit.effective:
                        self._judge_names(text, norm, lit, s, e, published, found, shadows)
                    continue
                if _turned_down(lit, text, start, end, published):
                    shadows.append((start, end))
                    continue
                if lit.boundary:
                    ok = boundary_cache.get((s, e))
                    if ok is None:
                        ok = boundary_cache[(s, e)] = on_word_boundaries(norm.text, s, e)
                    if not ok:
                        continue
                found.append(
                    _Candidate(start, end, lit.code, lit.category, lit.severity, lit.suggestions, lit.message, lit.source)
                )
        if shadows:
            found = [c for c in found if not any(a <= c.start and c.end <= b and b - a > c.end - c.start for a, b in shadows)]
        candidates.extend(found)

    def _match_pinyin(self, text, norm, spelt, published, candidates) -> None:
        """Verify sensitive keys found written in pinyin (engine/pinyin.py): as their
        literal hits, with the word boundary judged on the text with the key put back."""
        for k, s, e, key in spelt:
            start, end = norm.span(s, e)
            for i in self._key_values[k][1]:
                if i < 0:
                    continue
                lit = self._literals[i]
                if not lit.sensitive_word:
                    continue
                if _turned_down(lit, text, start, end, published):
                    continue
                if lit.boundary and not on_word_boundaries_as(norm.text, s, e, key):
                    continue
                candidates.append(_Candidate(
                    start, end, lit.code, lit.category, lit.severity, lit.suggestions,
                    f"{lit.message}：疑似以拼音替写“{lit.wrong}”", lit.source, PINYIN_CONFIDENCE, "suspected",
                ))

    @staticmethod
    def _judge_names(text, norm, lit: _Literal, s: int, e: int, published, found: list, shadows: list) -> None:
        """The names beside a roster title (hit at ``s``–``e`` of the normalized text)."""
        for v in lit.probe.find(norm.text, s, e, published):
            a, b = norm.span(v.start, v.end)
            if v.kind == "right" or (lit.context is not None and not context_allows(text, a, b, lit.context)):
                shadows.append((a, b))
                continue
            severity = lit.probe.off_term_severity if v.kind == "off_term" else lit.severity
            if v.kind == "misspelt":
                message, confidence, tier = v.message, NEAR_NAME_CONFIDENCE, "suspected"
            else:
                message, confidence, tier = f"{lit.message}：{v.message}", 1.0, "confirmed"
            found.append(_Candidate(a, b, lit.code, lit.category, severity, v.suggestions, message, lit.source,
                                    confidence, tier))

    # ---------------------------------------------------------------- misc
    @property
    def rules(self) -> dict[str, RuleInfo]:
        """Every loaded rule by code (active or not), with the pack it came from."""
        if self._rules is None:
            self._rules = pickle.loads(self._rules_blob)
            self._rules_blob = None
        return self._rules

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_plain_matcher"] = None  # the reference matcher is rebuilt on demand
        # The rule objects (thousands of pydantic models) are only needed to list or
        # explain rules, not to scan: they travel as one nested pickle, unpacked on
        # first use, so loading a cached Scanner or starting a worker stays cheap.
        if self._rules is not None:
            state["_rules_blob"] = pickle.dumps(self._rules, protocol=pickle.HIGHEST_PROTOCOL)
            state["_rules"] = None
        return state

    def rule(self, code: str) -> RuleInfo:
        try:
            return self.rules[code.upper()]
        except KeyError:
            raise KeyError(f"no rule {code!r}") from None

    def active_rules(self) -> list[RuleInfo]:
        return [info for info in self.rules.values() if self._active(info.rule)]

    @property
    def rule_categories(self) -> dict[str, str]:
        """Every loaded rule's code → category id (active or not), without loading the
        rule objects."""
        return dict(self._categories)

    @property
    def active_codes(self) -> frozenset[str]:
        """The codes of the rules this Scanner runs (after ``select``/``ignore``),
        without loading the rule objects."""
        return frozenset(code for code, category in self._categories.items() if self._selected(code, category))

    @property
    def literal_count(self) -> int:
        return len(self._literals)

    def normalize_key(self, text: str) -> str:
        """``text`` as the matcher sees it (folded, interference removed)."""
        return normalize_key(text, self._table)

    def literal_keys(self) -> list[str]:
        """The normalized literal keys the automaton holds (for benchmarks)."""
        return sorted({normalize_key(lit.wrong, self._table) for lit in self._literals})


# -------------------------------------------------------------------- helpers
def _load_packs(packs: Iterable[PackLike]) -> list["Pack"]:
    from ..rules.schema import Pack

    out: list[Pack] = []
    paths: list = []
    for p in packs:
        if isinstance(p, Pack):
            out.append(p)
        else:
            paths.append(p)
    out.extend(load_pack(p) for p in expand_pack_paths(paths))
    return out


def _load_allow(allow: Iterable[AllowLike]) -> list[AllowPhrase]:
    out: list[AllowPhrase] = []
    for a in allow:
        if isinstance(a, AllowPhrase):
            out.append(a)
        elif isinstance(a, str):
            if a.strip():
                out.append(AllowPhrase(a.strip()))
        else:
            out.extend(load_allow_file(a))
    return out


def _check_params(check: str, values) -> None:
    unknown = set(values) - CHECK_PARAMS.get(check, frozenset())
    if unknown:
        known = ", ".join(sorted(CHECK_PARAMS.get(check, ()))) or "none"
        raise ValueError(f"check {check} takes no parameter {', '.join(sorted(unknown))} (known: {known})")


def _compile_literal(rule: "Rule", entry, wrong: str) -> _Literal:
    ctx = rule.context.merged(entry.context) if rule.context else entry.context
    return _Literal(
        code=rule.code,
        category=rule.category.value,
        severity=(entry.severity or rule.severity).value,
        wrong=wrong,
        suggestions=tuple(entry.right),
        message=entry.reason or rule.reason,
        source=entry.source or rule.source,
        effective=entry.effective or rule.effective,
        boundary=rule.boundary if entry.boundary is None else entry.boundary,
        context=ContextCheck.of(ctx),
    )


def _compile_roster_probe(rule: "Rule", probe: TitleProbe) -> _Literal:
    return _Literal(
        code=rule.code,
        category=rule.category.value,
        severity=rule.severity.value,
        wrong=probe.title,
        suggestions=(),
        message=rule.reason,
        source=rule.source,
        effective=rule.effective,
        boundary=False,
        context=ContextCheck.of(rule.context),
        probe=probe,
    )


def _turned_down(lit: _Literal, text: str, start: int, end: int, published: dt.date) -> bool:
    """Whether a literal's hit is not reported for its date (before ``effective``) or
    its context."""
    return (lit.effective is not None and published < lit.effective) or (
        lit.context is not None and not context_allows(text, start, end, lit.context)
    )


def _rule_candidate(
    rule: _RuleMeta, start: int, end: int, suggestions, detail: str = "", confidence: float = 1.0
) -> _Candidate:
    message = f"{rule.reason}：{detail}" if detail else rule.reason
    return _Candidate(
        start, end, rule.code, rule.category, rule.severity, list(suggestions), message, rule.source,
        confidence, rule.tier,
    )


def _is_allowed(c: _Candidate, allowed) -> bool:
    for start, end, codes in allowed:
        if start <= c.start and c.end <= end and (not codes or code_selected(c.code, c.category, codes)):
            return True
    return False


def _resolve_overlaps(candidates: list[_Candidate]) -> list[_Candidate]:
    """One finding per problem: where spans overlap, a confirmed finding beats a
    suspected one, then the most specific (longest) span wins, then the
    higher-priority category, then the higher severity. Punctuation findings are
    about their marks, not the words between them: they are resolved among
    themselves, so half-width brackets around 县环保局 do not hide the agency's name."""
    marks = [c for c in candidates if c.category == "punctuation"]
    if not marks or len(marks) == len(candidates):
        return _one_per_span(candidates)
    words = [c for c in candidates if c.category != "punctuation"]
    kept = _one_per_span(marks) + _one_per_span(words)
    kept.sort(key=lambda c: (c.start, c.end, c.code))
    return kept


def _one_per_span(candidates: list[_Candidate]) -> list[_Candidate]:
    kept: list[_Candidate] = []
    taken: list[tuple[int, int]] = []  # sorted, non-overlapping spans
    for c in sorted(candidates, key=_Candidate.sort_key):
        i = bisect_right(taken, (c.start, float("inf")))
        if i > 0 and taken[i - 1][1] > c.start:
            continue
        if i < len(taken) and taken[i][0] < c.end:
            continue
        taken.insert(i, (c.start, c.end))
        kept.append(c)
    kept.sort(key=lambda c: (c.start, c.end, c.code))
    return kept


def _to_findings(text: str, candidates: list[_Candidate]) -> list[Finding]:
    newlines = [m.start() for m in _NEWLINE.finditer(text)]
    out = []
    for c in candidates:
        line = bisect_right(newlines, c.start - 1)
        line_start = newlines[line - 1] + 1 if line else 0
        out.append(
            Finding(
                code=c.code,
                category=Category(c.category),
                severity=Severity(c.severity),
                start=c.start,
                end=c.end,
                line=line + 1,
                column=c.start - line_start + 1,
                text=text[c.start : c.end],
                suggestions=list(c.suggestions),
                message=c.message,
                source=c.source,
                confidence=c.confidence,
                tier=c.tier,
            )
        )
    return out
