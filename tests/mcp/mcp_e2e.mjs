// End-to-end test of `gitmem mcp` with the official MCP TypeScript SDK as the client.
//
//   node mcp_e2e.mjs /path/to/gitmem
//
// Part 1 drives the server through @modelcontextprotocol/sdk's Client and
// StdioClientTransport: list the tools, save and get memories, branch, commit, log, diff,
// history, search, merge with conflicts. Part 2 speaks raw JSON-RPC to check what the SDK never sends: protocol version
// negotiation, and the errors for bad JSON, bad requests, unknown methods and bad params
// (the server must answer each and keep running).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const gitmem = process.argv[2] ?? process.env.GITMEM;
if (!gitmem) {
  console.error("usage: node mcp_e2e.mjs /path/to/gitmem");
  process.exit(2);
}

const EXPECTED_TOOLS = [
  "checkout_branch", "commit", "create_branch", "delete_memory", "diff", "get_memory",
  "list_memories", "log", "memory_history", "merge_branch", "save_memory", "search_memories",
];

let failures = 0;
async function check(name, fn) {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (err) {
    failures++;
    console.log(`FAIL ${name}\n     ${err?.stack ?? err}`);
  }
}

// Calls a tool that must succeed; returns its structured content after checking that the
// text content carries the same JSON.
async function call(client, name, args = {}) {
  const result = await client.callTool({ name, arguments: args });
  assert.equal(result.isError, false, `${name} failed: ${JSON.stringify(result.content)}`);
  assert.ok(result.structuredContent, `${name}: no structuredContent`);
  assert.equal(result.content[0].type, "text");
  assert.deepEqual(JSON.parse(result.content[0].text), result.structuredContent);
  return result.structuredContent;
}

