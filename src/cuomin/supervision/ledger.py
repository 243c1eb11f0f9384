"""The rectification ledger (整改台账): every finding of every scanned post, in SQLite.

- A finding is keyed by its fingerprint (see :func:`~cuomin.supervision.batch.fingerprints`).
- Recording a later scan of a post marks that post's open findings that are gone as
  rectified (已整改) on the scan's date; a finding that comes back is open again.
  Only findings of rules that the scan ran are touched, so a scan with ``--select``
  does not "rectify" everything else.
- Reviewers' decisions (false positive / accepted) are kept with name, note and time;
  the latest decision for a finding wins.
- Writes happen in ``BEGIN IMMEDIATE`` transactions with a busy timeout, so several
  processes can record into one ledger at once without failing or losing rows.
- ``schema_version`` records the migrations applied; opening a ledger applies any
  that are missing, and refuses a ledger written by a newer cuomin.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Union

from ..engine.scanner import code_selected
from .batch import PostResult, post_key
from .records import ACCEPTED, FALSE_POSITIVE, FindingRow, overdue

#: How long a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_SECONDS = 120.0
#: Posts recorded per transaction by :class:`Recorder`.
POSTS_PER_TRANSACTION = 200


class LedgerError(ValueError):
    """A ledger that cannot be used, or a request it cannot satisfy."""


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # not executescript(): it would COMMIT the migration's transaction half-way
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _v1(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        CREATE TABLE posts (
            post_key      TEXT PRIMARY KEY,
            post_id       TEXT NOT NULL,
            account       TEXT NOT NULL DEFAULT '',
            owner         TEXT NOT NULL DEFAULT '',
            account_type  TEXT NOT NULL DEFAULT '',
            title         TEXT NOT NULL DEFAULT '',
            published_at  TEXT,
            url           TEXT NOT NULL DEFAULT '',
            column_name   TEXT NOT NULL DEFAULT '',
            unit          TEXT NOT NULL DEFAULT '',
            first_scanned TEXT NOT NULL,
            last_scanned  TEXT NOT NULL
        );
        CREATE INDEX posts_account ON posts(account);
        CREATE TABLE findings (
            fingerprint  TEXT PRIMARY KEY,
            post_key     TEXT NOT NULL REFERENCES posts(post_key),
            field        TEXT NOT NULL,
            code         TEXT NOT NULL,
            category     TEXT NOT NULL,
            severity     TEXT NOT NULL,
            tier         TEXT NOT NULL,
            text         TEXT NOT NULL,
            suggestions  TEXT NOT NULL DEFAULT '[]',
            message      TEXT NOT NULL DEFAULT '',
            line         INTEGER,
            col          INTEGER,
            first_seen   TEXT NOT NULL,
            last_seen    TEXT NOT NULL,
            rectified_on TEXT
        );
        CREATE INDEX findings_post ON findings(post_key);
        CREATE INDEX findings_code ON findings(code);
        CREATE TABLE marks (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            fingerprint TEXT NOT NULL REFERENCES findings(fingerprint),
            decision    TEXT NOT NULL CHECK (decision IN ('false_positive', 'accepted')),
            reviewer    TEXT NOT NULL,
            note        TEXT NOT NULL DEFAULT '',
            marked_at   TEXT NOT NULL
        );
        CREATE INDEX marks_fingerprint ON marks(fingerprint);
        CREATE TABLE scans (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            as_of      TEXT NOT NULL,
            started_at TEXT NOT NULL,
            posts      INTEGER NOT NULL DEFAULT 0,
            findings   INTEGER NOT NULL DEFAULT 0
        );
        """
    )


#: version → migration; append, never edit a released one.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1}


def schema_version() -> int:
    return max(MIGRATIONS)


