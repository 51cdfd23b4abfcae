package dev.nines.common;

import java.util.Locale;

/**
 * What an alert-hygiene finding does: the rule lint ({@code nines rules check}) and the route lint
 * ({@code nines notify check}) share it.
 */
public enum HygieneMode {
  /** The lint does not run. */
  OFF,
  /** Findings are reported as warnings; the rules load. */
  WARN,
  /** Findings are errors; the file is refused. */
  REFUSE;

  /**
   * Parses {@code off}, {@code warn} or {@code refuse} (any case).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static HygieneMode parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "off" -> OFF;
      case "warn" -> WARN;
      case "refuse" -> REFUSE;
      default ->
          throw new IllegalArgumentException(
              "\"" + s + "\" is not a hygiene mode (one of off, warn, refuse)");
    };
  }
}
