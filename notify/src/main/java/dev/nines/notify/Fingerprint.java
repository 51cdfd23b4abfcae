package dev.nines.notify;

import dev.nines.common.Labels;

/**
 * An alert's identity: the 64-bit FNV-1a hash of its label set, computed as Prometheus's {@code
 * model.LabelSet.Fingerprint} does (labels sorted by name; each name and value followed by the byte
 * {@code 0xff}), so that fingerprints shown by Nines equal those Alertmanager and {@code amtool}
 * show for the same labels.
 */
public final class Fingerprint {
  private static final long OFFSET = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;
  private static final int SEPARATOR = 0xff;

  private Fingerprint() {}

  /** The fingerprint of a label set. */
  public static long of(Labels labels) {
    long h = OFFSET;
    for (int i = 0; i < labels.size(); i++) {
      h = add(h, labels.name(i));
      h = (h ^ SEPARATOR) * PRIME;
      h = add(h, labels.value(i));
      h = (h ^ SEPARATOR) * PRIME;
    }
    return h;
  }

  /** The fingerprint as Alertmanager prints it: 16 lower-case hex digits. */
  public static String hex(long fingerprint) {
    String hex = Long.toHexString(fingerprint); // every alert of every webhook payload: no format()
    return hex.length() == 16 ? hex : "0".repeat(16 - hex.length()) + hex;
  }

  /**
   * Parses {@link #hex} output.
   *
   * @throws IllegalArgumentException when {@code hex} is not 1 to 16 hex digits
   */
  public static long parse(String hex) {
    if (hex.isEmpty() || hex.length() > 16) {
      throw new IllegalArgumentException("fingerprint: \"" + hex + "\" is not 1 to 16 hex digits");
    }
    try {
      return Long.parseUnsignedLong(hex, 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("fingerprint: \"" + hex + "\" is not hex", e);
    }
  }

  /**
   * Hashes the UTF-8 bytes of {@code s} without encoding it into an array: fingerprints are taken
   * several times per alert on the ingest path, and {@code getBytes} allocated for every label.
   * Unpaired surrogates hash as {@code '?'}, as {@link String#getBytes} encodes them.
   */
  private static long add(long h, String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        h = (h ^ c) * PRIME;
      } else if (c < 0x800) {
        h = (h ^ (0xc0 | (c >> 6))) * PRIME;
        h = (h ^ (0x80 | (c & 0x3f))) * PRIME;
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          h = (h ^ (0xf0 | (cp >> 18))) * PRIME;
          h = (h ^ (0x80 | ((cp >> 12) & 0x3f))) * PRIME;
          h = (h ^ (0x80 | ((cp >> 6) & 0x3f))) * PRIME;
          h = (h ^ (0x80 | (cp & 0x3f))) * PRIME;
        } else {
          h = (h ^ '?') * PRIME;
        }
      } else {
        h = (h ^ (0xe0 | (c >> 12))) * PRIME;
        h = (h ^ (0x80 | ((c >> 6) & 0x3f))) * PRIME;
        h = (h ^ (0x80 | (c & 0x3f))) * PRIME;
      }
    }
    return h;
  }
}