async function sdkPart(store) {
  const transport = new StdioClientTransport({
    command: gitmem,
    args: ["--repo", store, "mcp", "--init"],
    env: { ...process.env, GITMEM_AUTHOR: "mcp-test" },
    stderr: "pipe",
  });
  const client = new Client({ name: "gitmem-e2e", version: "1.0.0" });
  await client.connect(transport);

  await check("initialize: server info, tools capability, instructions", async () => {
    assert.equal(client.getServerVersion().name, "gitmem");
    assert.ok(client.getServerCapabilities().tools);
    assert.match(client.getInstructions() ?? "", /commit/);
  });

  await check("tools/list: the twelve tools, each with an object input schema", async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), EXPECTED_TOOLS);
    for (const t of tools) {
      assert.equal(t.inputSchema.type, "object", t.name);
      assert.ok(t.description.length > 10, t.name);
    }
    const save = tools.find((t) => t.name === "save_memory");
    assert.deepEqual(save.inputSchema.required, ["content"]);
    assert.deepEqual(save.inputSchema.properties.type.enum, ["episodic", "semantic", "procedural", "state"]);
    const search = tools.find((t) => t.name === "search_memories");
    assert.deepEqual(search.inputSchema.required, ["query"]);
    assert.deepEqual(search.inputSchema.properties.mode.enum, ["hybrid", "vector", "keyword"]);
    assert.equal(search.annotations.readOnlyHint, true);
    const merge = tools.find((t) => t.name === "merge_branch");
    assert.deepEqual(merge.inputSchema.required, ["source"]);
    assert.deepEqual(merge.inputSchema.properties.strategy.enum,
      ["fail", "ours", "theirs", "newest", "most_important"]);
  });

  await check("ping", async () => {
    assert.deepEqual(await client.ping(), {});
  });

  let fact, event, firstCommit;
  await check("save_memory + get_memory (staged) + commit", async () => {
    fact = (await call(client, "save_memory", {
      content: "The user prefers dark mode",
      type: "semantic",
      tags: ["ui", "prefs"],
      importance: 0.8,
      metadata: { source: "chat", turn: 3 },
      agent_id: "agent-1",
      session_id: "s1",
    })).id;
    event = (await call(client, "save_memory", {
      content: "Deployed v2 to production",
      type: "episodic",
      session_id: "s1",
    })).id;
    const got = await call(client, "get_memory", { id: fact });
    assert.equal(got.content, "The user prefers dark mode");
    assert.deepEqual(got.tags, ["prefs", "ui"]);
    assert.equal(got.importance, 0.8);
    assert.deepEqual(got.metadata, { source: "chat", turn: 3 });
    assert.equal(got.agent_id, "agent-1");
    assert.equal(got.provenance.author, "mcp-test");
    const c = await call(client, "commit", { message: "first memories" });
    assert.equal(c.added, 2);
    assert.equal(c.memory_count, 2);
    assert.equal(c.branch, "main");
    assert.deepEqual(c.parents, []);
    firstCommit = c;
  });

  await check("commit with nothing staged is a tool error, not a protocol error", async () => {
    const r = await client.callTool({ name: "commit", arguments: { message: "empty" } });
    assert.equal(r.isError, true);
    assert.match(r.content[0].text, /nothing staged/);
  });

  await check("get_memory of an unknown id is a tool error", async () => {
    const r = await client.callTool({ name: "get_memory", arguments: { id: "no-such-id" } });
    assert.equal(r.isError, true);
    assert.match(r.content[0].text, /not found/);
  });

  await check("arguments that break the schema are a tool error naming the argument", async () => {
    const r = await client.callTool({ name: "save_memory", arguments: { content: "x", importance: 7 } });
    assert.equal(r.isError, true);
    assert.match(r.content[0].text, /importance/);
  });

  await check("create_branch + checkout_branch, save/delete on the branch, commit", async () => {
    const b = await call(client, "create_branch", { name: "experiment", checkout: true });
    assert.equal(b.head, firstCommit.id);
    await call(client, "save_memory", { content: "Try the new build cache", type: "procedural", tags: ["idea"] });
    await call(client, "save_memory", { id: fact, content: "The user prefers light mode", importance: 0.9 });
    const del = await call(client, "delete_memory", { id: event });
    assert.equal(del.branch, "experiment");
    const c = await call(client, "commit", { message: "experiment", author: "alice" });
    assert.equal(c.branch, "experiment");
    assert.deepEqual([c.added, c.modified, c.removed], [1, 1, 1]);
    assert.equal(c.author, "alice");
    // main is untouched
    const onMain = await call(client, "get_memory", { id: fact, rev: "main" });
    assert.equal(onMain.content, "The user prefers dark mode");
    await call(client, "checkout_branch", { name: "main" });
    const here = await call(client, "get_memory", { id: event });
    assert.equal(here.content, "Deployed v2 to production");
  });

  await check("log: whole graph from a branch, and limits", async () => {
    const { commits } = await call(client, "log", { rev: "experiment" });
    assert.deepEqual(commits.map((c) => c.message), ["experiment", "first memories"]);
    const one = await call(client, "log", { rev: "experiment", limit: 1 });
    assert.equal(one.commits.length, 1);
  });

  await check("diff between branches, with and without the memories", async () => {
    const d = await call(client, "diff", { from: "main", to: "experiment" });
    assert.deepEqual([d.added, d.modified, d.removed], [1, 1, 1]);
    const modified = d.entries.find((e) => e.kind === "modified");
    assert.equal(modified.id, fact);
    assert.equal(modified.old.content, "The user prefers dark mode");
    assert.equal(modified.new.content, "The user prefers light mode");
    const ids = await call(client, "diff", { from: "main", to: "experiment", ids_only: true });
    assert.equal(ids.entries.length, 3);
    assert.ok(!("old" in ids.entries[0]));
    const staged = await call(client, "diff", {});
    assert.equal(staged.entries.length, 0);
  });

  await check("memory_history: versions newest first, deletion included", async () => {
    const h = await call(client, "memory_history", { id: fact, rev: "experiment" });
    assert.deepEqual(h.versions.map((v) => v.memory.content),
      ["The user prefers light mode", "The user prefers dark mode"]);
    const gone = await call(client, "memory_history", { id: event, rev: "experiment" });
    assert.deepEqual(gone.versions.map((v) => v.deleted), [true, false]);
  });

  await check("list_memories: filters, paging, time travel", async () => {
    const all = await call(client, "list_memories", { rev: "experiment" });
    assert.equal(all.count, 2);
    const ideas = await call(client, "list_memories", { rev: "experiment", tag: "idea" });
    assert.deepEqual(ideas.memories.map((m) => m.content), ["Try the new build cache"]);
    const page = await call(client, "list_memories", { limit: 1 });
    assert.equal(page.count, 1);
    assert.equal(page.has_more, true);
    const past = await call(client, "list_memories", { rev: "experiment", as_of: firstCommit.timestamp });
    assert.deepEqual(past.memories.map((m) => m.content).sort(),
      ["Deployed v2 to production", "The user prefers dark mode"]);
  });

  await check("get_memory as_of: the memory as it was", async () => {
    const old = await call(client, "get_memory", { id: fact, rev: "experiment", as_of: firstCommit.timestamp });
    assert.equal(old.content, "The user prefers dark mode");
  });

  await check("search_memories: keyword, hybrid and vector ranking, the hit shape", async () => {
    const r = await call(client, "search_memories", { query: "dark mode", mode: "keyword" });
    assert.equal(r.query, "dark mode");
    assert.equal(r.mode, "keyword");
    assert.equal(r.hits[0].id, fact);
    assert.equal(r.hits[0].rank, 1);
    assert.ok(r.hits[0].score > 0);
    assert.equal(r.hits[0].memory.content, "The user prefers dark mode");
    for (const mode of ["hybrid", "vector"]) {
      const all = await call(client, "search_memories", { query: "production deploy", mode });
      assert.equal(all.hits.length, 2, mode);
    }
    const def = await call(client, "search_memories", { query: "production" });
    assert.equal(def.mode, "hybrid");
    const one = await call(client, "search_memories", { query: "mode production", k: 1, offset: 1 });
    assert.deepEqual(one.hits.map((h) => h.rank), [2]);
  });

  await check("search_memories: filters, rev and as_of", async () => {
    const ids = async (args) =>
      (await call(client, "search_memories", { query: "anything", ...args })).hits.map((h) => h.id).sort();
    assert.deepEqual(await ids({ types: ["episodic"] }), [event]);
    assert.deepEqual(await ids({ tags: ["ui", "nope"] }), [fact]);
    assert.deepEqual(await ids({ all_tags: ["ui", "nope"] }), []);
    assert.deepEqual(await ids({ agent_id: "agent-1" }), [fact]);
    assert.deepEqual(await ids({ session_id: "s1" }), [fact, event].sort());
    assert.deepEqual(await ids({ min_importance: 0.7 }), [fact]);
    assert.deepEqual(await ids({ metadata: { source: "chat", turn: 3 } }), [fact]);
    assert.deepEqual(await ids({ metadata: { turn: "3" } }), []);
    assert.deepEqual(await ids({ since: "2999-01-01T00:00:00Z" }), []);
    assert.deepEqual(await ids({ rev: "experiment", types: ["procedural"] }).then((x) => x.length), 1);
    const past = await ids({ rev: "experiment", as_of: firstCommit.timestamp });
    assert.deepEqual(past, [fact, event].sort());
  });

  await check("search_memories: bad arguments are tool errors", async () => {
    for (const args of [{ query: "x", k: 0 }, { query: "x", mode: "fuzzy" }, { query: "x", types: ["dream"] },
                        { query: "x", since: "soon" }, { k: 3 }]) {
      const r = await client.callTool({ name: "search_memories", arguments: args });
      assert.equal(r.isError, true, JSON.stringify(args));
    }
  });

  await check("merge_branch: conflicts with strategy fail change nothing, then theirs settles them", async () => {
    // main changes the fact experiment also changed: a conflict
    await call(client, "save_memory", { id: fact, content: "The user prefers blue mode", importance: 0.3 });
    const mainCommit = await call(client, "commit", { message: "blue on main" });
    const r = await client.callTool({ name: "merge_branch", arguments: { source: "experiment" } });
    assert.equal(r.isError, true);
    assert.match(r.content[0].text, /conflict/);
    const out = r.structuredContent;
    assert.equal(out.status, "conflicts");
    assert.equal(out.commit, null);
    assert.equal(out.into, "main");
    assert.equal(out.conflicts.length, 1);
    const c = out.conflicts[0];
    assert.equal(c.id, fact);
    assert.equal(c.kind, "both_modified");
    assert.equal(c.base.content, "The user prefers dark mode");
    assert.equal(c.ours.content, "The user prefers blue mode");
    assert.equal(c.theirs.content, "The user prefers light mode");
    const { commits } = await call(client, "log", { limit: 1 });
    assert.equal(commits[0].id, mainCommit.id);

    const merged = await call(client, "merge_branch", { source: "experiment", strategy: "theirs",
                                                        message: "take the experiment" });
    assert.equal(merged.status, "merged");
    assert.equal(merged.strategy, "theirs");
    assert.equal(merged.conflicts[0].settled, true);
    assert.equal(merged.conflicts[0].resolution.content, "The user prefers light mode");
    const head = (await call(client, "log", { limit: 1 })).commits[0];
    assert.equal(head.id, merged.commit);
    assert.equal(head.message, "take the experiment");
    assert.deepEqual(head.parents[0], mainCommit.id);
    assert.equal((await call(client, "get_memory", { id: fact })).content, "The user prefers light mode");
    const found = await call(client, "search_memories", { query: "build cache", mode: "keyword" });
    assert.equal(found.hits[0].memory.content, "Try the new build cache");
    const again = await call(client, "merge_branch", { source: "experiment" });
    assert.equal(again.status, "up_to_date");
  });

  await check("merge_branch: an unknown source or strategy is a tool error", async () => {
    let r = await client.callTool({ name: "merge_branch", arguments: { source: "no-such-branch" } });
    assert.equal(r.isError, true);
    r = await client.callTool({ name: "merge_branch", arguments: { source: "experiment", strategy: "coin" } });
    assert.equal(r.isError, true);
    assert.match(r.content[0].text, /strategy/);
  });

  await client.close();
}

