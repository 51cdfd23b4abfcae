package dev.nines.server.api;

import dev.nines.common.LabelMatcher;
import dev.nines.common.PromDuration;
import dev.nines.promql.parser.Expr;
import dev.nines.promql.parser.ParenExpr;
import dev.nines.promql.parser.ParseException;
import dev.nines.promql.parser.Parser;
import dev.nines.promql.parser.VectorSelector;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/*
 * Design notes. Prometheus reads parameters with Go's Request.FormValue: a value in a POST
 * form-encoded body wins over the same name in the URL, and an empty value counts as absent.
 * Repeated parameters (match[]) are the body's values followed by the URL's. Time and duration
 * parsing follow web/api/v1's parseTime and parseDuration, error texts included.
 */

/**
 * The parameters of one API request, read as Prometheus reads them, with Prometheus's parsers for
 * times, durations, limits and series selectors.
 */
final class Params {
  /** Prometheus's MinTime (the default start of optional ranges), in milliseconds. */
  static final long MIN_TIME = (Long.MIN_VALUE / 1000 + 62135596801L) * 1000;

  /** Prometheus's MaxTime (the default end of optional ranges), in milliseconds. */
  static final long MAX_TIME = (Long.MAX_VALUE / 1000 - 62135596801L) * 1000 + 999;

  private static final String MIN_TIME_FORMATTED = "-292273086-05-16T16:47:06Z";
  private static final String MAX_TIME_FORMATTED = "292277025-08-18T07:12:54.999999999Z";

  /** What Go's strconv.ParseFloat accepts in decimal (hex floats are not taken). */
  private static final Pattern FLOAT =
      Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

  private static final Pattern SPECIAL = Pattern.compile("[+-]?(?i:inf|infinity|nan)");
  private static final Pattern INT = Pattern.compile("[+-]?[0-9]+");

  private final Context ctx;
  private final boolean form;

  Params(Context ctx) {
    this.ctx = ctx;
    String type = ctx.contentType();
    this.form =
        HandlerType.POST.equals(ctx.method())
            && type != null
            && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
  }

