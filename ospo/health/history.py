# SPDX-License-Identifier: Apache-2.0
"""A repository's history read in one streamed ``git log``: activity, authors,
organisations, first-time contributors, and its release tags.

Windows are by commit date, as ``git log --since/--until`` take them: a window of N days
ending at the as-of day holds the commits dated from 00:00 UTC N-1 days before it up to
23:59:59 UTC on it. Commits are non-merge commits; commits by bots are counted apart.
An author is the mailmapped e-mail address, lowercased.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO

from ospo.errors import InputError, OperationalError
from ospo.health.model import Activity, Release
from ospo.health.orgs import Attribution, is_bot
from ospo.inputs import git_all

DAY = 86_400
#: One line per non-merge commit: commit date, mailmapped address, mailmapped name.
LOG_FORMAT = "%ct%x00%aE%x00%aN"
_READ = 1 << 20
#: A release-like tag: a version of two to four numbers, maybe after a prefix
#: (``v1.2.0``, ``release-2.0``, ``pkg@1.4.2``) and with a suffix (``1.0.0-rc1``).
RELEASE_TAG = re.compile(
    r"^(?:[A-Za-z][\w.-]*?[-_/@])?[vV]?\d+(?:\.\d+){1,3}(?:[-.+_]?[0-9A-Za-z][0-9A-Za-z.+-]*)?$"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Window:
    """The end of the windows (exclusive, a Unix time) and the day it closes."""

    as_of: date

    @property
    def end(self) -> int:
        """First second after the as-of day, UTC."""
        following = self.as_of + timedelta(days=1)
        return int(datetime.combine(following, datetime.min.time(), UTC).timestamp())

    def since(self, days: int) -> int:
        """First second of a window of ``days`` days ending with the as-of day."""
        return self.end - days * DAY

    def git_range(self, days: int) -> tuple[str, str]:
        """``--since`` and ``--until`` arguments that select the same commits in git."""
        return (f"--since={_git_date(self.since(days))}", f"--until={_git_date(self.end - 1)}")


def _git_date(stamp: int) -> str:
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M:%S +0000")


def open_repository(path: Path) -> None:
    """Check that ``path`` is a git repository with a full history; raise InputError."""
    if not path.exists():
        raise InputError("no such file or directory", path=str(path))
    if not path.is_dir():
        raise InputError("not a directory, so not a git repository", path=str(path))
    where, head = git_all(
        path,
        ("rev-parse", "--git-dir", "--is-shallow-repository"),
        ("rev-parse", "--verify", "-q", "HEAD"),
    )
    if where is None:
        raise OperationalError("git is not installed (ospo health reads the history with it)")
    if where.returncode != 0:
        why = [
            line.removeprefix("fatal: ")
            for line in where.stderr.decode("utf-8", "replace").splitlines()
            if line.startswith("fatal: ")
        ]
        # "dubious ownership" and the like say why git refused; "not a git repository" is
        # what the message says already
        detail = f" ({why[0]})" if why and "not a git" not in why[0] else ""
        raise InputError(
            "not a git repository" + detail,
            path=str(path),
        )
    if where.stdout.split()[-1:] == [b"true"]:
        raise InputError(
            "a shallow clone: its history is cut, so its activity cannot be measured "
            "(fetch the whole history with `git fetch --unshallow`)",
            path=str(path),
        )
    if head is None or head.returncode != 0:
        raise InputError("an empty repository: it has no commit yet", path=str(path))


def log_lines(path: Path) -> Iterator[bytes]:
    """Stream the lines of one ``git log`` over the history of HEAD."""
    with tempfile.TemporaryFile() as errors:
        yield from _stream(path, errors)


def _stream(path: Path, errors: IO[bytes]) -> Iterator[bytes]:
    proc = subprocess.Popen(
        [
            "git",
            "-C",
            str(path),
            "-c",
            "log.showSignature=false",
            "-c",
            "i18n.logOutputEncoding=UTF-8",
            "log",
            "--use-mailmap",
            "--no-merges",
            f"--format={LOG_FORMAT}",
            "HEAD",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=errors,  # a file: a pipe nobody reads until the end could fill and stall git
    )
    assert proc.stdout is not None
    rest = b""
    try:
        while chunk := proc.stdout.read(_READ):
            lines = (rest + chunk).split(b"\n")
            rest = lines.pop()
            yield from lines
        if rest:
            yield rest
    finally:
        proc.stdout.close()
        code = proc.wait()
    if code != 0:
        errors.seek(0)
        why = errors.read().decode("utf-8", "replace").strip()
        raise InputError(f"git log failed: {why}", path=str(path))


def activity(path: Path, window: Window, attribution: Attribution) -> Activity:
    """Count the commits, authors and organisations of the history of HEAD."""
    end = window.end
    since_90 = window.since(90)
    since_365 = window.since(365)
    months = _months(window.as_of, 12)
    bounds = [_month_start(m) for m in months]
    first_month = bounds[0]
    # by raw author line (address and name, as git printed them): the loop stays small,
    # and each distinct author is decoded, lowercased and judged once, after it
    first: dict[bytes, int] = {}
    last: dict[bytes, int] = {}
    total: Counter[bytes] = Counter()
    in_365: Counter[bytes] = Counter()
    in_90: Counter[bytes] = Counter()
    monthly: Counter[tuple[bytes, int]] = Counter()
    for line in log_lines(path):
        stamp_text, _, who = line.partition(b"\0")
        stamp = int(stamp_text)
        if stamp >= end:
            continue
        total[who] += 1
        seen = first.get(who)
        if seen is None or stamp < seen:
            first[who] = stamp
        if stamp > last.get(who, -1):
            last[who] = stamp
        if stamp >= since_365:
            in_365[who] += 1
            if stamp >= since_90:
                in_90[who] += 1
        if stamp >= first_month:
            monthly[who, bisect_right(bounds, stamp) - 1] += 1
    people: dict[bytes, str] = {}
    bot_commits = 0
    for who in total:
        email_raw, _, name_raw = who.partition(b"\0")
        email = email_raw.decode("utf-8", "replace").lower()
        if is_bot(email, name_raw.decode("utf-8", "replace"), attribution.bots):
            bot_commits += in_365[who]
        else:
            people[who] = email
    authors_90: Counter[str] = Counter()
    authors_365: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for who, email in people.items():
        if in_365[who]:
            authors_365[email] += in_365[who]
        if in_90[who]:
            authors_90[email] += in_90[who]
        first_seen[email] = min(first[who], first_seen.get(email, first[who]))
    per_month: Counter[int] = Counter()
    for (who, index), count in monthly.items():
        if who in people:
            per_month[index] += count
    commits = sum(total[who] for who in people)
    latest = max((last[who] for who in people), default=None)
    earliest = min((first[who] for who in people), default=None)
    orgs: Counter[str] = Counter()
    individuals = 0
    for email, count in authors_365.items():
        org = attribution.organisation(email)
        if org is None:
            individuals += count
        else:
            orgs[org] += count
    quarters = _quarters(window.as_of, 8)
    new_by_quarter = Counter(_quarter_of(stamp) for stamp in first_seen.values())
    return Activity(
        commits_90d=sum(authors_90.values()),
        commits_365d=sum(authors_365.values()),
        bot_commits_365d=bot_commits,
        authors_90d=dict(authors_90),
        authors_365d=dict(authors_365),
        organisations_365d=dict(orgs),
        individual_commits_365d=individuals,
        days_since_last_commit=(window.as_of - _day(latest)).days if latest is not None else None,
        first_commit=_day(earliest).isoformat() if earliest is not None else None,
        last_commit=_day(latest).isoformat() if latest is not None else None,
        monthly=tuple((m, per_month[i]) for i, m in enumerate(months)),
        new_contributors=tuple((q, new_by_quarter[q]) for q in quarters),
        new_contributors_365d=sum(1 for stamp in first_seen.values() if stamp >= since_365),
        total_commits=commits,
    )


def release_tags(path: Path, window: Window) -> tuple[tuple[Release, str], ...]:
    """The release-like tags dated up to the as-of day, oldest first, each with the
    object name of what it points at."""
    (proc,) = git_all(
        path,
        (
            "for-each-ref",
            "--format=%(refname:strip=2)%00%(creatordate:unix)%00%(objectname)",
            "refs/tags",
        ),
    )
    if proc is None or proc.returncode != 0:
        return ()
    found = []
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        tag, _, rest = line.partition("\0")
        stamp_text, _, obj = rest.partition("\0")
        if not RELEASE_TAG.match(tag) or not stamp_text.isdigit():
            continue
        stamp = int(stamp_text)
        if stamp >= window.end:
            continue
        found.append((stamp, tag, obj))
    found.sort()
    return tuple((Release(tag=tag, date=_day(stamp).isoformat()), obj) for stamp, tag, obj in found)


def absence_factor(counts: dict[str, int]) -> int:
    """The smallest number of contributors whose commits reach half of all of them."""
    total = sum(counts.values())
    reached = 0
    for number, count in enumerate(sorted(counts.values(), reverse=True), start=1):
        reached += count
        if 2 * reached >= total:
            return number
    return 0


def _day(stamp: int) -> date:
    return datetime.fromtimestamp(stamp, UTC).date()


def _month_start(month: str) -> int:
    year, number = month.split("-")
    return int(datetime(int(year), int(number), 1, tzinfo=UTC).timestamp())


def _quarter_of(stamp: int) -> str:
    day = _day(stamp)
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _months(as_of: date, count: int) -> list[str]:
    index = as_of.year * 12 + as_of.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def _quarters(as_of: date, count: int) -> list[str]:
    index = as_of.year * 4 + (as_of.month - 1) // 3
    return [f"{i // 4}Q{i % 4 + 1}" for i in range(index - count + 1, index + 1)]
