#include "store/format.h"

#include <fmt/format.h>

#include "store/keys.h"
#include "store/store.h"
#include "util/coding.h"

namespace gitmem {

namespace {

// 1 when the record is absent (stores written before it existed).
Result<uint32_t> ReadFormat(const Store& store) {
  std::string v;
  Status s = store.Get(Cf::kMeta, keys::StoreFormatKey(), &v);
  if (s.IsNotFound()) return 1u;
  GITMEM_RETURN_IF_ERROR(s);
  std::string_view in(v);
  uint32_t format = 0;
  if (v.size() != 4 || !GetFixed32BE(&in, &format)) return Status::Corruption("store: bad format record");
  if (format > kStoreFormat)
    return Status::InvalidArgument(
        fmt::format("store: format {} was written by a newer gitmem (this one reads up to {})", format, kStoreFormat));
  return format;
}

// Format 1 -> 2: every staged change moves to generation 0 of its branch.
Status StagingToGenerations(const Store& store, WriteBatch* batch) {
  auto it = store.Scan(Cf::kStaging, {});
  for (; it->Valid(); it->Next()) {
    auto key = keys::ParseFormat1StagingKey(it->key());
    if (!key) continue;  // already in generations (a crash cannot leave both: one write)
    batch->Delete(Cf::kStaging, it->key());
    batch->Put(Cf::kStaging, keys::StagingKey(key->repo, key->branch, 0, key->id), it->value());
  }
  return it->status();
}

}  // namespace

Status UpgradeStoreFormat(Store& store) {
  GITMEM_ASSIGN_OR_RETURN(uint32_t format, ReadFormat(store));
  if (format == kStoreFormat) return Status::Ok();
  WriteBatch batch(store);
  GITMEM_RETURN_IF_ERROR(StagingToGenerations(store, &batch));
  std::string record;
  PutFixed32BE(&record, kStoreFormat);
  batch.Put(Cf::kMeta, keys::StoreFormatKey(), record);
  return store.Write(&batch, /*sync=*/true);
}

Status CheckStoreFormat(const Store& store) {
  GITMEM_ASSIGN_OR_RETURN(uint32_t format, ReadFormat(store));
  if (format == kStoreFormat) return Status::Ok();
  return Status::InvalidArgument(
      fmt::format("store: format {} predates this gitmem (format {}); open it once for writing to upgrade it", format,
                  kStoreFormat));
}

}  // namespace gitmem
