import datetime as dt

import pytest

from cuomin import Scanner

DATE = dt.date(2023, 10, 30)


def assert_offsets(text, findings):
    """The invariant every finding keeps: its offsets point into the original text."""
    for f in findings:
        assert text[f.start : f.end] == f.text, f
        line_start = text.rfind("\n", 0, f.start) + 1
        assert f.line == text.count("\n", 0, f.start) + 1
        assert f.column == f.start - line_start + 1
    return findings


@pytest.fixture(scope="session")
def scanner():
    return Scanner()


@pytest.fixture
def scan(scanner):
    def _scan(text, published=DATE, scanner=scanner):
        return assert_offsets(text, scanner.scan(text, published=published))

    return _scan


def triples(findings):
    return [(f.code, f.text, f.suggestions) for f in findings]