// ---- raw JSON-RPC ------------------------------------------------------------------------

function rawServer(store) {
  const child = spawn(gitmem, ["--repo", store, "mcp", "--init"], { stdio: ["pipe", "pipe", "pipe"] });
  const lines = createInterface({ input: child.stdout });
  const queue = [];
  const waiters = [];
  lines.on("line", (l) => (waiters.length ? waiters.shift()(l) : queue.push(l)));
  return {
    send(text) { child.stdin.write(text + "\n"); },
    next() {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no reply within 10 s")), 10000);
        const done = (l) => { clearTimeout(timer); resolve(JSON.parse(l)); };
        queue.length ? done(queue.shift()) : waiters.push(done);
      });
    },
    async request(obj) { this.send(JSON.stringify(obj)); return this.next(); },
    close() {
      child.stdin.end();
      return new Promise((resolve) => child.on("exit", (code) => resolve(code)));
    },
  };
}

async function rawPart(store) {
  const s = rawServer(store);
  const init = (id, protocolVersion) => s.request({
    jsonrpc: "2.0", id, method: "initialize",
    params: { protocolVersion, capabilities: {}, clientInfo: { name: "raw", version: "0" } },
  });

  await check("negotiation: each supported version is echoed back", async () => {
    for (const v of ["2025-06-18", "2025-03-26", "2024-11-05"]) {
      const r = await init(v, v);
      assert.equal(r.result.protocolVersion, v);
      assert.equal(r.id, v);
    }
  });
  await check("negotiation: an unknown version gets the newest supported", async () => {
    const r = await init(1, "2099-01-01");
    assert.equal(r.result.protocolVersion, "2025-06-18");
  });
  await check("notifications/initialized gets no reply", async () => {
    s.send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
    const r = await s.request({ jsonrpc: "2.0", id: 2, method: "ping" });
    assert.deepEqual(r, { jsonrpc: "2.0", id: 2, result: {} });
  });
  await check("bad JSON: -32700 with id null, then the server keeps going", async () => {
    s.send("{this is not json");
    const r = await s.next();
    assert.equal(r.error.code, -32700);
    assert.equal(r.id, null);
  });
  await check("invalid request: -32600", async () => {
    assert.equal((await s.request({ id: 3, method: "ping" })).error.code, -32600);  // no jsonrpc
    assert.equal((await s.request({ jsonrpc: "2.0", id: 4, method: 42 })).error.code, -32600);
    s.send("42");
    assert.equal((await s.next()).error.code, -32600);
    s.send("[]");
    assert.equal((await s.next()).error.code, -32600);
  });
  await check("unknown method: -32601", async () => {
    const r = await s.request({ jsonrpc: "2.0", id: 5, method: "resources/list" });
    assert.equal(r.error.code, -32601);
    assert.equal(r.id, 5);
  });
  await check("invalid params: -32602", async () => {
    const cases = [
      { jsonrpc: "2.0", id: 6, method: "initialize", params: {} },
      { jsonrpc: "2.0", id: 7, method: "tools/call", params: { arguments: {} } },
      { jsonrpc: "2.0", id: 8, method: "tools/call", params: { name: "no_such_tool", arguments: {} } },
      { jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "log", arguments: [1] } },
      { jsonrpc: "2.0", id: 10, method: "tools/list", params: "x" },
    ];
    for (const c of cases) {
      const r = await s.request(c);
      assert.equal(r.error?.code, -32602, JSON.stringify(c));
      assert.equal(r.id, c.id);
    }
  });
  await check("still serving after all that: tools/call works", async () => {
    const tool = (id, name, args) => s.request({ jsonrpc: "2.0", id, method: "tools/call",
      params: { name, arguments: args } });
    assert.equal((await tool(14, "save_memory", { content: "raw" })).result.isError, false);
    assert.equal((await tool(15, "commit", { message: "raw" })).result.isError, false);
    const r = await tool(11, "log", { limit: 1 });
    assert.equal(r.result.isError, false);
    assert.equal(r.result.structuredContent.commits.length, 1);
  });
  await check("a batch gets an array of replies", async () => {
    s.send(JSON.stringify([
      { jsonrpc: "2.0", id: 12, method: "ping" },
      { jsonrpc: "2.0", method: "notifications/initialized" },
      { jsonrpc: "2.0", id: 13, method: "nope" },
    ]));
    const r = await s.next();
    assert.deepEqual(r.map((x) => x.id), [12, 13]);
    assert.equal(r[1].error.code, -32601);
  });
  await check("end of input ends the server with exit code 0", async () => {
    assert.equal(await s.close(), 0);
  });
}

const dir = mkdtempSync(join(tmpdir(), "gitmem-mcp-"));
const store = join(dir, "store");
try {
  await sdkPart(store);
  await rawPart(join(dir, "raw-store"));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(failures === 0 ? "all MCP checks passed" : `${failures} MCP checks failed`);
process.exit(failures === 0 ? 0 : 1);
