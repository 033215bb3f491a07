#include "search/text/unicode.h"

namespace gitmem::search {

uint32_t DecodeUtf8(std::string_view s, size_t* pos) {
  const size_t n = s.size();
  size_t i = *pos;
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *pos = i + 1;
    return b0;
  }
  auto cont = [&](size_t j) -> int {
    if (j >= n) return -1;
    const auto b = static_cast<unsigned char>(s[j]);
    return (b & 0xC0) == 0x80 ? (b & 0x3F) : -1;
  };
  uint32_t cp = 0xFFFD;
  size_t len = 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    const int c1 = cont(i + 1);
    if (c1 >= 0) {
      cp = ((b0 & 0x1Fu) << 6) | static_cast<uint32_t>(c1);
      len = 2;
    }
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    const int c1 = cont(i + 1), c2 = cont(i + 2);
    if (c1 >= 0 && c2 >= 0) {
      const uint32_t v = ((b0 & 0x0Fu) << 12) | (static_cast<uint32_t>(c1) << 6) | static_cast<uint32_t>(c2);
      if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) {
        cp = v;
        len = 3;
      }
    }
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    const int c1 = cont(i + 1), c2 = cont(i + 2), c3 = cont(i + 3);
    if (c1 >= 0 && c2 >= 0 && c3 >= 0) {
      const uint32_t v = ((b0 & 0x07u) << 18) | (static_cast<uint32_t>(c1) << 12) | (static_cast<uint32_t>(c2) << 6) |
                         static_cast<uint32_t>(c3);
      if (v >= 0x10000 && v <= 0x10FFFF) {
        cp = v;
        len = 4;
      }
    }
  }
  *pos = i + len;
  return cp;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

namespace {

// Ranges where upper case sits at even code points and its lower case right after it.
constexpr bool InEvenPairRange(uint32_t cp) {
  return (cp >= 0x0100 && cp <= 0x012F) || (cp >= 0x0132 && cp <= 0x0137) || (cp >= 0x014A && cp <= 0x0177) ||
         (cp >= 0x0182 && cp <= 0x0185) || (cp >= 0x01A0 && cp <= 0x01A5) || (cp >= 0x01DE && cp <= 0x01EF) ||
         (cp >= 0x01F8 && cp <= 0x021F) || (cp >= 0x0222 && cp <= 0x0233) || (cp >= 0x0246 && cp <= 0x024F) ||
         (cp >= 0x03D8 && cp <= 0x03EF) || (cp >= 0x0460 && cp <= 0x0481) || (cp >= 0x048A && cp <= 0x04BF) ||
         (cp >= 0x04D0 && cp <= 0x052F) || (cp >= 0x1E00 && cp <= 0x1E95) || (cp >= 0x1EA0 && cp <= 0x1EFF);
}

// Ranges where upper case sits at odd code points.
constexpr bool InOddPairRange(uint32_t cp) {
  return (cp >= 0x0139 && cp <= 0x0148) || (cp >= 0x0179 && cp <= 0x017E) || (cp >= 0x01CD && cp <= 0x01DC) ||
         (cp >= 0x04C1 && cp <= 0x04CE);
}

}  // namespace

