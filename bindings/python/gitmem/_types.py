"""Value types returned by gitmem: memories, commits, diffs, branches, tags.

They are frozen dataclasses built by from_core() from the read-only values gitmem._core
returns: every field is read by its name from the _core attribute of the same name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple, Type, TypeVar

__all__ = [
    "MemoryItem",
    "Relation",
    "Commit",
    "DiffEntry",
    "Diff",
    "Version",
    "StagedChange",
    "Branch",
    "Tag",
    "FsckReport",
    "Hit",
    "Conflict",
    "MergeResult",
    "GcReport",
    "RepositoryInfo",
    "ImportReport",
]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _datetime_from_us(us: int) -> datetime:
    """UTC microseconds since the epoch -> an aware UTC datetime (exact)."""
    return _EPOCH + timedelta(microseconds=us)


def _us_from_datetime(value: datetime) -> int:
    """An aware datetime -> UTC microseconds (exact). Naive datetimes are local time,
    as datetime.timestamp() takes them."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        value = value.astimezone()  # naive: interpret as local time
    return (value - _EPOCH) // timedelta(microseconds=1)


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def _repr(obj: Any, **shown: Any) -> str:
    """``Type(key=value, ...)``: the class name and the given values, each as repr() gives it."""
    return f"{type(obj).__name__}({', '.join(f'{k}={v!r}' for k, v in shown.items())})"


def _change_repr(obj: Any, what: str) -> str:
    """``Type(what 'id')``: a change to one memory, as DiffEntry, StagedChange and Conflict show it."""
    return f"{type(obj).__name__}({what} {obj.id!r})"


@dataclass(frozen=True)
class Relation:
    """A typed link to another memory: ``similar``, ``contradicts``, ``builds_on`` or
    ``references``, with a strength in [0, 1]."""

    type: str
    target_id: str
    strength: float = 1.0


@dataclass(frozen=True, eq=True)
class MemoryItem:
    """One memory record as stored.

    ``timestamp`` is when the memory was first written (UTC); ``author`` and
    ``content_hash`` are its provenance; ``metadata`` is the decoded JSON object.
    """

    id: str
    content: str
    type: str
    agent_id: str
    session_id: str
    timestamp_us: int
    importance: float
    confidence: float
    tags: Tuple[str, ...]
    scope: str
    author: str
    content_hash: str
    metadata: Dict[str, Any] = field(hash=False)
    relations: Tuple[Relation, ...] = ()

    @property
    def timestamp(self) -> datetime:
        """Creation time as an aware UTC datetime."""
        return _datetime_from_us(self.timestamp_us)

    def to_dict(self) -> Dict[str, Any]:
        """A JSON-ready dict of every field (the timestamp as ISO 8601)."""
        return {
            "id": self.id,
            "content": self.content,
            "type": self.type,
            "agent_id": self.agent_id,
            "session_id": self.session_id,
            "timestamp": self.timestamp.isoformat(),
            "importance": self.importance,
            "confidence": self.confidence,
            "tags": list(self.tags),
            "scope": self.scope,
            "author": self.author,
            "content_hash": self.content_hash,
            "metadata": dict(self.metadata),
            "relations": [
                {"type": r.type, "target_id": r.target_id, "strength": r.strength}
                for r in self.relations
            ],
        }

    def __repr__(self) -> str:
        return _repr(self, id=self.id, type=self.type, content=_short(self.content))


@dataclass(frozen=True)
class Commit:
    """A commit: a snapshot of the repository's memories with its parents and author.

    ``added`` / ``modified`` / ``removed`` count the changes against the first parent;
    ``changed_ids`` lists up to 64 of the changed memory ids.
    """

    id: str
    tree: str
    parents: Tuple[str, ...]
    author: str
    message: str
    timestamp_us: int
    generation: int
    memory_count: int
    added: int
    modified: int
    removed: int
    changed_ids: Tuple[str, ...]
    changed_ids_truncated: bool

    @property
    def timestamp(self) -> datetime:
        """Commit time as an aware UTC datetime."""
        return _datetime_from_us(self.timestamp_us)

    @property
    def short_id(self) -> str:
        """The first 12 hex digits of the id, as git prints it."""
        return self.id[:12]

    def __repr__(self) -> str:
        return _repr(self, id=self.short_id, message=_short(self.message), author=self.author)


