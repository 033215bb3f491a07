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
from .errors import *  # noqa: F401,F403
from .errors import __all__ as _error_names
from . import _core
from ._types import *  # noqa: F401,F403
from ._types import __all__ as _type_names
from ._repository import Repository
from ._mem0 import Memory

#: Version of the C++ library this package is built on.
__version__: str = _core.version()

__all__ = ["Repository", "Memory", *_type_names, *_error_names, "__version__"]
