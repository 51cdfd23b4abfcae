package dev.nines.promql.parser;

import dev.nines.common.PromDuration;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Splits a PromQL query into tokens on demand, so that a lexical error surfaces only when the
 * parser reaches it (as in Prometheus, an earlier syntax error wins).
 *
 * <p>Three modes, as in Prometheus's lexer: outside any bracket; inside {@code {...}}, where every
 * word is a plain identifier (so keywords work as label names) and only matcher syntax is allowed;
 * and inside {@code [...]}, where a colon separates a subquery's range from its step. Errors come
 * back as {@link TokenType#ERROR} tokens carrying the message.
 */
final class Lexer {
  private static final Map<String, TokenType> KEYWORDS = new HashMap<>();

  static {
    KEYWORDS.put("and", TokenType.LAND);
    KEYWORDS.put("or", TokenType.LOR);
    KEYWORDS.put("unless", TokenType.LUNLESS);
    KEYWORDS.put("atan2", TokenType.ATAN2);
    for (AggregateOp op : AggregateOp.values()) {
      KEYWORDS.put(op.keyword(), TokenType.AGGREGATOR);
    }
    KEYWORDS.put("offset", TokenType.OFFSET);
    KEYWORDS.put("by", TokenType.BY);
    KEYWORDS.put("without", TokenType.WITHOUT);
    KEYWORDS.put("on", TokenType.ON);
    KEYWORDS.put("ignoring", TokenType.IGNORING);
    KEYWORDS.put("group_left", TokenType.GROUP_LEFT);
    KEYWORDS.put("group_right", TokenType.GROUP_RIGHT);
    KEYWORDS.put("bool", TokenType.BOOL);
    KEYWORDS.put("inf", TokenType.NUMBER);
    KEYWORDS.put("nan", TokenType.NUMBER);
  }

  private final String in;
  private int pos;
  private int parenDepth;
  private boolean braceOpen;
  private boolean bracketOpen;
  private boolean gotColon;
  private boolean done;
  private @Nullable Token failure;

  Lexer(String in) {
    this.in = in;
  }

  /** The next token; after EOF or an error, the same EOF or error again. */
  Token next() {
    if (failure != null) {
      return failure;
    }
    if (done) {
      return new Token(TokenType.EOF, "", in.length());
    }
    Token t = braceOpen ? insideBraces() : outsideBraces();
    if (t.type() == TokenType.ERROR) {
      failure = t;
    }
    done = t.type() == TokenType.EOF;
    return t;
  }

  private Token outsideBraces() {
    skipSpaceAndComments();
    int start = pos;
    if (pos >= in.length()) {
      if (bracketOpen) {
        return error(start, "unclosed left bracket");
      }
      if (parenDepth > 0) {
        return error(start, "unclosed left parenthesis");
      }
      return new Token(TokenType.EOF, "", start);
    }
    char c = in.charAt(pos);
    Token punctuation =
        switch (c) {
          case ',' -> single(TokenType.COMMA);
          case '(' -> {
            parenDepth++;
            yield single(TokenType.LEFT_PAREN);
          }
          case ')' -> {
            if (parenDepth == 0) {
              yield error(start, "unexpected right parenthesis ')'");
            }
            parenDepth--;
            yield single(TokenType.RIGHT_PAREN);
          }
          case '{' -> {
            braceOpen = true;
            yield single(TokenType.LEFT_BRACE);
          }
          case '[' -> {
            if (bracketOpen) {
              yield error(start, "unexpected left bracket '['");
            }
            bracketOpen = true;
            gotColon = false;
            yield single(TokenType.LEFT_BRACKET);
          }
          case ']' -> {
            if (!bracketOpen) {
              yield error(start, "unexpected right bracket ']'");
            }
            bracketOpen = false;
            yield single(TokenType.RIGHT_BRACKET);
          }
          case '@' -> single(TokenType.AT);
          case '+' -> single(TokenType.ADD);
          case '-' -> single(TokenType.SUB);
          case '*' -> single(TokenType.MUL);
          case '/' -> single(TokenType.DIV);
          case '%' -> single(TokenType.MOD);
          case '^' -> single(TokenType.POW);
          case '=' ->
              peekAt(1) == '='
                  ? fixed(TokenType.EQLC, 2)
                  : peekAt(1) == '~' ? fixed(TokenType.EQL_REGEX, 2) : single(TokenType.EQL);
          case '!' ->
              peekAt(1) == '='
                  ? fixed(TokenType.NEQ, 2)
                  : peekAt(1) == '~'
                      ? fixed(TokenType.NEQ_REGEX, 2)
                      : error(start, "unexpected character after '!': " + quoteRune(peekAt(1)));
          case '<' -> peekAt(1) == '=' ? fixed(TokenType.LTE, 2) : single(TokenType.LSS);
          case '>' -> peekAt(1) == '=' ? fixed(TokenType.GTE, 2) : single(TokenType.GTR);
          case '"', '\'', '`' -> string(c);
          default -> null;
        };
    if (punctuation != null) {
      return punctuation;
    }
    if (c == ':' && bracketOpen) {
      if (gotColon) {
        return error(start, "unexpected colon ':'");
      }
      gotColon = true;
      return single(TokenType.COLON);
    }
    if (isDigit(c) || (c == '.' && isDigit(peekAt(1)))) {
      return numberOrDuration();
    }
    if (isAlpha(c) || (c == ':' && !bracketOpen)) {
      return identifier(!bracketOpen);
    }
    return error(start, "unexpected character: " + quoteRune(in.codePointAt(pos)));
  }

  private Token insideBraces() {
    while (pos < in.length() && isSpace(in.charAt(pos))) {
      pos++;
    }
    int start = pos;
    if (pos >= in.length()) {
      return error(start, "unexpected end of input inside braces");
    }
    char c = in.charAt(pos);
    Token punctuation =
        switch (c) {
          case ',' -> single(TokenType.COMMA);
          case '}' -> {
            braceOpen = false;
            yield single(TokenType.RIGHT_BRACE);
          }
          case '{' -> error(start, "unexpected left brace '{'");
          case '=' -> peekAt(1) == '~' ? fixed(TokenType.EQL_REGEX, 2) : single(TokenType.EQL);
          case '!' ->
              peekAt(1) == '='
                  ? fixed(TokenType.NEQ, 2)
                  : peekAt(1) == '~'
                      ? fixed(TokenType.NEQ_REGEX, 2)
                      : error(
                          start,
                          "unexpected character after '!' inside braces: " + quoteRune(peekAt(1)));
          case '"', '\'', '`' -> string(c);
          default -> null;
        };
    if (punctuation != null) {
      return punctuation;
    }
    if (isAlpha(c)) {
      return identifier(false);
    }
    return error(start, "unexpected character inside braces: " + quoteRune(in.codePointAt(pos)));
  }

  private void skipSpaceAndComments() {
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (isSpace(c)) {
        pos++;
      } else if (c == '#') {
        while (pos < in.length() && in.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  private Token identifier(boolean allowColon) {
    int start = pos;
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (isAlpha(c) || isDigit(c) || (allowColon && c == ':')) {
        pos++;
      } else {
        break;
      }
    }
    String word = in.substring(start, pos);
    if (braceOpen) {
      return new Token(TokenType.IDENTIFIER, word, start);
    }
    TokenType kw = KEYWORDS.get(word.toLowerCase(Locale.ROOT));
    if (kw != null) {
      return new Token(kw, word, start);
    }
    return new Token(
        word.indexOf(':') >= 0 ? TokenType.METRIC_IDENTIFIER : TokenType.IDENTIFIER, word, start);
  }

  /**
   * A float literal ({@code 1}, {@code 1.5e3}, {@code 0x1f}, {@code 1_000}) or a duration ({@code
   * 1h30m}); an integer directly followed by letters must form a valid duration.
   */
  private Token numberOrDuration() {
    int start = pos;
    boolean plainInteger = true;
    if (in.charAt(pos) == '0' && (peekAt(1) == 'x' || peekAt(1) == 'X')) {
      pos += 2;
      while (pos < in.length() && (isHexDigit(in.charAt(pos)) || in.charAt(pos) == '_')) {
        pos++;
      }
      plainInteger = false;
    } else {
      digits();
      if (pos < in.length() && in.charAt(pos) == '.') {
        pos++;
        digits();
        plainInteger = false;
      }
      if (pos < in.length()
          && (in.charAt(pos) == 'e' || in.charAt(pos) == 'E')
          && (isDigit(peekAt(1))
              || ((peekAt(1) == '+' || peekAt(1) == '-') && isDigit(peekAt(2))))) {
        pos += 2;
        digits();
        plainInteger = false;
      }
    }
    String text = in.substring(start, pos);
    if (plainInteger && pos < in.length() && isAlpha(in.charAt(pos)) && text.indexOf('_') < 0) {
      while (pos < in.length() && (isAlpha(in.charAt(pos)) || isDigit(in.charAt(pos)))) {
        pos++;
      }
      String dur = in.substring(start, pos);
      try {
        PromDuration.parse(dur);
      } catch (IllegalArgumentException e) {
        return badNumber(start);
      }
      if (pos < in.length() && (in.charAt(pos) == '.' || in.charAt(pos) == '_')) {
        return badNumber(start);
      }
      return new Token(TokenType.DURATION, dur, start);
    }
    if ((pos < in.length() && (isAlpha(in.charAt(pos)) || in.charAt(pos) == '.'))
        || !validUnderscores(text)) {
      return badNumber(start);
    }
    return new Token(TokenType.NUMBER, text, start);
  }

  private Token badNumber(int start) {
    while (pos < in.length()
        && (isAlpha(in.charAt(pos)) || isDigit(in.charAt(pos)) || in.charAt(pos) == '.')) {
      pos++;
    }
    return error(
        start, "bad number or duration syntax: " + Printer.quote(in.substring(start, pos)));
  }

  private void digits() {
    while (pos < in.length() && (isDigit(in.charAt(pos)) || in.charAt(pos) == '_')) {
      pos++;
    }
  }

  /** Underscores may only stand between two digits, or right after a {@code 0x} prefix. */
  private static boolean validUnderscores(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) != '_') {
        continue;
      }
      boolean afterHexPrefix = i == 2 && (text.startsWith("0x") || text.startsWith("0X"));
      boolean before = i > 0 && (isHexDigit(text.charAt(i - 1)) || afterHexPrefix);
      boolean after = i + 1 < text.length() && isHexDigit(text.charAt(i + 1));
      if (!before || !after) {
        return false;
      }
    }
    return true;
  }

  private Token string(char quote) {
    int start = pos;
    pos++;
    if (quote == '`') {
      int end = in.indexOf('`', pos);
      if (end < 0) {
        pos = in.length();
        return error(start, "unterminated raw string");
      }
      pos = end + 1;
      return new Token(
          TokenType.STRING, in.substring(start, pos), start, in.substring(start + 1, end));
    }
    StringBuilder value = new StringBuilder();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    while (true) {
      if (pos >= in.length() || in.charAt(pos) == '\n') {
        return error(start, "unterminated quoted string");
      }
      char c = in.charAt(pos);
      if (c == quote) {
        pos++;
        break;
      }
      if (c != '\\') {
        flushBytes(bytes, value);
        value.append(c);
        pos++;
        continue;
      }
      pos++;
      if (pos >= in.length()) {
        return error(start, "unterminated quoted string");
      }
      char e = in.charAt(pos++);
      switch (e) {
        case 'a' -> appendChar(bytes, value, 7);
        case 'b' -> appendChar(bytes, value, '\b');
        case 'f' -> appendChar(bytes, value, '\f');
        case 'n' -> appendChar(bytes, value, '\n');
        case 'r' -> appendChar(bytes, value, '\r');
        case 't' -> appendChar(bytes, value, '\t');
        case 'v' -> appendChar(bytes, value, 11);
        case '\\' -> appendChar(bytes, value, '\\');
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          int v = e - '0';
          for (int i = 0; i < 2; i++) {
            if (pos >= in.length() || in.charAt(pos) < '0' || in.charAt(pos) > '7') {
              return error(pos, "illegal character in escape sequence");
            }
            v = v * 8 + (in.charAt(pos++) - '0');
          }
          if (v > 255) {
            return error(start, "octal escape value > 255: " + v);
          }
          bytes.write(v);
        }
        case 'x' -> {
          Integer v = hexEscape(2);
          if (v == null) {
            return error(pos, "illegal character in escape sequence");
          }
          bytes.write(v);
        }
        case 'u', 'U' -> {
          Integer v = hexEscape(e == 'u' ? 4 : 8);
          if (v == null) {
            return error(pos, "illegal character in escape sequence");
          }
          if (v > Character.MAX_CODE_POINT || (v >= 0xD800 && v < 0xE000)) {
            return error(start, "escape sequence is invalid Unicode code point");
          }
          flushBytes(bytes, value);
          value.appendCodePoint(v);
        }
        default -> {
          if (e == quote) {
            appendChar(bytes, value, e);
          } else {
            return error(start, "unknown escape sequence " + goRuneName(in.codePointAt(pos - 1)));
          }
        }
      }
    }
    if (!flushBytes(bytes, value)) {
      return error(start, "invalid UTF-8 rune");
    }
    return new Token(TokenType.STRING, in.substring(start, pos), start, value.toString());
  }

  private @Nullable Integer hexEscape(int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
      if (pos >= in.length() || !isHexDigit(in.charAt(pos))) {
        return null;
      }
      v = v * 16 + Character.digit(in.charAt(pos++), 16);
      if (v < 0) {
        return Integer.MAX_VALUE;
      }
    }
    return v;
  }

  private static void appendChar(ByteArrayOutputStream bytes, StringBuilder value, int c) {
    flushBytes(bytes, value);
    value.append((char) c);
  }

  /** Decodes pending raw bytes (from octal and hex escapes) as UTF-8; false if they are not. */
  private static boolean flushBytes(ByteArrayOutputStream bytes, StringBuilder value) {
    if (bytes.size() == 0) {
      return true;
    }
    try {
      value.append(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes.toByteArray())));
      bytes.reset();
      return true;
    } catch (CharacterCodingException e) {
      bytes.reset();
      value.append('\uFFFD');
      return false;
    }
  }

  private Token single(TokenType type) {
    return fixed(type, 1);
  }

  private Token fixed(TokenType type, int length) {
    int start = pos;
    pos += length;
    return new Token(type, in.substring(start, pos), start);
  }

  private Token error(int at, String message) {
    return new Token(TokenType.ERROR, "", at, message);
  }

  private int peekAt(int ahead) {
    int i = pos + ahead;
    return i < in.length() ? in.charAt(i) : -1;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHexDigit(int c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean isAlpha(int c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** A character as Go's {@code %q} writes a rune: {@code 'x'}, or {@code EOF} past the end. */
  static String quoteRune(int cp) {
    if (cp < 0) {
      return "EOF";
    }
    if (cp == '\'') {
      return "'\\''";
    }
    String q = Printer.quote(new String(Character.toChars(cp)));
    if (cp == '"') {
      return "'\"'";
    }
    return "'" + q.substring(1, q.length() - 1) + "'";
  }

  /** A rune as Go's {@code %#U} writes it: {@code U+0071 'q'}. */
  private static String goRuneName(int cp) {
    return String.format(Locale.ROOT, "U+%04X %s", cp, quoteRune(cp));
  }
}
