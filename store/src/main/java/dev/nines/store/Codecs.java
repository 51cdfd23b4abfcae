package dev.nines.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Text encodings of values kept in TEXT columns, the same on SQLite and PostgreSQL: label maps as
 * JSON objects, fingerprint sets as comma-separated unsigned decimals, sample values as {@link
 * Double#toString(double)} writes them.
 */
final class Codecs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {};

  private Codecs() {}

  /** A stored value that cannot be decoded; the message names the column. */
  static final class CorruptValueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CorruptValueException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * A label map as a JSON object with its keys in order, written by hand: this runs twice per alert
   * and once per history event on the notify pipeline's bulk writes. Escapes exactly as Jackson
   * does by default (checked against it for every BMP character): quote and backslash, the short
   * escapes for backspace, tab, newline, form feed and carriage return, other control characters as
   * six-character unicode escapes; everything else, non-ASCII included, as is.
   */
  static String labelsToJson(Map<String, String> labels) {
    String[] names = labels.keySet().toArray(new String[0]);
    java.util.Arrays.sort(names);
    StringBuilder sb = new StringBuilder(16 + names.length * 24);
    sb.append('{');
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      jsonString(sb, names[i]);
      sb.append(':');
      jsonString(sb, labels.get(names[i]));
    }
    return sb.append('}').toString();
  }

  private static void jsonString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\t' -> sb.append("\\t");
        case '\n' -> sb.append("\\n");
        case '\f' -> sb.append("\\f");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20) {
            sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  static Map<String, String> labelsFromJson(String json, String column) {
    try {
      return JSON.readValue(json, STRING_MAP);
    } catch (JsonProcessingException e) {
      throw new CorruptValueException(
          column + ": stored value is not a JSON object of strings: " + e.getOriginalMessage(), e);
    }
  }

  /** Encodes fingerprints as comma-separated unsigned decimals in ascending unsigned order. */
  static String fingerprintsToText(Set<Long> fingerprints) {
    List<Long> sorted = new ArrayList<>(fingerprints);
    sorted.sort(Long::compareUnsigned);
    StringBuilder sb = new StringBuilder(sorted.size() * 20);
    for (Long fp : sorted) {
      if (!sb.isEmpty()) {
        sb.append(',');
      }
      sb.append(Long.toUnsignedString(fp));
    }
    return sb.toString();
  }

  static Set<Long> fingerprintsFromText(String text, String column) {
    if (text.isEmpty()) {
      return Set.of();
    }
    String[] parts = text.split(",", -1);
    List<Long> out = new ArrayList<>(parts.length);
    for (String part : parts) {
      try {
        out.add(Long.parseUnsignedLong(part));
      } catch (NumberFormatException e) {
        throw new CorruptValueException(
            column + ": stored fingerprint \"" + part + "\" is not an unsigned 64-bit integer", e);
      }
    }
    return Set.copyOf(out);
  }

  static String valueToText(double value) {
    return Double.toString(value);
  }

  static double valueFromText(String text, String column) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new CorruptValueException(
          column + ": stored value \"" + text + "\" is not a number", e);
    }
  }

  static long millis(Instant t) {
    return t.toEpochMilli();
  }

  static Instant instant(long millis) {
    return Instant.ofEpochMilli(millis);
  }
}