class Ledger:
    """A rectification ledger in the SQLite file ``path`` (created when missing)."""

    def __init__(self, path: Union[str, Path], *, timeout: float = BUSY_TIMEOUT_SECONDS):
        self.path = str(path)
        if Path(self.path).is_dir():
            raise LedgerError(f"{self.path}: is a directory, not a ledger file")
        try:
            self.conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            self.conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._wal()
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise LedgerError(f"{self.path}: not a cuomin ledger ({exc})") from None

    def _wal(self) -> None:
        # WAL lets readers go on while one process writes; where it is unavailable
        # (some network file systems) the default rollback journal still works.
        try:
            self.conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError:
            pass

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self):
        """A write transaction that takes the write lock up front (waits while busy)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def _migrate(self) -> None:
        with self.transaction() as c:
            c.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            current = c.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]
            latest = schema_version()
            if current > latest:
                raise LedgerError(
                    f"{self.path}: ledger schema version {current} is newer than this cuomin supports ({latest}); "
                    "upgrade cuomin"
                )
            if current == 0 and c.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name != 'schema_version'"
            ).fetchone()[0]:
                raise LedgerError(f"{self.path}: an SQLite database that is not a cuomin ledger")
            for version in range(current + 1, latest + 1):
                MIGRATIONS[version](c)
                c.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", (version, _now()))

    @property
    def version(self) -> int:
        return self.conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]

    # ------------------------------------------------------------ recording
    def recorder(self, as_of: Optional[dt.date] = None, active_codes: Optional[Iterable[str]] = None) -> "Recorder":
        """A :class:`Recorder` for one scan dated ``as_of`` (default today) that ran
        the rules ``active_codes`` (default: every code)."""
        return Recorder(self, as_of or dt.date.today(), active_codes)

    def record(self, results: Iterable[PostResult], as_of: Optional[dt.date] = None,
               active_codes: Optional[Iterable[str]] = None) -> int:
        """Record scan results; returns the number of posts recorded."""
        with self.recorder(as_of, active_codes) as rec:
            for r in results:
                rec.add(r)
        return rec.posts

    def _write(self, results: list[PostResult], as_of: dt.date, active: Optional[frozenset]) -> None:
        day = as_of.isoformat()
        with self.transaction() as c:
            for r in results:
                p = r.post
                key = post_key(p)
                c.execute(
                    """INSERT INTO posts (post_key, post_id, account, owner, account_type, title, published_at,
                                          url, column_name, unit, first_scanned, last_scanned)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT(post_key) DO UPDATE SET
                         owner = excluded.owner, account_type = excluded.account_type, title = excluded.title,
                         published_at = excluded.published_at, url = excluded.url,
                         column_name = excluded.column_name, unit = excluded.unit,
                         last_scanned = MAX(last_scanned, excluded.last_scanned)""",
                    (key, p.id, p.account, p.owner, p.account_type, p.title,
                     p.published_at.isoformat() if p.published_at else None, p.url, p.column, p.unit, day, day),
                )
                present = set()
                for pf in r.findings:
                    f = pf.finding
                    present.add(pf.fingerprint)
                    c.execute(
                        """INSERT INTO findings (fingerprint, post_key, field, code, category, severity, tier, text,
                                                 suggestions, message, line, col, first_seen, last_seen, rectified_on)
                           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
                           ON CONFLICT(fingerprint) DO UPDATE SET
                             severity = excluded.severity, tier = excluded.tier, message = excluded.message,
                             suggestions = excluded.suggestions, line = excluded.line, col = excluded.col,
                             last_seen = MAX(last_seen, excluded.last_seen),
                             rectified_on = CASE WHEN excluded.last_seen >= COALESCE(rectified_on, '')
                                                 THEN NULL ELSE rectified_on END""",
                        (pf.fingerprint, key, pf.field, f.code, f.category.value, f.severity.value, f.tier, f.text,
                         json.dumps(list(f.suggestions), ensure_ascii=False), f.message, f.line, f.column, day, day),
                    )
                for fp, code, category, last_seen in c.execute(
                    "SELECT fingerprint, code, category, last_seen FROM findings "
                    "WHERE post_key = ? AND rectified_on IS NULL",
                    (key,),
                ).fetchall():
                    if fp in present or last_seen > day:
                        continue
                    if active is not None and not code_selected(code, category, active):
                        continue
                    c.execute("UPDATE findings SET rectified_on = ? WHERE fingerprint = ?", (day, fp))

    def _log_scan(self, as_of: dt.date, posts: int, findings: int) -> None:
        with self.transaction() as c:
            c.execute("INSERT INTO scans (as_of, started_at, posts, findings) VALUES (?, ?, ?, ?)",
                      (as_of.isoformat(), _now(), posts, findings))

    # ------------------------------------------------------------ reviewing
    def resolve(self, prefix: str) -> str:
        """The full fingerprint for a unique prefix (at least 6 characters)."""
        prefix = prefix.strip().lower()
        if len(prefix) < 6:
            raise LedgerError(f"fingerprint {prefix!r} is too short: give at least 6 characters")
        rows = self.conn.execute(
            "SELECT fingerprint FROM findings WHERE fingerprint LIKE ? || '%' LIMIT 2", (prefix,)
        ).fetchall()
        if not rows:
            raise LedgerError(f"no finding with fingerprint {prefix!r} in {self.path}")
        if len(rows) > 1:
            raise LedgerError(f"fingerprint {prefix!r} is ambiguous: give more characters")
        return rows[0][0]

    def mark(self, fingerprint: str, decision: str, reviewer: str, note: str = "") -> FindingRow:
        """Record a reviewer's decision (``false_positive`` or ``accepted``)."""
        if decision not in (FALSE_POSITIVE, ACCEPTED):
            raise LedgerError(f"unknown decision {decision!r}")
        if not reviewer.strip():
            raise LedgerError("a reviewer's name is required")
        full = self.resolve(fingerprint)
        with self.transaction() as c:
            c.execute(
                "INSERT INTO marks (fingerprint, decision, reviewer, note, marked_at) VALUES (?, ?, ?, ?, ?)",
                (full, decision, reviewer.strip(), note, _now()),
            )
        return next(self.rows(fingerprint=full))

    # ------------------------------------------------------------ reading
    def rows(
        self,
        *,
        account: Optional[str] = None,
        codes: Iterable[str] = (),
        fingerprint: Optional[str] = None,
    ) -> Iterator[FindingRow]:
        """Every finding with its post and latest mark, ordered by account, post, position."""
        sql = [
            """SELECT f.fingerprint, p.account, p.owner, p.account_type, p.post_id, p.title, p.published_at, p.url,
                      f.field, f.code, f.category, f.severity, f.tier, f.text, f.suggestions, f.message,
                      f.first_seen, f.rectified_on, m.decision, m.reviewer, m.note
               FROM findings f JOIN posts p ON p.post_key = f.post_key
               LEFT JOIN marks m ON m.id = (SELECT MAX(id) FROM marks WHERE fingerprint = f.fingerprint)
               WHERE 1 = 1"""
        ]
        args: list = []
        if account is not None:
            sql.append("AND p.account = ?")
            args.append(account)
        if fingerprint is not None:
            sql.append("AND f.fingerprint = ?")
            args.append(fingerprint)
        sql.append("ORDER BY p.account, p.published_at, p.post_id, f.field DESC, f.line, f.col, f.fingerprint")
        codes = tuple(codes)
        for row in self.conn.execute(" ".join(sql), args):
            r = FindingRow(
                fingerprint=row[0], account=row[1], owner=row[2], account_type=row[3], post_id=row[4],
                title=row[5], published_at=_date(row[6]), url=row[7], field=row[8], code=row[9],
                category=row[10], severity=row[11], tier=row[12], text=row[13],
                suggestions=tuple(json.loads(row[14])), message=row[15], first_seen=_date(row[16]),
                rectified_on=_date(row[17]), decision=row[18], reviewer=row[19] or "", note=row[20] or "",
            )
            if codes and not code_selected(r.code, r.category, codes):
                continue
            yield r

    def accounts(self) -> Iterator[tuple[str, str, str]]:
        """(account, owner, account type) of every account with a scanned post."""
        yield from self.conn.execute(
            "SELECT account, MAX(owner), MAX(account_type) FROM posts WHERE account != '' "
            "GROUP BY account, account_type ORDER BY account"
        )

    def post_count(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM posts").fetchone()[0]


class Recorder:
    """Records scan results in batches of :data:`POSTS_PER_TRANSACTION` posts."""

    def __init__(self, ledger: Ledger, as_of: dt.date, active_codes: Optional[Iterable[str]]):
        self.ledger = ledger
        self.as_of = as_of
        self.active = None if active_codes is None else frozenset(active_codes)
        self.buffer: list[PostResult] = []
        self.posts = 0
        self.findings = 0

    def add(self, result: PostResult) -> None:
        self.buffer.append(result)
        self.posts += 1
        self.findings += len(result.findings)
        if len(self.buffer) >= POSTS_PER_TRANSACTION:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.ledger._write(self.buffer, self.as_of, self.active)
            self.buffer = []

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is None:
            self.flush()
            self.ledger._log_scan(self.as_of, self.posts, self.findings)


def filter_status(rows: Iterable[FindingRow], status: Optional[str], deadline=None, as_of=None) -> Iterator[FindingRow]:
    """Rows whose status (已整改/未整改/逾期未整改) or decision (误报/确认) is ``status``."""
    for r in rows:
        if status is None:
            yield r
        elif status in ("误报", FALSE_POSITIVE):
            if r.decision == FALSE_POSITIVE:
                yield r
        elif status in ("确认", ACCEPTED):
            if r.decision == ACCEPTED:
                yield r
        elif status == "未整改" and r.is_open and not overdue(deadline, as_of):
            yield r
        elif r.status(deadline, as_of) == status:
            yield r


def _date(value: Optional[str]) -> Optional[dt.date]:
    return dt.date.fromisoformat(value) if value else None


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
