// C ABI: memory records (builder and getters), patches, put / update / delete / get /
// count, listing and sessions.
#include <fmt/format.h>

#include "capi_internal.h"

using namespace gitmem::capi;
using gitmem::Memory;
using gitmem::MemoryType;
using gitmem::RelationType;
using gitmem::Scope;

namespace {

int CheckType(int type, const char* field) {
  if (type < 0 || type > 3)
    return Invalid(fmt::format("{}: {} is not a memory type (expected 0-3, GITMEM_MEMORY_*)", field, type));
  return GITMEM_OK;
}

int CheckScope(int scope, const char* field) {
  if (scope < 0 || scope > 2)
    return Invalid(fmt::format("{}: {} is not a scope (expected 0-2, GITMEM_SCOPE_*)", field, scope));
  return GITMEM_OK;
}

int MakeRelation(gitmem::Relation* out, int type, const char* target_id, float strength) {
  if (type < 0 || type > 3)
    return Invalid(fmt::format("relations.type: {} is not a relation type (expected 0-3, GITMEM_RELATION_*)", type));
  GITMEM_REQUIRE(target_id, "relations.target_id");
  out->type = static_cast<RelationType>(type);
  out->target_id = target_id;
  out->strength = strength;
  return GITMEM_OK;
}

/// Stores checked tags in `*out` (a record's list, or a patch's optional one); `*out` is
/// untouched on an error.
template <typename Out>
int MakeTags(Out* out, const char* const* tags, size_t count) {
  if (count > 0 && tags == nullptr) return Invalid("tags: must not be NULL when count > 0");
  std::vector<std::string> v;
  v.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    if (tags[i] == nullptr) return Invalid(fmt::format("tags[{}]: must not be NULL", i));
    v.emplace_back(tags[i]);
  }
  *out = std::move(v);
  return GITMEM_OK;
}

int ToWriteOptions(const gitmem_write_options* in, gitmem::WriteOptions* out) {
  GITMEM_OPTIONS_IN(in, GITMEM_WRITE_OPTIONS_VERSION, "write_options");
  out->branch = Str(in->branch);
  out->author = Str(in->author);
  return GITMEM_OK;
}

}  // namespace

/// `int gitmem_<type>_set_tags(gitmem_<type>*, const char* const*, size_t)`.
#define GITMEM_TAGS_SETTER(type, field)                                                      \
  int gitmem_##type##_set_tags(gitmem_##type* self, const char* const* tags, size_t count) { \
    GITMEM_CAPI_TRY                                                                          \
    GITMEM_REQUIRE(self, #type);                                                             \
    return MakeTags(&self->field, tags, count);                                              \
    GITMEM_CAPI_CATCH                                                                        \
  }

