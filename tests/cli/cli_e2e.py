#!/usr/bin/python3
"""End-to-end tests of the `gitmem` command line, driving the real binary.

    python3 cli_e2e.py /path/to/gitmem [unittest args]

Standard library only. Each test works in its own temporary folder.
"""
import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import tempfile
import unittest

GITMEM = None


class Run:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f"exit {self.code}\n--- stdout\n{self.out}--- stderr\n{self.err}"


class CliTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="gitmem-cli-")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("GITMEM_")}
        self.env.update({"TZ": "UTC", "NO_COLOR": ""})

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def gm(self, *args, input=None, cwd=None, env=None, code=0):
        proc = subprocess.run([GITMEM, *args], input=input, capture_output=True, text=True,
                              cwd=cwd or self.dir, env=env or self.env, timeout=60)
        r = Run(proc)
        if code is not None:
            self.assertEqual(r.code, code, f"gitmem {' '.join(args)}\n{r!r}")
        return r

    def ok_json(self, *args, **kw):
        return self.gm(*args, "--json", **kw).json()

    def assert_one_line_error(self, r, pattern):
        lines = r.err.strip().splitlines()
        self.assertEqual(len(lines), 1, repr(r))
        self.assertRegex(lines[0], pattern)

    # ---- the whole story -------------------------------------------------------------------

    def test_whole_session(self):
        r = self.gm("init")
        self.assertIn("Initialized empty gitmem repository 'local/memory'", r.out)
        self.assertTrue(os.path.isdir(os.path.join(self.dir, ".gitmem")))

        fact = self.ok_json("add", "The user prefers dark mode", "--type", "semantic", "--tag", "ui",
                            "--tag", "prefs", "--importance", "0.8", "--agent", "agent-1",
                            "--session", "s1", "--meta", "source=chat", "--meta", "turn=3")["id"]
        event = self.gm("add", "--type", "episodic", "--session", "s1", "-q",
                        input="Deployed v2 to production\n").out.strip()
        self.assertRegex(event, r"^[0-9a-f-]{36}$")

        status = self.ok_json("status")
        self.assertEqual(status["branch"], "main")
        self.assertIsNone(status["head"])
        self.assertEqual(sorted(s["id"] for s in status["staged"]), sorted([fact, event]))
        self.assertEqual({s["change"] for s in status["staged"]}, {"added"})
        text = self.gm("status").out
        self.assertIn("On branch main", text)
        self.assertIn("added:", text)

        c1 = self.ok_json("commit", "-m", "first memories")
        self.assertEqual((c1["added"], c1["memory_count"], c1["branch"]), (2, 2, "main"))
        self.assertIn("nothing staged", self.gm("status").out)

        got = self.ok_json("get", fact)
        self.assertEqual(got["content"], "The user prefers dark mode")
        self.assertEqual(got["tags"], ["prefs", "ui"])
        self.assertEqual(got["importance"], 0.8)
        self.assertEqual(got["metadata"], {"source": "chat", "turn": 3})
        self.assertEqual(got["agent_id"], "agent-1")
        self.assertEqual(self.gm("get", event, "--content").out, "Deployed v2 to production\n")

        self.gm("tag", "v1")
        self.assertIn("Created branch experiment", self.gm("branch", "experiment").out)
        self.assertIn("Switched to branch 'experiment'", self.gm("checkout", "experiment").out)
        idea = self.ok_json("add", "Try the build cache", "--type", "procedural", "--tag", "idea")["id"]
        self.gm("update", fact, "The user prefers light mode", "--importance", "0.9")
        self.gm("rm", event)
        status = self.ok_json("status")
        self.assertEqual({s["id"]: s["change"] for s in status["staged"]},
                         {idea: "added", fact: "modified", event: "deleted"})
        c2 = self.ok_json("commit", "-m", "experiment", "--author", "alice")
        self.assertEqual((c2["added"], c2["modified"], c2["removed"]), (1, 1, 1))
        self.assertEqual(c2["author"], "alice")
        self.assertEqual(c2["parents"], [c1["id"]])

        self.gm("checkout", "main")
        self.gm("add", "Standup is at 9:30", "--type", "semantic")
        c3 = self.ok_json("commit", "-m", "main moves on")

        diff = self.ok_json("diff", "main", "experiment")
        kinds = {e["id"]: e["kind"] for e in diff["entries"]}
        self.assertEqual(kinds[idea], "added")
        self.assertEqual(kinds[fact], "modified")
        self.assertEqual(kinds[event], "removed")
        self.assertEqual((diff["added"], diff["modified"], diff["removed"]), (1, 1, 2))
        text = self.gm("diff", "main", "experiment").out
        self.assertIn("+ " + idea, text)
        self.assertIn("- " + event, text)
        self.assertIn("~ " + fact, text)
        self.assertIn("importance: 0.8 -> 0.9", text)
        self.assertIn("1 added, 1 modified, 2 removed", text)

        graph = self.gm("log", "--graph", "--oneline", "--all").out.splitlines()
        self.assertEqual(len(graph), 4, graph)
        self.assertRegex(graph[0], r"^\* [0-9a-f]{12} \(HEAD -> main\) main moves on")
        self.assertRegex(graph[1], r"^\| \* [0-9a-f]{12} \(experiment\) experiment")
        self.assertEqual(graph[2], "|/")
        self.assertRegex(graph[3], r"^\* [0-9a-f]{12} \(tag: v1\) first memories")
        self.assertEqual(len(self.ok_json("log")), 2)              # HEAD only
        self.assertEqual(len(self.ok_json("log", "--all")), 3)
        self.assertEqual(len(self.ok_json("log", "--all", "-n", "1")), 1)
        full = self.gm("log", "--graph", "--all").out
        self.assertIn("| * commit " + c2["id"], full)
        self.assertIn("|     experiment", full)

        history = self.ok_json("history", fact, "--at", "experiment")
        self.assertEqual([v["memory"]["content"] for v in history],
                         ["The user prefers light mode", "The user prefers dark mode"])
        self.assertEqual([v["commit"]["id"] for v in history], [c2["id"], c1["id"]])
        gone = self.ok_json("history", event, "--at", "experiment")
        self.assertEqual([v["deleted"] for v in gone], [True, False])
        self.assertIn("(deleted)", self.gm("history", event, "--at", "experiment").out)

        # Time travel: as of the first commit, the fact is still dark mode and the event exists.
        past = self.ok_json("get", fact, "--at", "experiment", "--as-of", c1["timestamp"])
        self.assertEqual(past["content"], "The user prefers dark mode")
        self.ok_json("get", event, "--at", "experiment", "--as-of", c1["timestamp"])
        r = self.gm("get", event, "--at", "experiment", "--as-of", c2["timestamp"], code=1)
        self.assert_one_line_error(r, r"^gitmem: memory '.*' not found")
        before = "@%d" % (c1["timestamp_us"] // 1_000_000 - 3600)
        r = self.gm("get", fact, "--as-of", before, code=1)
        self.assert_one_line_error(r, r"no commit on .* at or before")
        self.assertEqual(len(self.ok_json("list", "--at", "v1")), 2)

        show = self.ok_json("show", c2["id"][:10])
        self.assertEqual(show["commit"]["id"], c2["id"])
        self.assertEqual(show["diff"]["removed"], 1)
        root = self.ok_json("show", "v1")
        self.assertEqual(root["diff"]["added"], 2)

        session = self.ok_json("session", "s1")
        self.assertEqual([m["id"] for m in session], [fact, event])

        stats = self.ok_json("stats", "--at", "experiment")
        self.assertEqual(stats["memories"], 2)
        self.assertEqual(stats["by_type"], {"episodic": 0, "procedural": 1, "semantic": 1, "state": 0})
        self.assertEqual(stats["by_tag"], {"idea": 1, "prefs": 1, "ui": 1})
        self.assertEqual(stats["branches"], 2)
        self.assertEqual(stats["tags"], 1)

        fsck = self.ok_json("fsck")
        self.assertTrue(fsck["ok"])
        self.assertEqual(fsck["commits"], 3)

    # ---- commands one by one -------------------------------------------------------------

    def test_branch_tag_reset(self):
        self.gm("init", "--initial-branch", "trunk")
        self.gm("add", "one")
        c1 = self.ok_json("commit", "-m", "one")
        self.gm("add", "two")
        c2 = self.ok_json("commit", "-m", "two")
        branches = self.ok_json("branch")
        self.assertEqual([(b["name"], b["current"]) for b in branches], [("trunk", True)])
        created = self.ok_json("branch", "old", c1["id"])
        self.assertEqual(created, {"created": "old", "head": c1["id"]})
        self.gm("branch", "-m", "old", "older")
        names = [b["name"] for b in self.ok_json("branch")]
        self.assertEqual(names, ["older", "trunk"])
        self.assertIn("older", self.gm("branch", "-v").out)
        self.gm("branch", "-d", "older")
        self.assertEqual([b["name"] for b in self.ok_json("branch")], ["trunk"])
        r = self.gm("branch", "-d", "trunk", code=1)
        self.assert_one_line_error(r, "checked out")

        self.gm("tag", "t1", c1["id"])
        self.assertEqual(self.ok_json("tag"), [{"name": "t1", "target": c1["id"]}])
        r = self.gm("tag", "t1", code=1)
        self.assert_one_line_error(r, "already exists")
        self.gm("tag", "-d", "t1")
        self.assertEqual(self.ok_json("tag"), [])

        self.gm("add", "staged one")
        out = self.ok_json("reset", "HEAD~1")
        self.assertEqual(out["head"], c1["id"])
        self.assertEqual(self.ok_json("log")[0]["id"], c1["id"])
        self.assertEqual(len(self.ok_json("status")["staged"]), 1)  # kept
        self.assertEqual(self.ok_json("reset", "--hard")["discarded"], 1)
        self.assertEqual(self.ok_json("status")["staged"], [])
        self.gm("reset", c2["id"])
        self.assertEqual(self.ok_json("log")[0]["id"], c2["id"])

        self.gm("checkout", "-b", "side", c1["id"])
        self.assertEqual(self.ok_json("status")["branch"], "side")
        self.assertEqual(len(self.ok_json("list")), 1)
        self.assertIn("Already on 'side'", self.gm("checkout", "side").out)
        self.gm("branch", "-m", "renamed")
        self.assertEqual(self.ok_json("status")["branch"], "renamed")

    def test_diff_defaults_and_formats(self):
        self.gm("init")
        a = self.ok_json("add", "alpha")["id"]
        # No commit yet: everything staged is new.
        self.assertEqual([e["kind"] for e in self.ok_json("diff")["entries"]], ["added"])
        self.gm("commit", "-m", "a")
        self.assertEqual(self.ok_json("diff")["entries"], [])
        b = self.ok_json("add", "beta")["id"]
        self.gm("rm", a)
        names = self.gm("diff", "--name-only").out.splitlines()
        self.assertEqual(sorted(names), sorted([f"A\t{b}", f"D\t{a}"]))
        self.assertEqual(self.gm("diff", "--stat").out, "1 added, 0 modified, 1 removed\n")
        self.gm("commit", "-m", "b")
        self.assertEqual(self.ok_json("diff", "HEAD~1", "HEAD")["added"], 1)

    def test_list_filters_and_paging(self):
        self.gm("init")
        for i in range(5):
            self.gm("add", f"memory {i}", "--type", "episodic" if i % 2 else "semantic",
                    "--tag", f"t{i % 3}", "--scope", "private" if i == 4 else "shared")
        self.assertEqual(len(self.ok_json("list")), 5)
        self.assertEqual([m["content"] for m in self.ok_json("list", "--offset", "1", "-n", "2")],
                         ["memory 1", "memory 2"])
        self.assertEqual([m["content"] for m in self.ok_json("list", "--type", "episodic")],
                         ["memory 1", "memory 3"])
        self.assertEqual([m["content"] for m in self.ok_json("list", "--tag", "t0")],
                         ["memory 0", "memory 3"])
        self.assertEqual([m["content"] for m in self.ok_json("ls", "--scope", "private")], ["memory 4"])
        self.assertEqual(len(self.gm("list").out.splitlines()), 5)

    def test_add_options(self):
        self.gm("init")
        target = self.ok_json("add", "target", "--id", "my-id")["id"]
        self.assertEqual(target, "my-id")
        m = self.ok_json("add", "linked", "--relation", "builds_on:my-id:0.5", "--metadata", '{"a":[1,2]}',
                         "--meta", "b=x", "--confidence", "0.25", "--scope", "global")
        got = self.ok_json("get", m["id"])
        self.assertEqual(got["relations"], [{"type": "builds_on", "target_id": "my-id", "strength": 0.5}])
        self.assertEqual(got["metadata"], {"a": [1, 2], "b": "x"})
        self.assertEqual((got["confidence"], got["scope"]), (0.25, "global"))
        self.gm("add", "replaced", "--id", "my-id")
        self.assertEqual(self.ok_json("get", "my-id")["content"], "replaced")
        env = dict(self.env, GITMEM_AUTHOR="robot")
        self.gm("add", "by robot", "--id", "r", env=env)
        self.assertEqual(self.ok_json("get", "r")["provenance"]["author"], "robot")
        self.gm("commit", "-m", "x", env=env)
        self.assertEqual(self.ok_json("log")[0]["author"], "robot")

    def test_store_discovery(self):
        self.gm("init")
        self.gm("add", "found me")
        sub = os.path.join(self.dir, "a", "b")
        os.makedirs(sub)
        self.assertEqual(len(self.ok_json("list", cwd=sub)), 1)        # a parent's .gitmem
        other = tempfile.mkdtemp(prefix="gitmem-cli-other-")
        try:
            self.assertEqual(len(self.ok_json("list", "--repo", os.path.join(self.dir, ".gitmem"), cwd=other)), 1)
            self.assertEqual(len(self.ok_json("--repo", self.dir, "list", cwd=other)), 1)  # folder holding .gitmem
            env = dict(self.env, GITMEM_DIR=os.path.join(self.dir, ".gitmem"))
            self.assertEqual(len(self.ok_json("list", cwd=other, env=env)), 1)
            # init honours --repo and GITMEM_DIR
            store = os.path.join(other, "elsewhere")
            self.ok_json("init", "--repo", store)
            self.assertTrue(os.path.isdir(store))
            self.assertFalse(os.path.exists(os.path.join(other, ".gitmem")))
        finally:
            shutil.rmtree(other, ignore_errors=True)

    def test_named_repositories(self):
        self.gm("init")
        self.gm("init", "--name", "team/shared")
        self.gm("add", "team memory", "--name", "team/shared")
        self.assertEqual(len(self.ok_json("list", "--name", "team/shared")), 1)
        self.assertEqual(self.ok_json("list"), [])
        self.assertEqual(self.ok_json("repos"), ["local/memory", "team/shared"])
        r = self.gm("list", "--name", "no/such", code=1)
        self.assert_one_line_error(r, r"repository 'no/such' not found")
        r = self.gm("init", code=1)
        self.assert_one_line_error(r, "already exists")

    # ---- failures ------------------------------------------------------------------------

    def test_missing_store(self):
        for args in (["status"], ["log"], ["add", "x"], ["get", "x"], ["mcp"]):
            r = self.gm(*args, code=1)
            self.assert_one_line_error(r, r"^gitmem: not in a gitmem store: .*gitmem init")
        r = self.gm("list", "--repo", os.path.join(self.dir, "nope"), code=1)
        self.assert_one_line_error(r, r"no gitmem store at .*nope")
        env = dict(self.env, GITMEM_DIR=os.path.join(self.dir, "nope"))
        r = self.gm("list", env=env, code=1)
        self.assert_one_line_error(r, r"GITMEM_DIR")
        r = self.gm("list", "--json", code=1)
        err = json.loads(r.err)
        self.assertEqual(err["error"]["code"], "not_found")

    def test_usage_errors_exit_2(self):
        self.gm("init")
        cases = [
            (["frobnicate"], r"'frobnicate' is not a gitmem command"),
            (["add", "x", "--type", "dream"], r"--type: 'dream' is not one of episodic"),
            (["add", "x", "--importance", "1.5"], r"--importance: '1.5' is not a number between 0 and 1"),
            (["add", "x", "--bogus"], r"--bogus"),
            (["commit"], r"--message is required"),
            (["get"], r"id is required"),
            (["get", "x", "--as-of", "yesterday-ish"], r"--as-of: 'yesterday-ish' is not a time"),
            (["log", "-n", "-3"], r"max-count"),
            (["branch", "-m", "a", "b", "c"], r"-m takes \[OLD\] NEW"),
            (["branch", "-d"], r"-d needs the name of a branch"),
            (["reset"], r"nothing to do"),
            (["update", "x"], r"nothing to change"),
            (["add", "x", "--meta", "novalue"], r"expected key=value"),
            (["--color", "sometimes", "status"], r"--color"),
        ]
        for args, pattern in cases:
            with self.subTest(args=args):
                r = self.gm(*args, code=2)
                self.assert_one_line_error(r, pattern)
                self.assertIn("--help", r.err)
        self.assertEqual(self.ok_json("status")["staged"], [])  # nothing changed

    def test_errors_exit_1(self):
        self.gm("init")
        r = self.gm("commit", "-m", "nothing", code=1)
        self.assert_one_line_error(r, r"^gitmem: commit: nothing staged on branch 'main'")
        r = self.gm("branch", "x", code=1)
        self.assert_one_line_error(r, "no commits yet")
        r = self.gm("checkout", "nope", code=1)
        self.assert_one_line_error(r, "branch 'nope' does not exist")
        r = self.gm("rm", "nope", code=1)
        self.assert_one_line_error(r, "memory 'nope' not found")
        r = self.gm("add", "", code=1)
        self.assert_one_line_error(r, "content: must not be empty")
        r = self.gm("add", "x", "--metadata", "[1]", code=2)
        self.assert_one_line_error(r, "JSON object")
        r = self.gm("show", "deadbeef", code=1)
        self.assert_one_line_error(r, "no such branch, tag or commit")

    def test_help_everywhere(self):
        r = self.gm("--help")
        self.assertIn("Subcommands:", r.out)
        for name in ("search", "merge", "fork", "gc", "export", "import"):
            self.assertNotRegex(r.out, rf"\n  {name}\b")  # not in the engine yet: no stubs
        commands = ["init", "add", "update", "rm", "commit", "status", "log", "show", "diff", "branch",
                    "checkout", "reset", "tag", "get", "list", "history", "session", "fsck", "stats",
                    "repos", "mcp"]
        for c in commands:
            with self.subTest(command=c):
                r = self.gm(c, "--help")
                self.assertIn(f"Usage: gitmem {c}", r.out)
                self.assertEqual(r.err, "")
        self.assertIn("mcpServers", self.gm("mcp", "--help").out)
        self.assertRegex(self.gm("--version").out, r"^gitmem \d+\.\d+\.\d+")
        r = self.gm(code=2)
        self.assertIn("Subcommands:", r.err)

    def test_colour_only_on_a_terminal(self):
        self.gm("init")
        self.gm("add", "x")
        self.gm("commit", "-m", "c")
        self.assertNotIn("\x1b[", self.gm("log").out)                      # a pipe
        self.assertIn("\x1b[", self.gm("log", "--color", "always").out)
        self.assertIn("\x1b[", self.on_tty("log"))
        self.assertNotIn("\x1b[", self.on_tty("log", env_extra={"NO_COLOR": "1"}))
        self.assertNotIn("\x1b[", self.on_tty("log", "--color", "never"))

    def on_tty(self, *args, env_extra=None):
        env = dict(self.env, **(env_extra or {}))
        master, slave = pty.openpty()
        proc = subprocess.Popen([GITMEM, *args], stdout=slave, stderr=slave, stdin=subprocess.DEVNULL,
                                cwd=self.dir, env=env)
        os.close(slave)
        chunks = []
        while True:
            ready, _, _ = select.select([master], [], [], 30)
            if not ready:
                break
            try:
                data = os.read(master, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        os.close(master)
        self.assertEqual(proc.wait(timeout=30), 0)
        return b"".join(chunks).decode()

    def test_graph_of_three_branches(self):
        self.gm("init")
        self.gm("add", "base")
        self.gm("commit", "-m", "base")
        for name in ("b1", "b2"):
            self.gm("checkout", "-b", name, "main")
            self.gm("add", name)
            self.gm("commit", "-m", name)
        self.gm("checkout", "main")
        self.gm("add", "m")
        self.gm("commit", "-m", "m")
        lines = self.gm("log", "--graph", "--oneline", "--all").out.splitlines()
        graph = [re.sub(r"[0-9a-f]{12}.*", "", l).rstrip() for l in lines]
        # Three lines of history join into the base commit.
        self.assertEqual(graph[-1], "*")
        self.assertEqual(sum(1 for g in graph if g.endswith("*")), 4)
        self.assertTrue(any("/" in g for g in graph))
        stars = [g for g in graph if "*" in g]
        self.assertEqual(max(len(s) for s in stars), 5)  # "| | *": three lanes at most

    def test_fsck_and_stats_text(self):
        self.gm("init")
        self.gm("add", "x", "--tag", "a", "--agent", "bot")
        self.gm("commit", "-m", "c")
        self.assertIn("ok", self.gm("fsck").out)
        text = self.gm("stats").out
        self.assertIn("by tag", text)
        self.assertIn("bot", text)


def main():
    global GITMEM
    if len(sys.argv) < 2:
        print("usage: cli_e2e.py /path/to/gitmem [unittest args]", file=sys.stderr)
        return 2
    GITMEM = os.path.abspath(sys.argv[1])
    prog = unittest.main(argv=[sys.argv[0], *sys.argv[2:]], exit=False, verbosity=2)
    return 0 if prog.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
