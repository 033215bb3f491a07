// util/coding: fixed-width little-endian integers, LEB128 varints, length-prefixed strings,
// floats and zig-zag. Round trips at the boundaries, the exact bytes (the on-disk format
// depends on them), and that every decoder refuses truncated or overlong input without
// consuming any of it.
#include <catch2/catch.hpp>

#include <bit>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "util/coding.h"

using namespace gitmem;

namespace {

constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();

// Each varint length's first and last value, and the extremes of 32 and 64 bits.
const std::vector<uint64_t> kBoundaries = {0,
                                           1,
                                           127,
                                           128,
                                           255,
                                           256,
                                           (1u << 14) - 1,
                                           1u << 14,
                                           (1u << 21) - 1,
                                           1u << 21,
                                           0xffffffffull,
                                           0x100000000ull,
                                           (1ull << 56) - 1,
                                           1ull << 56,
                                           (1ull << 63) - 1,
                                           1ull << 63,
                                           kU64Max - 1,
                                           kU64Max};

std::string Bytes(std::initializer_list<unsigned> bytes) {
  std::string s;
  for (unsigned b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

size_t VarintLength(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("Fixed32 and Fixed64 are little-endian and round-trip", "[coding]") {
  std::string s;
  PutFixed32(&s, 0x04030201u);
  CHECK(s == Bytes({1, 2, 3, 4}));
  s.clear();
  PutFixed64(&s, 0x0807060504030201ull);
  CHECK(s == Bytes({1, 2, 3, 4, 5, 6, 7, 8}));

  for (uint64_t v : kBoundaries) {
    INFO("value " << v);
    const uint32_t v32 = static_cast<uint32_t>(v);
    std::string buf;
    PutFixed32(&buf, v32);
    PutFixed64(&buf, v);
    buf.push_back('!');  // decoders stop at their width
    REQUIRE(buf.size() == 13);
    std::string_view in(buf);
    uint32_t got32 = 0;
    uint64_t got64 = 0;
    REQUIRE(GetFixed32(&in, &got32));
    CHECK(got32 == v32);
    CHECK(in.size() == 9);
    REQUIRE(GetFixed64(&in, &got64));
    CHECK(got64 == v);
    CHECK(in == "!");
  }
}

TEST_CASE("Varints round-trip at every length boundary with their exact length", "[coding]") {
  for (uint64_t v : kBoundaries) {
    INFO("value " << v);
    std::string buf;
    PutVarint64(&buf, v);
    CHECK(buf.size() == VarintLength(v));
    CHECK(buf.size() <= 10);
    // Every byte but the last has its continuation bit set.
    for (size_t i = 0; i + 1 < buf.size(); ++i) CHECK((static_cast<uint8_t>(buf[i]) & 0x80) != 0);
    CHECK((static_cast<uint8_t>(buf.back()) & 0x80) == 0);
    buf.append("tail");
    std::string_view in(buf);
    uint64_t got = 0;
    REQUIRE(GetVarint64(&in, &got));
    CHECK(got == v);
    CHECK(in == "tail");
  }
  std::string s;
  PutVarint64(&s, 0);
  CHECK(s == Bytes({0x00}));
  s.clear();
  PutVarint64(&s, 127);
  CHECK(s == Bytes({0x7f}));
  s.clear();
  PutVarint64(&s, 128);
  CHECK(s == Bytes({0x80, 0x01}));
  s.clear();
  PutVarint64(&s, 300);
  CHECK(s == Bytes({0xac, 0x02}));
  s.clear();
  PutVarint64(&s, 0xffffffffull);
  CHECK(s == Bytes({0xff, 0xff, 0xff, 0xff, 0x0f}));
  s.clear();
  PutVarint64(&s, 1ull << 63);
  CHECK(s == Bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}));
  s.clear();
  PutVarint64(&s, kU64Max);
  CHECK(s == Bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}));
}

TEST_CASE("A sequence of mixed values decodes back in order", "[coding]") {
  std::string buf;
  for (uint64_t v : kBoundaries) {
    PutVarint64(&buf, v);
    PutFixed32(&buf, static_cast<uint32_t>(v * 3));
    PutLengthPrefixed(&buf, std::string(static_cast<size_t>(v % 200), 'x'));
  }
  std::string_view in(buf);
  for (uint64_t v : kBoundaries) {
    uint64_t got = 0;
    uint32_t got32 = 0;
    std::string_view str;
    REQUIRE(GetVarint64(&in, &got));
    CHECK(got == v);
    REQUIRE(GetFixed32(&in, &got32));
    CHECK(got32 == static_cast<uint32_t>(v * 3));
    REQUIRE(GetLengthPrefixed(&in, &str));
    CHECK(str == std::string(static_cast<size_t>(v % 200), 'x'));
  }
  CHECK(in.empty());
}