  /** The value of a parameter, the body's first; null when absent or empty. */
  @Nullable String get(String name) {
    if (form) {
      String v = ctx.formParam(name);
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    String v = ctx.queryParam(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** Every value of a repeated parameter: the body's, then the URL's. */
  List<String> all(String name) {
    List<String> out = new ArrayList<>();
    if (form) {
      out.addAll(ctx.formParams(name));
    }
    out.addAll(ctx.queryParams(name));
    return out;
  }

  /** The query text; absent is the empty query, which fails to parse as in Prometheus. */
  String query() {
    String q = get("query");
    return q == null ? "" : q;
  }

  /**
   * An optional time parameter in milliseconds, or {@code dflt} when absent.
   *
   * @throws ApiError bad_data, worded as Prometheus's parseTimeParam
   */
  long optionalTime(String name, long dflt) {
    String v = get(name);
    if (v == null) {
      return dflt;
    }
    try {
      return parseTime(v);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalidParam(name, "Invalid time value for '" + name + "': " + e.getMessage());
    }
  }

  /**
   * A required time parameter in milliseconds.
   *
   * @throws ApiError bad_data, worded as Prometheus's parseTime
   */
  long requiredTime(String name) {
    String v = get(name);
    try {
      return parseTime(v == null ? "" : v);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalidParam(name, e.getMessage());
    }
  }

  /** An optional duration parameter, or null when absent. */
  @Nullable Duration optionalDuration(String name) {
    String v = get(name);
    if (v == null) {
      return null;
    }
    try {
      return parseDuration(v);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalidParam(name, e.getMessage());
    }
  }

  /** A required duration parameter. */
  Duration requiredDuration(String name) {
    String v = get(name);
    try {
      return parseDuration(v == null ? "" : v);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalidParam(name, e.getMessage());
    }
  }

  /**
   * The {@code limit} parameter as Prometheus's parseLimitParam reads it: 0 (no limit) when absent.
   */
  int limit() {
    String v = get("limit");
    if (v == null) {
      return 0;
    }
    int limit = atoi(v, "limit");
    if (limit < 0) {
      throw ApiError.invalidParam("limit", "limit must be non-negative");
    }
    return limit;
  }

  /** An integer parameter parsed like Go's strconv.Atoi, or {@code dflt} when absent. */
  int intParam(String name, int dflt) {
    String v = get(name);
    return v == null ? dflt : atoi(v, name);
  }

  private static int atoi(String v, String name) {
    if (!INT.matcher(v).matches()) {
      throw ApiError.invalidParam(name, "strconv.Atoi: parsing " + goQuote(v) + ": invalid syntax");
    }
    try {
      return Integer.parseInt(v.startsWith("+") ? v.substring(1) : v);
    } catch (NumberFormatException e) {
      throw ApiError.invalidParam(
          name, "strconv.Atoi: parsing " + goQuote(v) + ": value out of range");
    }
  }

  /**
   * The {@code match[]} selectors, each a list of matchers; empty when none are given.
   *
   * @throws ApiError bad_data when one does not parse or matches every series
   */
  List<List<LabelMatcher>> matcherSets() {
    List<List<LabelMatcher>> sets = new ArrayList<>();
    for (String s : all("match[]")) {
      sets.add(parseSelector(s));
    }
    for (List<LabelMatcher> set : sets) {
      boolean nonEmpty = false;
      for (LabelMatcher m : set) {
        if (!m.matches("")) {
          nonEmpty = true;
          break;
        }
      }
      if (!nonEmpty) {
        throw ApiError.badData("match[] must contain at least one non-empty matcher");
      }
    }
    return sets;
  }

  /** Parses one series selector ({@code up{job="x"}}) into its matchers. */
  static List<LabelMatcher> parseSelector(String text) {
    Expr e;
    try {
      e = Parser.parse(text);
    } catch (ParseException ex) {
      throw ApiError.badData(ex.getMessage());
    }
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    if (e instanceof VectorSelector vs && vs.offset().isZero() && vs.at() == null) {
      return vs.matchers();
    }
    throw ApiError.badData("1:1: parse error: " + goQuote(text) + " is not a series selector");
  }

  /**
   * Prometheus's parseTime: float seconds (rounded to the millisecond) or RFC 3339.
   *
   * @throws IllegalArgumentException with Prometheus's text
   */
  static long parseTime(String s) {
    if (FLOAT.matcher(s).matches()) {
      double t = Double.parseDouble(s);
      if (Math.abs(t) < 9.2e15) {
        long secs = (long) t; // Go's math.Modf: integer part toward zero
        double frac = t - secs;
        return Math.addExact(Math.multiplyExact(secs, 1000L), roundHalfAway(frac * 1000));
      }
    }
    if (s.equals(MIN_TIME_FORMATTED)) {
      return MIN_TIME;
    }
    if (s.equals(MAX_TIME_FORMATTED)) {
      return MAX_TIME;
    }
    try {
      return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant()
          .toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException("cannot parse " + goQuote(s) + " to a valid timestamp");
    }
  }

  /**
   * Prometheus's parseDuration: float seconds or a Prometheus duration ({@code 1m30s}).
   *
   * @throws IllegalArgumentException with Prometheus's text
   */
  static Duration parseDuration(String s) {
    if (FLOAT.matcher(s).matches() || SPECIAL.matcher(s).matches()) {
      double d = Double.parseDouble(normalizeSpecial(s));
      double ns = d * 1e9;
      if (Double.isNaN(ns) || ns >= 0x1p63 || ns < -0x1p63) {
        throw new IllegalArgumentException(
            "cannot parse " + goQuote(s) + " to a valid duration. It overflows int64");
      }
      return Duration.ofNanos((long) ns);
    }
    try {
      return PromDuration.parse(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot parse " + goQuote(s) + " to a valid duration");
    }
  }

  private static String normalizeSpecial(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.endsWith("nan")) {
      return "NaN";
    }
    if (lower.endsWith("inf") || lower.endsWith("infinity")) {
      return lower.startsWith("-") ? "-Infinity" : "Infinity";
    }
    return s;
  }

  private static long roundHalfAway(double x) {
    return x < 0 ? -(long) Math.floor(-x + 0.5) : (long) Math.floor(x + 0.5);
  }

  /** A string quoted as Go's %q quotes it (for the ASCII cases that matter in messages). */
  static String goQuote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
