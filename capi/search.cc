// C ABI: search (options, hit iterator), reindex, index statistics and waiting for the
// background indexer.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "capi_internal.h"

using namespace gitmem::capi;

namespace {

/// Strings of a (pointer, count) pair; EINVALID naming `field` for a NULL pointer.
int StringsIn(const char* const* items, size_t count, const char* field, std::vector<std::string>* out) {
  if (count == 0) return GITMEM_OK;
  if (items == nullptr) return Invalid(std::string(field) + ": must not be NULL when its count is > 0");
  for (size_t i = 0; i < count; ++i) {
    if (items[i] == nullptr) return Invalid(std::string(field) + "[" + std::to_string(i) + "]: must not be NULL");
    out->emplace_back(items[i]);
  }
  return GITMEM_OK;
}

/// C enum values of a (pointer, count) pair, each checked to lie in lo .. hi, as the C++
/// enum; EINVALID naming `field` (and `count_field`, `type_name`) otherwise.
template <typename CEnum, typename Enum>
int EnumsIn(const CEnum* items, size_t count, int lo, int hi, const char* field, const char* count_field,
            const char* type_name, std::vector<Enum>* out) {
  if (count == 0) return GITMEM_OK;
  if (items == nullptr) return Invalid(std::string(field) + ": must not be NULL when " + count_field + " > 0");
  for (size_t i = 0; i < count; ++i) {
    const int v = static_cast<int>(items[i]);
    if (v < lo || v > hi)
      return Invalid(std::string(field) + "[" + std::to_string(i) + "]: " + std::to_string(v) + " is not a " +
                     type_name);
    out->push_back(static_cast<Enum>(v));
  }
  return GITMEM_OK;
}

int ToSearchOptions(const gitmem_search_options* in, gitmem::SearchOptions* o) {
  if (in == nullptr) return Invalid("opts: must not be NULL (a search needs a query or a query vector)");
  GITMEM_RETURN_IF_NOT_OK(CheckVersion(in->version, GITMEM_SEARCH_OPTIONS_VERSION, "search_options"));
  o->query = Str(in->query);
  if (in->query_vector_len > 0) {
    if (in->query_vector == nullptr) return Invalid("query_vector: must not be NULL when query_vector_len > 0");
    o->query_vector.assign(in->query_vector, in->query_vector + in->query_vector_len);
  } else if (in->query_vector != nullptr) {
    return Invalid("query_vector_len: must be the repository's dimension when query_vector is set");
  }
  if (in->mode < GITMEM_SEARCH_VECTOR || in->mode > GITMEM_SEARCH_HYBRID)
    return Invalid("mode: " + std::to_string(in->mode) + " is not a gitmem_search_mode (0 to 2)");
  o->mode = static_cast<gitmem::SearchMode>(in->mode);
  if (in->k <= 0) return Invalid("k: " + std::to_string(in->k) + " must be positive");
  o->k = in->k;
  o->offset = in->offset;
  o->at.rev = Str(in->rev);
  if (in->as_of_us != GITMEM_AS_OF_NONE) o->at.as_of_us = in->as_of_us;
  auto& f = o->filter;
  GITMEM_RETURN_IF_NOT_OK(EnumsIn(in->types, in->type_count, GITMEM_MEMORY_EPISODIC, GITMEM_MEMORY_STATE, "types",
                                  "type_count", "gitmem_memory_type", &f.types));
  GITMEM_RETURN_IF_NOT_OK(StringsIn(in->tags_any, in->tags_any_count, "tags_any", &f.tags_any));
  GITMEM_RETURN_IF_NOT_OK(StringsIn(in->tags_all, in->tags_all_count, "tags_all", &f.tags_all));
  if (in->agent_id) f.agent_id = in->agent_id;
  if (in->session_id) f.session_id = in->session_id;
  GITMEM_RETURN_IF_NOT_OK(EnumsIn(in->scopes, in->scope_count, GITMEM_SCOPE_PRIVATE, GITMEM_SCOPE_GLOBAL, "scopes",
                                  "scope_count", "gitmem_scope", &f.scopes));
  if (in->from_us != GITMEM_TIME_NONE) f.from_us = in->from_us;
  if (in->until_us != GITMEM_TIME_NONE) f.until_us = in->until_us;
  if (std::isnan(in->min_importance)) return Invalid("min_importance: must not be NaN");
  if (in->min_importance >= 0) f.min_importance = in->min_importance;
  if (in->metadata_count > 0) {
    if (in->metadata_keys == nullptr || in->metadata_values == nullptr)
      return Invalid("metadata_keys: keys and values must not be NULL when metadata_count > 0");
    for (size_t i = 0; i < in->metadata_count; ++i) {
      if (in->metadata_keys[i] == nullptr || in->metadata_values[i] == nullptr)
        return Invalid("metadata_keys[" + std::to_string(i) + "]: key and value must not be NULL");
      f.metadata.emplace_back(in->metadata_keys[i], in->metadata_values[i]);
    }
  }
  if (!std::isfinite(in->rrf_k) || in->rrf_k < 0) return Invalid("rrf_k: must be a finite number >= 0");
  if (!std::isfinite(in->vector_weight) || in->vector_weight < 0)
    return Invalid("vector_weight: must be a finite number >= 0");
  if (!std::isfinite(in->keyword_weight) || in->keyword_weight < 0)
    return Invalid("keyword_weight: must be a finite number >= 0");
  o->rrf_k = in->rrf_k;
  o->vector_weight = in->vector_weight;
  o->keyword_weight = in->keyword_weight;
  o->include_memories = in->include_memories != 0;
  return GITMEM_OK;
}

}  // namespace

