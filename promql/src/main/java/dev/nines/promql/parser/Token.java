package dev.nines.promql.parser;

import java.util.Locale;

/**
 * A lexed token: its type, source text and 0-based offset. {@code value} is the unescaped value of
 * a string, the message of an error, and the source text otherwise.
 */
record Token(TokenType type, String text, int pos, String value) {

  Token(TokenType type, String text, int pos) {
    this(type, text, pos, text);
  }

  /** The source text in lower case, for keywords, which are case-insensitive. */
  String lower() {
    return text.toLowerCase(Locale.ROOT);
  }

  /** How error messages name this token, in Prometheus's style. */
  String describe() {
    return switch (type.group) {
      case PUNCTUATION -> Printer.quote(text);
      case OPERATOR -> "<op:" + text + ">";
      case AGGREGATOR -> "<aggr:" + text + ">";
      case KEYWORD -> "<" + text + ">";
      case OTHER ->
          switch (type) {
            case EOF -> "end of input";
            case IDENTIFIER -> "identifier " + Printer.quote(text);
            case METRIC_IDENTIFIER -> "metric identifier " + Printer.quote(text);
            case NUMBER -> "number " + shortQuote(text);
            case DURATION -> "duration " + shortQuote(text);
            case STRING -> "string " + shortQuote(text);
            default -> value;
          };
    };
  }

  private static String shortQuote(String s) {
    if (s.codePointCount(0, s.length()) <= 10) {
      return Printer.quote(s);
    }
    return Printer.quote(s.substring(0, s.offsetByCodePoints(0, 10))) + "...";
  }
}
