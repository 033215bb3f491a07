// Memories and statuses as JSON, in the display form and as JSON Lines records.
#include <charconv>
#include <cstdlib>

#include "json/fields.h"
#include "util/text.h"

namespace gitmem::json {

namespace {

double ShortestDouble(float v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return static_cast<double>(v);
  return std::strtod(std::string(buf, end).c_str(), nullptr);
}

// Both forms from one list of fields. `J` decides the key order: nlohmann::json sorts
// them (the JSON Lines record), Json keeps this order (the display form, which also
// spells the time out).
template <class J>
J MemoryFields(const Memory& m, bool with_utc) {
  J relations = J::array();
  for (const Relation& r : m.relations)
    relations.push_back({{"type", std::string(ToString(r.type))},
                         {"target_id", r.target_id},
                         {"strength", ShortestDouble(r.strength)}});
  J metadata = J::parse(m.metadata, nullptr, /*allow_exceptions=*/false);
  if (metadata.is_discarded()) metadata = m.metadata;
  J j = {{"id", m.id},
         {"content", m.content},
         {"type", std::string(ToString(m.type))},
         {"agent_id", m.agent_id},
         {"session_id", m.session_id}};
  if (with_utc) j["timestamp"] = FormatTimestamp(m.timestamp_us);
  j["timestamp_us"] = m.timestamp_us;
  j["importance"] = ShortestDouble(m.importance);
  j["confidence"] = ShortestDouble(m.confidence);
  j["tags"] = m.tags;
  j["scope"] = std::string(ToString(m.scope));
  j["metadata"] = std::move(metadata);
  j["relations"] = std::move(relations);
  j["provenance"] = {{"author", m.provenance.author}, {"content_hash", m.provenance.content_hash.hex()}};
  return j;
}

// provenance.content_hash is not read: the repository recomputes it from the content.
template <class J>
Status ReadMemory(const J& j, const std::string& path, Memory* m) {
  Fields<J> f(j, path);
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.String("id", &m->id));
  GITMEM_RETURN_IF_ERROR(f.String("content", &m->content));
  GITMEM_RETURN_IF_ERROR(f.String("agent_id", &m->agent_id));
  GITMEM_RETURN_IF_ERROR(f.String("session_id", &m->session_id));
  GITMEM_RETURN_IF_ERROR(f.Name("type", &m->type, ParseMemoryType));
  GITMEM_RETURN_IF_ERROR(f.Name("scope", &m->scope, ParseScope));
  GITMEM_RETURN_IF_ERROR(f.Int("timestamp_us", &m->timestamp_us));
  GITMEM_RETURN_IF_ERROR(f.Number("importance", &m->importance));
  GITMEM_RETURN_IF_ERROR(f.Number("confidence", &m->confidence));
  GITMEM_RETURN_IF_ERROR(f.Strings("tags", &m->tags));
  if (const J* v = f.Find("metadata")) {
    if (v->is_string()) m->metadata = v->template get<std::string>();
    else if (v->is_object()) m->metadata = v->dump();
    else return f.Error("metadata", "expected a JSON object");
  }
  if (const J* v = f.Find("relations")) {
    if (!v->is_array()) return f.Error("relations", "expected an array");
    for (size_t i = 0; i < v->size(); ++i) {
      Relation r;
      GITMEM_RETURN_IF_ERROR(Read((*v)[i], f.Below("relations", i), &r));
      m->relations.push_back(std::move(r));
    }
  }
  if (const J* v = f.Find("provenance")) {
    Fields<J> p(*v, f.Below("provenance"));
    GITMEM_RETURN_IF_ERROR(p.Object());
    GITMEM_RETURN_IF_ERROR(p.String("author", &m->provenance.author));
  }
  return Status::Ok();
}

}  // namespace

Json FloatJson(float v) { return ShortestDouble(v); }

Json MetadataJson(const std::string& text) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return text;
  return j;
}

Json IdOrNull(const ObjectId& id) { return id.is_zero() ? Json(nullptr) : Json(id.hex()); }

template <class J>
Status Read(const J& j, const std::string& path, Relation* r) {
  Fields<J> f(j, path);
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.Required("type"));
  GITMEM_RETURN_IF_ERROR(f.Name("type", &r->type, ParseRelationType));
  GITMEM_RETURN_IF_ERROR(f.Required("target_id"));
  GITMEM_RETURN_IF_ERROR(f.String("target_id", &r->target_id));
  return f.Number("strength", &r->strength);
}
template Status Read(const Json&, const std::string&, Relation*);
template Status Read(const nlohmann::json&, const std::string&, Relation*);

Json ToJson(const Memory& m) { return MemoryFields<Json>(m, /*with_utc=*/true); }

std::string MemoryLine(const Memory& m) {
  return MemoryFields<nlohmann::json>(m, /*with_utc=*/false).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Status Read(const Json& j, const std::string& path, Memory* m) { return ReadMemory(j, path, m); }
Status FromJson(const Json& j, Memory* m) { return ReadMemory(j, "", m); }
Status FromJson(const nlohmann::json& j, Memory* m) { return ReadMemory(j, "", m); }

Json ToJson(const Status& s) {
  std::string code = StatusCodeName(s.code());
  for (char& c : code)
    if (c == ' ') c = '_';
  return {{"code", code}, {"message", s.message()}};
}

}  // namespace gitmem::json
