#include "format.h"

#include "timestamp.h"

namespace gitmem::cli {

namespace {

std::string FloatText(float v) { return FloatJson(v).dump(); }

std::string TagsText(const std::vector<std::string>& tags) {
  std::string out;
  for (const std::string& t : tags) {
    if (!out.empty()) out += ", ";
    out += t;
  }
  return out;
}

std::string RelationsText(const std::vector<Relation>& rels) {
  std::string out;
  for (const Relation& r : rels) {
    if (!out.empty()) out += ", ";
    out += std::string(ToString(r.type)) + ":" + r.target_id;
    if (r.strength != 1.0f) out += ":" + FloatText(r.strength);
  }
  return out;
}

// Lines of `text`, each prefixed.
std::string Indent(std::string_view text, std::string_view prefix) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    out.append(prefix).append(text.substr(start, nl - start)).push_back('\n');
    start = nl + 1;
  }
  return out;
}

}  // namespace

std::string Preview(std::string_view text, size_t max_chars) {
  const size_t nl = text.find('\n');
  const bool multiline = nl != std::string_view::npos;
  std::string_view line = text.substr(0, nl);
  size_t chars = 0, i = 0;
  for (; i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (chars == max_chars) break;
    ++chars;
  }
  std::string out(line.substr(0, i));
  for (char& c : out)
    if (c == '\t' || c == '\r') c = ' ';
  if (i < line.size() || multiline) out += "…";
  return out;
}

std::string MemoryLine(const Context& ctx, const Memory& m) {
  std::string line = ctx.Paint(m.id, style::kYellow) + "  " +
                     ctx.Paint("[" + std::string(ToString(m.type)) + "]", style::kCyan) + " " + Preview(m.content);
  for (const std::string& t : m.tags) line += " " + ctx.Paint("#" + t, style::kMagenta);
  return line;
}

std::string MemoryDetails(const Context& ctx, const Memory& m) {
  auto field = [&](std::string_view name, std::string_view value) {
    std::string label = std::string(name) + ":";
    label.resize(std::max<size_t>(label.size(), 12), ' ');
    return ctx.Paint(label, style::kDim) + std::string(value) + "\n";
  };
  std::string out = ctx.Paint("memory " + m.id, style::kYellow) + "\n";
  out += field("type", ToString(m.type));
  out += field("scope", ToString(m.scope));
  if (!m.agent_id.empty()) out += field("agent", m.agent_id);
  if (!m.session_id.empty()) out += field("session", m.session_id);
  out += field("time", FormatLocal(m.timestamp_us));
  out += field("importance", FloatText(m.importance));
  out += field("confidence", FloatText(m.confidence));
  if (!m.tags.empty()) out += field("tags", TagsText(m.tags));
  if (m.metadata != "{}") out += field("metadata", m.metadata);
  if (!m.relations.empty()) out += field("relations", RelationsText(m.relations));
  out += field("author", m.provenance.author);
  out += "\n" + Indent(m.content, "    ");
  return out;
}

Decorations LoadDecorations(const Repository& repo) {
  Decorations d;
  const std::string current = repo.CurrentBranch();
  if (auto branches = repo.ListBranches(); branches.ok()) {
    for (const BranchInfo& b : *branches) {
      if (b.head.is_zero()) continue;
      auto& names = d[b.head];
      if (b.is_current)
        names.insert(names.begin(), "HEAD -> " + b.name);
      else
        names.push_back(b.name);
    }
  }
  if (auto tags = repo.ListTags(); tags.ok())
    for (const TagInfo& t : *tags) d[t.target].push_back("tag: " + t.name);
  return d;
}

std::string Decorate(const Context& ctx, const Decorations& d, const ObjectId& id) {
  auto it = d.find(id);
  if (it == d.end() || it->second.empty()) return {};
  std::string out = ctx.Paint("(", style::kYellow);
  for (size_t i = 0; i < it->second.size(); ++i) {
    const std::string& n = it->second[i];
    if (i > 0) out += ctx.Paint(", ", style::kYellow);
    if (n.starts_with("HEAD -> "))
      out += ctx.Paint("HEAD -> ", style::kBoldCyan) + ctx.Paint(n.substr(8), style::kBoldGreen);
    else if (n.starts_with("tag: "))
      out += ctx.Paint(n, style::kBoldYellow);
    else
      out += ctx.Paint(n, style::kBoldGreen);
  }
  return " " + out + ctx.Paint(")", style::kYellow);
}

std::string ChangeCounts(const Context& ctx, uint64_t added, uint64_t modified, uint64_t removed) {
  return ctx.Paint("+" + std::to_string(added), style::kGreen) + " " +
         ctx.Paint("~" + std::to_string(modified), style::kYellow) + " " +
         ctx.Paint("-" + std::to_string(removed), style::kRed);
}

std::string DiffEntryText(const Context& ctx, const DiffEntry& e) {
  switch (e.kind) {
    case DiffEntry::Kind::kAdded:
      return ctx.Paint("+ " + e.id, style::kGreen) + "  " + Preview(e.new_memory->content) + "\n";
    case DiffEntry::Kind::kRemoved:
      return ctx.Paint("- " + e.id, style::kRed) + "  " + Preview(e.old_memory->content) + "\n";
    case DiffEntry::Kind::kModified: break;
  }
  const Memory& a = *e.old_memory;
  const Memory& b = *e.new_memory;
  std::string out = ctx.Paint("~ " + e.id, style::kYellow) + "\n";
  auto change = [&](std::string_view name, const std::string& from, const std::string& to) {
    if (from == to) return;
    out += "    " + std::string(name) + ": " + ctx.Paint(from.empty() ? "\"\"" : from, style::kRed) + " -> " +
           ctx.Paint(to.empty() ? "\"\"" : to, style::kGreen) + "\n";
  };
  if (a.content != b.content) {
    out += "    content:\n";
    out += ctx.Paint(Indent(a.content, "      - "), style::kRed);
    out += ctx.Paint(Indent(b.content, "      + "), style::kGreen);
  }
  change("type", std::string(ToString(a.type)), std::string(ToString(b.type)));
  change("scope", std::string(ToString(a.scope)), std::string(ToString(b.scope)));
  change("agent", a.agent_id, b.agent_id);
  change("session", a.session_id, b.session_id);
  change("importance", FloatText(a.importance), FloatText(b.importance));
  change("confidence", FloatText(a.confidence), FloatText(b.confidence));
  change("tags", "[" + TagsText(a.tags) + "]", "[" + TagsText(b.tags) + "]");
  change("metadata", a.metadata, b.metadata);
  change("relations", "[" + RelationsText(a.relations) + "]", "[" + RelationsText(b.relations) + "]");
  change("author", a.provenance.author, b.provenance.author);
  change("time", FormatLocal(a.timestamp_us), FormatLocal(b.timestamp_us));
  return out;
}

}  // namespace gitmem::cli