/// `int gitmem_<type>_add_relation(gitmem_<type>*, type, target_id, strength)`: appends a
/// checked relation to the list `list` (an expression on `self`).
#define GITMEM_RELATION_ADDER(type, list)                                                                 \
  int gitmem_##type##_add_relation(gitmem_##type* self, gitmem_relation_type kind, const char* target_id, \
                                   float strength) {                                                      \
    GITMEM_CAPI_TRY                                                                                       \
    GITMEM_REQUIRE(self, #type);                                                                          \
    gitmem::Relation r;                                                                                   \
    GITMEM_RETURN_IF_NOT_OK(MakeRelation(&r, static_cast<int>(kind), target_id, strength));               \
    (list).push_back(std::move(r));                                                                       \
    return GITMEM_OK;                                                                                     \
    GITMEM_CAPI_CATCH                                                                                     \
  }

/// `int gitmem_<type>_<name>(gitmem_<type>*, ctype)`: an enum value checked by `check`
/// (which names `what` in its error) before it is stored.
#define GITMEM_ENUM_SETTER(type, name, ctype, field, check, Enum, what) \
  int gitmem_##type##_##name(gitmem_##type* self, ctype value) {        \
    GITMEM_CAPI_TRY                                                     \
    GITMEM_REQUIRE(self, #type);                                        \
    GITMEM_RETURN_IF_NOT_OK(check(static_cast<int>(value), what));      \
    self->field = static_cast<Enum>(value);                             \
    return GITMEM_OK;                                                   \
    GITMEM_CAPI_CATCH                                                   \
  }

extern "C" {

// ---- records --------------------------------------------------------------------------------

GITMEM_DEFINE_NEW(memory)
GITMEM_DEFINE_DUP(memory)
GITMEM_DEFINE_FREE(memory)

GITMEM_DEFINE_STRING_SETTER(memory, set_id, m.id, "id")
GITMEM_DEFINE_STRING_SETTER(memory, set_content, m.content, "content")
GITMEM_DEFINE_STRING_SETTER(memory, set_agent_id, m.agent_id, "agent_id")
GITMEM_DEFINE_STRING_SETTER(memory, set_session_id, m.session_id, "session_id")
GITMEM_DEFINE_STRING_SETTER(memory, set_metadata, m.metadata, "metadata")
GITMEM_DEFINE_STRING_SETTER(memory, set_author, m.provenance.author, "author")
GITMEM_DEFINE_SETTER(memory, set_timestamp_us, int64_t, m.timestamp_us)
GITMEM_DEFINE_SETTER(memory, set_importance, float, m.importance)
GITMEM_DEFINE_SETTER(memory, set_confidence, float, m.confidence)
GITMEM_ENUM_SETTER(memory, set_type, gitmem_memory_type, m.type, CheckType, MemoryType, "type")
GITMEM_ENUM_SETTER(memory, set_scope, gitmem_scope, m.scope, CheckScope, Scope, "scope")

int gitmem_memory_set_embedding(gitmem_memory* memory, const float* vector, size_t count) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(memory, "memory");
  if (count > 0 && vector == nullptr) return Invalid("embedding: vector must not be NULL when count > 0");
  memory->m.embedding.assign(vector, vector + count);
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

const float* gitmem_memory_embedding(const gitmem_memory* memory, size_t* count) {
  if (count) *count = memory ? memory->m.embedding.size() : 0;
  if (memory == nullptr || memory->m.embedding.empty()) return nullptr;
  return memory->m.embedding.data();
}

GITMEM_TAGS_SETTER(memory, m.tags)

int gitmem_memory_add_tag(gitmem_memory* memory, const char* tag) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(memory, "memory");
  GITMEM_REQUIRE(tag, "tag");
  memory->m.tags.emplace_back(tag);
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

GITMEM_RELATION_ADDER(memory, self->m.relations)

int gitmem_memory_clear_relations(gitmem_memory* memory) {
  GITMEM_REQUIRE(memory, "memory");
  memory->m.relations.clear();
  return GITMEM_OK;
}

GITMEM_DEFINE_GETTER(memory, const char*, id, nullptr, self->m.id.c_str())
GITMEM_DEFINE_GETTER(memory, const char*, content, nullptr, self->m.content.c_str())
GITMEM_DEFINE_GETTER(memory, gitmem_memory_type, get_type, GITMEM_MEMORY_SEMANTIC,
                     static_cast<gitmem_memory_type>(self->m.type))
GITMEM_DEFINE_GETTER(memory, const char*, agent_id, nullptr, self->m.agent_id.c_str())
GITMEM_DEFINE_GETTER(memory, const char*, session_id, nullptr, self->m.session_id.c_str())
GITMEM_DEFINE_GETTER(memory, int64_t, timestamp_us, 0, self->m.timestamp_us)
GITMEM_DEFINE_GETTER(memory, float, importance, 0.0f, self->m.importance)
GITMEM_DEFINE_GETTER(memory, float, confidence, 0.0f, self->m.confidence)
GITMEM_DEFINE_GETTER(memory, size_t, tag_count, 0, self->m.tags.size())
GITMEM_DEFINE_STRING_AT(memory, tag, self->m.tags)
GITMEM_DEFINE_GETTER(memory, gitmem_scope, get_scope, GITMEM_SCOPE_SHARED, static_cast<gitmem_scope>(self->m.scope))
GITMEM_DEFINE_GETTER(memory, const char*, metadata, nullptr, self->m.metadata.c_str())
GITMEM_DEFINE_GETTER(memory, size_t, relation_count, 0, self->m.relations.size())
GITMEM_DEFINE_GETTER(memory, const char*, author, nullptr, self->m.provenance.author.c_str())
GITMEM_DEFINE_GETTER(memory, const char*, content_hash, nullptr, self->content_hash_hex.c_str())

int gitmem_memory_relation(gitmem_relation_type* type, const char** target_id, float* strength,
                           const gitmem_memory* memory, size_t i) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(memory, "memory");
  if (i >= memory->m.relations.size())
    return SetError(GITMEM_ENOTFOUND,
                    fmt::format("i: relation {} does not exist (the memory has {})", i, memory->m.relations.size()));
  const gitmem::Relation& r = memory->m.relations[i];
  if (type) *type = static_cast<gitmem_relation_type>(r.type);
  if (target_id) *target_id = r.target_id.c_str();
  if (strength) *strength = r.strength;
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

// ---- patches --------------------------------------------------------------------------------

GITMEM_DEFINE_NEW(patch)
GITMEM_DEFINE_FREE(patch)

GITMEM_DEFINE_STRING_SETTER(patch, set_content, p.content, "content")
GITMEM_DEFINE_STRING_SETTER(patch, set_agent_id, p.agent_id, "agent_id")
GITMEM_DEFINE_STRING_SETTER(patch, set_session_id, p.session_id, "session_id")
GITMEM_DEFINE_STRING_SETTER(patch, set_metadata, p.metadata, "metadata")
GITMEM_DEFINE_SETTER(patch, set_importance, float, p.importance)
GITMEM_DEFINE_SETTER(patch, set_confidence, float, p.confidence)
GITMEM_ENUM_SETTER(patch, set_type, gitmem_memory_type, p.type, CheckType, MemoryType, "type")
GITMEM_ENUM_SETTER(patch, set_scope, gitmem_scope, p.scope, CheckScope, Scope, "scope")

GITMEM_TAGS_SETTER(patch, p.tags)

// A patch's relation list starts unset ("keep"); the first added relation makes it a list.
GITMEM_RELATION_ADDER(patch, self->p.relations ? *self->p.relations : self->p.relations.emplace())

int gitmem_patch_clear_relations(gitmem_patch* patch) {
  GITMEM_REQUIRE(patch, "patch");
  patch->p.relations.emplace();  // an empty list (not "keep"): the update clears them
  return GITMEM_OK;
}

// ---- options --------------------------------------------------------------------------------

GITMEM_DEFINE_OPTIONS_INIT(write_options, GITMEM_WRITE_OPTIONS_VERSION, GITMEM_WRITE_OPTIONS_INIT)
GITMEM_DEFINE_OPTIONS_INIT(read_options, GITMEM_READ_OPTIONS_VERSION, GITMEM_READ_OPTIONS_INIT)
GITMEM_DEFINE_OPTIONS_INIT(list_options, GITMEM_LIST_OPTIONS_VERSION, GITMEM_LIST_OPTIONS_INIT)

// ---- writes ---------------------------------------------------------------------------------

int gitmem_memory_put(char** out_id, gitmem_repo* repo, const gitmem_memory* memory, const gitmem_write_options* opts) {
  GITMEM_CAPI_TRY
  if (out_id) *out_id = nullptr;
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_REQUIRE(memory, "memory");
  gitmem::WriteOptions wo;
  GITMEM_RETURN_IF_NOT_OK(ToWriteOptions(opts, &wo));
  return Store(repo->repo->Put(memory->m, wo), [&](const std::string& id) {
    if (out_id) *out_id = DupString(id);
  });
  GITMEM_CAPI_CATCH
}

int gitmem_memory_put_many(gitmem_strlist** out_ids, gitmem_repo* repo, const gitmem_memory* const* memories,
                           size_t count, const gitmem_write_options* opts) {
  GITMEM_CAPI_TRY
  if (out_ids) *out_ids = nullptr;
  GITMEM_REQUIRE(repo, "repo");
  if (count > 0 && memories == nullptr) return Invalid("memories: must not be NULL when count > 0");
  gitmem::WriteOptions wo;
  GITMEM_RETURN_IF_NOT_OK(ToWriteOptions(opts, &wo));
  std::vector<Memory> batch;
  batch.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    if (memories[i] == nullptr) return Invalid(fmt::format("memories[{}]: must not be NULL", i));
    batch.push_back(memories[i]->m);
  }
  return Store(repo->repo->PutMany(batch, wo), [&](std::vector<std::string>& ids) {
    if (out_ids) *out_ids = new gitmem_strlist(std::move(ids));
  });
  GITMEM_CAPI_CATCH
}

int gitmem_memory_update(gitmem_repo* repo, const char* id, const gitmem_patch* patch,
                         const gitmem_write_options* opts) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_REQUIRE(id, "id");
  GITMEM_REQUIRE(patch, "patch");
  gitmem::WriteOptions wo;
  GITMEM_RETURN_IF_NOT_OK(ToWriteOptions(opts, &wo));
  return FromStatus(repo->repo->Update(id, patch->p, wo));
  GITMEM_CAPI_CATCH
}

