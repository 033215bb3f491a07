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

    # ---- search, merge, fork, export / import, gc, fsck --all --------------------------------

    def test_session_search_merge_maintenance(self):
        self.gm("init")
        fact = self.ok_json("add", "The user prefers dark mode in the editor", "--type", "semantic",
                            "--tag", "ui", "--tag", "prefs", "--importance", "0.5", "--agent", "agent-1",
                            "--session", "s1", "--meta", "source=chat")["id"]
        event = self.ok_json("add", "Deployed version two to production", "--type", "episodic",
                             "--tag", "ops", "--session", "s1", "--importance", "0.2")["id"]
        recipe = self.ok_json("add", "To deploy run make release then tag the build", "--type",
                              "procedural", "--tag", "ops", "--scope", "private", "--importance", "0.9")["id"]
        c1 = self.ok_json("commit", "-m", "first memories")
        self.gm("tag", "v1")

        # search: keyword ranking, the JSON shape, rank/score/id/content in text
        found = self.ok_json("search", "dark", "mode", "--mode", "keyword")
        self.assertEqual((found["query"], found["mode"], found["k"], found["offset"]),
                         ("dark mode", "keyword", 10, 0))
        self.assertEqual(found["hits"][0]["id"], fact)
        self.assertEqual(found["hits"][0]["rank"], 1)
        self.assertGreater(found["hits"][0]["score"], 0)
        self.assertEqual(found["hits"][0]["memory"]["content"], "The user prefers dark mode in the editor")
        text = self.gm("search", "dark mode", "--mode", "keyword").out.splitlines()
        self.assertRegex(text[0], r"^1  -?\d+\.\d{4}  " + re.escape(fact) + r"  \[semantic\] The user prefers dark")
        release = self.ok_json("search", "make release", "--mode", "keyword")
        self.assertEqual(release["hits"][0]["id"], recipe)
        for mode in ("vector", "hybrid"):
            hits = self.ok_json("search", "dark mode editor", "--mode", mode)["hits"]
            self.assertEqual(len(hits), 3, mode)
            self.assertEqual(sorted(h["rank"] for h in hits), [1, 2, 3])
        self.assertEqual(len(self.ok_json("search", "deploy", "-k", "1")["hits"]), 1)
        page = self.ok_json("search", "deploy", "--k", "2", "--offset", "1")
        self.assertEqual([h["rank"] for h in page["hits"]], [2, 3])

        def ids(*args):
            return sorted(h["id"] for h in self.ok_json("search", *args)["hits"])
        self.assertEqual(ids("deploy", "--type", "procedural"), [recipe])
        self.assertEqual(ids("deploy", "--type", "procedural", "--type", "episodic"), sorted([recipe, event]))
        self.assertEqual(ids("anything", "--tag", "ui", "--tag", "ops"), sorted([fact, event, recipe]))
        self.assertEqual(ids("anything", "--tag", "ui", "--tag", "prefs", "--all-tags"), [fact])
        self.assertEqual(ids("anything", "--agent", "agent-1"), [fact])
        self.assertEqual(ids("anything", "--session", "s1"), sorted([fact, event]))
        self.assertEqual(ids("anything", "--scope", "private"), [recipe])
        self.assertEqual(ids("anything", "--min-importance", "0.5"), sorted([fact, recipe]))
        self.assertEqual(ids("anything", "--meta", "source=chat"), [fact])
        self.assertEqual(ids("anything", "--since", "2999-01-01"), [])
        self.assertEqual(ids("anything", "--until", "2999-01-01"), sorted([fact, event, recipe]))

        # staged memories are searchable on the branch, not at the tag or in the past
        later = self.ok_json("add", "Standup moved to half past nine", "--type", "semantic")["id"]
        self.assertIn(later, ids("standup", "--mode", "keyword"))
        self.assertNotIn(later, ids("standup", "--mode", "keyword", "--at", "v1"))
        self.assertNotIn(later, ids("standup", "--mode", "keyword", "--as-of", c1["timestamp"]))
        self.gm("commit", "-m", "standup")
        reindexed = self.ok_json("reindex")
        self.assertEqual((reindexed["branch"], reindexed["index"]["documents"]), ("main", 4))
        self.assertIn("Reindexed branch main: 4 memories", self.gm("reindex").out)

        # merge: both sides change the fact; strategy fail reports the conflict and changes nothing
        self.gm("checkout", "-b", "experiment")
        self.gm("update", fact, "The user prefers light mode in the editor", "--importance", "0.9")
        idea = self.ok_json("add", "Try the build cache", "--type", "procedural", "--tag", "idea")["id"]
        self.gm("commit", "-m", "experiment")
        self.gm("checkout", "main")
        self.gm("update", fact, "The user prefers blue mode in the editor", "--importance", "0.3")
        self.gm("rm", event)
        main_before = self.ok_json("commit", "-m", "main moves on")

        r = self.gm("merge", "experiment", code=1)
        self.assertIn("CONFLICT (both_modified): " + fact, r.out)
        self.assertIn("base:   The user prefers dark mode", r.out)
        self.assertIn("ours:   The user prefers blue mode", r.out)
        self.assertIn("theirs: The user prefers light mode", r.out)
        self.assert_one_line_error(r, r"^gitmem: merge of 'experiment' into 'main' stopped: 1 conflict, "
                                      r"nothing changed; choose --strategy")
        r = self.gm("merge", "experiment", "--json", code=1)
        result = json.loads(r.out)
        self.assertEqual((result["status"], result["commit"], result["strategy"]), ("conflicts", None, "fail"))
        [conflict] = result["conflicts"]
        self.assertEqual((conflict["id"], conflict["kind"], conflict["settled"]), (fact, "both_modified", False))
        self.assertEqual(conflict["base"]["content"], "The user prefers dark mode in the editor")
        self.assertEqual(conflict["ours"]["importance"], 0.3)
        self.assertEqual(conflict["theirs"]["importance"], 0.9)
        self.assertEqual(json.loads(r.err)["error"]["code"], "conflict")
        self.assertEqual(self.ok_json("log")[0]["id"], main_before["id"])      # nothing changed
        self.gm("get", idea, code=1)

        merged = self.ok_json("merge", "experiment", "--strategy", "most-important", "-m", "adopt the experiment")
        self.assertEqual((merged["status"], merged["strategy"], merged["into"]), ("merged", "most_important", "main"))
        self.assertEqual(merged["conflicts"][0]["settled"], True)
        self.assertEqual(merged["conflicts"][0]["resolution"]["importance"], 0.9)
        head = self.ok_json("log")[0]
        self.assertEqual((head["id"], head["message"]), (merged["commit"], "adopt the experiment"))
        self.assertEqual(len(head["parents"]), 2)
        self.assertEqual(head["parents"][0], main_before["id"])
        self.assertEqual(self.ok_json("get", fact)["content"], "The user prefers light mode in the editor")
        self.ok_json("get", idea)
        self.gm("get", event, code=1)   # main's deletion stands
        self.assertEqual(self.ok_json("search", "light mode", "--mode", "keyword")["hits"][0]["id"], fact)
        self.assertIn("Already up to date.", self.gm("merge", "experiment").out)

        # log --graph draws the real merge
        graph = self.gm("log", "--graph", "--oneline").out.splitlines()
        self.assertRegex(graph[0], r"^\* [0-9a-f]{12} \(HEAD -> main\) adopt the experiment")
        self.assertEqual(graph[1], "|\\")
        self.assertIn("|/", graph)
        self.assertRegex(graph[-1], r"^\* [0-9a-f]{12} \(tag: v1\) first memories")
        self.assertEqual(sum(1 for g in graph if "*" in g), 5)
        self.assertTrue(any(re.match(r"^\| \* [0-9a-f]{12} \(experiment\) experiment", g) for g in graph), graph)
        self.assertTrue(any(re.match(r"^\* \| [0-9a-f]{12} main moves on", g) for g in graph), graph)
        self.assertIn("Merge: ", self.gm("log", "-n", "1").out)

        # a fast-forward, a cherry-pick and a revert
        self.gm("checkout", "-b", "ff")
        self.gm("add", "fast forward me")
        ff = self.ok_json("commit", "-m", "on ff")
        self.gm("checkout", "main")
        out = self.ok_json("merge", "ff")
        self.assertEqual((out["status"], out["commit"]), ("fast_forward", ff["id"]))
        self.gm("checkout", "-b", "side", "v1")
        picked = self.ok_json("add", "Picked from the side branch", "--tag", "side")["id"]
        side = self.ok_json("commit", "-m", "side work")
        self.gm("checkout", "main")
        cp = self.ok_json("cherry-pick", side["id"][:12])
        self.assertEqual((cp["operation"], cp["status"]), ("cherry-pick", "merged"))
        self.assertEqual(len(self.ok_json("log")[0]["parents"]), 1)
        self.ok_json("get", picked)
        rv = self.gm("revert", "HEAD")
        self.assertRegex(rv.out, r"^\[main [0-9a-f]{12}\] ")
        self.gm("get", picked, code=1)

        # fork: a new repository in the same store with the same history
        forked = self.ok_json("fork", "team/fork")
        self.assertEqual((forked["name"], forked["upstream"]), ("team/fork", "local/memory"))
        self.assertIn("Forked local/memory to team/other", self.gm("fork", "team/other").out)
        self.assertEqual(self.ok_json("log", "--name", "team/fork")[0]["id"], self.ok_json("log")[0]["id"])
        info = self.ok_json("info")
        self.assertEqual((info["name"], info["forks"], info["current_branch"], info["upstream"]),
                         ("local/memory", 2, "main", None))
        self.assertEqual(info["memories"], len(self.ok_json("list")))
        self.assertIn("upstream        local/memory", self.gm("info", "--name", "team/fork").out)
        self.assertEqual(self.ok_json("repos"), ["local/memory", "team/fork", "team/other"])

        # export / import: JSON Lines round trip into another store, then a bundle
        memories = self.ok_json("list")
        jsonl = os.path.join(self.dir, "memories.jsonl")
        exported = self.ok_json("export", jsonl)
        self.assertEqual((exported["format"], exported["memories"], exported["rev"]), ("jsonl", len(memories), "main"))
        with open(jsonl) as f:
            lines = [json.loads(l) for l in f if l.strip()]
        self.assertEqual(sorted(l["id"] for l in lines), sorted(m["id"] for m in memories))
        self.assertEqual(self.ok_json("export", os.path.join(self.dir, "v1.jsonl"), "--at", "v1")["memories"], 3)
        other = os.path.join(self.dir, "other")
        self.gm("init", "--repo", other)
        imported = self.ok_json("import", jsonl, "--repo", other, "-m", "from the first store")
        self.assertEqual(imported["memories"], len(memories))
        self.assertIsNotNone(imported["commit"])
        self.assertEqual(self.ok_json("log", "--repo", other)[0]["message"], "from the first store")
        again = self.ok_json("list", "--repo", other)
        key = lambda m: (m["id"], m["content"], m["type"], m["tags"], m["importance"], m["metadata"])
        self.assertEqual(sorted(map(key, again)), sorted(map(key, memories)))
        self.assertIn("nothing changed", self.gm("import", jsonl, "--repo", other).out)

        bundle = os.path.join(self.dir, "all.bundle")
        wrote = self.ok_json("export", bundle, "--bundle")
        self.assertGreater(wrote["objects"], 0)
        third = os.path.join(self.dir, "third")
        self.gm("init", "--repo", third)
        got = self.ok_json("import", bundle, "--bundle", "--repo", third)
        self.assertEqual(got["objects"], wrote["objects"])
        self.assertGreater(got["refs"], 0)
        self.assertEqual(self.ok_json("log", "--repo", third)[0]["id"], self.ok_json("log")[0]["id"])
        self.assertEqual([b["name"] for b in self.ok_json("branch", "--repo", third)],
                         [b["name"] for b in self.ok_json("branch")])
        self.assertTrue(self.ok_json("fsck", "--all", "--repo", third)["ok"])

        # gc frees a deleted branch's commit, its tree and its memory
        self.gm("checkout", "-b", "doomed")
        self.gm("add", "soon unreachable")
        self.gm("commit", "-m", "doomed")
        self.gm("checkout", "main")
        self.gm("branch", "-d", "doomed")
        dry = self.ok_json("gc", "--dry-run")
        self.assertTrue(dry["dry_run"])
        self.assertGreaterEqual(dry["objects_freed"], 3)
        freed = self.ok_json("gc")
        self.assertEqual(freed["objects_freed"], dry["objects_freed"])
        self.assertGreater(freed["bytes_freed"], 0)
        self.assertEqual(freed["index_bytes_freed"], dry["index_bytes_freed"])
        self.assertRegex(self.gm("gc").out, r"^Freed 0 objects \(0 B\) of \d+ scanned; \d+ reachable")

        fsck = self.ok_json("fsck", "--all")
        self.assertEqual((fsck["ok"], fsck["scope"]), (True, "store"))
        self.assertEqual(self.ok_json("fsck", "--all", "--all-objects")["problems"], [])
        self.assertIn("in the whole store", self.gm("fsck", "--all").out)
        self.assertTrue(self.ok_json("fsck", "--name", "team/fork")["ok"])

    def test_merge_strategies(self):
        self.gm("init")
        a = self.ok_json("add", "base a", "--importance", "0.5")["id"]
        self.gm("commit", "-m", "base")
        self.gm("checkout", "-b", "other")
        self.gm("update", a, "theirs a", "--importance", "0.2")
        self.gm("commit", "-m", "theirs")
        self.gm("checkout", "main")
        self.gm("update", a, "ours a", "--importance", "0.8")
        self.gm("commit", "-m", "ours")
        expect = {"ours": "ours a", "theirs": "theirs a", "most-important": "ours a", "newest": "ours a"}
        for strategy, content in expect.items():
            with self.subTest(strategy=strategy):
                self.gm("checkout", "-b", "try-" + strategy, "main")
                out = self.ok_json("merge", "other", "--strategy", strategy)
                self.assertEqual(out["into"], "try-" + strategy)
                self.assertEqual(self.ok_json("get", a)["content"], content)
                self.assertEqual(out["conflicts"][0]["resolution"]["content"], content)
        # --into merges without checking out; the text names what each conflict kept
        self.gm("checkout", "main")
        r = self.gm("merge", "other", "--into", "try-ours")
        self.assertIn("Already up to date.", r.out)
        self.gm("branch", "target", "main")
        text = self.gm("merge", "other", "--into", "target", "--strategy", "theirs").out
        self.assertRegex(text, r"^\[target [0-9a-f]{12}\] Merge other into target\n")
        self.assertIn("settled (both_modified): " + a + " -> theirs", text)
        self.assertEqual(self.ok_json("get", a)["content"], "ours a")          # main untouched
        self.assertEqual(self.ok_json("get", a, "--at", "target")["content"], "theirs a")
        # --no-ff writes a merge commit where a fast-forward would do
        self.gm("branch", "behind", "main~1")
        out = self.ok_json("merge", "main", "--into", "behind", "--no-ff")
        self.assertEqual(out["status"], "merged")
        self.assertEqual(len(self.ok_json("show", "behind")["commit"]["parents"]), 2)

    def test_new_commands_errors(self):
        self.gm("init")
        self.gm("add", "x")
        self.gm("commit", "-m", "x")
        cases = [
            (["search"], r"query is required"),
            (["search", "x", "--mode", "fuzzy"], r"--mode: 'fuzzy' is not one of vector\|keyword\|hybrid"),
            (["search", "x", "--k", "0"], r"--k"),
            (["search", "x", "--min-importance", "2"], r"not a number between 0 and 1"),
            (["search", "x", "--since", "soonish"], r"is not a time"),
            (["search", "x", "--all-tags"], r"--all-tags needs at least one --tag"),
            (["search", "x", "--meta", "novalue"], r"expected key=value"),
            (["merge"], r"source is required"),
            (["merge", "main", "--strategy", "random"], r"--strategy: 'random' is not one of fail"),
            (["cherry-pick"], r"commit is required"),
            (["fork"], r"new_name is required"),
            (["export"], r"file is required"),
            (["export", "f", "--bundle", "--at", "main"], r"--at applies to JSON Lines"),
            (["import", "f", "--bundle", "--branch", "main"], r"apply to JSON Lines"),
            (["import", "f", "--force"], r"--force applies to bundles"),
            (["fsck", "--all-objects"], r"--all-objects needs --all"),
            (["gc", "--bogus"], r"--bogus"),
        ]
        for args, pattern in cases:
            with self.subTest(args=args):
                r = self.gm(*args, code=2)
                self.assert_one_line_error(r, pattern)
        r = self.gm("merge", "nope", code=1)
        self.assert_one_line_error(r, r"^gitmem: .*nope")
        r = self.gm("import", os.path.join(self.dir, "missing.jsonl"), code=1)
        self.assert_one_line_error(r, r"^gitmem: .*missing\.jsonl")
        bad = os.path.join(self.dir, "bad.jsonl")
        with open(bad, "w") as f:
            f.write('{"content": "fine"}\n{"content": 42}\n')
        r = self.gm("import", bad, code=1)
        self.assert_one_line_error(r, r"line 2")
        self.assertEqual(len(self.ok_json("list")), 1)                      # nothing imported
        r = self.gm("fork", "local/memory", code=1)
        self.assert_one_line_error(r, r"is this repository")
        self.gm("fork", "team/copy")
        r = self.gm("fork", "team/copy", code=1)
        self.assert_one_line_error(r, r"already exists")
        r = self.gm("search", "x", "--at", "no-such-rev", code=1)
        self.assert_one_line_error(r, r"^gitmem: ")

    def test_progress_bar_only_on_a_terminal(self):
        self.gm("init")
        for i in range(3):
            self.gm("add", f"memory {i}")
        self.gm("commit", "-m", "c")
        out = os.path.join(self.dir, "out.jsonl")
        # A pipe never gets a bar, even when the delay is zero.
        env = dict(self.env, GITMEM_PROGRESS_DELAY_MS="0")
        r = self.gm("export", out, env=env)
        self.assertEqual(r.err, "")
        # A terminal gets one (redrawn in place, then cleared) once the work takes longer than
        # the delay; with the default delay, quick work shows none.
        shown = self.on_tty("export", out, env_extra={"GITMEM_PROGRESS_DELAY_MS": "0"})
        self.assertRegex(shown, r"exporting \[#+\.*\] 100%  3/3 memories  .*/s")
        self.assertIn("\r\x1b[K", shown)
        self.assertIn("Exported 3 memories", shown)
        quiet = self.on_tty("export", out)
        self.assertNotIn("exporting [", quiet)
        shown = self.on_tty("import", out, env_extra={"GITMEM_PROGRESS_DELAY_MS": "0"})
        self.assertIn("importing [", shown)
        shown = self.on_tty("gc", env_extra={"GITMEM_PROGRESS_DELAY_MS": "0"})
        self.assertIn("gc ", shown)

    def test_index_status_and_wait(self):
        self.gm("init")
        # A fresh repository: an empty index, nothing for the worker to do.
        text = self.gm("index", "status").out
        self.assertRegex(text, r"branch +main \(no commits\)")
        self.assertRegex(text, r"memories +0 indexed")
        self.assertRegex(text, r"graphs +\[#+\] 100%  0/0 vectors")
        self.assertRegex(text, r"awaiting graph +0 vectors")
        self.assertRegex(text, r"worker +idle")
        status = self.ok_json("index", "status")
        self.assertEqual(status["branch"], "main")
        self.assertIsNone(status["index"]["commit"])
        self.assertEqual((status["index"]["documents"], status["index"]["vectors_awaiting_graph"],
                          status["index"]["indexing"]), (0, 0, False))
        self.assertIn("is up to date: 0 memories", self.gm("index", "wait").out)
        # After a commit, on another branch too.
        self.gm("add", "green tea every morning")
        self.gm("add", "the meeting is on Friday")
        self.gm("commit", "-m", "two")
        self.gm("branch", "side")
        waited = self.ok_json("index", "wait", "--timeout", "30")
        self.assertEqual((waited["branch"], waited["index"]["documents"]), ("main", 2))
        self.assertEqual(waited["index"]["vectors_awaiting_graph"], 0)
        self.assertFalse(waited["index"]["indexing"])
        self.assertIn("is up to date: 2 memories", self.gm("index", "wait", "--branch", "side",
                                                           "--timeout", "12.5").out)
        side = self.ok_json("index", "status", "--branch", "side")
        self.assertEqual((side["branch"], side["index"]["commit"]),
                         ("side", self.ok_json("show", "side")["commit"]["id"]))
        self.assertRegex(self.gm("index", "status").out, r"graphs +\[#+\] 100%  2/2 vectors")
        # On a terminal, `index wait` draws its bar (vectors with their graph / all).
        shown = self.on_tty("index", "wait", env_extra={"GITMEM_PROGRESS_DELAY_MS": "0"})
        self.assertRegex(shown, r"indexing main \[#+\] 100%  2/2 vectors")
        self.assertIn("is up to date", shown)
        # Bad input: usage errors (2) and unknown branches (1); nothing changes.
        before = self.ok_json("index", "status")
        for args, pattern in [
            (["index", "wait", "--timeout", "soon"], r"--timeout: 'soon' is not a number of seconds"),
            (["index", "wait", "--timeout", "-1"], r"--timeout: '-1' is not a number of seconds"),
            (["index", "wait", "--timeout", "nan"], r"--timeout"),
            (["index", "wait", "--timeout", "inf"], r"--timeout"),
            (["index", "wait", "--timeout"], r"--timeout"),
            (["index"], r"^gitmem index: expected one of its commands: status wait"),
            (["index", "rebuild"], r"expected one of its commands"),
            (["index", "status", "--bogus"], r"--bogus"),
        ]:
            with self.subTest(args=args):
                r = self.gm(*args, code=2)
                self.assert_one_line_error(r, pattern)
                self.assertIn("--help", r.err)
        for args in (["index", "status", "--branch", "nope"], ["index", "wait", "--branch", "nope"]):
            with self.subTest(args=args):
                self.assert_one_line_error(self.gm(*args, code=1), r"^gitmem: .*'nope'")
        self.assertEqual(self.ok_json("index", "status"), before)
        self.assertEqual(len(self.ok_json("list")), 2)

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
        commands = ["init", "add", "update", "rm", "commit", "status", "log", "show", "diff", "branch",
                    "checkout", "reset", "tag", "merge", "cherry-pick", "revert", "fork", "get", "list",
                    "history", "session", "search", "reindex", "fsck", "stats", "info", "gc", "export",
                    "import", "repos", "mcp", "index"]
        for c in commands:
            self.assertRegex(r.out, rf"\n  {re.escape(c)}\b")
        for c in commands:
            with self.subTest(command=c):
                r = self.gm(c, "--help")
                self.assertIn(f"Usage: gitmem {c}", r.out)
                self.assertEqual(r.err, "")
        for c in ("status", "wait"):
            self.assertIn(f"Usage: gitmem index {c}", self.gm("index", c, "--help").out)
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