@dataclass(frozen=True)
class DiffEntry:
    """One difference: ``kind`` is ``"added"``, ``"modified"`` or ``"removed"``; ``old``
    is None for an added memory, ``new`` None for a removed one."""

    kind: str
    id: str
    old: Optional[MemoryItem]
    new: Optional[MemoryItem]

    def __repr__(self) -> str:
        return _change_repr(self, self.kind)


@dataclass(frozen=True)
class Diff:
    """The changes from one state to another, sorted by memory id."""

    entries: Tuple[DiffEntry, ...]

    @property
    def added(self) -> List[DiffEntry]:
        return [e for e in self.entries if e.kind == "added"]

    @property
    def modified(self) -> List[DiffEntry]:
        return [e for e in self.entries if e.kind == "modified"]

    @property
    def removed(self) -> List[DiffEntry]:
        return [e for e in self.entries if e.kind == "removed"]

    def __iter__(self) -> Iterator[DiffEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def __repr__(self) -> str:
        return _repr(self, added=len(self.added), modified=len(self.modified), removed=len(self.removed))


@dataclass(frozen=True)
class Version:
    """One committed version of a memory: the commit that introduced it and the record,
    or ``memory=None`` when that commit deleted the memory."""

    commit: Commit
    memory: Optional[MemoryItem]

    @property
    def deleted(self) -> bool:
        return self.memory is None

    def __repr__(self) -> str:
        what = "deleted" if self.memory is None else repr(_short(self.memory.content))
        return f"Version(commit={self.commit.short_id!r}, {what})"


@dataclass(frozen=True)
class StagedChange:
    """A change staged on a branch and not yet committed."""

    id: str
    deleted: bool
    memory: Optional[MemoryItem]

    def __repr__(self) -> str:
        return _change_repr(self, "delete" if self.deleted else "put")


@dataclass(frozen=True)
class Branch:
    """A branch: its head commit (None while it has no commits), whether HEAD points at
    it, and how many changes are staged on it."""

    name: str
    head: Optional[str]
    is_current: bool
    staged: int

    def __repr__(self) -> str:
        head = self.head[:12] if self.head else None
        star = ", current" if self.is_current else ""
        return f"Branch({self.name!r}, head={head!r}{star})"


@dataclass(frozen=True)
class Tag:
    """A tag: a fixed name for a commit."""

    name: str
    target: str

    def __repr__(self) -> str:
        return f"Tag({self.name!r}, target={self.target[:12]!r})"


@dataclass(frozen=True)
class FsckReport:
    """The result of :meth:`gitmem.Repository.fsck`; ``ok`` when ``problems`` is empty."""

    objects_checked: int
    commits: int
    trees: int
    blobs: int
    problems: Tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return _repr(self, ok=self.ok, objects_checked=self.objects_checked, problems=len(self.problems))


@dataclass(frozen=True)
class Hit:
    """One search result: the memory's id, its score (higher is better: cosine similarity
    in ``"vector"`` mode, BM25 in ``"keyword"`` mode, the fused reciprocal-rank score in
    ``"hybrid"`` mode) and the memory as stored in the searched state."""

    id: str
    score: float
    memory: Optional[MemoryItem]

    def __repr__(self) -> str:
        what = f", {_short(self.memory.content)!r}" if self.memory is not None else ""
        return f"Hit({self.id!r}, score={self.score:.4g}{what})"


@dataclass(frozen=True)
class Conflict:
    """A memory both sides of a merge changed in different ways.

    ``kind`` is ``"both_modified"``, ``"modified_deleted"`` (ours changed it, theirs
    deleted it) or ``"deleted_modified"``; ``base`` / ``ours`` / ``theirs`` are the three
    versions (None where absent or deleted); ``resolution`` is what the merge kept once a
    strategy settled it (None: deleted, or not settled).
    """

    kind: str
    id: str
    base: Optional[MemoryItem]
    ours: Optional[MemoryItem]
    theirs: Optional[MemoryItem]
    base_ambiguous: bool
    resolution: Optional[MemoryItem]

    def __repr__(self) -> str:
        return _change_repr(self, self.kind)


@dataclass(frozen=True)
class MergeResult:
    """The outcome of a merge, cherry-pick or revert.

    ``commit`` is the target branch's new head (None when nothing was written: up to
    date); ``fast_forward`` says the branch just moved to the source; ``conflicts`` lists
    the conflicts a strategy settled, each with its ``resolution``.
    """

    commit: Optional[str]
    fast_forward: bool
    up_to_date: bool
    conflicts: Tuple[Conflict, ...]
    merge_bases: Tuple[str, ...]
    changes_applied: int

    def __repr__(self) -> str:
        c = self.commit[:12] if self.commit else None
        return _repr(self, commit=c, fast_forward=self.fast_forward, conflicts=len(self.conflicts))


@dataclass(frozen=True)
class GcReport:
    """What :meth:`gitmem.Repository.gc` freed (or would free, with ``dry_run``)."""

    objects_scanned: int
    objects_reachable: int
    objects_freed: int
    bytes_freed: int
    session_entries_freed: int
    index_snapshots_freed: int
    vectors_freed: int
    index_bytes_freed: int

    @property
    def ok(self) -> bool:
        """gc raises on failure, so a report is always a success."""
        return True

    def __repr__(self) -> str:
        return _repr(
            self, objects_scanned=self.objects_scanned, objects_freed=self.objects_freed, bytes_freed=self.bytes_freed
        )


@dataclass(frozen=True)
class RepositoryInfo:
    """A repository's record in its store: description, counters and upstream (the
    repository it was forked from, or ``""``)."""

    name: str
    description: str
    default_branch: str
    visibility: str
    created_at_us: int
    stars: int
    forks: int
    watchers: int
    upstream: str

    @property
    def created_at(self) -> datetime:
        return _datetime_from_us(self.created_at_us)


@dataclass(frozen=True)
class ImportReport:
    """What an import read: ``memories`` (JSON Lines), ``objects`` and ``refs``
    (bundles), and the commit a JSON Lines import made (None when nothing changed)."""

    memories: int
    objects: int
    refs: int
    commit: Optional[str]


# ---- from _core values ---------------------------------------------------------------------

_T = TypeVar("_T")


def _same(value: Any) -> Any:
    return value


def _opt_memory(value: Any) -> Optional[MemoryItem]:
    return None if value is None else from_core(MemoryItem, value)


def _many(cls: type) -> Callable[[Any], tuple]:
    return lambda values: tuple(from_core(cls, v) for v in values)


# How a field's _core value becomes the dataclass's (fields not named here are taken as
# they are: str, int, float, bool, None).
_CONVERSIONS: Dict[type, Dict[str, Callable[[Any], Any]]] = {
    MemoryItem: {"tags": tuple, "metadata": json.loads, "relations": _many(Relation)},
    Commit: {"parents": tuple, "changed_ids": tuple},
    DiffEntry: {"old": _opt_memory, "new": _opt_memory},
    Version: {"commit": lambda c: from_core(Commit, c), "memory": _opt_memory},
    StagedChange: {"memory": _opt_memory},
    FsckReport: {"problems": tuple},
    Hit: {"memory": _opt_memory},
    Conflict: {k: _opt_memory for k in ("base", "ours", "theirs", "resolution")},
    MergeResult: {"conflicts": _many(Conflict), "merge_bases": tuple},
}
_PLANS: Dict[type, Tuple[Tuple[str, Callable[[Any], Any]], ...]] = {}


def from_core(cls: Type[_T], value: Any) -> _T:
    """The dataclass ``cls`` built from a gitmem._core value: each field is the attribute
    of the same name, converted where _CONVERSIONS says."""
    plan = _PLANS.get(cls)
    if plan is None:
        conv = _CONVERSIONS.get(cls, {})
        plan = _PLANS[cls] = tuple((f.name, conv.get(f.name, _same)) for f in fields(cls))  # type: ignore[arg-type]
    return cls(**{name: convert(getattr(value, name)) for name, convert in plan})