int gitmem_memory_delete(gitmem_repo* repo, const char* id, const gitmem_write_options* opts) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_REQUIRE(id, "id");
  gitmem::WriteOptions wo;
  GITMEM_RETURN_IF_NOT_OK(ToWriteOptions(opts, &wo));
  return FromStatus(repo->repo->Delete(id, wo));
  GITMEM_CAPI_CATCH
}

// ---- reads ----------------------------------------------------------------------------------

int gitmem_memory_get(gitmem_memory** out, gitmem_repo* repo, const char* id, const gitmem_read_options* at) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE_OUT_REPO(out, repo);
  GITMEM_REQUIRE(id, "id");
  gitmem::ReadOptions ro;
  GITMEM_RETURN_IF_NOT_OK(ToReadOptions(at, "read_options", &ro));
  return Deliver(out, repo->repo->Get(id, ro));
  GITMEM_CAPI_CATCH
}

int gitmem_memory_count(uint64_t* out, gitmem_repo* repo, const gitmem_read_options* at) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = 0;
  GITMEM_REQUIRE(repo, "repo");
  gitmem::ReadOptions ro;
  GITMEM_RETURN_IF_NOT_OK(ToReadOptions(at, "read_options", &ro));
  return Store(repo->repo->Count(ro), [&](uint64_t n) { *out = n; });
  GITMEM_CAPI_CATCH
}

