package dev.nines.common;

import com.google.re2j.Pattern;
import java.util.Locale;

/** Quoting of strings and label names the way PromQL and Prometheus's printers write them. */
public final class PromQuoting {
  private static final Pattern LEGACY_LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private PromQuoting() {}

  /** A label name as written in a matcher: bare if it is a legacy name, quoted otherwise. */
  public static String labelName(String name) {
    return LEGACY_LABEL_NAME.matcher(name).matches() ? name : quote(name);
  }

  /** A string as Go's {@code strconv.Quote} writes it: double quotes and Go escapes. */
  public static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case 7 -> out.append("\\a");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case 11 -> out.append("\\v");
        default -> {
          if (isPrintable(cp)) {
            out.appendCodePoint(cp);
          } else if (cp < 0x80) {
            out.append(String.format(Locale.ROOT, "\\x%02x", cp));
          } else if (cp < 0x10000) {
            out.append(String.format(Locale.ROOT, "\\u%04x", cp));
          } else {
            out.append(String.format(Locale.ROOT, "\\U%08x", cp));
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static boolean isPrintable(int cp) {
    if (cp == ' ') {
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.SURROGATE,
          Character.PRIVATE_USE,
          Character.UNASSIGNED,
          Character.SPACE_SEPARATOR,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR ->
          false;
      default -> true;
    };
  }
}
