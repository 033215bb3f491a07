"""gitmem.Memory — mem0's basic ``Memory`` API on a gitmem repository.

A mem0 user switches by changing the import; no LLM is needed because messages are stored
as given (mem0's ``infer=False``). Every mutating call commits, so each memory has a full
version history (:meth:`Memory.history`), and :attr:`Memory.repo` exposes the repository for
log, diff, branches and time travel.

How mem0's fields map onto gitmem records: ``agent_id`` -> the record's agent_id,
``run_id`` -> its session_id, ``user_id`` / ``role`` / ``actor_id`` / ``updated_at`` ->
keys of its metadata (as mem0 keeps them in the payload); the caller's metadata shares
that object.

``search()`` runs gitmem's hybrid search (BM25 fused with the repository's embedder,
the built-in hashing embedder by default) restricted to the memories of the given ids.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import weakref
from datetime import datetime, timezone
from typing import Any, Dict, List, Mapping, Optional, Union

from .errors import AlreadyExistsError, InvalidArgumentError, NotFoundError
from ._repository import Repository
from ._types import MemoryItem

__all__ = ["Memory"]

# Metadata keys the facade owns; get()/get_all() return them at top level.
_PROMOTED = ("user_id", "role", "actor_id", "updated_at")


def _entity(value: Any, field: str) -> Optional[str]:
    """mem0's rule for user_id / agent_id / run_id: trimmed, non-empty, no whitespace."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{field}: expected str, got {type(value).__name__}")
    v = value.strip()
    if not v or any(c.isspace() for c in v):
        raise InvalidArgumentError(f"{field}: must be a non-empty identifier without whitespace")
    return v


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


