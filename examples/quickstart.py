#!/usr/bin/env python3
"""gitmem quickstart: an agent's memory with git semantics.

An assistant remembers facts about a user over two chat sessions, commits them, tries a
risky idea on a branch called `experiment`, compares the branches, reads the log, looks
back at what it knew before (time travel) and searches its memory (hybrid: BM25 + vectors).

    PYTHONPATH=<build>/python /usr/bin/python3 examples/quickstart.py [store-dir]
"""

import shutil
import sys
import tempfile

import gitmem


def main(path: str) -> None:
    with gitmem.Repository.init(path, name="demo/assistant", author="assistant") as repo:
        # Session 1: the agent learns about the user.
        repo.add("The user's name is Ada", id="name", agent_id="assistant", session_id="chat-1",
                 tags=["PROFILE"], importance=0.9)
        repo.add("Ada prefers concise answers", id="style", agent_id="assistant",
                 session_id="chat-1", type="procedural", tags=["PREFERENCE"])
        first = repo.commit("session 1: who the user is")

        # Session 2: more facts, written as one batch.
        repo.add_many([
            {"content": "Ada works on compilers", "id": "job", "agent_id": "assistant",
             "session_id": "chat-2", "tags": ["PROFILE"], "metadata": {"source": "chat"}},
            {"content": "Ada is learning Rust", "id": "learning", "agent_id": "assistant",
             "session_id": "chat-2", "relations": [("builds_on", "job", 0.8)]},
        ])
        repo.commit("session 2: work and hobbies")
        print(f"main holds {len(repo)} memories; session chat-2 wrote "
              f"{[m.id for m in repo.session('chat-2')]}")

        # Search: hybrid ranking (BM25 + the built-in embedder), with filters.
        hits = repo.search("which compilers does Ada work on?", k=2, agent_id="assistant")
        print("search:", [(h.id, round(h.score, 4)) for h in hits])
        assert hits and hits[0].id == "job"
        profile = repo.search("Ada", mode="keyword", tags_any=["PROFILE"])
        assert {h.id for h in profile} <= {"name", "job"}

        # Try an idea on a branch without touching main.
        repo.branch("experiment")
        repo.checkout("experiment")
        repo.update("style", content="Ada prefers detailed answers with examples", importance=0.6)
        repo.delete("learning")
        repo.commit("experiment: try detailed answers")

        diff = repo.diff("main", "experiment")
        print(f"main -> experiment: {diff}")
        for e in diff.modified:
            print(f"  ~ {e.id}: {e.old.content!r} -> {e.new.content!r}")
        for e in diff.removed:
            print(f"  - {e.id}: {e.old.content!r}")

        print("log of experiment:")
        for c in repo.log():
            print(f"  {c.short_id} {c.timestamp:%H:%M:%S} {c.author}: {c.message} "
                  f"(+{c.added} ~{c.modified} -{c.removed})")

        # Time travel: what did the agent know after session 1?
        then = repo.show(first).timestamp
        print(f"at {then.isoformat()} the agent knew {repo.count(at=then)} memories:")
        for m in repo.list(at=first):
            print(f"  {m.id}: {m.content}")
        print("history of 'style':", [v.memory.content for v in repo.history("style")])

        # The experiment did not touch main.
        repo.checkout("main")
        assert repo.get("style").content == "Ada prefers concise answers"
        assert "learning" in repo
        assert repo.fsck().ok
        print(f"back on {repo.head}: {len(repo)} memories, fsck ok")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        shutil.rmtree(sys.argv[1], ignore_errors=True)  # start fresh on every run
        main(sys.argv[1])
    else:
        tmp = tempfile.mkdtemp(prefix="gitmem-quickstart-")
        try:
            main(tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
