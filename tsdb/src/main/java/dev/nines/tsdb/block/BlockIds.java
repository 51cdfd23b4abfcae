package dev.nines.tsdb.block;

import java.security.SecureRandom;

/**
 * Block ids: ULIDs (26 characters of Crockford base32, a 48-bit millisecond timestamp then 80
 * random bits), so that ids sort by creation time as strings and never collide in practice.
 */
public final class BlockIds {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private BlockIds() {}

  /** A new id for a block created at {@code epochMillis}. */
  public static String next(long epochMillis) {
    if (epochMillis < 0 || epochMillis >= (1L << 48)) {
      throw new IllegalArgumentException("time " + epochMillis + " does not fit a ULID");
    }
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    // 128 bits: 48 of time, 80 of randomness; encoded as 26 groups of 5 bits (2 leading zeros).
    long hi = (epochMillis << 16) | ((random[0] & 0xffL) << 8) | (random[1] & 0xffL);
    long lo = 0;
    for (int i = 2; i < 10; i++) {
      lo = (lo << 8) | (random[i] & 0xffL);
    }
    char[] out = new char[26];
    for (int i = 25; i >= 0; i--) {
      out[i] = ALPHABET[(int) (lo & 31)];
      lo = (lo >>> 5) | (hi << 59);
      hi >>>= 5;
    }
    return new String(out);
  }

  /** Whether {@code s} is a well-formed id (26 characters of the alphabet, at most 128 bits). */
  public static boolean isValid(String s) {
    if (s.length() != 26 || s.charAt(0) > '7') {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (indexOf(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** The creation time in milliseconds encoded in a valid id. */
  public static long timestamp(String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException("not a block id: \"" + id + "\"");
    }
    long t = 0;
    for (int i = 0; i < 10; i++) {
      t = (t << 5) | indexOf(id.charAt(i));
    }
    return t;
  }

  private static int indexOf(char c) {
    for (int i = 0; i < ALPHABET.length; i++) {
      if (ALPHABET[i] == c) {
        return i;
      }
    }
    return -1;
  }
}