int gitmem_list_new(gitmem_list** out, gitmem_repo* repo, const gitmem_list_options* opts) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE_OUT_REPO(out, repo);
  gitmem::ListOptions lo;
  if (opts) {
    GITMEM_RETURN_IF_NOT_OK(CheckVersion(opts->version, GITMEM_LIST_OPTIONS_VERSION, "list_options"));
    lo.at.rev = Str(opts->rev);
    if (opts->as_of_us != GITMEM_AS_OF_NONE) lo.at.as_of_us = opts->as_of_us;
    lo.offset = opts->offset;
    lo.limit = opts->limit;
  }
  return NewIter(out, repo, repo->repo->List(lo));
  GITMEM_CAPI_CATCH
}

int gitmem_session_list(gitmem_list** out, gitmem_repo* repo, const char* session_id, const gitmem_read_options* at) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE_OUT_REPO(out, repo);
  GITMEM_REQUIRE(session_id, "session_id");
  gitmem::ReadOptions ro;
  GITMEM_RETURN_IF_NOT_OK(ToReadOptions(at, "read_options", &ro));
  return NewIter(out, repo, repo->repo->Session(session_id, ro));
  GITMEM_CAPI_CATCH
}

GITMEM_DEFINE_ITER(list, memory, list)
GITMEM_DEFINE_GETTER(list, size_t, remaining, 0, self->remaining())

}  // extern "C"
