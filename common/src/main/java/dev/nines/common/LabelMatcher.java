package dev.nines.common;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A label matcher such as {@code job="api"} or {@code path=~"/v1/.*"}. Regular expressions use RE2
 * semantics, are fully anchored and let {@code .} match newlines, as in Prometheus.
 *
 * <p>Design note: this is a final class rather than a record because it carries a compiled
 * predicate that must not take part in equality. Common regex shapes are answered without the regex
 * engine: a literal, {@code .*}, {@code .+}, {@code prefix.*}, {@code .*suffix}, {@code .*infix.*}
 * and an alternation of literals ({@code a|b|c}).
 */
public final class LabelMatcher {

  /** The four ways a matcher compares a label value. */
  public enum Type {
    EQUAL("="),
    NOT_EQUAL("!="),
    REGEX("=~"),
    NOT_REGEX("!~");

    private final String symbol;

    Type(String symbol) {
      this.symbol = symbol;
    }

    /** The operator as written in PromQL. */
    public String symbol() {
      return symbol;
    }
  }

  private static final String META = "\\.+*?()|[]{}^$";

  private final Type type;
  private final String name;
  private final String value;
  private final Predicate<String> positive;

  private LabelMatcher(Type type, String name, String value, Predicate<String> positive) {
    this.type = type;
    this.name = name;
    this.value = value;
    this.positive = positive;
  }

  /**
   * Creates a matcher, compiling the regular expression for the regex types.
   *
   * @throws com.google.re2j.PatternSyntaxException if the regular expression does not compile
   */
  public static LabelMatcher of(Type type, String name, String value) {
    Predicate<String> positive =
        switch (type) {
          case EQUAL, NOT_EQUAL -> value::equals;
          case REGEX, NOT_REGEX -> regexPredicate(value);
        };
    return new LabelMatcher(type, name, value, positive);
  }

  /** The comparison this matcher makes. */
  public Type type() {
    return type;
  }

  /** The label name. */
  public String name() {
    return name;
  }

  /** The value or regular expression, unescaped. */
  public String value() {
    return value;
  }

  /** Whether a label value satisfies this matcher; a missing label has the value "". */
  public boolean matches(String labelValue) {
    boolean hit = positive.test(labelValue);
    return (type == Type.EQUAL || type == Type.REGEX) == hit;
  }

  private static Predicate<String> regexPredicate(String regex) {
    // Validate the expression on its own first: wrapping could hide unbalanced parentheses.
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      if (e.getMessage() != null && e.getMessage().contains("stack underflow")) {
        // RE2/J reports an unmatched ")" as an internal error; say what Go's RE2 says.
        throw new PatternSyntaxException("unexpected )", regex);
      }
      throw e;
    }
    if (isLiteral(regex)) {
      return regex::equals;
    }
    if (regex.equals(".*")) {
      return s -> true;
    }
    if (regex.equals(".+")) {
      return s -> !s.isEmpty();
    }
    if (regex.length() > 4 && regex.startsWith(".*") && regex.endsWith(".*")) {
      String infix = regex.substring(2, regex.length() - 2);
      if (isLiteral(infix)) {
        return s -> s.contains(infix);
      }
    }
    if (regex.endsWith(".*")) {
      String prefix = regex.substring(0, regex.length() - 2);
      if (isLiteral(prefix)) {
        return s -> s.startsWith(prefix);
      }
    }
    if (regex.startsWith(".*")) {
      String suffix = regex.substring(2);
      if (isLiteral(suffix)) {
        return s -> s.endsWith(suffix);
      }
    }
    if (regex.indexOf('|') >= 0) {
      String[] alternatives = regex.split("\\|", -1);
      if (Arrays.stream(alternatives).allMatch(LabelMatcher::isLiteral)) {
        Set<String> set = Set.copyOf(Arrays.asList(alternatives));
        return set::contains;
      }
    }
    Pattern anchored = Pattern.compile("^(?:" + regex + ")$", Pattern.DOTALL);
    return s -> anchored.matcher(s).matches();
  }

  private static boolean isLiteral(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (META.indexOf(s.charAt(i)) >= 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelMatcher m
        && type == m.type
        && name.equals(m.name)
        && value.equals(m.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, value);
  }

  /** The matcher in canonical PromQL, e.g. {@code job="api"} or {@code "my.label"!~"a|b"}. */
  @Override
  public String toString() {
    return PromQuoting.labelName(name) + type.symbol() + PromQuoting.quote(value);
  }
}
