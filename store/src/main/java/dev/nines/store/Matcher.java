package dev.nines.store;

import java.util.Objects;

/**
 * One label matcher of a silence, as Alertmanager defines it: a label name, a value (a literal or
 * an RE2 regular expression) and how they are compared.
 *
 * @param name the label name; not empty
 * @param value the literal value or the regular expression; may be empty
 * @param type how the label's value is compared with {@code value}
 */
public record Matcher(String name, String value, Type type) {

  /** How a matcher compares a label's value. */
  public enum Type {
    /** {@code name="value"} */
    EQUAL,
    /** {@code name!="value"} */
    NOT_EQUAL,
    /** {@code name=~"regex"} */
    REGEX,
    /** {@code name!~"regex"} */
    NOT_REGEX
  }

  /** Checks that no field is null and the name is not empty. */
  public Matcher {
    Objects.requireNonNull(name, "matcher name");
    Objects.requireNonNull(value, "matcher value");
    Objects.requireNonNull(type, "matcher type");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("matcher name: must not be empty");
    }
  }
}
