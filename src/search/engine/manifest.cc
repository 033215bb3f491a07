// The manifest record's value (see the header).
#include "search/engine/manifest.h"

#include "store/keys.h"
#include "util/coding.h"

namespace gitmem::search {

std::string EncodeManifestValue(const ManifestValue& v) {
  std::string out;
  PutLengthPrefixed(&out, v.vector_manifest);
  PutLengthPrefixed(&out, v.keyword_manifest);
  out.append(IdView(v.commit));
  auto put_list = [&](const std::vector<std::string>& keys) {
    PutVarint64(&out, keys.size());
    for (const auto& k : keys) PutLengthPrefixed(&out, k);
  };
  put_list(v.vector_segments);
  put_list(v.keyword_segments);
  return out;
}

Result<ManifestValue> DecodeManifestValue(std::string_view in) {
  auto bad = [] { return Status::Corruption("search index: malformed manifest"); };
  ManifestValue v;
  if (!GetLengthPrefixed(&in, &v.vector_manifest) || !GetLengthPrefixed(&in, &v.keyword_manifest) || in.size() < 32)
    return bad();
  v.commit = IdFromBytes(in.substr(0, 32));
  in.remove_prefix(32);
  if (in.empty()) return v;  // written before manifests listed their segments
  auto get_list = [&](std::vector<std::string>* keys) {
    uint64_t n;
    if (!GetVarint64(&in, &n) || n > in.size()) return false;
    for (uint64_t i = 0; i < n; ++i) {
      std::string_view k;
      if (!GetLengthPrefixed(&in, &k)) return false;
      keys->emplace_back(k);
    }
    return true;
  };
  if (!get_list(&v.vector_segments) || !get_list(&v.keyword_segments) || !in.empty()) return bad();
  v.lists_segments = true;
  return v;
}

}  // namespace gitmem::search
