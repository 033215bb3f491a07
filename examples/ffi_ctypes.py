#!/usr/bin/env python3
"""gitmem through its C ABI with nothing but Python's standard library (ctypes).

The proof that any language with an FFI can use gitmem: the same agent story as
quickstart.c — two sessions, a branch, a diff, the log, time travel, and a search.

    python3 ffi_ctypes.py <path to libgitmem.so> [<scratch directory>]
"""
import ctypes
import shutil
import sys
import tempfile
from ctypes import (POINTER, Structure, byref, c_char, c_char_p, c_double, c_float, c_int,
                    c_int64, c_size_t, c_uint, c_uint64, c_void_p)

GITMEM_OK = 0
GITMEM_ITEROVER = -31
GITMEM_AS_OF_NONE = -(2 ** 63)
OID_HEXSIZE = 64
SEMANTIC, EPISODIC, PROCEDURAL = 1, 0, 2
DIFF_KINDS = {0: "added", 1: "modified", 2: "removed"}


class RepoOptions(Structure):
    _fields_ = [("version", c_uint), ("name", c_char_p), ("default_branch", c_char_p),
                ("description", c_char_p), ("auto_commit", c_int), ("default_author", c_char_p),
                ("max_content_bytes", c_size_t), ("max_metadata_bytes", c_size_t), ("sync", c_int),
                ("read_only", c_int), ("node_cache_bytes", c_size_t),
                # version 2
                ("embedding_dimension", c_size_t), ("embedder", c_void_p)]


class ReadOptions(Structure):
    _fields_ = [("version", c_uint), ("rev", c_char_p), ("as_of_us", c_int64)]


class ListOptions(Structure):
    _fields_ = [("version", c_uint), ("rev", c_char_p), ("as_of_us", c_int64), ("offset", c_uint64),
                ("limit", c_uint64)]


class CommitOptions(Structure):
    _fields_ = [("version", c_uint), ("branch", c_char_p), ("message", c_char_p), ("author", c_char_p),
                ("timestamp_us", c_int64), ("allow_empty", c_int)]


class LogOptions(Structure):
    _fields_ = [("version", c_uint), ("rev", c_char_p), ("first_parent", c_int), ("offset", c_uint64),
                ("limit", c_uint64)]


class SearchOptions(Structure):
    _fields_ = [("version", c_uint), ("query", c_char_p), ("query_vector", POINTER(c_float)),
                ("query_vector_len", c_size_t), ("mode", c_int), ("k", c_int), ("offset", c_uint64),
                ("rev", c_char_p), ("as_of_us", c_int64),
                ("types", POINTER(c_int)), ("type_count", c_size_t),
                ("tags_any", POINTER(c_char_p)), ("tags_any_count", c_size_t),
                ("tags_all", POINTER(c_char_p)), ("tags_all_count", c_size_t),
                ("agent_id", c_char_p), ("session_id", c_char_p),
                ("scopes", POINTER(c_int)), ("scope_count", c_size_t),
                ("from_us", c_int64), ("until_us", c_int64), ("min_importance", c_float),
                ("metadata_keys", POINTER(c_char_p)), ("metadata_values", POINTER(c_char_p)),
                ("metadata_count", c_size_t),
                ("rrf_k", c_double), ("vector_weight", c_double), ("keyword_weight", c_double),
                ("include_memories", c_int)]


class GitmemError(Exception):
    pass


