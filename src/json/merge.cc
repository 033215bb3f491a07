// Merge conflicts and merge results as JSON.
#include "json/fields.h"

namespace gitmem::json {

namespace {

Json OptionalMemory(const std::optional<Memory>& m) { return m ? ToJson(*m) : Json(nullptr); }

Result<MergeConflict::Kind> ParseConflictKind(std::string_view s) {
  for (auto k : {MergeConflict::Kind::kBothModified, MergeConflict::Kind::kModifiedDeleted,
                 MergeConflict::Kind::kDeletedModified})
    if (s == ToString(k)) return k;
  return Status::InvalidArgument(fmt::format("kind: '{}' is not a conflict kind", s));
}

}  // namespace

Json ToJson(const MergeConflict& c, bool settled) {
  Json j = {{"id", c.id},
            {"kind", std::string(ToString(c.kind))},
            {"base", OptionalMemory(c.base)},
            {"ours", OptionalMemory(c.ours)},
            {"theirs", OptionalMemory(c.theirs)},
            {"base_ambiguous", c.base_ambiguous},
            {"settled", settled}};
  if (settled) {
    j["resolution"] = OptionalMemory(c.resolution);
    j["deleted"] = !c.resolution.has_value();
  }
  return j;
}

Status Read(const Json& j, const std::string& path, MergeConflict* c) {
  Fields<Json> f(j, path);
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.String("id", &c->id));
  GITMEM_RETURN_IF_ERROR(f.Name("kind", &c->kind, ParseConflictKind));
  GITMEM_RETURN_IF_ERROR(f.Optional("base", &c->base));
  GITMEM_RETURN_IF_ERROR(f.Optional("ours", &c->ours));
  GITMEM_RETURN_IF_ERROR(f.Optional("theirs", &c->theirs));
  GITMEM_RETURN_IF_ERROR(f.Bool("base_ambiguous", &c->base_ambiguous));
  return f.Optional("resolution", &c->resolution);
}
Status FromJson(const Json& j, MergeConflict* c) { return Read(j, "", c); }

Json MergeJson(std::string_view operation, std::string_view source, std::string_view into,
               MergeStrategy strategy, const MergeResult& r) {
  const char* status = r.has_conflicts() ? "conflicts"
                       : r.up_to_date    ? "up_to_date"
                       : r.fast_forward  ? "fast_forward"
                                         : "merged";
  Json bases = Json::array();
  for (const ObjectId& b : r.merge_bases) bases.push_back(b.hex());
  Json conflicts = Json::array();
  for (const MergeConflict& c : r.conflicts) conflicts.push_back(ToJson(c, !r.has_conflicts()));
  return {{"operation", std::string(operation)},
          {"source", std::string(source)},
          {"into", std::string(into)},
          {"strategy", std::string(ToString(strategy))},
          {"status", status},
          {"commit", IdOrNull(r.commit)},
          {"fast_forward", r.fast_forward},
          {"up_to_date", r.up_to_date},
          {"merge_bases", std::move(bases)},
          {"changes_applied", r.changes_applied},
          {"conflicts", std::move(conflicts)}};
}

Status FromJson(const Json& j, MergeResult* r) {
  Fields<Json> f(j, "");
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.Id("commit", &r->commit));
  GITMEM_RETURN_IF_ERROR(f.Bool("fast_forward", &r->fast_forward));
  GITMEM_RETURN_IF_ERROR(f.Bool("up_to_date", &r->up_to_date));
  GITMEM_RETURN_IF_ERROR(f.Ids("merge_bases", &r->merge_bases));
  GITMEM_RETURN_IF_ERROR(f.Count("changes_applied", &r->changes_applied));
  return f.List("conflicts", &r->conflicts);
}

}  // namespace gitmem::json
