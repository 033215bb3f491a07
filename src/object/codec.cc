#include "object/codec.h"

#include <algorithm>

#include <fmt/format.h>

#include "util/coding.h"

namespace gitmem {

namespace {
constexpr char kVersion = 1;

bool GetId(std::string_view* in, ObjectId* id) {
  std::string_view b;
  if (!GetBytes(in, 32, &b)) return false;
  std::copy(b.begin(), b.end(), id->bytes.begin());
  return true;
}
/// Consumes an object's tag and format version. `what` names the object in errors.
Status ReadHeader(std::string_view* in, ObjectType type, const char* what) {
  auto bad = [what](const char* problem) { return Status::Corruption(fmt::format("{}: {}", what, problem)); };
  if (in->size() < 2 || (*in)[0] != static_cast<char>(type)) return bad("bad object tag");
  if ((*in)[1] != kVersion) return bad("unsupported format version");
  in->remove_prefix(2);
  return Status::Ok();
}
void PutId(std::string* out, const ObjectId& id) { out->append(reinterpret_cast<const char*>(id.bytes.data()), 32); }
bool GetString(std::string_view* in, std::string* s) {
  std::string_view v;
  if (!GetLengthPrefixed(in, &v)) return false;
  s->assign(v);
  return true;
}
bool GetByte(std::string_view* in, uint8_t* b) {
  if (in->empty()) return false;
  *b = static_cast<uint8_t>((*in)[0]);
  in->remove_prefix(1);
  return true;
}
}  // namespace

Result<ObjectType> ObjectTypeOf(std::string_view bytes) {
  if (bytes.size() < 2) return Status::Corruption("object: shorter than its header");
  switch (bytes[0]) {
    case 'B': return ObjectType::kBlob;
    case 'T': return ObjectType::kTree;
    case 'C': return ObjectType::kCommit;
    default: return Status::Corruption("object: unknown type tag");
  }
}

std::string EncodeMemory(const Memory& m) {
  std::string out;
  out.reserve(128 + m.content.size() + m.metadata.size());
  out.push_back(static_cast<char>(ObjectType::kBlob));
  out.push_back(kVersion);
  PutLengthPrefixed(&out, m.id);
  PutLengthPrefixed(&out, m.content);
  out.push_back(static_cast<char>(m.type));
  PutLengthPrefixed(&out, m.agent_id);
  PutLengthPrefixed(&out, m.session_id);
  PutVarint64(&out, ZigZag(m.timestamp_us));
  PutFloat(&out, m.importance);
  PutFloat(&out, m.confidence);
  PutVarint64(&out, m.tags.size());
  for (const auto& t : m.tags) PutLengthPrefixed(&out, t);
  out.push_back(static_cast<char>(m.scope));
  PutLengthPrefixed(&out, m.provenance.author);
  PutId(&out, m.provenance.content_hash);
  PutLengthPrefixed(&out, m.metadata);
  PutVarint64(&out, m.relations.size());
  for (const auto& r : m.relations) {
    out.push_back(static_cast<char>(r.type));
    PutLengthPrefixed(&out, r.target_id);
    PutFloat(&out, r.strength);
  }
  return out;
}

Result<Memory> DecodeMemory(std::string_view in) {
  auto bad = [](const char* what) { return Status::Corruption(std::string("blob: ") + what); };
  GITMEM_RETURN_IF_ERROR(ReadHeader(&in, ObjectType::kBlob, "blob"));
  Memory m;
  uint8_t type, scope;
  uint64_t ts, ntags, nrel;
  if (!GetString(&in, &m.id) || !GetString(&in, &m.content) || !GetByte(&in, &type) || !GetString(&in, &m.agent_id) ||
      !GetString(&in, &m.session_id) || !GetVarint64(&in, &ts) || !GetFloat(&in, &m.importance) ||
      !GetFloat(&in, &m.confidence) || !GetVarint64(&in, &ntags))
    return bad("truncated record");
  if (type > 3) return bad("unknown memory type");
  if (ntags > in.size()) return bad("tag count exceeds record size");
  m.type = static_cast<MemoryType>(type);
  m.timestamp_us = UnZigZag(ts);
  m.tags.resize(ntags);
  for (auto& t : m.tags)
    if (!GetString(&in, &t)) return bad("truncated tag");
  if (!GetByte(&in, &scope) || scope > 2) return bad("bad scope");
  m.scope = static_cast<Scope>(scope);
  if (!GetString(&in, &m.provenance.author) || !GetId(&in, &m.provenance.content_hash) ||
      !GetString(&in, &m.metadata) || !GetVarint64(&in, &nrel))
    return bad("truncated record");
  if (nrel > in.size()) return bad("relation count exceeds record size");
  m.relations.resize(nrel);
  for (auto& r : m.relations) {
    uint8_t rt;
    if (!GetByte(&in, &rt) || rt > 3 || !GetString(&in, &r.target_id) || !GetFloat(&in, &r.strength))
      return bad("truncated relation");
    r.type = static_cast<RelationType>(rt);
  }
  if (!in.empty()) return bad("trailing bytes");
  return m;
}

std::string EncodeCommit(const CommitInfo& c) {
  std::string out;
  out.push_back(static_cast<char>(ObjectType::kCommit));
  out.push_back(kVersion);
  PutId(&out, c.tree);
  PutVarint64(&out, c.parents.size());
  for (const auto& p : c.parents) PutId(&out, p);
  PutLengthPrefixed(&out, c.author);
  PutLengthPrefixed(&out, c.message);
  PutVarint64(&out, ZigZag(c.timestamp_us));
  PutVarint64(&out, c.generation);
  PutVarint64(&out, c.memory_count);
  PutVarint64(&out, c.added);
  PutVarint64(&out, c.modified);
  PutVarint64(&out, c.removed);
  PutVarint64(&out, c.changed_ids.size());
  for (const auto& id : c.changed_ids) PutLengthPrefixed(&out, id);
  out.push_back(c.changed_ids_truncated ? 1 : 0);
  return out;
}

Result<CommitInfo> DecodeCommit(std::string_view in) {
  auto bad = [](const char* what) { return Status::Corruption(std::string("commit: ") + what); };
  GITMEM_RETURN_IF_ERROR(ReadHeader(&in, ObjectType::kCommit, "commit"));
  CommitInfo c;
  uint64_t nparents, ts, nids;
  if (!GetId(&in, &c.tree) || !GetVarint64(&in, &nparents) || nparents > in.size() / 32) return bad("truncated header");
  c.parents.resize(nparents);
  for (auto& p : c.parents)
    if (!GetId(&in, &p)) return bad("truncated parent");
  if (!GetString(&in, &c.author) || !GetString(&in, &c.message) || !GetVarint64(&in, &ts) ||
      !GetVarint64(&in, &c.generation) || !GetVarint64(&in, &c.memory_count) || !GetVarint64(&in, &c.added) ||
      !GetVarint64(&in, &c.modified) || !GetVarint64(&in, &c.removed) || !GetVarint64(&in, &nids) || nids > in.size())
    return bad("truncated body");
  c.timestamp_us = UnZigZag(ts);
  c.changed_ids.resize(nids);
  for (auto& id : c.changed_ids)
    if (!GetString(&in, &id)) return bad("truncated changed id");
  uint8_t trunc;
  if (!GetByte(&in, &trunc) || trunc > 1) return bad("bad summary flag");
  c.changed_ids_truncated = trunc == 1;
  if (!in.empty()) return bad("trailing bytes");
  return c;
}

}  // namespace gitmem
