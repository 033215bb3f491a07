"""gitmem — a memory for AI agents with git semantics.

Every memory is a content-addressed record; commits snapshot the memory state; branches
let an agent try an idea without touching ``main``; diff, history and time travel show
what an agent learned and when::

    import gitmem

    with gitmem.Repository.init("/tmp/agent-memory") as repo:
        mid = repo.add("The user prefers dark mode", agent_id="assistant", tags=["ui"])
        repo.commit("remember a preference")
        print(repo.get(mid).content, repo.log()[0].id)

``gitmem.Memory`` offers mem0's basic Memory API on top of a repository.
"""

from __future__ import annotations

# errors must be imported before _core: the compiled module raises these classes.
from .errors import (
    AlreadyExistsError,
    BusyError,
    ConflictError,
    CorruptionError,
    GitmemError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    StorageError,
)
from . import _core
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
)
from ._repository import Repository
from ._mem0 import Memory

#: Version of the C++ library this package is built on.
__version__: str = _core.version()

__all__ = [
    "Repository",
    "Memory",
    "MemoryItem",
    "Relation",
    "Commit",
    "Diff",
    "DiffEntry",
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
    "GitmemError",
    "NotFoundError",
    "AlreadyExistsError",
    "InvalidArgumentError",
    "ConflictError",
    "CorruptionError",
    "StorageError",
    "PermissionDeniedError",
    "BusyError",
    "InternalError",
    "__version__",
]
