// The default embedder: signed feature hashing of word unigrams, word bigrams and
// character n-grams (see docs/search.md for the exact recipe). The recipe and the hash
// seeds are a format: changing them requires a new id prefix ("gitmem-hash-v2").
//
// Thread safety: Embed may be called concurrently (scratch space is per thread).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "gitmem/embedder.hpp"

namespace gitmem::embed {

class HashEmbedder final : public Embedder {
 public:
  /// kInvalidArgument when an option is out of range.
  static Result<std::unique_ptr<HashEmbedder>> Create(const DefaultEmbedderOptions& options);

  std::string id() const override { return id_; }
  size_t dimension() const override { return options_.dimension; }
  Status Embed(std::span<const std::string_view> texts, std::span<float> out) const override;

  /// Embeds one text into out[0, dimension()).
  void EmbedOne(std::string_view text, float* out) const;

  const DefaultEmbedderOptions& options() const { return options_; }

 private:
  explicit HashEmbedder(const DefaultEmbedderOptions& options);

  DefaultEmbedderOptions options_;
  std::string id_;
};

}  // namespace gitmem::embed
