// What the MCP server's request loop needs from the tools (tools.cc); McpServer::ToolList
// and McpServer::CallTool are defined there too.
#pragma once

#include <string>

#include "mcp/server.h"

namespace gitmem::cli {

/// Checks `args` against the subset of JSON Schema the tools use; "" when valid, else
/// what is wrong, naming the argument.
std::string ValidateToolArguments(const Json& schema, const Json& args);

/// A tool call that failed: the error as text and as structuredContent, isError true.
Json ToolError(const Status& s);

}  // namespace gitmem::cli
