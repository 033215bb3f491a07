// The store's format version, recorded in the meta family under "format" (be32), and the
// upgrade from each earlier version. Opening a store for writing upgrades it in one atomic
// write; a read-only open of an older store is refused, since its keys would be misread.
//
//   1  staged changes at repo \0 branch \0 memory-id (no "format" record)
//   2  staged changes in per-branch generations (store/keys.h)
#pragma once

#include <cstdint>

#include "gitmem/status.hpp"

namespace gitmem {

class Store;

inline constexpr uint32_t kStoreFormat = 2;

/// Brings a writable store to kStoreFormat; a new store just records it. An error when
/// the store was written by a newer gitmem.
Status UpgradeStoreFormat(Store& store);
/// OK when a read-only store is at kStoreFormat; otherwise an error saying what to do.
Status CheckStoreFormat(const Store& store);

}  // namespace gitmem