def load(path):
    lib = ctypes.CDLL(path)
    H = c_void_p  # every handle is an opaque pointer
    out = POINTER(c_void_p)
    sigs = {
        # name: (restype, argtypes)
        "gitmem_version": (c_char_p, []),
        "gitmem_error_last": (c_char_p, []),
        "gitmem_repo_init": (c_int, [out, c_char_p, POINTER(RepoOptions)]),
        "gitmem_repo_free": (None, [H]),
        "gitmem_memory_new": (c_int, [out]),
        "gitmem_memory_free": (None, [H]),
        "gitmem_memory_set_id": (c_int, [H, c_char_p]),
        "gitmem_memory_set_content": (c_int, [H, c_char_p]),
        "gitmem_memory_set_type": (c_int, [H, c_int]),
        "gitmem_memory_set_agent_id": (c_int, [H, c_char_p]),
        "gitmem_memory_set_session_id": (c_int, [H, c_char_p]),
        "gitmem_memory_set_importance": (c_int, [H, c_float]),
        "gitmem_memory_add_tag": (c_int, [H, c_char_p]),
        "gitmem_memory_put": (c_int, [POINTER(POINTER(c_char)), H, H, c_void_p]),
        "gitmem_memory_update": (c_int, [H, c_char_p, H, c_void_p]),
        "gitmem_memory_delete": (c_int, [H, c_char_p, c_void_p]),
        "gitmem_memory_get": (c_int, [out, H, c_char_p, POINTER(ReadOptions)]),
        "gitmem_memory_count": (c_int, [POINTER(c_uint64), H, c_void_p]),
        "gitmem_memory_id": (c_char_p, [H]),
        "gitmem_memory_content": (c_char_p, [H]),
        "gitmem_memory_get_type": (c_int, [H]),
        "gitmem_memory_type_name": (c_char_p, [c_int]),
        "gitmem_string_free": (None, [c_void_p]),
        "gitmem_patch_new": (c_int, [out]),
        "gitmem_patch_free": (None, [H]),
        "gitmem_patch_set_content": (c_int, [H, c_char_p]),
        "gitmem_commit_create": (c_int, [c_char_p, H, POINTER(CommitOptions)]),
        "gitmem_commit_show": (c_int, [out, H, c_char_p]),
        "gitmem_commit_free": (None, [H]),
        "gitmem_commit_id": (c_char_p, [H]),
        "gitmem_commit_author": (c_char_p, [H]),
        "gitmem_commit_message": (c_char_p, [H]),
        "gitmem_commit_timestamp_us": (c_int64, [H]),
        "gitmem_commit_added": (c_uint64, [H]),
        "gitmem_commit_modified": (c_uint64, [H]),
        "gitmem_commit_removed": (c_uint64, [H]),
        "gitmem_branch_create": (c_int, [H, c_char_p, c_char_p]),
        "gitmem_branch_checkout": (c_int, [H, c_char_p]),
        "gitmem_diff_new": (c_int, [out, H, POINTER(ReadOptions), POINTER(ReadOptions)]),
        "gitmem_diff_next": (c_int, [out, H]),
        "gitmem_diff_added": (c_size_t, [H]),
        "gitmem_diff_modified": (c_size_t, [H]),
        "gitmem_diff_removed": (c_size_t, [H]),
        "gitmem_diff_free": (None, [H]),
        "gitmem_diff_entry_kind": (c_int, [H]),
        "gitmem_diff_entry_id": (c_char_p, [H]),
        "gitmem_diff_entry_old_memory": (c_void_p, [H]),
        "gitmem_diff_entry_new_memory": (c_void_p, [H]),
        "gitmem_diff_entry_free": (None, [H]),
        "gitmem_log_new": (c_int, [out, H, POINTER(LogOptions)]),
        "gitmem_log_next": (c_int, [out, H]),
        "gitmem_log_free": (None, [H]),
        "gitmem_list_new": (c_int, [out, H, POINTER(ListOptions)]),
        "gitmem_list_next": (c_int, [out, H]),
        "gitmem_list_free": (None, [H]),
        "gitmem_search_options_init": (c_int, [POINTER(SearchOptions), c_uint]),
        "gitmem_search": (c_int, [out, H, POINTER(SearchOptions)]),
        "gitmem_search_iter_next": (c_int, [out, H]),
        "gitmem_search_iter_free": (None, [H]),
        "gitmem_search_hit_id": (c_char_p, [H]),
        "gitmem_search_hit_score": (c_double, [H]),
        "gitmem_search_hit_memory": (c_void_p, [H]),
        "gitmem_search_hit_free": (None, [H]),
    }
    for name, (restype, argtypes) in sigs.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    lib = load(argv[1])
    scratch = tempfile.mkdtemp(prefix="gitmem-ctypes-", dir=argv[2] if len(argv) > 2 else None)

    def check(rc):
        if rc != GITMEM_OK:
            raise GitmemError(f"gitmem error {rc}: {lib.gitmem_error_last().decode()}")

    def iterate(next_fn, it, free_item):
        """Yields each item handle of a gitmem iterator, freeing it afterwards."""
        while True:
            item = c_void_p()
            rc = next_fn(byref(item), it)
            if rc == GITMEM_ITEROVER:
                return
            check(rc)
            try:
                yield item
            finally:
                free_item(item)

    def text(s):
        return s.decode() if s is not None else ""

    repo = c_void_p()
    try:
        print("gitmem", lib.gitmem_version().decode(), "via ctypes")
        opts = RepoOptions(version=2, name=b"demo/assistant")  # 384-dim built-in embedder
        check(lib.gitmem_repo_init(byref(repo), scratch.encode() + b"/store", byref(opts)))

        def remember(mid, content, mtype, session, tag):
            m = c_void_p()
            check(lib.gitmem_memory_new(byref(m)))
            try:
                check(lib.gitmem_memory_set_id(m, mid.encode()))
                check(lib.gitmem_memory_set_content(m, content.encode()))
                check(lib.gitmem_memory_set_type(m, mtype))
                check(lib.gitmem_memory_set_agent_id(m, b"assistant"))
                check(lib.gitmem_memory_set_session_id(m, session.encode()))
                check(lib.gitmem_memory_add_tag(m, tag.encode()))
                check(lib.gitmem_memory_set_importance(m, 0.8))
                new_id = POINTER(c_char)()
                check(lib.gitmem_memory_put(byref(new_id), repo, m, None))
                assert ctypes.string_at(new_id).decode() == mid
                lib.gitmem_string_free(new_id)
            finally:
                lib.gitmem_memory_free(m)

        def update(mid, content):
            p = c_void_p()
            check(lib.gitmem_patch_new(byref(p)))
            try:
                check(lib.gitmem_patch_set_content(p, content.encode()))
                check(lib.gitmem_memory_update(repo, mid.encode(), p, None))
            finally:
                lib.gitmem_patch_free(p)

        def commit(message):
            buf = ctypes.create_string_buffer(OID_HEXSIZE + 1)
            co = CommitOptions(version=1, message=message.encode(), author=b"assistant")
            check(lib.gitmem_commit_create(buf, repo, byref(co)))
            print(f"[{buf.value.decode()[:12]}] {message}")
            return buf.value

        def show_list(opts):
            lst = c_void_p()
            check(lib.gitmem_list_new(byref(lst), repo, opts))
            try:
                for m in iterate(lib.gitmem_list_next, lst, lib.gitmem_memory_free):
                    kind = text(lib.gitmem_memory_type_name(lib.gitmem_memory_get_type(m)))
                    print(f"  {text(lib.gitmem_memory_id(m)):<12} {kind:<10} {text(lib.gitmem_memory_content(m))}")
            finally:
                lib.gitmem_list_free(lst)

        # Session 1, then session 2 with a correction.
        remember("pref-food", "The user is vegetarian.", SEMANTIC, "session-1", "preference")
        remember("user-city", "The user lives in Lisbon.", SEMANTIC, "session-1", "profile")
        remember("task-dinner", "Book a dinner for Friday.", EPISODIC, "session-1", "task")
        session1 = commit("session 1: first conversation")
        c = c_void_p()
        check(lib.gitmem_commit_show(byref(c), repo, session1))
        session1_time = lib.gitmem_commit_timestamp_us(c)
        lib.gitmem_commit_free(c)
        remember("pref-drink", "The user likes green tea.", SEMANTIC, "session-2", "preference")
        update("task-dinner", "Book a dinner for Friday at 8pm, table for two.")
        commit("session 2: drinks, dinner details")

        # An idea on a branch.
        check(lib.gitmem_branch_create(repo, b"experiment", None))
        check(lib.gitmem_branch_checkout(repo, b"experiment"))
        update("pref-food", "The user is vegan (since this year).")
        check(lib.gitmem_memory_delete(repo, b"user-city", None))
        remember("idea-venue", "Suggest the vegan place near the river.", PROCEDURAL, "session-3", "idea")
        commit("experiment: vegan venue idea")

        # Diff main..experiment.
        a = ReadOptions(version=1, rev=b"main", as_of_us=GITMEM_AS_OF_NONE)
        b = ReadOptions(version=1, rev=b"experiment", as_of_us=GITMEM_AS_OF_NONE)
        diff = c_void_p()
        check(lib.gitmem_diff_new(byref(diff), repo, byref(a), byref(b)))
        try:
            print(f"\ndiff main..experiment: {lib.gitmem_diff_added(diff)} added, "
                  f"{lib.gitmem_diff_modified(diff)} modified, {lib.gitmem_diff_removed(diff)} removed")
            for e in iterate(lib.gitmem_diff_next, diff, lib.gitmem_diff_entry_free):
                old = lib.gitmem_diff_entry_old_memory(e)
                new = lib.gitmem_diff_entry_new_memory(e)
                before = text(lib.gitmem_memory_content(old)) if old else ""
                after = text(lib.gitmem_memory_content(new)) if new else ""
                arrow = " -> " if old and new else ""
                print(f"  {DIFF_KINDS[lib.gitmem_diff_entry_kind(e)]:<8} "
                      f"{text(lib.gitmem_diff_entry_id(e)):<12} {before}{arrow}{after}")
        finally:
            lib.gitmem_diff_free(diff)

        # The log.
        print("\nlog experiment:")
        log = c_void_p()
        lo = LogOptions(version=1, rev=b"experiment", first_parent=1, offset=0, limit=2 ** 64 - 1)
        check(lib.gitmem_log_new(byref(log), repo, byref(lo)))
        try:
            for c in iterate(lib.gitmem_log_next, log, lib.gitmem_commit_free):
                print(f"  {text(lib.gitmem_commit_id(c))[:12]} {text(lib.gitmem_commit_author(c)):<10} "
                      f"+{lib.gitmem_commit_added(c)} ~{lib.gitmem_commit_modified(c)} "
                      f"-{lib.gitmem_commit_removed(c)}  {text(lib.gitmem_commit_message(c))}")
        finally:
            lib.gitmem_log_free(log)

        # Time travel.
        print("\nmain as of session 1:")
        show_list(byref(ListOptions(version=1, rev=b"main", as_of_us=session1_time, offset=0, limit=2 ** 64 - 1)))
        m = c_void_p()
        at = ReadOptions(version=1, rev=session1, as_of_us=GITMEM_AS_OF_NONE)
        check(lib.gitmem_memory_get(byref(m), repo, b"task-dinner", byref(at)))
        print(f"task-dinner at {session1.decode()[:12]}: {text(lib.gitmem_memory_content(m))}")
        lib.gitmem_memory_free(m)

        # Search: hybrid (BM25 + the built-in embedder) on HEAD's branch, agent-filtered.
        so = SearchOptions()
        check(lib.gitmem_search_options_init(byref(so), 1))
        so.query = b"what should we cook for dinner"
        so.k = 3
        so.agent_id = b"assistant"
        hits = c_void_p()
        check(lib.gitmem_search(byref(hits), repo, byref(so)))
        try:
            print(f"\nsearch {so.query.decode()!r}:")
            found = []
            for h in iterate(lib.gitmem_search_iter_next, hits, lib.gitmem_search_hit_free):
                m = lib.gitmem_search_hit_memory(h)
                found.append(text(lib.gitmem_search_hit_id(h)))
                print(f"  {lib.gitmem_search_hit_score(h):.4f} {found[-1]:<12} "
                      f"{text(lib.gitmem_memory_content(m))}")
            assert found, "search found nothing"
        finally:
            lib.gitmem_search_iter_free(hits)

        # Errors come back as codes with a message naming the field.
        bad = c_void_p()
        check(lib.gitmem_memory_new(byref(bad)))
        rc = lib.gitmem_memory_put(None, repo, bad, None)
        print(f"\nwriting an empty memory: error {rc}: {lib.gitmem_error_last().decode()}")
        lib.gitmem_memory_free(bad)
        assert rc != GITMEM_OK

        # Back on main.
        check(lib.gitmem_branch_checkout(repo, b"main"))
        count = c_uint64()
        check(lib.gitmem_memory_count(byref(count), repo, None))
        print(f"\nmain now holds {count.value} memories:")
        show_list(None)
    finally:
        lib.gitmem_repo_free(repo)
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