uint32_t FoldCase(uint32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  if (cp < 0x100) {
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
    if (cp == 0xB5) return 0x03BC;  // micro sign -> Greek mu
    return cp;
  }
  if (cp < 0x250) {
    if (InEvenPairRange(cp)) return cp | 1;
    if (InOddPairRange(cp)) return (cp & 1) ? cp + 1 : cp;
    switch (cp) {
      case 0x0130: return 'i';     // I with dot above
      case 0x0178: return 0x00FF;  // Y diaeresis
      case 0x017F: return 's';     // long s
      case 0x01C4:
      case 0x01C5: return 0x01C6;  // DZ caron
      case 0x01C7:
      case 0x01C8: return 0x01C9;  // LJ
      case 0x01CA:
      case 0x01CB: return 0x01CC;  // NJ
      case 0x01F1:
      case 0x01F2: return 0x01F3;  // DZ
      case 0x01F4: return 0x01F5;
      default: return cp;
    }
  }
  if (cp >= 0x0370 && cp < 0x0400) {  // Greek
    if (cp >= 0x0391 && cp <= 0x03AB && cp != 0x03A2) return cp + 32;
    if (InEvenPairRange(cp)) return cp | 1;
    switch (cp) {
      case 0x0386: return 0x03AC;
      case 0x0388: return 0x03AD;
      case 0x0389: return 0x03AE;
      case 0x038A: return 0x03AF;
      case 0x038C: return 0x03CC;
      case 0x038E: return 0x03CD;
      case 0x038F: return 0x03CE;
      case 0x03C2: return 0x03C3;  // final sigma
      case 0x037F: return 0x03F3;
      case 0x03CF: return 0x03D7;
      case 0x03F4: return 0x03B8;
      case 0x03F7: return 0x03F8;
      case 0x03F9: return 0x03F2;
      case 0x03FA: return 0x03FB;
      default: return cp;
    }
  }
  if (cp >= 0x0400 && cp < 0x0530) {  // Cyrillic
    if (cp <= 0x040F) return cp + 80;
    if (cp <= 0x042F) return cp + 32;
    if (InEvenPairRange(cp)) return cp | 1;
    if (InOddPairRange(cp)) return (cp & 1) ? cp + 1 : cp;
    if (cp == 0x04C0) return 0x04CF;
    return cp;
  }
  if (cp >= 0x0531 && cp <= 0x0556) return cp + 48;  // Armenian
  if (cp >= 0x1E00 && cp <= 0x1EFF) {                // Latin Extended Additional
    if (InEvenPairRange(cp)) return cp | 1;
    if (cp == 0x1E9E) return 0x00DF;  // capital sharp s
    return cp;
  }
  if (cp >= 0xFF10 && cp <= 0xFF19) return '0' + (cp - 0xFF10);  // fullwidth digits
  if (cp >= 0xFF21 && cp <= 0xFF3A) return 'a' + (cp - 0xFF21);  // fullwidth upper
  if (cp >= 0xFF41 && cp <= 0xFF5A) return 'a' + (cp - 0xFF41);  // fullwidth lower
  return cp;
}

CharClass Classify(uint32_t cp) {
  if (cp < 0x80) {
    const bool alnum = (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    return alnum ? CharClass::kWord : CharClass::kSeparator;
  }
  if (cp < 0xC0) {
    // Latin-1 punctuation and symbols, except the letters and digit-like signs.
    switch (cp) {
      case 0xAA:
      case 0xB5:
      case 0xBA:
      case 0xB2:
      case 0xB3:
      case 0xB9: return CharClass::kWord;
      default: return CharClass::kSeparator;
    }
  }
  if (cp == 0xD7 || cp == 0xF7) return CharClass::kSeparator;
  if (cp < 0x0370) return CharClass::kWord;  // Latin, IPA, modifiers, combining marks
  if (cp < 0x0590) {                         // Greek, Cyrillic, Armenian
    if (cp == 0x037E || cp == 0x0387 || cp == 0x0482 || (cp >= 0x055A && cp <= 0x055F) || cp == 0x0589 ||
        cp == 0x058A) {
      return CharClass::kSeparator;
    }
    return CharClass::kWord;
  }
  if (cp >= 0x2000 && cp <= 0x2BFF) {
    // General punctuation, super/subscripts, currency, letterlike symbols, number forms,
    // arrows, mathematical operators, technical, box drawing, shapes, dingbats...
    if (cp >= 0x2070 && cp <= 0x209F) return CharClass::kWord;  // super/subscript digits
    return CharClass::kSeparator;
  }
  if (cp >= 0x2E00 && cp <= 0x2E7F) return CharClass::kSeparator;  // supplemental punct.
  if (cp >= 0x3000 && cp <= 0x303F) return CharClass::kSeparator;  // CJK punctuation
  if ((cp >= 0x3040 && cp <= 0x30FF) ||                            // kana
      (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0x20000 && cp <= 0x3FFFF)) {
    return CharClass::kIdeograph;
  }
  if (cp >= 0xD800 && cp <= 0xF8FF) return CharClass::kSeparator;  // surrogates, private use
  if (cp >= 0xFE00 && cp <= 0xFE0F) return CharClass::kSeparator;  // variation selectors
  if (cp >= 0xFE30 && cp <= 0xFE6F) return CharClass::kSeparator;  // CJK compat forms
  if (cp >= 0xFF00 && cp <= 0xFFEF) {                              // half/fullwidth forms
    if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A) ||
        cp >= 0xFF66) {
      return CharClass::kWord;
    }
    return CharClass::kSeparator;
  }
  if (cp >= 0xFFF0 && cp <= 0xFFFF) return CharClass::kSeparator;    // specials, U+FFFD
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return CharClass::kSeparator;  // emoji, symbols
  if (cp >= 0xE0000) return CharClass::kSeparator;                   // tags, private use
  return CharClass::kWord;
}

}  // namespace gitmem::search
