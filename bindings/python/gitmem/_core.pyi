# Type stubs for gitmem._core, the compiled half of the package. Internal: use the gitmem
# package. Results are read-only classes whose attribute names are the field names of the
# dataclasses in gitmem/_types.py; records, patches and filters go in as dicts.
from typing import Any, Callable, Dict, List, Optional

_Record = Dict[str, Any]  # add()'s fields: id, content, type, ..., metadata (JSON text), relations
_Patch = Dict[str, Any]   # the fields to change
_Filter = Dict[str, Any]  # SearchFilter's fields: types, tags_any, ..., metadata [(key, JSON text)]
_Vector = Any  # a 1-d numpy float32 array
_Embedder = Optional[tuple]  # (callable list[str] -> array, id, dimension)
_Progress = _Progress

class Relation:
    type: str
    target_id: str
    strength: float

class Memory:
    id: str
    content: str
    type: str
    agent_id: str
    session_id: str
    timestamp_us: int
    importance: float
    confidence: float
    tags: List[str]
    scope: str
    author: str
    content_hash: str
    metadata: str  # JSON text
    relations: List[Relation]

class Commit:
    id: str
    tree: str
    parents: List[str]
    author: str
    message: str
    timestamp_us: int
    generation: int
    memory_count: int
    added: int
    modified: int
    removed: int
    changed_ids: List[str]
    changed_ids_truncated: bool

class DiffEntry:
    kind: str
    id: str
    old: Optional[Memory]
    new: Optional[Memory]

class Version:
    commit: Commit
    memory: Optional[Memory]

class StagedChange:
    id: str
    deleted: bool
    memory: Optional[Memory]

class Branch:
    name: str
    head: Optional[str]
    is_current: bool
    staged: int

class Tag:
    name: str
    target: str

class FsckReport:
    objects_checked: int
    commits: int
    trees: int
    blobs: int
    problems: List[str]

class GcReport:
    objects_scanned: int
    objects_reachable: int
    objects_freed: int
    bytes_freed: int
    session_entries_freed: int
    index_snapshots_freed: int
    vectors_freed: int
    index_bytes_freed: int

class RepositoryInfo:
    name: str
    description: str
    default_branch: str
    visibility: str
    created_at_us: int
    stars: int
    forks: int
    watchers: int
    upstream: str

class ImportReport:
    memories: int
    objects: int
    refs: int
    commit: Optional[str]

class Hit:
    id: str
    score: float
    memory: Optional[Memory]

class Conflict:
    kind: str
    id: str
    base: Optional[Memory]
    ours: Optional[Memory]
    theirs: Optional[Memory]
    base_ambiguous: bool
    resolution: Optional[Memory]

class MergeResult:
    commit: Optional[str]
    fast_forward: bool
    up_to_date: bool
    conflicts: List[Conflict]
    merge_bases: List[str]
    changes_applied: int

def version() -> str: ...
def list_repositories(path: str) -> List[str]: ...

class Repository:
    @staticmethod
    def init(path: str, name: str, default_branch: str, description: str, auto_commit: bool,
             author: str, max_content_bytes: int, max_metadata_bytes: int,
             sync: bool, dim: int = 0, embedder: _Embedder = None) -> Repository: ...
    @staticmethod
    def open(path: str, name: str, auto_commit: bool, author: str, max_content_bytes: int,
             max_metadata_bytes: int, sync: bool, read_only: bool,
             embedder: _Embedder = None) -> Repository: ...
    @property
    def path(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def closed(self) -> bool: ...
    def close(self) -> None: ...
    def options(self) -> dict[str, Any]: ...
    def put_many(self, records: List[_Record], branch: str, author: str) -> List[str]: ...
    def update(self, id: str, patch: _Patch, branch: str, author: str) -> None: ...
    def delete(self, id: str, branch: str, author: str) -> None: ...
    def get(self, id: str, rev: str, as_of: Optional[int]) -> Memory: ...
    def list(self, rev: str, as_of: Optional[int], offset: int, limit: int,
             filter: _Filter) -> List[Memory]: ...
    def count(self, rev: str, as_of: Optional[int]) -> int: ...
    def commit(self, message: str, author: str, branch: str, timestamp_us: int,
               allow_empty: bool) -> str: ...
    def staged(self, branch: str) -> List[StagedChange]: ...
    def discard_staged(self, branch: str) -> None: ...
    def log(self, rev: str, first_parent: bool, offset: int, limit: int) -> List[Commit]: ...
    def show(self, rev: str) -> Commit: ...
    def resolve(self, rev: str) -> str: ...
    def diff(self, rev_a: str, as_of_a: Optional[int], rev_b: str,
             as_of_b: Optional[int]) -> List[DiffEntry]: ...
    def history(self, id: str, rev: str) -> List[Version]: ...
    def session(self, session_id: str, rev: str, as_of: Optional[int]) -> List[Memory]: ...
    def create_branch(self, name: str, at: str) -> None: ...
    def delete_branch(self, name: str) -> None: ...
    def rename_branch(self, from_: str, to: str) -> None: ...
    def list_branches(self) -> List[Branch]: ...
    def checkout(self, name: str) -> None: ...
    def current_branch(self) -> str: ...
    def reset(self, branch: str, rev: str) -> None: ...
    def create_tag(self, name: str, at: str) -> None: ...
    def delete_tag(self, name: str) -> None: ...
    def list_tags(self) -> List[Tag]: ...
    def fsck(self) -> FsckReport: ...
    def fsck_all(self, all_objects: bool) -> FsckReport: ...
    @staticmethod
    def fsck_store(path: str, all_objects: bool) -> FsckReport: ...
    def gc(self, dry_run: bool, progress: _Progress) -> GcReport: ...
    def info(self) -> RepositoryInfo: ...
    def export_jsonl(self, path: str, rev: str, progress: _Progress) -> int: ...
    def import_jsonl(self, path: str, branch: str, message: str, author: str, progress: _Progress) -> ImportReport: ...
    def export_bundle(self, path: str, progress: _Progress) -> int: ...
    def import_bundle(self, path: str, force: bool, progress: _Progress) -> ImportReport: ...
    def search(self, query: str, vector: Optional[_Vector], mode: str, k: int, offset: int,
               rev: str, as_of: Optional[int], filter: _Filter, rrf_k: float,
               vector_weight: float, keyword_weight: float,
               include_memories: bool) -> List[Hit]: ...
    def reindex(self, branch: str, progress: _Progress) -> None: ...
    def index_info(self, rev: str, as_of: Optional[int]) -> Dict[str, Any]: ...
    def merge(self, op: str, source: str, into: str, strategy: str, message: str, author: str,
              resolver: Optional[Callable[[Conflict], Optional[_Record]]],
              allow_fast_forward: bool) -> MergeResult: ...
    def merge_bases(self, a: str, b: str) -> List[str]: ...
    def fork(self, new_name: str) -> Repository: ...
