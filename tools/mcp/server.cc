// `gitmem mcp`: the JSON-RPC 2.0 loop over stdio that answers MCP requests.
#include "mcp/server.h"

#include <csignal>
#include <iostream>

#include "cli/commands.h"
#include "mcp/tools.h"

namespace gitmem::cli {

namespace {

constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;

Json ErrorResponse(const Json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

Json ResultResponse(const Json& id, Json result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

}  // namespace

Json McpServer::HandleRequest(const std::string& method, const Json& params, const Json& id) {
  if (method == "initialize") {
    if (!params.is_object() || !params.contains("protocolVersion") || !params["protocolVersion"].is_string())
      return ErrorResponse(id, kInvalidParams, "initialize: params.protocolVersion (a string) is required");
    const std::string asked = params["protocolVersion"];
    protocol_version_ = kMcpProtocolVersions[0];
    for (const char* v : kMcpProtocolVersions)
      if (asked == v) protocol_version_ = v;
    return ResultResponse(
        id, {{"protocolVersion", protocol_version_},
             {"capabilities", {{"tools", {{"listChanged", false}}}}},
             {"serverInfo", {{"name", "gitmem"}, {"title", "gitmem memory"}, {"version", Version()}}},
             {"instructions",
              "gitmem is a versioned memory: save_memory stages memories on a branch, commit records them with a "
              "message, search_memories finds the relevant ones, and log, diff and memory_history show how memory "
              "changed. Branches (create_branch, checkout_branch) let you try changes apart and merge_branch "
              "brings them back; reads accept a rev (branch, tag, commit) or as_of (a time) to look into the past."}});
  }
  if (method == "ping") return ResultResponse(id, Json::object());
  if (method == "tools/list") {
    if (!params.is_null() && !params.is_object())
      return ErrorResponse(id, kInvalidParams, "tools/list: params must be an object");
    return ResultResponse(id, {{"tools", ToolList()}});
  }
  if (method == "tools/call") {
    if (!params.is_object() || !params.contains("name") || !params["name"].is_string())
      return ErrorResponse(id, kInvalidParams, "tools/call: params.name (a string) is required");
    const std::string name = params["name"];
    Json args = params.contains("arguments") ? params["arguments"] : Json::object();
    if (args.is_null()) args = Json::object();
    if (!args.is_object()) return ErrorResponse(id, kInvalidParams, "tools/call: params.arguments must be an object");
    static const Json tools = ToolList();
    const Json* tool = nullptr;
    for (const auto& t : tools)
      if (t["name"] == name) tool = &t;
    if (tool == nullptr) return ErrorResponse(id, kInvalidParams, "Unknown tool: " + name);
    // Arguments that do not fit the schema come back as a tool error the model can read and fix.
    if (std::string why = ValidateToolArguments((*tool)["inputSchema"], args); !why.empty())
      return ResultResponse(id, ToolError(Status::InvalidArgument(name + ": " + why)));
    try {
      return ResultResponse(id, CallTool(name, args));
    } catch (const std::exception& e) {
      return ErrorResponse(id, kInternalError, std::string("internal error: ") + e.what());
    }
  }
  return ErrorResponse(id, kMethodNotFound, "Method not found: " + method);
}

std::optional<Json> McpServer::HandleMessage(const Json& msg) {
  if (!msg.is_object()) return ErrorResponse(nullptr, kInvalidRequest, "Invalid Request: expected a JSON object");
  Json id = nullptr;
  const bool has_id = msg.contains("id");
  if (has_id && (msg["id"].is_string() || msg["id"].is_number_integer() || msg["id"].is_number_unsigned()))
    id = msg["id"];
  if (!msg.contains("jsonrpc") || msg["jsonrpc"] != "2.0")
    return ErrorResponse(id, kInvalidRequest, "Invalid Request: jsonrpc must be \"2.0\"");
  if (!msg.contains("method")) {
    if (msg.contains("result") || msg.contains("error")) return std::nullopt;  // a response to us: none expected
    return ErrorResponse(id, kInvalidRequest, "Invalid Request: no method");
  }
  if (!msg["method"].is_string()) return ErrorResponse(id, kInvalidRequest, "Invalid Request: method must be a string");
  const std::string method = msg["method"];
  const Json params = msg.contains("params") ? msg["params"] : Json(nullptr);
  if (!has_id) {  // a notification: never answered
    if (method == "notifications/initialized") initialized_ = true;
    return std::nullopt;
  }
  if (id.is_null())
    return ErrorResponse(nullptr, kInvalidRequest, "Invalid Request: id must be a string or an integer");
  if (!params.is_null() && !params.is_object())
    return ErrorResponse(id, kInvalidParams, "Invalid params: params must be an object");
  return HandleRequest(method, params, id);
}

std::optional<std::string> McpServer::HandleLine(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  if (line.find_first_not_of(" \t") == std::string_view::npos) return std::nullopt;
  Json msg = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  std::optional<Json> reply;
  if (msg.is_discarded()) {
    reply = ErrorResponse(nullptr, kParseError, "Parse error: not valid JSON");
  } else if (msg.is_array()) {  // a JSON-RPC batch (protocol 2025-03-26)
    if (msg.empty()) {
      reply = ErrorResponse(nullptr, kInvalidRequest, "Invalid Request: empty batch");
    } else {
      Json replies = Json::array();
      for (const auto& m : msg)
        if (auto r = HandleMessage(m)) replies.push_back(std::move(*r));
      if (!replies.empty()) reply = std::move(replies);
    }
  } else {
    reply = HandleMessage(msg);
  }
  if (!reply) return std::nullopt;
  return reply->dump(-1, ' ', false, Json::error_handler_t::replace);
}

int RunMcpServer(const Context& ctx, const McpOptions& options) {
  std::signal(SIGPIPE, SIG_IGN);  // a client that goes away ends the loop, not the process
  RepositoryOptions ro = ctx.RepoOptions();
  ro.auto_commit = options.auto_commit;
  std::string path;
  auto found = ctx.FindStore();
  if (found.ok()) {
    path = *found;
  } else if (options.init) {
    path = ctx.InitPath();
  } else {
    return ctx.Fail(found.status());
  }
  auto repo = Repository::Open(ro, path);
  if (!repo.ok() && repo.status().IsNotFound() && options.init) repo = Repository::Init(ro, path);
  if (!repo.ok()) return ctx.Fail(repo.status());
  std::cerr << "gitmem mcp: serving repository '" << ro.name << "' from " << path
            << (options.auto_commit ? " (auto-commit)" : "") << "\n";

  McpServer server(repo->get());
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (auto reply = server.HandleLine(line)) {
      std::cout << *reply << '\n';
      std::cout.flush();
      if (!std::cout) break;
    }
  }
  return 0;
}

void AddMcp(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] = Define(app, out, "mcp", "Serve the repository to AI agents over the Model Context Protocol (stdio)",
                         RunMcpServer);
  cmd->add_flag("--auto-commit", o->auto_commit, "Commit every save and delete at once instead of staging");
  cmd->add_flag("--init", o->init, "Create the store and repository when missing");
  cmd->footer(
      "Speaks JSON-RPC 2.0, one message per line, on standard input and output; logs go to standard error.\n"
      "Register it with an MCP client, e.g. Claude Desktop's claude_desktop_config.json:\n"
      "  {\"mcpServers\": {\"gitmem\": {\"command\": \"gitmem\", \"args\": [\"--repo\", \"/path/to/.gitmem\", "
      "\"mcp\"]}}}\n");
}

}  // namespace gitmem::cli
