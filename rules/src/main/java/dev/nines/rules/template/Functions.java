package dev.nines.rules.template;

import static dev.nines.common.gotemplate.FunctionTable.need;
import static dev.nines.common.gotemplate.FunctionTable.string;

import dev.nines.common.gotemplate.FunctionTable;
import dev.nines.common.gotemplate.GoFormat;
import dev.nines.common.gotemplate.TemplateFunction.CallException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Prometheus's template functions, added to Go's builtins and the shared text functions of {@link
 * FunctionTable#builtins()}.
 */
final class Functions {
  private static final List<String> NAMES =
      List.of(
          "query",
          "first",
          "label",
          "value",
          "strvalue",
          "sortByLabel",
          "humanize",
          "humanize1024",
          "humanizeDuration",
          "humanizePercentage",
          "humanizeTimestamp",
          "stripPort",
          "stripDomain",
          "parseDuration",
          "externalURL",
          "pathPrefix",
          "args");

  /** Go's builtins and Prometheus's functions. */
  static final FunctionTable TABLE = table();

  private Functions() {}

  /** What a function call needs from the execution besides its arguments. */
  interface Context {
    List<TemplateSample> query(String expr) throws Exception;

    String externalUrl();
  }

  private static FunctionTable table() {
    FunctionTable t = FunctionTable.builtins();
    for (String n : NAMES) {
      t = t.with(n, (a, ctx) -> call(n, a, (Context) java.util.Objects.requireNonNull(ctx)));
    }
    return t;
  }

  static @Nullable Object call(String name, List<@Nullable Object> a, Context ctx)
      throws CallException {
    switch (name) {
      case "query" -> {
        need(name, a, 1, 1);
        try {
          return List.copyOf(ctx.query(string(name, a.get(0))));
        } catch (CallException e) {
          throw e;
        } catch (Exception e) {
          throw new CallException("error calling query: " + e.getMessage());
        }
      }
      case "first" -> {
        need(name, a, 1, 1);
        if (a.get(0) instanceof List<?> l) {
          if (l.isEmpty()) {
            throw new CallException(
                "error calling first: first() called on vector with no elements");
          }
          return l.get(0);
        }
        throw wrongType(name, a.get(0));
      }
      case "label" -> {
        need(name, a, 2, 2);
        if (a.get(1) instanceof TemplateSample s) {
          return s.labels().getOrDefault(string(name, a.get(0)), "");
        }
        throw wrongType(name, a.get(1));
      }
      case "value" -> {
        need(name, a, 1, 1);
        if (a.get(0) instanceof TemplateSample s) {
          return s.value();
        }
        throw wrongType(name, a.get(0));
      }
      case "strvalue" -> {
        need(name, a, 1, 1);
        if (a.get(0) instanceof TemplateSample s) {
          return s.labels().getOrDefault("__value__", "");
        }
        throw wrongType(name, a.get(0));
      }
      case "sortByLabel" -> {
        need(name, a, 2, 2);
        String label = string(name, a.get(0));
        if (a.get(1) instanceof List<?> l) {
          List<TemplateSample> sorted = new ArrayList<>();
          for (Object o : l) {
            sorted.add((TemplateSample) o);
          }
          sorted.sort(Comparator.comparing(s -> s.labels().getOrDefault(label, "")));
          return sorted;
        }
        throw wrongType(name, a.get(1));
      }
      case "humanize",
          "humanize1024",
          "humanizeDuration",
          "humanizePercentage",
          "humanizeTimestamp" -> {
        need(name, a, 1, 1);
        double v = toFloat(name, a.get(0));
        return switch (name) {
          case "humanize" -> Humanize.humanize(v);
          case "humanize1024" -> Humanize.humanize1024(v);
          case "humanizeDuration" -> Humanize.humanizeDuration(v);
          case "humanizePercentage" -> Humanize.humanizePercentage(v);
          default -> {
            try {
              yield Humanize.humanizeTimestamp(v);
            } catch (IllegalArgumentException e) {
              throw new CallException("error calling " + name + ": " + e.getMessage());
            }
          }
        };
      }
      case "stripPort" -> {
        need(name, a, 1, 1);
        String s = string(name, a.get(0));
        if (s.startsWith("[")) {
          int close = s.indexOf(']');
          return close > 0 ? s.substring(1, close) : s;
        }
        int colon = s.lastIndexOf(':');
        return colon >= 0 && s.indexOf(':') == colon ? s.substring(0, colon) : s;
      }
      case "stripDomain" -> {
        need(name, a, 1, 1);
        String s = string(name, a.get(0));
        String host = s;
        String port = "";
        int colon = s.lastIndexOf(':');
        if (colon >= 0 && s.indexOf(':') == colon) {
          host = s.substring(0, colon);
          port = s.substring(colon);
        }
        if (host.matches("[0-9.]+") || host.contains(":")) {
          return s;
        }
        int dot = host.indexOf('.');
        return (dot >= 0 ? host.substring(0, dot) : host) + port;
      }
      case "parseDuration" -> {
        need(name, a, 1, 1);
        try {
          return dev.nines.common.PromDuration.parse(string(name, a.get(0))).toMillis() / 1000.0;
        } catch (IllegalArgumentException e) {
          throw new CallException("error calling " + name + ": " + e.getMessage());
        }
      }
      case "externalURL" -> {
        need(name, a, 0, 0);
        return ctx.externalUrl();
      }
      case "pathPrefix" -> {
        need(name, a, 0, 0);
        try {
          String p = java.net.URI.create(ctx.externalUrl()).getPath();
          return p == null ? "" : p;
        } catch (IllegalArgumentException e) {
          return "";
        }
      }
      case "args" -> {
        Map<String, Object> m = new java.util.TreeMap<>();
        for (int i = 0; i < a.size(); i++) {
          m.put("arg" + i, a.get(i));
        }
        return m;
      }
      default -> throw new CallException("function \"" + name + "\" not defined");
    }
  }

  private static CallException wrongType(String name, @Nullable Object v) {
    return new CallException(
        "error calling " + name + ": wrong type for value; got " + GoFormat.typeName(v));
  }

  /** Prometheus's {@code convertToFloat}: numbers, and strings through Go's ParseFloat. */
  static double toFloat(String name, @Nullable Object v) throws CallException {
    return switch (v) {
      case Double d -> d;
      case Long l -> (double) l;
      case String s -> {
        try {
          yield parseFloat(s);
        } catch (NumberFormatException e) {
          throw new CallException(
              "error calling "
                  + name
                  + ": strconv.ParseFloat: parsing "
                  + GoFormat.quote(s)
                  + ": invalid syntax");
        }
      }
      case null, default ->
          throw new CallException(
              "error calling " + name + ": can't convert " + GoFormat.typeName(v) + " to float");
    };
  }

  private static double parseFloat(String s) {
    String t = s.toLowerCase(Locale.ROOT);
    switch (t) {
      case "inf", "+inf", "infinity", "+infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "nan" -> {
        return Double.NaN;
      }
      default -> {}
    }
    if (s.isEmpty()
        || !s.matches("[+-]?([0-9_]*\\.?[0-9_]*([eE][+-]?[0-9]+)?|0[xX][0-9a-fA-F.pP+-]+)")) {
      throw new NumberFormatException(s);
    }
    if (t.contains("0x")) {
      return Double.parseDouble(s.contains("p") || s.contains("P") ? s : s + "p0");
    }
    return Double.parseDouble(s.replace("_", ""));
  }
}