TEST_CASE("Length-prefixed strings round-trip, including empty, NUL and long ones", "[coding]") {
  const std::vector<std::string> values = {
      "", "a", std::string("\0\xff\x80", 3), std::string(127, 'b'), std::string(128, 'c'), std::string(70000, 'd')};
  std::string buf;
  for (const auto& v : values) PutLengthPrefixed(&buf, v);
  std::string_view in(buf);
  for (const auto& v : values) {
    std::string_view got;
    REQUIRE(GetLengthPrefixed(&in, &got));
    CHECK(got == v);
  }
  CHECK(in.empty());

  std::string exact;
  PutLengthPrefixed(&exact, "hi");
  CHECK(exact == Bytes({0x02, 'h', 'i'}));
  exact.clear();
  PutLengthPrefixed(&exact, std::string(128, 'z'));
  CHECK(exact.substr(0, 2) == Bytes({0x80, 0x01}));
  CHECK(exact.size() == 130);
}

TEST_CASE("GetBytes takes exactly n bytes or nothing", "[coding]") {
  std::string_view in("abcdef");
  std::string_view got;
  REQUIRE(GetBytes(&in, 0, &got));
  CHECK(got.empty());
  CHECK(in == "abcdef");
  REQUIRE(GetBytes(&in, 4, &got));
  CHECK(got == "abcd");
  CHECK(in == "ef");
  got = "unchanged";
  CHECK_FALSE(GetBytes(&in, 3, &got));
  CHECK(in == "ef");
  CHECK(got == "unchanged");
  REQUIRE(GetBytes(&in, 2, &got));
  CHECK(got == "ef");
  CHECK(in.empty());
}

TEST_CASE("Floats keep their exact bit patterns", "[coding]") {
  const std::vector<uint32_t> patterns = {
      0x00000000u,  // +0.0
      0x80000000u,  // -0.0
      0x3f800000u,  // 1.0
      0xbf800000u,  // -1.0
      0x00000001u,  // smallest subnormal
      0x7f7fffffu,  // FLT_MAX
      0x7f800000u,  // +inf
      0xff800000u,  // -inf
      0x7fc00000u,  // quiet NaN
      0x7fc12345u,  // quiet NaN with a payload
      0xffc00001u,  // negative NaN with a payload
  };
  std::string one;
  PutFloat(&one, 1.0f);
  CHECK(one == Bytes({0x00, 0x00, 0x80, 0x3f}));  // IEEE-754 single, little-endian

  std::string buf;
  for (uint32_t bits : patterns) PutFloat(&buf, std::bit_cast<float>(bits));
  CHECK(buf.size() == 4 * patterns.size());
  std::string_view in(buf);
  for (uint32_t bits : patterns) {
    INFO("bits " << std::hex << bits);
    float f = 0;
    REQUIRE(GetFloat(&in, &f));
    CHECK(std::bit_cast<uint32_t>(f) == bits);
  }
  CHECK(in.empty());
}

TEST_CASE("ZigZag maps small magnitudes to small numbers and round-trips", "[coding]") {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  CHECK(ZigZag(0) == 0);
  CHECK(ZigZag(-1) == 1);
  CHECK(ZigZag(1) == 2);
  CHECK(ZigZag(-2) == 3);
  CHECK(ZigZag(2) == 4);
  CHECK(ZigZag(-64) == 127);  // still a one-byte varint
  CHECK(ZigZag(kMax) == kU64Max - 1);
  CHECK(ZigZag(kMin) == kU64Max);
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{63}, int64_t{-64}, int64_t{64}, int64_t{-65},
                    int64_t{1700000000000000}, int64_t{-1700000000000000}, kMax, kMax - 1, kMin, kMin + 1}) {
    INFO("value " << v);
    CHECK(UnZigZag(ZigZag(v)) == v);
    std::string buf;
    PutVarint64(&buf, ZigZag(v));
    std::string_view in(buf);
    uint64_t got = 0;
    REQUIRE(GetVarint64(&in, &got));
    CHECK(UnZigZag(got) == v);
  }
  for (uint64_t u : kBoundaries) CHECK(ZigZag(UnZigZag(u)) == u);
}