class Memory:
    """mem0-compatible memory over a gitmem repository.

    ``Memory()`` keeps its store in a temporary directory removed on :meth:`close`;
    ``Memory(path)`` opens (or creates) the store at ``path``.
    """

    def __init__(
        self,
        path: Union[str, "os.PathLike[str]", None] = None,
        *,
        name: str = "local/memory",
        author: str = "mem0",
    ) -> None:
        self._tmpdir: Optional[str] = None
        if path is None:
            self._tmpdir = tempfile.mkdtemp(prefix="gitmem-mem0-")
            path = self._tmpdir
        try:
            repo = Repository.init(path, name=name, author=author)
        except AlreadyExistsError:
            repo = Repository.open(path, name=name, author=author)
        self._repo = repo
        # One writer at a time: each mutation stages, then commits what it staged.
        self._lock = threading.RLock()
        self._finalizer = weakref.finalize(self, Memory._cleanup, repo, self._tmpdir)

    @staticmethod
    def _cleanup(repo: Repository, tmpdir: Optional[str]) -> None:
        repo.close()
        if tmpdir is not None:
            shutil.rmtree(tmpdir, ignore_errors=True)

    @property
    def repo(self) -> Repository:
        """The gitmem repository underneath (log, diff, branches, time travel)."""
        return self._repo

    def close(self) -> None:
        """Closes the repository (and removes the temporary store of ``Memory()``)."""
        self._finalizer()

    def __enter__(self) -> "Memory":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<gitmem.Memory over {self._repo!r}>"

    # ---- formatting -------------------------------------------------------------------------

    @staticmethod
    def _format(m: MemoryItem) -> Dict[str, Any]:
        meta = dict(m.metadata)
        out: Dict[str, Any] = {
            "id": m.id,
            "memory": m.content,
            "hash": m.content_hash,
            "metadata": None,
            "created_at": m.timestamp.isoformat(),
            "updated_at": meta.pop("updated_at", None),
        }
        for key in ("user_id", "role", "actor_id"):
            if key in meta:
                out[key] = meta.pop(key)
        if m.agent_id:
            out["agent_id"] = m.agent_id
        if m.session_id:
            out["run_id"] = m.session_id
        out["metadata"] = meta or None
        return out

    @staticmethod
    def _matches(m: MemoryItem, user_id: Optional[str], agent_id: Optional[str],
                 run_id: Optional[str], filters: Optional[Mapping[str, Any]]) -> bool:
        if user_id is not None and m.metadata.get("user_id") != user_id:
            return False
        if agent_id is not None and m.agent_id != agent_id:
            return False
        if run_id is not None and m.session_id != run_id:
            return False
        if filters:
            for k, v in filters.items():
                if k == "agent_id":
                    ok = m.agent_id == v
                elif k == "run_id":
                    ok = m.session_id == v
                else:
                    ok = m.metadata.get(k) == v
                if not ok:
                    return False
        return True

    # ---- mem0's API ---------------------------------------------------------------------------

    def add(
        self,
        messages: Union[str, Mapping[str, Any], List[Mapping[str, Any]]],
        *,
        user_id: Optional[str] = None,
        agent_id: Optional[str] = None,
        run_id: Optional[str] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        infer: bool = False,
    ) -> Dict[str, List[Dict[str, Any]]]:
        """Stores each message (a string, or ``{"role", "content"}`` dicts; system messages
        are skipped) as one memory and commits them together. Returns
        ``{"results": [{"id", "memory", "event": "ADD", ...}]}``."""
        if infer:
            raise InvalidArgumentError(
                "infer: gitmem.Memory stores messages as given; fact extraction with an LLM "
                "(infer=True) is not available"
            )
        user_id = _entity(user_id, "user_id")
        agent_id = _entity(agent_id, "agent_id")
        run_id = _entity(run_id, "run_id")
        if not (user_id or agent_id or run_id):
            raise InvalidArgumentError("At least one of 'user_id', 'agent_id', or 'run_id' must be provided.")
        if metadata is not None and not isinstance(metadata, Mapping):
            raise TypeError(f"metadata: expected a dict, got {type(metadata).__name__}")
        if isinstance(messages, str):
            messages = [{"role": "user", "content": messages}]
        elif isinstance(messages, Mapping):
            messages = [messages]
        elif not isinstance(messages, list):
            raise InvalidArgumentError("messages: must be str, dict, or list[dict]")

        records, shown = [], []
        for i, msg in enumerate(messages):
            if not isinstance(msg, Mapping) or not isinstance(msg.get("content"), str):
                raise InvalidArgumentError(f"messages[{i}]: expected a dict with a 'content' string")
            role = msg.get("role", "user")
            if role == "system":
                continue
            meta = dict(metadata or {})
            if user_id:
                meta["user_id"] = user_id
            meta["role"] = role
            actor = msg.get("name")
            if actor:
                meta["actor_id"] = actor
            records.append({
                "content": msg["content"],
                "type": "episodic",
                "agent_id": agent_id,
                "session_id": run_id,
                "metadata": meta,
            })
            shown.append((msg["content"], actor or None, role))
        if not records:
            return {"results": []}
        with self._lock:
            ids = self._repo.add_many(records)
            self._commit(f"mem0: add {len(ids)} memor{'y' if len(ids) == 1 else 'ies'}")
        return {
            "results": [
                {"id": i, "memory": text, "event": "ADD", "actor_id": actor, "role": role}
                for i, (text, actor, role) in zip(ids, shown)
            ]
        }

    def get(self, memory_id: str) -> Optional[Dict[str, Any]]:
        """One memory as a mem0 dict, or None when it does not exist."""
        try:
            return self._format(self._repo.get(memory_id))
        except NotFoundError:
            return None

    def get_all(
        self,
        *,
        user_id: Optional[str] = None,
        agent_id: Optional[str] = None,
        run_id: Optional[str] = None,
        filters: Optional[Mapping[str, Any]] = None,
        limit: int = 100,
    ) -> Dict[str, List[Dict[str, Any]]]:
        """Memories matching the ids (and metadata ``filters``), at most ``limit``."""
        user_id = _entity(user_id, "user_id")
        agent_id = _entity(agent_id, "agent_id")
        run_id = _entity(run_id, "run_id")
        if isinstance(limit, bool) or not isinstance(limit, int):
            raise TypeError(f"limit: expected int, got {type(limit).__name__}")
        if limit < 0:
            raise InvalidArgumentError(f"limit: {limit} must not be negative")
        out: List[Dict[str, Any]] = []
        for m in self._repo.list():
            if len(out) >= limit:
                break
            if self._matches(m, user_id, agent_id, run_id, filters):
                out.append(self._format(m))
        return {"results": out}

    def search(
        self,
        query: str,
        *,
        user_id: Optional[str] = None,
        agent_id: Optional[str] = None,
        run_id: Optional[str] = None,
        limit: int = 10,
        filters: Optional[Mapping[str, Any]] = None,
        threshold: Optional[float] = None,
    ) -> Dict[str, List[Dict[str, Any]]]:
        """The ``limit`` memories most relevant to ``query`` among those of the given ids
        (at least one is required, as in mem0) and matching ``filters`` (equality on
        ``agent_id``, ``run_id`` or metadata keys). Returns ``{"results": [{"id",
        "memory", "score", "metadata", ...}]}``, best first; ``threshold`` drops results
        scoring below it."""
        if not isinstance(query, str):
            raise TypeError(f"query: expected str, got {type(query).__name__}")
        user_id = _entity(user_id, "user_id")
        agent_id = _entity(agent_id, "agent_id")
        run_id = _entity(run_id, "run_id")
        if not (user_id or agent_id or run_id):
            raise InvalidArgumentError("At least one of 'user_id', 'agent_id', or 'run_id' must be provided.")
        if isinstance(limit, bool) or not isinstance(limit, int):
            raise TypeError(f"limit: expected int, got {type(limit).__name__}")
        if limit <= 0:
            raise InvalidArgumentError(f"limit: {limit} must be positive")
        if filters is not None and not isinstance(filters, Mapping):
            raise TypeError(f"filters: expected a dict, got {type(filters).__name__}")
        meta: Dict[str, Any] = {}
        for k, v in (filters or {}).items():
            if k == "agent_id":
                v = _entity(v, "filters.agent_id")
                if agent_id is not None and v != agent_id:
                    return {"results": []}
                agent_id = v
            elif k == "run_id":
                v = _entity(v, "filters.run_id")
                if run_id is not None and v != run_id:
                    return {"results": []}
                run_id = v
            elif k == "user_id":
                v = _entity(v, "filters.user_id")
                if user_id is not None and v != user_id:
                    return {"results": []}
                user_id = v
            else:
                meta[k] = v
        if user_id is not None:
            meta["user_id"] = user_id
        if not query.strip():
            return {"results": []}
        hits = self._repo.search(
            query, k=limit, mode="hybrid", agent_id=agent_id, session_id=run_id,
            metadata=meta or None,
        )
        out = []
        for h in hits:
            if threshold is not None and h.score < threshold:
                continue
            r = self._format(h.memory)
            r["score"] = h.score
            out.append(r)
        return {"results": out}

    def update(self, memory_id: str, data: str) -> Dict[str, str]:
        """Replaces a memory's text and commits. Raises NotFoundError when it is missing."""
        with self._lock:
            current = self._repo.get(memory_id)
            meta = dict(current.metadata)
            meta["updated_at"] = _now_iso()
            self._repo.update(memory_id, content=data, metadata=meta)
            self._commit(f"mem0: update {memory_id}")
        return {"message": "Memory updated successfully!"}

    def delete(self, memory_id: str) -> Dict[str, str]:
        """Deletes a memory and commits. Raises NotFoundError when it is missing."""
        with self._lock:
            self._repo.delete(memory_id)
            self._commit(f"mem0: delete {memory_id}")
        return {"message": "Memory deleted successfully!"}

    def _commit(self, message: str) -> None:
        """Commits what was just staged, or drops it when the commit fails."""
        try:
            self._repo.commit(message)
        except BaseException:
            self._repo.discard()
            raise

    def _delete_where(self, message: str, keep: Any) -> int:
        with self._lock:
            doomed = [m.id for m in self._repo.list() if not keep(m)]
            if not doomed:
                return 0
            try:
                for mid in doomed:
                    self._repo.delete(mid)
                self._repo.commit(message)
            except BaseException:
                self._repo.discard()
                raise
            return len(doomed)

    def delete_all(
        self,
        *,
        user_id: Optional[str] = None,
        agent_id: Optional[str] = None,
        run_id: Optional[str] = None,
    ) -> Dict[str, str]:
        """Deletes every memory of a user, agent or run in one commit (one of them is
        required; use :meth:`reset` to delete everything)."""
        user_id = _entity(user_id, "user_id")
        agent_id = _entity(agent_id, "agent_id")
        run_id = _entity(run_id, "run_id")
        if not (user_id or agent_id or run_id):
            raise InvalidArgumentError(
                "At least one filter is required to delete all memories. Use reset() to delete everything."
            )
        self._delete_where(
            "mem0: delete all of " + ", ".join(
                f"{k}={v}" for k, v in (("user_id", user_id), ("agent_id", agent_id), ("run_id", run_id)) if v
            ),
            lambda m: not self._matches(m, user_id, agent_id, run_id, None),
        )
        return {"message": "Memories deleted successfully!"}

    def history(self, memory_id: str) -> List[Dict[str, Any]]:
        """The memory's changes, oldest first: ADD, UPDATE and DELETE events with the old
        and new text, one per commit that changed it (from gitmem's history)."""
        versions = list(reversed(self._repo.history(memory_id)))
        events: List[Dict[str, Any]] = []
        previous: Optional[MemoryItem] = None
        for v in versions:
            if v.memory is None:
                event, old, new = "DELETE", previous.content if previous else None, None
            elif previous is None:
                event, old, new = "ADD", None, v.memory.content
            else:
                event, old, new = "UPDATE", previous.content, v.memory.content
            src = v.memory or previous
            meta = src.metadata if src else {}
            when = v.commit.timestamp.isoformat()
            events.append({
                "id": v.commit.id,
                "memory_id": memory_id,
                "old_memory": old,
                "new_memory": new,
                "event": event,
                "created_at": src.timestamp.isoformat() if src else when,
                "updated_at": when if event != "ADD" else None,
                "is_deleted": event == "DELETE",
                "actor_id": meta.get("actor_id"),
                "role": meta.get("role"),
            })
            previous = v.memory
        return events

    def reset(self) -> None:
        """Deletes every memory in one commit. The repository's history keeps the old
        versions (``memory.repo.log()``), as version control does."""
        self._delete_where("mem0: reset", lambda m: False)
