// `gitmem mcp`: the Model Context Protocol over stdio (JSON-RPC 2.0, one message per line).
//
// Methods: initialize (protocol version negotiation), ping, tools/list, tools/call, and the
// notifications notifications/initialized and notifications/cancelled. Malformed input
// gets the JSON-RPC error (-32700 parse error, -32600 invalid request, -32601 unknown
// method, -32602 invalid params) and the server carries on. A tool that fails returns a
// result with isError: true, so the model sees what went wrong.
//
// Thread safety: one McpServer serves one connection from one thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cli/context.h"

namespace gitmem::cli {

struct McpOptions {
  bool auto_commit = false;  ///< every save/delete commits at once
  bool init = false;         ///< create the store and repository when missing
};

/// Protocol versions this server speaks, newest first.
inline constexpr const char* kMcpProtocolVersions[] = {"2025-06-18", "2025-03-26", "2024-11-05"};

class McpServer {
 public:
  explicit McpServer(Repository* repo) : repo_(repo) {}

  /// Handles one line of input; returns the line to send back (without the newline),
  /// or nothing for notifications and client responses.
  std::optional<std::string> HandleLine(std::string_view line);

  /// The tool definitions tools/list returns.
  static Json ToolList();

 private:
  std::optional<Json> HandleMessage(const Json& msg);
  Json HandleRequest(const std::string& method, const Json& params, const Json& id);
  Json CallTool(const std::string& name, const Json& args);

  Repository* repo_;
  std::string protocol_version_;
  bool initialized_ = false;
};

/// Opens the repository the context names and serves stdin/stdout until end of input.
int RunMcpServer(const Context& ctx, const McpOptions& options);

}  // namespace gitmem::cli
