#include "util/hash.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstring>

namespace gitmem {

namespace {

// OpenSSL 3's one-shot SHA256() looks the algorithm up on every call (a lock and a
// property query: twice the cost of the hash on a 300-byte record). Fetch it once and
// reuse one context per thread.
struct ThreadDigest {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~ThreadDigest() { EVP_MD_CTX_free(ctx); }
};

}  // namespace

ObjectId Sha256(std::string_view data) {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local ThreadDigest digest;
  ObjectId id;
  unsigned int len = 0;
  const bool ok = md && digest.ctx && EVP_DigestInit_ex2(digest.ctx, md, nullptr) == 1 &&
                  EVP_DigestUpdate(digest.ctx, data.data(), data.size()) == 1 &&
                  EVP_DigestFinal_ex(digest.ctx, id.bytes.data(), &len) == 1;
  if (!ok) SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), id.bytes.data());
  return id;
}

namespace {

inline uint64_t Mix(uint64_t a, uint64_t b) {
  const __uint128_t r = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

inline uint64_t Load64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}

constexpr uint64_t kP0 = 0xa0761d6478bd642full;
constexpr uint64_t kP1 = 0xe7037ed1a0b428dbull;
constexpr uint64_t kP2 = 0x8ebc6af09c88c6e3ull;

}  // namespace

uint64_t StableHash64(std::string_view data, uint64_t seed) {
  uint64_t h = seed ^ kP0 ^ (static_cast<uint64_t>(data.size()) * kP2);
  const char* p = data.data();
  size_t n = data.size();
  while (n >= 8) {
    h = Mix(h ^ Load64(p), kP1);
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  for (size_t i = 0; i < n; ++i) tail |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  h = Mix(h ^ tail ^ kP2, kP1);
  return Mix(h, h ^ kP0);
}

}  // namespace gitmem
