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

int MakeTags(std::vector<std::string>* out, const char* const* tags, size_t count) {
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
  if (in == nullptr) return GITMEM_OK;
  if (int rc = CheckVersion(in->version, GITMEM_WRITE_OPTIONS_VERSION, "write_options"); rc != GITMEM_OK) return rc;
  out->branch = Str(in->branch);
  out->author = Str(in->author);
  return GITMEM_OK;
}

template <typename Iter>
Iter* NewIter(const gitmem_repo* repo) {
  auto* it = new Iter();
  it->repo = repo->repo;
  return it;
}

}  // namespace

// Setter bodies: a string field, checked for NULL.
#define GITMEM_STRING_SETTER(fn, Handle, hname, field_expr, name)  \
  int fn(Handle* h, const char* value) {                    \
    GITMEM_CAPI_TRY                                         \
    GITMEM_REQUIRE(h, hname);                               \
    GITMEM_REQUIRE(value, name);                            \
    h->field_expr = value;                                  \
    return GITMEM_OK;                                       \
    GITMEM_CAPI_CATCH                                       \
  }

extern "C" {

// ---- records --------------------------------------------------------------------------------

int gitmem_memory_new(gitmem_memory** out) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = new gitmem_memory();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_memory_dup(gitmem_memory** out, const gitmem_memory* memory) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(memory, "memory");
  *out = new gitmem_memory(*memory);
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

void gitmem_memory_free(gitmem_memory* memory) {
  GITMEM_CAPI_TRY
  delete memory;
  GITMEM_CAPI_CATCH_VOID
}

GITMEM_STRING_SETTER(gitmem_memory_set_id, gitmem_memory, "memory", m.id, "id")
GITMEM_STRING_SETTER(gitmem_memory_set_content, gitmem_memory, "memory", m.content, "content")
GITMEM_STRING_SETTER(gitmem_memory_set_agent_id, gitmem_memory, "memory", m.agent_id, "agent_id")
GITMEM_STRING_SETTER(gitmem_memory_set_session_id, gitmem_memory, "memory", m.session_id, "session_id")
GITMEM_STRING_SETTER(gitmem_memory_set_metadata, gitmem_memory, "memory", m.metadata, "metadata")
GITMEM_STRING_SETTER(gitmem_memory_set_author, gitmem_memory, "memory", m.provenance.author, "author")

int gitmem_memory_set_embedding(gitmem_memory* memory, const float* vector, size_t count) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(memory, "memory");
  if (count > 0 && vector == nullptr) return Invalid("embedding: vector must not be NULL when count > 0");
  memory->m.embedding.assign(vector, vector + count);
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

const float* gitmem_memory_embedding(const gitmem_memory* memory, size_t* count) {
  GITMEM_CAPI_TRY
  if (count) *count = memory ? memory->m.embedding.size() : 0;
  if (memory == nullptr || memory->m.embedding.empty()) return nullptr;
  return memory->m.embedding.data();
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

int gitmem_memory_set_type(gitmem_memory* memory, gitmem_memory_type type) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(memory, "memory");
  if (int rc = CheckType(static_cast<int>(type), "type"); rc != GITMEM_OK) return rc;
  memory->m.type = static_cast<MemoryType>(type);
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_memory_set_timestamp_us(gitmem_memory* memory, int64_t timestamp_us) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(memory, "memory");
  memory->m.timestamp_us = timestamp_us;
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_memory_set_importance(gitmem_memory* memory, float importance) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(memory, "memory");
  memory->m.importance = importance;
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_memory_set_confidence(gitmem_memory* memory, float confidence) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(memory, "memory");
  memory->m.confidence = confidence;
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_memory_set_tags(gitmem_memory* memory, const char* const* tags, size_t count) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(memory, "memory");
  return MakeTags(&memory->m.tags, tags, count);
  GITMEM_CAPI_CATCH
}

int gitmem_memory_add_tag(gitmem_memory* memory, const char* tag) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(memory, "memory");
  GITMEM_REQUIRE(tag, "tag");
  memory->m.tags.emplace_back(tag);
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_memory_set_scope(gitmem_memory* memory, gitmem_scope scope) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(memory, "memory");
  if (int rc = CheckScope(static_cast<int>(scope), "scope"); rc != GITMEM_OK) return rc;
  memory->m.scope = static_cast<Scope>(scope);
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_memory_add_relation(gitmem_memory* memory, gitmem_relation_type type, const char* target_id,
                               float strength) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(memory, "memory");
  gitmem::Relation r;
  if (int rc = MakeRelation(&r, static_cast<int>(type), target_id, strength); rc != GITMEM_OK) return rc;
  memory->m.relations.push_back(std::move(r));
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_memory_clear_relations(gitmem_memory* memory) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(memory, "memory");
  memory->m.relations.clear();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

const char* gitmem_memory_id(const gitmem_memory* memory) {
  GITMEM_CAPI_TRY
  return memory ? memory->m.id.c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

const char* gitmem_memory_content(const gitmem_memory* memory) {
  GITMEM_CAPI_TRY
  return memory ? memory->m.content.c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

gitmem_memory_type gitmem_memory_get_type(const gitmem_memory* memory) {
  GITMEM_CAPI_TRY
  return memory ? static_cast<gitmem_memory_type>(memory->m.type) : GITMEM_MEMORY_SEMANTIC;
  GITMEM_CAPI_CATCH_RETURN(GITMEM_MEMORY_SEMANTIC)
}

const char* gitmem_memory_agent_id(const gitmem_memory* memory) {
  GITMEM_CAPI_TRY
  return memory ? memory->m.agent_id.c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

const char* gitmem_memory_session_id(const gitmem_memory* memory) {
  GITMEM_CAPI_TRY
  return memory ? memory->m.session_id.c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

int64_t gitmem_memory_timestamp_us(const gitmem_memory* memory) {
  GITMEM_CAPI_TRY
  return memory ? memory->m.timestamp_us : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

float gitmem_memory_importance(const gitmem_memory* memory) {
  GITMEM_CAPI_TRY
  return memory ? memory->m.importance : 0.0f;
  GITMEM_CAPI_CATCH_RETURN(0.0f)
}

float gitmem_memory_confidence(const gitmem_memory* memory) {
  GITMEM_CAPI_TRY
  return memory ? memory->m.confidence : 0.0f;
  GITMEM_CAPI_CATCH_RETURN(0.0f)
}

size_t gitmem_memory_tag_count(const gitmem_memory* memory) {
  GITMEM_CAPI_TRY
  return memory ? memory->m.tags.size() : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

const char* gitmem_memory_tag(const gitmem_memory* memory, size_t i) {
  GITMEM_CAPI_TRY
  if (memory == nullptr || i >= memory->m.tags.size()) return nullptr;
  return memory->m.tags[i].c_str();
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

gitmem_scope gitmem_memory_get_scope(const gitmem_memory* memory) {
  GITMEM_CAPI_TRY
  return memory ? static_cast<gitmem_scope>(memory->m.scope) : GITMEM_SCOPE_SHARED;
  GITMEM_CAPI_CATCH_RETURN(GITMEM_SCOPE_SHARED)
}

const char* gitmem_memory_metadata(const gitmem_memory* memory) {
  GITMEM_CAPI_TRY
  return memory ? memory->m.metadata.c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

size_t gitmem_memory_relation_count(const gitmem_memory* memory) {
  GITMEM_CAPI_TRY
  return memory ? memory->m.relations.size() : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

int gitmem_memory_relation(gitmem_relation_type* type, const char** target_id, float* strength,
                           const gitmem_memory* memory, size_t i) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(memory, "memory");
  if (i >= memory->m.relations.size())
    return SetError(GITMEM_ENOTFOUND, fmt::format("i: relation {} does not exist (the memory has {})", i,
                                                  memory->m.relations.size()));
  const gitmem::Relation& r = memory->m.relations[i];
  if (type) *type = static_cast<gitmem_relation_type>(r.type);
  if (target_id) *target_id = r.target_id.c_str();
  if (strength) *strength = r.strength;
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

const char* gitmem_memory_author(const gitmem_memory* memory) {
  GITMEM_CAPI_TRY
  return memory ? memory->m.provenance.author.c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

const char* gitmem_memory_content_hash(const gitmem_memory* memory) {
  GITMEM_CAPI_TRY
  return memory ? memory->content_hash_hex.c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

// ---- patches --------------------------------------------------------------------------------

int gitmem_patch_new(gitmem_patch** out) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = new gitmem_patch();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

void gitmem_patch_free(gitmem_patch* patch) {
  GITMEM_CAPI_TRY
  delete patch;
  GITMEM_CAPI_CATCH_VOID
}

GITMEM_STRING_SETTER(gitmem_patch_set_content, gitmem_patch, "patch", p.content, "content")
GITMEM_STRING_SETTER(gitmem_patch_set_agent_id, gitmem_patch, "patch", p.agent_id, "agent_id")
GITMEM_STRING_SETTER(gitmem_patch_set_session_id, gitmem_patch, "patch", p.session_id, "session_id")
GITMEM_STRING_SETTER(gitmem_patch_set_metadata, gitmem_patch, "patch", p.metadata, "metadata")

int gitmem_patch_set_type(gitmem_patch* patch, gitmem_memory_type type) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(patch, "patch");
  if (int rc = CheckType(static_cast<int>(type), "type"); rc != GITMEM_OK) return rc;
  patch->p.type = static_cast<MemoryType>(type);
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_patch_set_importance(gitmem_patch* patch, float importance) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(patch, "patch");
  patch->p.importance = importance;
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_patch_set_confidence(gitmem_patch* patch, float confidence) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(patch, "patch");
  patch->p.confidence = confidence;
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_patch_set_tags(gitmem_patch* patch, const char* const* tags, size_t count) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(patch, "patch");
  std::vector<std::string> v;
  if (int rc = MakeTags(&v, tags, count); rc != GITMEM_OK) return rc;
  patch->p.tags = std::move(v);
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_patch_set_scope(gitmem_patch* patch, gitmem_scope scope) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(patch, "patch");
  if (int rc = CheckScope(static_cast<int>(scope), "scope"); rc != GITMEM_OK) return rc;
  patch->p.scope = static_cast<Scope>(scope);
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_patch_add_relation(gitmem_patch* patch, gitmem_relation_type type, const char* target_id,
                              float strength) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(patch, "patch");
  gitmem::Relation r;
  if (int rc = MakeRelation(&r, static_cast<int>(type), target_id, strength); rc != GITMEM_OK) return rc;
  if (!patch->p.relations) patch->p.relations.emplace();
  patch->p.relations->push_back(std::move(r));
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_patch_clear_relations(gitmem_patch* patch) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(patch, "patch");
  patch->p.relations.emplace();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

// ---- options --------------------------------------------------------------------------------

int gitmem_write_options_init(gitmem_write_options* opts, unsigned int version) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(opts, "opts");
  if (int rc = CheckVersion(version, GITMEM_WRITE_OPTIONS_VERSION, "write_options"); rc != GITMEM_OK) return rc;
  const gitmem_write_options init = GITMEM_WRITE_OPTIONS_INIT;
  *opts = init;
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_read_options_init(gitmem_read_options* opts, unsigned int version) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(opts, "opts");
  if (int rc = CheckVersion(version, GITMEM_READ_OPTIONS_VERSION, "read_options"); rc != GITMEM_OK) return rc;
  const gitmem_read_options init = GITMEM_READ_OPTIONS_INIT;
  *opts = init;
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_list_options_init(gitmem_list_options* opts, unsigned int version) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(opts, "opts");
  if (int rc = CheckVersion(version, GITMEM_LIST_OPTIONS_VERSION, "list_options"); rc != GITMEM_OK) return rc;
  const gitmem_list_options init = GITMEM_LIST_OPTIONS_INIT;
  *opts = init;
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

// ---- writes ---------------------------------------------------------------------------------

int gitmem_memory_put(char** out_id, gitmem_repo* repo, const gitmem_memory* memory,
                      const gitmem_write_options* opts) {
  GITMEM_CAPI_TRY
  if (out_id) *out_id = nullptr;
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_REQUIRE(memory, "memory");
  gitmem::WriteOptions wo;
  if (int rc = ToWriteOptions(opts, &wo); rc != GITMEM_OK) return rc;
  auto id = repo->repo->Put(memory->m, wo);
  if (!id.ok()) return FromStatus(id.status());
  if (out_id) *out_id = DupString(*id);
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_memory_put_many(gitmem_strlist** out_ids, gitmem_repo* repo, const gitmem_memory* const* memories,
                           size_t count, const gitmem_write_options* opts) {
  GITMEM_CAPI_TRY
  if (out_ids) *out_ids = nullptr;
  GITMEM_REQUIRE(repo, "repo");
  if (count > 0 && memories == nullptr) return Invalid("memories: must not be NULL when count > 0");
  gitmem::WriteOptions wo;
  if (int rc = ToWriteOptions(opts, &wo); rc != GITMEM_OK) return rc;
  std::vector<Memory> batch;
  batch.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    if (memories[i] == nullptr) return Invalid(fmt::format("memories[{}]: must not be NULL", i));
    batch.push_back(memories[i]->m);
  }
  auto ids = repo->repo->PutMany(batch, wo);
  if (!ids.ok()) return FromStatus(ids.status());
  if (out_ids) {
    auto list = std::make_unique<gitmem_strlist>();
    list->items = std::move(*ids);
    *out_ids = list.release();
  }
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_memory_update(gitmem_repo* repo, const char* id, const gitmem_patch* patch,
                         const gitmem_write_options* opts) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_REQUIRE(id, "id");
  GITMEM_REQUIRE(patch, "patch");
  gitmem::WriteOptions wo;
  if (int rc = ToWriteOptions(opts, &wo); rc != GITMEM_OK) return rc;
  return FromStatus(repo->repo->Update(id, patch->p, wo));
  GITMEM_CAPI_CATCH
}

int gitmem_memory_delete(gitmem_repo* repo, const char* id, const gitmem_write_options* opts) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_REQUIRE(id, "id");
  gitmem::WriteOptions wo;
  if (int rc = ToWriteOptions(opts, &wo); rc != GITMEM_OK) return rc;
  return FromStatus(repo->repo->Delete(id, wo));
  GITMEM_CAPI_CATCH
}

// ---- reads ----------------------------------------------------------------------------------

int gitmem_memory_get(gitmem_memory** out, gitmem_repo* repo, const char* id, const gitmem_read_options* at) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_REQUIRE(id, "id");
  gitmem::ReadOptions ro;
  if (int rc = ToReadOptions(at, "read_options", &ro); rc != GITMEM_OK) return rc;
  auto m = repo->repo->Get(id, ro);
  if (!m.ok()) return FromStatus(m.status());
  *out = new gitmem_memory(std::move(*m));
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_memory_count(uint64_t* out, gitmem_repo* repo, const gitmem_read_options* at) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = 0;
  GITMEM_REQUIRE(repo, "repo");
  gitmem::ReadOptions ro;
  if (int rc = ToReadOptions(at, "read_options", &ro); rc != GITMEM_OK) return rc;
  auto n = repo->repo->Count(ro);
  if (!n.ok()) return FromStatus(n.status());
  *out = *n;
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_list_new(gitmem_list** out, gitmem_repo* repo, const gitmem_list_options* opts) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(repo, "repo");
  gitmem::ListOptions lo;
  if (opts) {
    if (int rc = CheckVersion(opts->version, GITMEM_LIST_OPTIONS_VERSION, "list_options"); rc != GITMEM_OK)
      return rc;
    lo.at.rev = Str(opts->rev);
    if (opts->as_of_us != GITMEM_AS_OF_NONE) lo.at.as_of_us = opts->as_of_us;
    lo.offset = opts->offset;
    lo.limit = opts->limit;
  }
  auto items = repo->repo->List(lo);
  if (!items.ok()) return FromStatus(items.status());
  std::unique_ptr<gitmem_list> it(NewIter<gitmem_list>(repo));
  it->items = std::move(*items);
  *out = it.release();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_session_list(gitmem_list** out, gitmem_repo* repo, const char* session_id,
                        const gitmem_read_options* at) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_REQUIRE(session_id, "session_id");
  gitmem::ReadOptions ro;
  if (int rc = ToReadOptions(at, "read_options", &ro); rc != GITMEM_OK) return rc;
  auto items = repo->repo->Session(session_id, ro);
  if (!items.ok()) return FromStatus(items.status());
  std::unique_ptr<gitmem_list> it(NewIter<gitmem_list>(repo));
  it->items = std::move(*items);
  *out = it.release();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_list_next(gitmem_memory** out, gitmem_list* list) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(list, "list");
  Memory m;
  if (!list->Next(&m)) return GITMEM_ITEROVER;
  *out = new gitmem_memory(std::move(m));
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

size_t gitmem_list_remaining(const gitmem_list* list) {
  GITMEM_CAPI_TRY
  return list ? list->remaining() : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

void gitmem_list_free(gitmem_list* list) {
  GITMEM_CAPI_TRY
  delete list;
  GITMEM_CAPI_CATCH_VOID
}

}  // extern "C"
