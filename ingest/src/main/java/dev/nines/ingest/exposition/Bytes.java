package dev.nines.ingest.exposition;

/** Byte-range helpers shared by the parser: comparison, UTF-8 checks, character counting. */
final class Bytes {
  private Bytes() {}

  /** Whether {@code buf[start, end)} holds exactly the ASCII string {@code s}. */
  static boolean equalsAscii(byte[] buf, int start, int end, String s) {
    if (end - start != s.length()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (buf[start + i] != (byte) s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the two byte ranges hold the same bytes. */
  static boolean rangeEquals(byte[] a, int aStart, int aEnd, byte[] b, int bStart, int bEnd) {
    return java.util.Arrays.equals(a, aStart, aEnd, b, bStart, bEnd);
  }

  /** Whether {@code buf[start, end)} starts with the ASCII string {@code s}. */
  static boolean startsWithAscii(byte[] buf, int start, int end, String s) {
    return end - start >= s.length() && equalsAscii(buf, start, start + s.length(), s);
  }

  /** The number of characters (code points) in a UTF-8 range: bytes that start one. */
  static int countChars(byte[] buf, int start, int end) {
    int n = 0;
    for (int i = start; i < end; i++) {
      if ((buf[i] & 0xC0) != 0x80) {
        n++;
      }
    }
    return n;
  }

  /**
   * The offset of the first byte of {@code buf[start, end)} that is not part of well-formed UTF-8
   * (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF), or -1.
   */
  static int invalidUtf8(byte[] buf, int start, int end) {
    int i = start;
    while (i < end) {
      int b = buf[i] & 0xFF;
      if (b < 0x80) {
        i++;
        continue;
      }
      int need;
      int min;
      if (b >= 0xC2 && b <= 0xDF) {
        need = 1;
        min = 0x80;
      } else if (b >= 0xE0 && b <= 0xEF) {
        need = 2;
        min = 0x800;
      } else if (b >= 0xF0 && b <= 0xF4) {
        need = 3;
        min = 0x10000;
      } else {
        return i;
      }
      if (i + need >= end) {
        return i;
      }
      int cp = b & (0x3F >> need);
      for (int k = 1; k <= need; k++) {
        int c = buf[i + k] & 0xFF;
        if ((c & 0xC0) != 0x80) {
          return i;
        }
        cp = (cp << 6) | (c & 0x3F);
      }
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return i;
      }
      i += need + 1;
    }
    return -1;
  }
}