TEST_CASE("Every decoder refuses truncated input and consumes none of it", "[coding]") {
  auto unchanged = [](std::string_view before, std::string_view after) {
    return before.data() == after.data() && before.size() == after.size();
  };

  SECTION("fixed32 and float") {
    std::string buf;
    PutFixed32(&buf, 0xdeadbeef);
    for (size_t n = 0; n < buf.size(); ++n) {
      INFO("prefix " << n);
      const std::string_view orig(buf.data(), n);
      std::string_view in = orig;
      uint32_t v = 7;
      CHECK_FALSE(GetFixed32(&in, &v));
      CHECK(unchanged(orig, in));
      CHECK(v == 7);
      float f = 7.0f;
      CHECK_FALSE(GetFloat(&in, &f));
      CHECK(unchanged(orig, in));
      CHECK(f == 7.0f);
    }
  }
  SECTION("fixed64") {
    std::string buf;
    PutFixed64(&buf, 0x0123456789abcdefull);
    for (size_t n = 0; n < buf.size(); ++n) {
      INFO("prefix " << n);
      const std::string_view orig(buf.data(), n);
      std::string_view in = orig;
      uint64_t v = 7;
      CHECK_FALSE(GetFixed64(&in, &v));
      CHECK(unchanged(orig, in));
      CHECK(v == 7);
    }
  }
  SECTION("varint") {
    for (uint64_t value : kBoundaries) {
      std::string buf;
      PutVarint64(&buf, value);
      for (size_t n = 0; n < buf.size(); ++n) {
        INFO("value " << value << " prefix " << n);
        const std::string_view orig(buf.data(), n);
        std::string_view in = orig;
        uint64_t v = 7;
        CHECK_FALSE(GetVarint64(&in, &v));
        CHECK(unchanged(orig, in));
        CHECK(v == 7);
      }
    }
  }
  SECTION("length-prefixed") {
    std::string buf;
    PutLengthPrefixed(&buf, std::string(200, 'q'));  // a two-byte length
    for (size_t n = 0; n < buf.size(); ++n) {
      INFO("prefix " << n);
      const std::string_view orig(buf.data(), n);
      std::string_view in = orig;
      std::string_view s = "unchanged";
      CHECK_FALSE(GetLengthPrefixed(&in, &s));
      CHECK(unchanged(orig, in));
      CHECK(s == "unchanged");
    }
  }
}

TEST_CASE("A length prefix larger than the input is refused", "[coding]") {
  std::string buf;
  PutVarint64(&buf, kU64Max);  // a length no input can have
  buf.append("abc");
  std::string_view in(buf);
  std::string_view s;
  CHECK_FALSE(GetLengthPrefixed(&in, &s));
  CHECK(in.size() == buf.size());

  std::string four;
  PutVarint64(&four, 4);
  four.append("abc");
  in = four;
  CHECK_FALSE(GetLengthPrefixed(&in, &s));
  CHECK(in.size() == four.size());
}

TEST_CASE("Varints longer than ten bytes or past 64 bits are refused", "[coding]") {
  uint64_t v = 7;
  SECTION("eleven bytes") {
    const std::string buf = Bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
    std::string_view in(buf);
    CHECK_FALSE(GetVarint64(&in, &v));
    CHECK(in.size() == buf.size());
    CHECK(v == 7);
  }
  SECTION("continuation never ends") {
    const std::string buf(64, '\xff');
    std::string_view in(buf);
    CHECK_FALSE(GetVarint64(&in, &v));
    CHECK(in.size() == buf.size());
    CHECK(v == 7);
  }
  SECTION("a tenth byte carrying more than bit 63") {
    for (unsigned last : {0x02u, 0x03u, 0x7fu, 0x81u}) {
      INFO("last byte " << last);
      const std::string buf = Bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, last});
      std::string_view in(buf);
      CHECK_FALSE(GetVarint64(&in, &v));
      CHECK(in.size() == buf.size());
      CHECK(v == 7);
    }
  }
  SECTION("the largest ten-byte varint is UINT64_MAX") {
    const std::string buf = Bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01});
    std::string_view in(buf);
    REQUIRE(GetVarint64(&in, &v));
    CHECK(v == kU64Max);
    CHECK(in.empty());
  }
}

TEST_CASE("Big-endian fixed values round-trip and sort in numeric order", "[coding]") {
  std::string b32, b64;
  PutFixed32BE(&b32, 0x01020304u);
  PutFixed64BE(&b64, 0x0102030405060708ull);
  CHECK(b32 == Bytes({0x01, 0x02, 0x03, 0x04}));
  CHECK(b64 == Bytes({0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08}));
  const uint64_t values[] = {0, 1, 255, 256, 65535, 65536, 0xffffffffull, 0x100000000ull, kU64Max};
  std::string prev;
  for (uint64_t v : values) {
    std::string enc;
    PutFixed64BE(&enc, v);
    std::string_view in(enc);
    uint64_t out = 0;
    REQUIRE(GetFixed64BE(&in, &out));
    CHECK(out == v);
    CHECK(in.empty());
    CHECK(prev < enc);  // byte order is numeric order
    prev = enc;
    if (v <= 0xffffffffull) {
      std::string e32;
      PutFixed32BE(&e32, static_cast<uint32_t>(v));
      std::string_view i32(e32);
      uint32_t o32 = 0;
      REQUIRE(GetFixed32BE(&i32, &o32));
      CHECK(o32 == v);
    }
  }
  std::string_view short64(b64.data(), 7), short32(b32.data(), 3);
  uint64_t v64 = 9;
  uint32_t v32 = 9;
  CHECK_FALSE(GetFixed64BE(&short64, &v64));
  CHECK_FALSE(GetFixed32BE(&short32, &v32));
  CHECK(short64.size() == 7);
  CHECK(short32.size() == 3);
}
