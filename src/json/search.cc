// Search results and index descriptions as JSON.
#include "json/fields.h"

namespace gitmem::json {

const char* ModeName(SearchMode m) {
  switch (m) {
    case SearchMode::kVector: return "vector";
    case SearchMode::kKeyword: return "keyword";
    case SearchMode::kHybrid: return "hybrid";
  }
  return "?";
}

Json SearchJson(const SearchOptions& options, const std::vector<SearchHit>& hits) {
  Json list = Json::array();
  uint64_t rank = options.offset;
  for (const SearchHit& h : hits)
    list.push_back({{"rank", ++rank}, {"score", h.score}, {"id", h.id},
                    {"memory", h.memory ? ToJson(*h.memory) : Json(nullptr)}});
  return {{"query", options.query},
          {"mode", ModeName(options.mode)},
          {"k", options.k},
          {"offset", options.offset},
          {"count", hits.size()},
          {"hits", std::move(list)}};
}

Status Read(const Json& j, const std::string& path, SearchHit* h) {
  Fields<Json> f(j, path);
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.String("id", &h->id));
  GITMEM_RETURN_IF_ERROR(f.Number("score", &h->score));
  return f.Optional("memory", &h->memory);
}

Status FromJson(const Json& j, std::vector<SearchHit>* hits) {
  Fields<Json> f(j, "");
  GITMEM_RETURN_IF_ERROR(f.Object());
  return f.List("hits", hits);
}

Json ToJson(const SearchIndexInfo& i) {
  return {{"commit", IdOrNull(i.commit)},
          {"tree", i.tree.hex()},
          {"documents", i.documents},
          {"vector_segments", i.vector_segments},
          {"keyword_segments", i.keyword_segments},
          {"vector_delta", i.vector_delta},
          {"keyword_delta", i.keyword_delta},
          {"source", i.source},
          {"changes_applied", i.changes_applied}};
}

Status FromJson(const Json& j, SearchIndexInfo* i) {
  Fields<Json> f(j, "");
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.Id("commit", &i->commit));
  GITMEM_RETURN_IF_ERROR(f.Id("tree", &i->tree));
  GITMEM_RETURN_IF_ERROR(f.Count("documents", &i->documents));
  GITMEM_RETURN_IF_ERROR(f.Count("vector_segments", &i->vector_segments));
  GITMEM_RETURN_IF_ERROR(f.Count("keyword_segments", &i->keyword_segments));
  GITMEM_RETURN_IF_ERROR(f.Count("vector_delta", &i->vector_delta));
  GITMEM_RETURN_IF_ERROR(f.Count("keyword_delta", &i->keyword_delta));
  GITMEM_RETURN_IF_ERROR(f.String("source", &i->source));
  return f.Count("changes_applied", &i->changes_applied);
}

}  // namespace gitmem::json