extern "C" {

GITMEM_DEFINE_OPTIONS_INIT(search_options, GITMEM_SEARCH_OPTIONS_VERSION, GITMEM_SEARCH_OPTIONS_INIT)

int gitmem_search(gitmem_search_iter** out, gitmem_repo* repo, const gitmem_search_options* opts) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE_OUT_REPO(out, repo);
  gitmem::SearchOptions o;
  GITMEM_RETURN_IF_NOT_OK(ToSearchOptions(opts, &o));
  return NewIter(out, repo, repo->repo->Search(o));
  GITMEM_CAPI_CATCH
}

GITMEM_DEFINE_ITER(search_iter, search_hit, iter)
GITMEM_DEFINE_GETTER(search_iter, size_t, remaining, 0, self->remaining())

GITMEM_DEFINE_GETTER(search_hit, const char*, id, nullptr, self->id.c_str())
GITMEM_DEFINE_GETTER(search_hit, double, score, 0.0, self->score)
GITMEM_DEFINE_GETTER(search_hit, const gitmem_memory*, memory, nullptr, ValueOrNull(self->memory))
GITMEM_DEFINE_FREE(search_hit)

int gitmem_repo_reindex(gitmem_repo* repo, const char* branch) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(repo, "repo");
  return FromStatus(repo->repo->Reindex(Str(branch)));
  GITMEM_CAPI_CATCH
}

int gitmem_index_info_get(gitmem_index_info* out, gitmem_repo* repo, const gitmem_read_options* at) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  GITMEM_RETURN_IF_NOT_OK(CheckVersion(out->version, GITMEM_INDEX_INFO_VERSION, "index_info"));
  GITMEM_REQUIRE(repo, "repo");
  gitmem::ReadOptions ro;
  GITMEM_RETURN_IF_NOT_OK(ToReadOptions(at, "read_options", &ro));
  return Store(repo->repo->IndexInfo(ro), [&](const gitmem::SearchIndexInfo& i) {
    if (i.commit.is_zero())
      out->commit[0] = '\0';
    else
      CopyHex(out->commit, i.commit);
    CopyHex(out->tree, i.tree);
    out->documents = i.documents;
    out->vector_segments = i.vector_segments;
    out->keyword_segments = i.keyword_segments;
    out->vector_delta = i.vector_delta;
    out->keyword_delta = i.keyword_delta;
    const size_t n = std::min(i.source.size(), sizeof(out->source) - 1);
    std::memcpy(out->source, i.source.data(), n);
    out->source[n] = '\0';
    out->changes_applied = i.changes_applied;
    out->vectors_awaiting_graph = i.vectors_awaiting_graph;
    out->indexing = i.indexing ? 1 : 0;
  });
  GITMEM_CAPI_CATCH
}

int gitmem_wait_for_index(gitmem_repo* repo, const char* branch, int64_t timeout_ms) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(repo, "repo");
  // A deadline the clock cannot represent (nanoseconds in int64: ~292 years) is no limit.
  constexpr int64_t kLongest = INT64_MAX / 1000000;
  return FromStatus(repo->repo->WaitForIndex(Str(branch), timeout_ms < 0 || timeout_ms > kLongest ? -1 : timeout_ms));
  GITMEM_CAPI_CATCH
}

}  // extern "C"
