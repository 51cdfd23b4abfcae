package dev.nines.notify.config;

import com.google.re2j.PatternSyntaxException;
import dev.nines.common.LabelMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alertmanager's matcher syntax, as its configuration ({@code matchers}, {@code source_matchers},
 * {@code target_matchers}) and {@code amtool} write it: {@code name=value}, {@code name!="value"},
 * {@code name=~"re"}, {@code name!~re}, several separated by commas, optionally in braces ({@code
 * {a="1",b=~"x|y"}}). Values may be unquoted; in quoted values {@code \"}, {@code \\} and {@code
 * \n} are escapes and any other backslash is literal. Regular expressions are RE2, fully anchored.
 */
public final class Matchers {
  private static final Pattern MATCHER =
      Pattern.compile(
          "^\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(=~|=|!=|!~)\\s*(.*?)\\s*$", Pattern.DOTALL);

  private Matchers() {}

  /**
   * Parses one or more comma-separated matchers, with or without braces.
   *
   * @throws IllegalArgumentException naming the bad matcher
   */
  public static List<LabelMatcher> parse(String text) {
    String s = text;
    if (s.startsWith("{")) {
      s = s.substring(1);
    }
    if (s.endsWith("}")) {
      s = s.substring(0, s.length() - 1);
    }
    List<String> tokens = new ArrayList<>();
    StringBuilder token = new StringBuilder();
    boolean insideQuotes = false;
    boolean escaped = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case ',' -> {
          if (!insideQuotes) {
            tokens.add(token.toString());
            token.setLength(0);
            continue;
          }
        }
        case '"' -> {
          if (escaped) {
            escaped = false;
          } else {
            insideQuotes = !insideQuotes;
          }
        }
        case '\\' -> escaped = !escaped;
        default -> escaped = false;
      }
      token.append(c);
    }
    if (!token.toString().isBlank()) {
      tokens.add(token.toString().strip());
    }
    List<LabelMatcher> out = new ArrayList<>();
    for (String t : tokens) {
      out.add(parseOne(t));
    }
    return out;
  }

  /**
   * Parses exactly one matcher.
   *
   * @throws IllegalArgumentException naming the bad matcher
   */
  public static LabelMatcher parseOne(String text) {
    Matcher m = MATCHER.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("bad matcher format: " + text);
    }
    String raw = m.group(3);
    boolean expectTrailingQuote = false;
    if (raw.startsWith("\"")) {
      raw = raw.substring(1);
      expectTrailingQuote = true;
    }
    StringBuilder value = new StringBuilder();
    boolean escaped = false;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (escaped) {
        escaped = false;
        switch (c) {
          case 'n' -> value.append('\n');
          case '"', '\\' -> value.append(c);
          default -> value.append('\\').append(c);
        }
        continue;
      }
      switch (c) {
        case '\\' -> {
          if (i < raw.length() - 1) {
            escaped = true;
          } else {
            value.append('\\');
          }
        }
        case '"' -> {
          if (!expectTrailingQuote || i < raw.length() - 1) {
            throw new IllegalArgumentException(
                "matcher value contains unescaped double quote: " + m.group(3));
          }
          expectTrailingQuote = false;
        }
        default -> value.append(c);
      }
    }
    if (expectTrailingQuote) {
      throw new IllegalArgumentException(
          "matcher value contains unescaped double quote: " + m.group(3));
    }
    LabelMatcher.Type type =
        switch (m.group(2)) {
          case "=" -> LabelMatcher.Type.EQUAL;
          case "!=" -> LabelMatcher.Type.NOT_EQUAL;
          case "=~" -> LabelMatcher.Type.REGEX;
          default -> LabelMatcher.Type.NOT_REGEX;
        };
    return of(type, m.group(1), value.toString());
  }

  /** A matcher, with a regular expression error turned into an {@link IllegalArgumentException}. */
  public static LabelMatcher of(LabelMatcher.Type type, String name, String value) {
    try {
      return LabelMatcher.of(type, name, value);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "error parsing regexp: " + e.getDescription() + ": `" + value + "`", e);
    }
  }

  /** The matcher as Alertmanager prints it: {@code name="value"} with Go quoting. */
  public static String format(LabelMatcher m) {
    return m.name() + m.type().symbol() + dev.nines.common.PromQuoting.quote(m.value());
  }

  /**
   * Matchers in braces, sorted as Alertmanager sorts them (name, then value, then type), as in a
   * route key: {@code {severity="page",team=~"a|b"}}.
   */
  public static String formatSet(List<LabelMatcher> matchers) {
    List<String> parts = sorted(matchers).stream().map(Matchers::format).toList();
    return "{" + String.join(",", parts) + "}";
  }

  /** The matchers in Alertmanager's order: name, then value, then type. */
  public static List<LabelMatcher> sorted(List<LabelMatcher> matchers) {
    return matchers.stream()
        .sorted(
            Comparator.comparing(LabelMatcher::name)
                .thenComparing(LabelMatcher::value)
                .thenComparing(LabelMatcher::type))
        .toList();
  }
}
