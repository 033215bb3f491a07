"""gitmem.Repository — the Pythonic face of gitmem's C++ Repository."""

from __future__ import annotations

import json
import math
import os
from datetime import datetime
from typing import (
    Any,
    Callable,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Union,
)

from . import _core
from .errors import ConflictError, GitmemError, InvalidArgumentError, NotFoundError
from ._types import (
    Branch,
    Commit,
    Conflict,
    Diff,
    DiffEntry,
    FsckReport,
    GcReport,
    Hit,
    ImportReport,
    MemoryItem,
    MergeResult,
    Relation,
    RepositoryInfo,
    StagedChange,
    Tag,
    Version,
    _us_from_datetime,
    from_core,
)

__all__ = ["Repository"]

#: Anything that names a state to read: a revision (branch, tag, ``"HEAD"``, commit id or
#: unique prefix, optionally followed by ``~N``), a Commit, or a point in time
#: (a datetime, or UTC microseconds since the epoch as an int).
At = Union[str, Commit, datetime, int, None]

#: A progress callback: ``progress(done, total)``, called from the operation's thread with
#: the GIL held. An exception it raises is re-raised when the operation has finished.
Progress = Callable[[int, int], None]

_UINT64_MAX = (1 << 64) - 1
# Longer waits than the clock can represent (int64 nanoseconds: ~292 years) mean no limit.
_MAX_WAIT_MS = ((1 << 63) - 1) // 1_000_000
_INT64_MAX = (1 << 63) - 1

# The fields add() and add_many() records accept, and update() may change.
_RECORD_FIELDS = frozenset(
    {
        "content",
        "id",
        "type",
        "agent_id",
        "session_id",
        "tags",
        "importance",
        "confidence",
        "scope",
        "metadata",
        "relations",
        "timestamp",
        "embedding",
    }
)
_PATCH_FIELDS = (
    "content",
    "type",
    "agent_id",
    "session_id",
    "importance",
    "confidence",
    "tags",
    "scope",
    "metadata",
    "relations",
)


# ---- argument checks -------------------------------------------------------------------
# Wrong Python types raise TypeError; wrong values raise InvalidArgumentError naming the
# field. Range checks on the values themselves (lengths, [0, 1], UTF-8, JSON) are the
# engine's, so the rules live in one place.


def _text(value: Any, field: str, *, allow_none: bool = False) -> str:
    if value is None and allow_none:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"{field}: expected str, got {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise InvalidArgumentError(f"{field}: not valid UTF-8 ({e.reason})") from None
    return value


def _name(value: Any, field: str) -> str:
    """A non-empty identifier (memory id, branch, tag, revision)."""
    s = _text(value, field)
    if not s:
        raise InvalidArgumentError(f"{field}: must not be empty")
    return s


def _opt_name(value: Any, field: str) -> str:
    return "" if value is None else _name(value, field)


def _progress(value: Any) -> Any:
    if value is not None and not callable(value):
        raise TypeError(f"progress: expected a callable (done, total), got {type(value).__name__}")
    return value


