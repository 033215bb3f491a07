"""The exceptions gitmem raises.

Every failure of the engine arrives as a subclass of :class:`GitmemError`; the classes also
derive from the built-in exception a Python programmer would expect, so existing handlers
keep working: :class:`NotFoundError` is a :class:`KeyError`, :class:`InvalidArgumentError`
a :class:`ValueError`, :class:`StorageError` an :class:`OSError`.

Wrong Python *types* (a number where a string is expected) raise the built-in
:class:`TypeError`, as Python functions do.
"""

from __future__ import annotations

__all__ = [
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
]


class GitmemError(Exception):
    """Base class of every error gitmem raises."""

    #: The engine's status code name, e.g. ``"not found"``.
    code: str = "internal"

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class NotFoundError(GitmemError, KeyError):
    """A memory, commit, branch, tag or repository does not exist."""

    code = "not found"


class AlreadyExistsError(GitmemError):
    """A repository, branch or tag of that name exists already."""

    code = "already exists"


class InvalidArgumentError(GitmemError, ValueError):
    """A value is out of its allowed range; the message names the field and the limit."""

    code = "invalid argument"


class ConflictError(GitmemError):
    """A concurrent writer moved a ref first, or a merge has conflicts.

    When raised by :meth:`gitmem.Repository.merge` (or ``cherry_pick`` / ``revert``) with
    ``strategy="fail"``, :attr:`conflicts` holds the unresolved conflicts (each with
    ``base`` / ``ours`` / ``theirs``) and nothing was changed.
    """

    code = "conflict"

    def __init__(self, message: str = "", conflicts: tuple = ()) -> None:
        super().__init__(message)
        #: The unresolved merge conflicts (gitmem.Conflict), empty for other conflicts.
        self.conflicts = tuple(conflicts)


class CorruptionError(GitmemError):
    """The store holds an object that does not match its hash or does not decode."""

    code = "corruption"


class StorageError(GitmemError, OSError):
    """The file system or RocksDB failed."""

    code = "io error"


class PermissionDeniedError(GitmemError):
    """The repository is read-only, or the caller may not do this."""

    code = "permission denied"


class BusyError(GitmemError):
    """The store is locked by another process, or a wait ran out of time
    (:meth:`gitmem.Repository.wait_for_index` with a ``timeout``)."""

    code = "busy"


class InternalError(GitmemError):
    """A bug in gitmem; please report it."""

    code = "internal"
