package dev.nines.tsdb.block;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small subset of JSON that {@code meta.json} needs: objects, arrays, strings, integers,
 * booleans and null. The tsdb module has no JSON library, and meta.json is tiny. A syntax error is
 * reported with its character offset.
 */
final class Json {
  /** A syntax error at a character offset. */
  static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;
    final int offset;

    SyntaxException(int offset, String message) {
      super(message + " at character " + offset);
      this.offset = offset;
    }
  }

  private final String s;
  private int i;

  private Json(String s) {
    this.s = s;
  }

  /** Parses a whole document. */
  static Object parse(String text) throws SyntaxException {
    Json p = new Json(text);
    Object v = p.value();
    p.ws();
    if (p.i != text.length()) {
      throw new SyntaxException(p.i, "trailing characters");
    }
    return v;
  }

  private void ws() {
    while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
  }

  private Object value() throws SyntaxException {
    ws();
    if (i >= s.length()) {
      throw new SyntaxException(i, "unexpected end");
    }
    char c = s.charAt(i);
    if (c == '{') {
      return object();
    }
    if (c == '[') {
      return array();
    }
    if (c == '"') {
      return string();
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      return number();
    }
    for (String word : new String[] {"true", "false", "null"}) {
      if (s.startsWith(word, i)) {
        i += word.length();
        return word.equals("null") ? null : Boolean.valueOf(word.equals("true"));
      }
    }
    throw new SyntaxException(i, "unexpected character '" + c + "'");
  }

  private Map<String, Object> object() throws SyntaxException {
    Map<String, Object> out = new LinkedHashMap<>();
    i++;
    ws();
    if (peek() == '}') {
      i++;
      return out;
    }
    while (true) {
      ws();
      if (peek() != '"') {
        throw new SyntaxException(i, "expected a field name");
      }
      String key = string();
      ws();
      expect(':');
      out.put(key, value());
      ws();
      if (peek() == ',') {
        i++;
      } else {
        expect('}');
        return out;
      }
    }
  }

  private List<Object> array() throws SyntaxException {
    List<Object> out = new ArrayList<>();
    i++;
    ws();
    if (peek() == ']') {
      i++;
      return out;
    }
    while (true) {
      out.add(value());
      ws();
      if (peek() == ',') {
        i++;
      } else {
        expect(']');
        return out;
      }
    }
  }

  private String string() throws SyntaxException {
    i++;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (i >= s.length()) {
        throw new SyntaxException(i, "unterminated string");
      }
      char c = s.charAt(i++);
      if (c == '"') {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (i >= s.length()) {
        throw new SyntaxException(i, "unterminated escape");
      }
      char e = s.charAt(i++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> {
          if (i + 4 > s.length()) {
            throw new SyntaxException(i, "short \\u escape");
          }
          try {
            out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          } catch (NumberFormatException ex) {
            throw new SyntaxException(i, "bad \\u escape");
          }
          i += 4;
        }
        default -> throw new SyntaxException(i - 1, "bad escape \\" + e);
      }
    }
  }

  private Long number() throws SyntaxException {
    int start = i;
    if (peek() == '-') {
      i++;
    }
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    if (i < s.length() && ".eE".indexOf(s.charAt(i)) >= 0) {
      throw new SyntaxException(i, "only integers are expected");
    }
    try {
      return Long.parseLong(s.substring(start, i));
    } catch (NumberFormatException e) {
      throw new SyntaxException(start, "bad integer");
    }
  }

  private char peek() {
    return i < s.length() ? s.charAt(i) : '\0';
  }

  private void expect(char c) throws SyntaxException {
    if (peek() != c) {
      throw new SyntaxException(i, "expected '" + c + "'");
    }
    i++;
  }

  /** Appends {@code v} as a JSON string literal. */
  static void quote(String v, StringBuilder out) {
    out.append('"');
    for (int k = 0; k < v.length(); k++) {
      char c = v.charAt(k);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }
}