def _unit(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{field}: expected a number in [0, 1], got {type(value).__name__}")
    v = float(value)
    if not math.isfinite(v) or v < 0.0 or v > 1.0:
        raise InvalidArgumentError(f"{field}: {value!r} is outside [0, 1]")
    return v


def _count(value: Any, field: str, *, none: int = _UINT64_MAX) -> int:
    if value is None:
        return none
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{field}: expected int, got {type(value).__name__}")
    if value < 0:
        raise InvalidArgumentError(f"{field}: {value} must not be negative")
    return min(value, _UINT64_MAX)


def _timeout_ms(value: Any, field: str) -> int:
    """Seconds (None or infinity: no limit) as milliseconds for the core; -1 = no limit."""
    if value is None:
        return -1
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{field}: expected a number of seconds or None, got {type(value).__name__}")
    v = float(value)
    if math.isnan(v) or v < 0.0:
        raise InvalidArgumentError(f"{field}: {value!r} must be a number of seconds >= 0 (or None: no limit)")
    ms = math.ceil(v * 1000.0) if math.isfinite(v) else _MAX_WAIT_MS + 1
    return -1 if ms > _MAX_WAIT_MS else int(ms)


def _tags(value: Any) -> List[str]:
    if value is None:
        return []
    if isinstance(value, (str, bytes)):
        raise TypeError("tags: expected a list of str, got a single string")
    try:
        items = list(value)
    except TypeError:
        raise TypeError(f"tags: expected a list of str, got {type(value).__name__}") from None
    return [_text(t, "tags") for t in items]


def _metadata(value: Any) -> str:
    if value is None:
        return "{}"
    if isinstance(value, str):
        _text(value, "metadata")
        return value  # JSON text; the engine checks it is an object
    if not isinstance(value, Mapping):
        raise TypeError(f"metadata: expected a dict, got {type(value).__name__}")
    try:
        return json.dumps(dict(value), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as e:
        raise InvalidArgumentError(f"metadata: not representable as JSON ({e})") from None


def _relations(value: Any) -> List[Dict[str, Any]]:
    """Relations as Relation objects, (type, target_id[, strength]) tuples or dicts."""
    if value is None:
        return []
    if isinstance(value, (str, bytes, Mapping)):
        raise TypeError("relations: expected a list of relations")
    out = []
    for r in value:
        if isinstance(r, Relation):
            t, target, strength = r.type, r.target_id, r.strength
        elif isinstance(r, Mapping):
            unknown = set(r) - {"type", "target_id", "strength"}
            if unknown:
                raise TypeError(f"relations: unknown keys {sorted(unknown)}")
            if "type" not in r or "target_id" not in r:
                raise TypeError("relations: a relation needs 'type' and 'target_id'")
            t, target, strength = r["type"], r["target_id"], r.get("strength", 1.0)
        elif isinstance(r, (tuple, list)) and len(r) in (2, 3):
            t, target = r[0], r[1]
            strength = r[2] if len(r) == 3 else 1.0
        else:
            raise TypeError(
                "relations: each relation is a Relation, a dict or a (type, target_id[, strength]) tuple"
            )
        out.append({
            "type": _text(t, "relations.type"),
            "target_id": _text(target, "relations.target_id"),
            "strength": _unit(strength, "relations.strength"),
        })
    return out


def _time_us(value: Any, field: str) -> int:
    """A datetime or UTC microseconds -> UTC microseconds; None -> 0 (now)."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return _us_from_datetime(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{field}: expected a datetime or int microseconds, got {type(value).__name__}")
    if value < 0 or value > _INT64_MAX:
        raise InvalidArgumentError(f"{field}: {value} is outside 1970..2262")
    return value


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy ships with the supported Pythons
        raise ImportError("gitmem: vectors need numpy (apt install python3-numpy)") from None
    return numpy


def _vector(value: Any, field: str) -> Any:
    """A 1-d vector (a float32 numpy array, or a list of numbers) -> a contiguous float32
    array; None stays None. The engine checks the dimension and finiteness."""
    if value is None:
        return None
    np = _numpy()
    if isinstance(value, np.ndarray):
        if value.dtype != np.float32:
            raise InvalidArgumentError(
                f"{field}: expected a numpy float32 array, got dtype {value.dtype} "
                f"(convert with .astype(numpy.float32))"
            )
        if value.ndim != 1:
            raise InvalidArgumentError(
                f"{field}: expected a 1-d array of shape (dim,), got shape {value.shape}"
            )
        arr = np.ascontiguousarray(value)
    elif isinstance(value, (list, tuple)):
        try:
            raw = np.asarray(value)
        except (TypeError, ValueError):
            raw = None
        if raw is None or raw.dtype.kind not in "iuf" or any(isinstance(x, bool) for x in value):
            raise InvalidArgumentError(f"{field}: expected a list of numbers")
        if raw.ndim != 1:
            raise InvalidArgumentError(f"{field}: expected a flat list of shape (dim,), got shape {raw.shape}")
        arr = raw.astype(np.float32)
    else:
        raise TypeError(
            f"{field}: expected a numpy float32 array or a list of floats, got {type(value).__name__}"
        )
    if arr.size == 0:
        raise InvalidArgumentError(f"{field}: must not be empty")
    return arr


def _one_or_many(value: Any, field: str) -> List[str]:
    """A str or an iterable of str -> a list (None -> [] = no filter)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [_text(value, field)]
    try:
        items = list(value)
    except TypeError:
        raise TypeError(f"{field}: expected a str or a list of str, got {type(value).__name__}") from None
    return [_text(v, field) for v in items]


def _opt_time(value: Any, field: str) -> Optional[int]:
    return None if value is None else _time_us(value, field)


def _memory_record(m: MemoryItem) -> Dict[str, Any]:
    """A MemoryItem -> the record the engine takes (to keep it as a merge resolution)."""
    return {
        "id": m.id, "content": m.content, "type": m.type, "agent_id": m.agent_id,
        "session_id": m.session_id, "timestamp_us": m.timestamp_us, "importance": m.importance,
        "confidence": m.confidence, "tags": list(m.tags), "scope": m.scope,
        "metadata": _metadata(m.metadata),
        "relations": [{"type": r.type, "target_id": r.target_id, "strength": r.strength} for r in m.relations],
    }


def _resolution(c: Conflict, r: Any) -> Optional[Dict[str, Any]]:
    """What a merge resolver returned -> a record, or None to delete the memory."""
    if r is None:
        return None
    if isinstance(r, str):
        if r not in ("ours", "theirs", "base"):
            raise InvalidArgumentError(
                f"resolver: returned {r!r}; expected a MemoryItem, a dict of fields, None, "
                f"'ours', 'theirs' or 'base'"
            )
        side = getattr(c, r)
        return None if side is None else _memory_record(side)
    if isinstance(r, MemoryItem):
        if r.id != c.id:
            raise InvalidArgumentError(f"resolver: returned memory {r.id!r} for conflict {c.id!r}")
        return _memory_record(r)
    if isinstance(r, Mapping):
        fields = dict(r)
        fields.setdefault("id", c.id)
        if fields["id"] != c.id:
            raise InvalidArgumentError(f"resolver: returned memory {fields['id']!r} for conflict {c.id!r}")
        if "content" not in fields:
            raise TypeError("resolver: a returned dict needs 'content'")
        fields.pop("embedding", None)
        return _record(**fields)
    raise TypeError(f"resolver: unexpected return type {type(r).__name__}")


def _embedder_spec(embedder: Any, dim: Optional[int], embedder_id: Optional[str]) -> Optional[tuple]:
    """A Python callable embedder -> (callable, id, dimension) for _core."""
    if embedder is None:
        return None
    if not callable(embedder):
        raise TypeError(f"embedder: expected a callable list[str] -> array, got {type(embedder).__name__}")
    d = dim if dim is not None else getattr(embedder, "dimension", None)
    if d is None:
        raise TypeError("dim: the embedder's dimension is required (pass dim=...)")
    d = _count(d, "dim")
    if d == 0:
        raise InvalidArgumentError("dim: must be at least 1")
    eid = embedder_id if embedder_id is not None else getattr(embedder, "id", None)
    if eid is None:
        qual = getattr(embedder, "__qualname__", type(embedder).__qualname__)
        eid = f"python:{getattr(embedder, '__module__', '') or ''}.{qual}/{d}"
    return (embedder, _name(eid, "embedder_id"), d)


def _at(value: At, field: str = "at") -> Tuple[str, Optional[int]]:
    """A read position -> (revision, as_of_us)."""
    if value is None:
        return "", None
    if isinstance(value, Commit):
        return value.id, None
    if isinstance(value, str):
        return _name(value, field), None
    if isinstance(value, datetime):
        return "", _us_from_datetime(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if not -_INT64_MAX <= value <= _INT64_MAX:
            raise InvalidArgumentError(f"{field}: {value} is outside the int64 range")
        return "", value
    raise TypeError(
        f"{field}: expected a revision str, a Commit, a datetime or int microseconds, "
        f"got {type(value).__name__}"
    )


def _rev(value: Union[str, Commit, None], field: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Commit):
        return value.id
    return _name(value, field)


def _record(
    content: Any,
    *,
    id: Any = None,
    type: Any = "semantic",
    agent_id: Any = None,
    session_id: Any = None,
    tags: Any = (),
    importance: Any = 0.5,
    confidence: Any = 1.0,
    scope: Any = "shared",
    metadata: Any = None,
    relations: Any = None,
    timestamp: Any = None,
    embedding: Any = None,
) -> Dict[str, Any]:
    """add()'s arguments -> the record _core.Repository.put_many takes (the embedding only
    when given)."""
    vec = _vector(embedding, "embedding")
    record = {
        "id": "" if id is None else _name(id, "id"),
        "content": _text(content, "content"),
        "type": _text(type, "type"),
        "agent_id": _text(agent_id, "agent_id", allow_none=True),
        "session_id": _text(session_id, "session_id", allow_none=True),
        "timestamp_us": _time_us(timestamp, "timestamp"),
        "importance": _unit(importance, "importance"),
        "confidence": _unit(confidence, "confidence"),
        "tags": _tags(tags),
        "scope": _text(scope, "scope"),
        "metadata": _metadata(metadata),
        "relations": _relations(relations),
    }
    if vec is not None:
        record["embedding"] = vec
    return record



def _filter(type: Any, tags_any: Any, tags_all: Any, agent_id: Any, session_id: Any, scope: Any,
            since: Any, until: Any, min_importance: Any, metadata: Any) -> Dict[str, Any]:
    """The filter keywords of search() and list(), checked, as the core's SearchFilter
    fields."""
    if metadata is None:
        meta: List[Tuple[str, str]] = []
    elif isinstance(metadata, Mapping):
        try:
            meta = [
                (_text(key, "metadata"),
                 json.dumps(v, ensure_ascii=False, allow_nan=False, separators=(",", ":")))
                for key, v in metadata.items()
            ]
        except (TypeError, ValueError) as e:
            raise InvalidArgumentError(f"metadata: not representable as JSON ({e})") from None
    else:
        raise TypeError(f"metadata: expected a dict, got {metadata.__class__.__name__}")
    return {
        "types": _one_or_many(type, "type"),
        "tags_any": _one_or_many(tags_any, "tags_any"),
        "tags_all": _one_or_many(tags_all, "tags_all"),
        "agent_id": None if agent_id is None else _text(agent_id, "agent_id"),
        "session_id": None if session_id is None else _text(session_id, "session_id"),
        "scopes": _one_or_many(scope, "scope"),
        "from_us": _opt_time(since, "since"),
        "until_us": _opt_time(until, "until"),
        "min_importance": None if min_importance is None else _unit(min_importance, "min_importance"),
        "metadata": meta,
    }


def _single_commit_op(op: str, doc: str) -> Callable[..., MergeResult]:
    """Repository.cherry_pick and Repository.revert: one commit's change, applied or undone."""

    def method(
        self: Repository,
        commit: Union[str, Commit],
        *,
        into: Optional[str] = None,
        strategy: str = "fail",
        resolver: Optional[Any] = None,
        message: Optional[str] = None,
        author: Optional[str] = None,
    ) -> MergeResult:
        return self._merge(op, commit, into, strategy, resolver, message, author, True)

    method.__name__ = op
    method.__qualname__ = f"Repository.{op}"
    method.__doc__ = doc
    return method


class Repository:
    """A gitmem repository: memories with commits, branches, diff, history and time travel.

    Create one with :meth:`init` or open one with :meth:`open`; use it as a context
    manager or call :meth:`close`. A Repository is safe to use from many threads at once;
    heavy calls release the GIL.

    Writes (:meth:`add`, :meth:`update`, :meth:`delete`) are *staged* on a branch (HEAD's
    unless ``branch=`` says otherwise) and recorded by :meth:`commit` — unless the
    repository was opened with ``auto_commit=True``. Reads see the branch's working state
    (its head commit plus staged changes) unless ``at=`` asks for a revision or a time.
    """

    __slots__ = ("_core", "__weakref__")

    def __init__(self, core: "_core.Repository") -> None:
        """Internal: use :meth:`Repository.init` or :meth:`Repository.open`."""
        if not isinstance(core, _core.Repository):
            raise TypeError("use gitmem.Repository.init(path) or gitmem.Repository.open(path)")
        self._core = core

    # ---- lifecycle ---------------------------------------------------------------------

    @classmethod
    def init(
        cls,
        path: Union[str, "os.PathLike[str]"],
        *,
        name: str = "local/memory",
        default_branch: str = "main",
        description: str = "",
        auto_commit: bool = False,
        author: str = "gitmem",
        max_content_bytes: int = 64 * 1024,
        max_metadata_bytes: int = 16 * 1024,
        sync: bool = False,
        dim: int = 384,
        embedder: Optional[Any] = None,
        embedder_id: Optional[str] = None,
    ) -> "Repository":
        """Creates repository ``name`` (``owner/name``) in the store at ``path``; the
        directory is created when missing. Raises AlreadyExistsError if it exists.

        ``dim`` is the vector length, fixed for the repository's life. ``embedder`` turns
        texts into vectors: None for gitmem's built-in hashing embedder, or a Python
        callable ``list[str] -> numpy float32 array of shape (n, dim)`` (called with the
        GIL held, possibly from several threads in turn). ``embedder_id`` names it (stored
        vectors are keyed by it; default: the callable's ``id`` attribute, else its
        qualified name and ``dim``)."""
        d = _count(dim, "dim")
        if d == 0:
            raise InvalidArgumentError("dim: must be at least 1")
        return cls(
            _core.Repository.init(
                _text(os.fspath(path), "path"),
                _text(name, "name"),
                _text(default_branch, "default_branch"),
                _text(description, "description"),
                bool(auto_commit),
                _text(author, "author"),
                _count(max_content_bytes, "max_content_bytes"),
                _count(max_metadata_bytes, "max_metadata_bytes"),
                bool(sync),
                d,
                _embedder_spec(embedder, d, embedder_id),
            )
        )

    @classmethod
    def open(
        cls,
        path: Union[str, "os.PathLike[str]"],
        *,
        name: Optional[str] = None,
        read_only: bool = False,
        auto_commit: bool = False,
        author: str = "gitmem",
        max_content_bytes: int = 64 * 1024,
        max_metadata_bytes: int = 16 * 1024,
        sync: bool = False,
        embedder: Optional[Any] = None,
        dim: Optional[int] = None,
        embedder_id: Optional[str] = None,
    ) -> "Repository":
        """Opens an existing repository. With ``name=None`` the store must hold exactly one
        repository, or one called ``local/memory``. Pass the same ``embedder`` (and its
        ``dim``) the repository was created with, if it was created with one."""
        p = _text(os.fspath(path), "path")
        if name is None:
            names = _core.list_repositories(p)
            if len(names) == 1:
                name = names[0]
            elif "local/memory" in names:
                name = "local/memory"
            elif not names:
                raise NotFoundError(f"store '{p}' holds no repository")
            else:
                raise InvalidArgumentError(
                    f"name: store '{p}' holds several repositories ({', '.join(names)}); name one"
                )
        return cls(
            _core.Repository.open(
                p,
                _text(name, "name"),
                bool(auto_commit),
                _text(author, "author"),
                _count(max_content_bytes, "max_content_bytes"),
                _count(max_metadata_bytes, "max_metadata_bytes"),
                bool(sync),
                bool(read_only),
                _embedder_spec(embedder, dim, embedder_id),
            )
        )

    @staticmethod
    def list_repositories(path: Union[str, "os.PathLike[str]"]) -> List[str]:
        """Names of the repositories in the store at ``path``, sorted."""
        return _core.list_repositories(_text(os.fspath(path), "path"))

    def close(self) -> None:
        """Closes the repository (idempotent). Calls in flight on other threads finish
        first; any later call raises InvalidArgumentError."""
        self._core.close()

    @property
    def closed(self) -> bool:
        return self._core.closed

    def __enter__(self) -> "Repository":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def name(self) -> str:
        """The repository's ``owner/name``."""
        return self._core.name

    @property
    def path(self) -> str:
        """The store directory."""
        return self._core.path

    @property
    def head(self) -> str:
        """The branch HEAD points at."""
        return self._core.current_branch()

    def __repr__(self) -> str:
        if self._core.closed:
            return f"<gitmem.Repository {self.name!r} at {self.path!r} (closed)>"
        return f"<gitmem.Repository {self.name!r} at {self.path!r} head={self.head!r}>"

    # ---- memories ----------------------------------------------------------------------

    def add(
        self,
        content: str,
        *,
        id: Optional[str] = None,
        type: str = "semantic",
        agent_id: Optional[str] = None,
        session_id: Optional[str] = None,
        tags: Iterable[str] = (),
        importance: float = 0.5,
        confidence: float = 1.0,
        scope: str = "shared",
        metadata: Union[Mapping[str, Any], str, None] = None,
        relations: Optional[Iterable[Any]] = None,
        timestamp: Union[datetime, int, None] = None,
        embedding: Any = None,
        branch: Optional[str] = None,
        author: Optional[str] = None,
    ) -> str:
        """Writes one memory and returns its id (a new UUIDv7 unless ``id`` is given; an
        existing ``id`` is updated in place). ``type`` is episodic, semantic, procedural or
        state; ``scope`` private, shared or global; ``metadata`` a JSON-able dict;
        ``relations`` (type, target_id[, strength]) tuples, dicts or Relation objects;
        ``embedding`` a vector for the content (a numpy float32 array or a list of floats
        of the repository's dimension) used instead of the embedder."""
        rec = _record(
            content, id=id, type=type, agent_id=agent_id, session_id=session_id, tags=tags,
            importance=importance, confidence=confidence, scope=scope, metadata=metadata,
            relations=relations, timestamp=timestamp, embedding=embedding,
        )
        return self._core.put_many(
            [rec], _opt_name(branch, "branch"), _opt_name(author, "author")
        )[0]

    def add_many(
        self,
        records: Iterable[Union[Mapping[str, Any], str]],
        *,
        branch: Optional[str] = None,
        author: Optional[str] = None,
    ) -> List[str]:
        """Writes many memories in one atomic batch (all or nothing) and returns their ids.
        Each record is a dict with :meth:`add`'s keyword names (``content`` required), or
        just the content string."""
        if isinstance(records, (str, bytes, Mapping)):
            raise TypeError("records: expected a list of dicts")
        recs = []
        for i, r in enumerate(records):
            if isinstance(r, str):
                r = {"content": r}
            if not isinstance(r, Mapping):
                raise TypeError(f"records[{i}]: expected a dict, got {type(r).__name__}")
            unknown = set(r) - _RECORD_FIELDS
            if unknown:
                raise TypeError(f"records[{i}]: unknown fields {sorted(unknown)}")
            if "content" not in r:
                raise TypeError(f"records[{i}]: 'content' is required")
            try:
                recs.append(_record(**r))
            except (TypeError, InvalidArgumentError) as e:
                raise e.__class__(f"records[{i}]: {e}") from None
        return self._core.put_many(recs, _opt_name(branch, "branch"), _opt_name(author, "author"))

    def update(
        self,
        id: str,
        *,
        branch: Optional[str] = None,
        author: Optional[str] = None,
        **fields: Any,
    ) -> None:
        """Changes fields of an existing memory (any of content, type, agent_id,
        session_id, importance, confidence, tags, scope, metadata, relations); the others,
        and any given as None, keep their values (pass ``tags=[]`` or ``metadata={}`` to
        clear). Raises NotFoundError when the memory does not exist."""
        unknown = set(fields) - set(_PATCH_FIELDS)
        if unknown:
            raise TypeError(f"update() got unexpected fields {sorted(unknown)}")
        if not fields:
            raise TypeError(f"update() needs at least one field to change: {', '.join(_PATCH_FIELDS)}")
        check = {
            "content": _text, "type": _text, "agent_id": _text, "session_id": _text,
            "importance": _unit, "confidence": _unit, "scope": _text,
            "tags": lambda v, _: _tags(v), "metadata": lambda v, _: _metadata(v),
            "relations": lambda v, _: _relations(v),
        }
        patch = {k: check[k](v, k) for k, v in fields.items() if v is not None}
        self._core.update(_name(id, "id"), patch, _opt_name(branch, "branch"), _opt_name(author, "author"))

    def delete(self, id: str, *, branch: Optional[str] = None, author: Optional[str] = None) -> None:
        """Removes a memory. Raises NotFoundError when it does not exist."""
        self._core.delete(_name(id, "id"), _opt_name(branch, "branch"), _opt_name(author, "author"))

    def get(self, id: str, *, at: At = None) -> MemoryItem:
        """The memory ``id``, in HEAD's working state or ``at`` a revision or time.
        Raises NotFoundError (a KeyError) when it is not there."""
        rev, as_of = _at(at)
        return from_core(MemoryItem, self._core.get(_name(id, "id"), rev, as_of))

    def __contains__(self, id: object) -> bool:
        if not isinstance(id, str) or not id:
            return False
        try:
            self._core.get(id, "", None)
        except NotFoundError:
            return False
        return True

    def list(
        self,
        *,
        at: At = None,
        offset: int = 0,
        limit: Optional[int] = None,
        type: Union[str, Iterable[str], None] = None,
        tags_any: Optional[Iterable[str]] = None,
        tags_all: Optional[Iterable[str]] = None,
        agent_id: Optional[str] = None,
        session_id: Optional[str] = None,
        scope: Union[str, Iterable[str], None] = None,
        since: Union[datetime, int, None] = None,
        until: Union[datetime, int, None] = None,
        min_importance: Optional[float] = None,
        metadata: Optional[Mapping[str, Any]] = None,
    ) -> List[MemoryItem]:
        """Memories in id order. Without filters ``offset`` / ``limit`` page in O(log N);
        with filters (the keywords of search()) the state is scanned and the matching
        memories are paged."""
        rev, as_of = _at(at)
        flt = _filter(type, tags_any, tags_all, agent_id, session_id, scope, since, until,
                      min_importance, metadata)
        items = self._core.list(rev, as_of, _count(offset, "offset"), _count(limit, "limit"), flt)
        return [from_core(MemoryItem, m) for m in items]

    def count(self, *, at: At = None) -> int:
        """How many memories there are (HEAD's working state unless ``at`` is given)."""
        rev, as_of = _at(at)
        return self._core.count(rev, as_of)

    def __len__(self) -> int:
        return self._core.count("", None)

    # ---- commits and history -------------------------------------------------------------

    def commit(
        self,
        message: str,
        *,
        author: Optional[str] = None,
        branch: Optional[str] = None,
        timestamp: Union[datetime, int, None] = None,
        allow_empty: bool = False,
    ) -> str:
        """Records the changes staged on a branch and returns the new commit's hex id.
        Raises InvalidArgumentError when nothing is staged (unless ``allow_empty``)."""
        return self._core.commit(
            _text(message, "message"),
            _opt_name(author, "author"),
            _opt_name(branch, "branch"),
            _time_us(timestamp, "timestamp"),
            bool(allow_empty),
        )

    def staged(self, *, branch: Optional[str] = None) -> List[StagedChange]:
        """The changes staged on a branch and not yet committed, in id order."""
        return [from_core(StagedChange, c) for c in self._core.staged(_opt_name(branch, "branch"))]

    def discard(self, *, branch: Optional[str] = None) -> None:
        """Drops the changes staged on a branch."""
        self._core.discard_staged(_opt_name(branch, "branch"))

    def log(
        self,
        ref: Union[str, Commit, None] = None,
        *,
        limit: Optional[int] = None,
        offset: int = 0,
        first_parent: bool = True,
    ) -> List[Commit]:
        """Commits reachable from ``ref`` (default HEAD), newest first. An unborn HEAD has
        an empty log."""
        return [
            from_core(Commit, c)
            for c in self._core.log(
                _rev(ref, "ref"), bool(first_parent), _count(offset, "offset"), _count(limit, "limit")
            )
        ]

    def show(self, commit: Union[str, Commit] = "HEAD") -> Commit:
        """One commit, by any revision."""
        return from_core(Commit, self._core.show(_rev(commit, "commit") or "HEAD"))

    def resolve(self, rev: Union[str, Commit]) -> str:
        """The commit id a revision names."""
        return self._core.resolve(_rev(rev, "rev") or "HEAD")

    def diff(self, a: At, b: At = None) -> Diff:
        """The changes from ``a`` to ``b`` (each a revision, Commit or time; ``b=None``
        is HEAD's working state), with ``.added``, ``.modified`` and ``.removed``."""
        if a is None:
            raise TypeError("diff() needs a starting revision or time")
        ra, ta = _at(a, "a")
        rb, tb = _at(b, "b")
        return Diff(tuple(from_core(DiffEntry, e) for e in self._core.diff(ra, ta, rb, tb)))

    def history(self, id: str, *, ref: Union[str, Commit, None] = None) -> List[Version]:
        """Every committed version of one memory on ``ref``'s first-parent history,
        newest first; a version with ``memory=None`` is a deletion."""
        return [from_core(Version, v) for v in self._core.history(_name(id, "id"), _rev(ref, "ref"))]

    def session(self, session_id: str, *, at: At = None) -> List[MemoryItem]:
        """The memories of one session, oldest first."""
        rev, as_of = _at(at)
        return [from_core(MemoryItem, m) for m in self._core.session(_name(session_id, "session_id"), rev, as_of)]

    # ---- branches and tags -------------------------------------------------------------------

    def branch(self, name: str, *, at: Union[str, Commit, None] = None) -> Branch:
        """Creates a branch at ``at`` (default: HEAD's commit) and returns it. O(1): no
        other branch is read."""
        n = _name(name, "name")
        self._core.create_branch(n, _rev(at, "at"))
        # Nothing is staged on a new branch: deleting or renaming a branch clears its staging.
        return Branch(name=n, head=self._core.resolve(n), is_current=self._core.current_branch() == n, staged=0)

    def branches(self) -> List[Branch]:
        """Every branch, by name."""
        return [from_core(Branch, b) for b in self._core.list_branches()]

    def checkout(self, name: str) -> None:
        """Points HEAD at a branch."""
        self._core.checkout(_name(name, "name"))

    def delete_branch(self, name: str) -> None:
        """Deletes a branch (not the checked-out one) and its staged changes."""
        self._core.delete_branch(_name(name, "name"))

    def rename_branch(self, old: str, new: str) -> None:
        """Renames a branch, with its staged changes; HEAD follows."""
        self._core.rename_branch(_name(old, "old"), _name(new, "new"))

    def reset(self, commit: Union[str, Commit], *, branch: Optional[str] = None) -> None:
        """Moves a branch (HEAD's by default) to a commit; staged changes are kept."""
        self._core.reset(_opt_name(branch, "branch"), _rev(commit, "commit") or "HEAD")

    def tag(self, name: str, *, at: Union[str, Commit, None] = None) -> Tag:
        """Creates a tag at ``at`` (default: HEAD's commit) and returns it."""
        n = _name(name, "name")
        self._core.create_tag(n, _rev(at, "at"))
        # Listed rather than resolved: a branch of the same name would win a resolve.
        return next(t for t in self.tags() if t.name == n)

    def tags(self) -> List[Tag]:
        """Every tag, by name."""
        return [from_core(Tag, t) for t in self._core.list_tags()]

    def delete_tag(self, name: str) -> None:
        self._core.delete_tag(_name(name, "name"))

    # ---- search ------------------------------------------------------------------------------

    def search(
        self,
        query: Optional[str] = None,
        *,
        vector: Any = None,
        k: int = 10,
        mode: str = "hybrid",
        at: At = None,
        offset: int = 0,
        type: Union[str, Iterable[str], None] = None,
        tags_any: Optional[Iterable[str]] = None,
        tags_all: Optional[Iterable[str]] = None,
        agent_id: Optional[str] = None,
        session_id: Optional[str] = None,
        scope: Union[str, Iterable[str], None] = None,
        since: Union[datetime, int, None] = None,
        until: Union[datetime, int, None] = None,
        min_importance: Optional[float] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        rrf_k: float = 60.0,
        vector_weight: float = 1.0,
        keyword_weight: float = 1.0,
        include_memories: bool = True,
    ) -> List[Hit]:
        """Ranked search of HEAD's working state (or ``at`` a revision or time).

        ``mode`` is ``"vector"`` (nearest neighbours of ``vector``, or of the embedded
        ``query``), ``"keyword"`` (BM25 over content and tags; needs ``query``) or
        ``"hybrid"`` (reciprocal rank fusion of both; needs ``query``). ``vector`` is a 1-d
        numpy float32 array (or list of floats) of the repository's dimension. Filters:
        ``type`` and ``scope`` (one or a list), ``tags_any`` / ``tags_all``, ``agent_id``,
        ``session_id``, ``since`` <= timestamp < ``until``, ``min_importance``, and
        ``metadata`` (top-level keys that must equal the given JSON-able values). Returns
        up to ``k`` hits after skipping ``offset``. The GIL is released while searching."""
        if isinstance(k, bool) or not isinstance(k, int):
            raise TypeError("k: expected int")
        if k <= 0:
            raise InvalidArgumentError(f"k: {k} must be positive")
        if k > 2**31 - 1:
            raise InvalidArgumentError(f"k: {k} is too large")
        rev, as_of = _at(at)
        flt = _filter(type, tags_any, tags_all, agent_id, session_id, scope, since, until,
                      min_importance, metadata)
        for f, v in (("rrf_k", rrf_k), ("vector_weight", vector_weight), ("keyword_weight", keyword_weight)):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise TypeError(f"{f}: expected a number")
            if not math.isfinite(v) or v < 0:
                raise InvalidArgumentError(f"{f}: {v!r} must be a finite number >= 0")
        hits = self._core.search(
            "" if query is None else _text(query, "query"),
            _vector(vector, "vector"),
            _text(mode, "mode"),
            k,
            _count(offset, "offset"),
            rev,
            as_of,
            flt,
            float(rrf_k),
            float(vector_weight),
            float(keyword_weight),
            bool(include_memories),
        )
        return [from_core(Hit, h) for h in hits]

    def reindex(self, *, branch: Optional[str] = None, progress: Optional[Progress] = None) -> None:
        """Rebuilds a branch's search index (HEAD's by default) from its head commit.
        ``progress(done, total)`` is called as memories are indexed."""
        self._core.reindex(_opt_name(branch, "branch"), _progress(progress))

    def index_info(self, *, at: At = None) -> Dict[str, Any]:
        """Statistics of the search index that answers searches of ``at``."""
        rev, as_of = _at(at)
        return self._core.index_info(rev, as_of)

    def wait_for_index(self, *, branch: Optional[str] = None, timeout: Optional[float] = None) -> None:
        """Waits until the background indexer has indexed ``branch`` (HEAD's by default) up
        to its head commit, approximate graphs included (``index_info()["indexing"]`` is
        then False and ``"vectors_awaiting_graph"`` 0). ``timeout`` is in seconds (None: no
        limit); when it passes first, raises :class:`BusyError`. Searches never need this
        wait: until a graph is built, they scan its vectors exactly. Releases the GIL while
        waiting, and Ctrl-C interrupts it."""
        self._core.wait_for_index(_opt_name(branch, "branch"), _timeout_ms(timeout, "timeout"))

    # ---- merge and fork ----------------------------------------------------------------------

    def _merge(
        self, op: str, source: Union[str, Commit], into: Optional[str], strategy: str,
        resolver: Any, message: Optional[str], author: Optional[str], fast_forward: bool,
    ) -> MergeResult:
        strategy = _text(strategy, "strategy")
        errors: List[BaseException] = []
        call = None
        if resolver is not None:
            if not callable(resolver):
                raise TypeError(f"resolver: expected a callable, got {type(resolver).__name__}")
            if strategy not in ("fail", "callback"):
                raise InvalidArgumentError(
                    f"strategy: {strategy!r} and a resolver exclude each other (use strategy='callback')"
                )
            strategy = "callback"

            def call(core_conflict: Any) -> Optional[Dict[str, Any]]:
                c = from_core(Conflict, core_conflict)
                try:
                    return _resolution(c, resolver(c))
                except BaseException as e:  # re-raised below, after the engine changed nothing
                    errors.append(e)
                    raise

        try:
            t = self._core.merge(
                op, _rev(source, "source") or "", _opt_name(into, "into"), strategy,
                _text(message, "message", allow_none=True), _opt_name(author, "author"),
                call, bool(fast_forward),
            )
        except GitmemError:
            if errors:
                raise errors[0] from None
            raise
        result = from_core(MergeResult, t)
        if result.commit is None and result.conflicts:
            raise ConflictError(
                f"{op.replace('_', '-')} of {source if isinstance(source, str) else source.id!r}: "
                f"{len(result.conflicts)} conflict(s) "
                f"({', '.join(c.id for c in result.conflicts[:5])}{', ...' if len(result.conflicts) > 5 else ''}); "
                f"nothing changed",
                result.conflicts,
            )
        return result

    def merge(
        self,
        source: Union[str, Commit],
        *,
        into: Optional[str] = None,
        strategy: str = "fail",
        resolver: Optional[Any] = None,
        message: Optional[str] = None,
        author: Optional[str] = None,
        fast_forward: bool = True,
    ) -> MergeResult:
        """Merges ``source`` (a branch, tag or commit) into branch ``into`` (HEAD's).

        Fast-forwards when possible (unless ``fast_forward=False``); otherwise a three-way
        merge. A memory both sides changed differently is a conflict, settled by
        ``strategy``: ``"fail"`` (the default: raise :class:`gitmem.ConflictError` whose
        ``.conflicts`` list base / ours / theirs, and change nothing), ``"ours"``,
        ``"theirs"``, ``"newest"``, ``"most_important"``, or ``resolver`` — a callable
        taking a :class:`gitmem.Conflict` and returning the memory to keep (a MemoryItem,
        a dict of :meth:`add` fields, ``"ours"`` / ``"theirs"`` / ``"base"``) or None to
        delete it. An exception from the resolver aborts the merge unchanged and
        propagates. The GIL is released while merging (and re-taken for the resolver)."""
        return self._merge("merge", source, into, strategy, resolver, message, author, fast_forward)

    cherry_pick = _single_commit_op(
        "cherry_pick",
        """Applies the change one commit made to branch ``into`` as a new commit;
        conflicts as in :meth:`merge`.""",
    )
    revert = _single_commit_op(
        "revert",
        """Undoes the change one commit made, with a new commit on branch ``into``;
        conflicts as in :meth:`merge`.""",
    )

    def merge_bases(self, a: Union[str, Commit], b: Union[str, Commit]) -> List[str]:
        """The best common ancestors of two revisions (two or more after criss-cross
        merges, none for unrelated histories)."""
        return self._core.merge_bases(_rev(a, "a") or "HEAD", _rev(b, "b") or "HEAD")

    def fork(self, new_name: str) -> "Repository":
        """Forks this repository to ``new_name`` (``owner/name``) in the same store and
        returns it open: branches, tags and HEAD are copied (objects are shared)."""
        return Repository(self._core.fork(_name(new_name, "new_name")))

    def info(self) -> RepositoryInfo:
        """This repository's record in the store: description, counters, upstream."""
        return from_core(RepositoryInfo, self._core.info())

    # ---- maintenance -------------------------------------------------------------------------

    def fsck(self, *, store: bool = False, all_objects: bool = False) -> FsckReport:
        """Verifies every object reachable from this repository's refs and staged changes;
        with ``store=True``, from every ref of every repository in the store; with
        ``all_objects=True`` also every unreachable object. The GIL is released."""
        if store or all_objects:
            return from_core(FsckReport, self._core.fsck_all(bool(all_objects)))
        return from_core(FsckReport, self._core.fsck())

    def gc(self, *, dry_run: bool = False, progress: Optional[Progress] = None) -> GcReport:
        """Removes objects no ref or staged change of any repository in the store reaches,
        and reports what it freed (with ``dry_run``, what it would free). Safe while other
        threads read and write. ``progress(done, total)`` is called as objects are scanned."""
        return from_core(GcReport, self._core.gc(bool(dry_run), _progress(progress)))

    def export_jsonl(
        self, path: Union[str, "os.PathLike[str]"], *, at: Union[str, Commit, None] = None,
        progress: Optional[Progress] = None,
    ) -> int:
        """Writes the memories at ``at`` (default HEAD's working state) as JSON Lines, one
        memory per line with every field; returns how many were written.
        ``progress(done, total)`` is called as memories are written."""
        return self._core.export_jsonl(_name(os.fspath(path), "path"), _rev(at, "at"), _progress(progress))

    def import_jsonl(
        self,
        path: Union[str, "os.PathLike[str]"],
        *,
        branch: Optional[str] = None,
        message: Optional[str] = None,
        author: Optional[str] = None,
        progress: Optional[Progress] = None,
    ) -> ImportReport:
        """Reads JSON Lines (as :meth:`export_jsonl` writes) and commits them to a branch
        in one commit. Every line is checked first: a bad line changes nothing.
        ``progress(done, total)`` is called as lines are checked."""
        return from_core(ImportReport, self._core.import_jsonl(
            _name(os.fspath(path), "path"), _opt_name(branch, "branch"),
            _text(message, "message", allow_none=True), _opt_name(author, "author"), _progress(progress),
        ))

    def export_bundle(self, path: Union[str, "os.PathLike[str]"], *, progress: Optional[Progress] = None) -> int:
        """Writes a bundle with this repository's full history (objects and refs); returns
        the number of objects written. ``progress(done, total)`` is called as objects are written."""
        return self._core.export_bundle(_name(os.fspath(path), "path"), _progress(progress))

    def import_bundle(
        self, path: Union[str, "os.PathLike[str]"], *, force: bool = False, progress: Optional[Progress] = None,
    ) -> ImportReport:
        """Reads a bundle into this repository: the same commit ids as where it was made.
        A ref that exists at another commit is a ConflictError unless ``force``.
        ``progress(done, total)`` is called as objects are read."""
        return from_core(ImportReport, self._core.import_bundle(
            _name(os.fspath(path), "path"), bool(force), _progress(progress)))
