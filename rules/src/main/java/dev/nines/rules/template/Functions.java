package dev.nines.rules.template;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The functions templates may call: Go's builtins in the subset, then Prometheus's. */
final class Functions {
  private static final Set<String> NAMES =
      Set.of(
          // Go text/template builtins
          "and",
          "or",
          "not",
          "len",
          "index",
          "print",
          "printf",
          "println",
          "eq",
          "ne",
          "lt",
          "le",
          "gt",
          "ge",
          "urlquery",
          // Prometheus
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
          "title",
          "toUpper",
          "toLower",
          "match",
          "reReplaceAll",
          "safeHtml",
          "stripPort",
          "stripDomain",
          "parseDuration",
          "externalURL",
          "pathPrefix",
          "args");

  private Functions() {}

  static boolean exists(String name) {
    return NAMES.contains(name);
  }

  /** What a function call needs from the execution besides its arguments. */
  interface Context {
    List<TemplateSample> query(String expr) throws Exception;

    String externalUrl();
  }

  /** Thrown for a failed call; the evaluator adds the template name and line. */
  static final class CallException extends Exception {
    private static final long serialVersionUID = 1L;

    CallException(String message) {
      super(message, null, false, false);
    }
  }

  static @Nullable Object call(String name, List<@Nullable Object> a, Context ctx)
      throws CallException {
    switch (name) {
      case "and" -> {
        need(name, a, 1, -1);
        for (Object v : a) {
          if (!Template.truth(v)) {
            return v;
          }
        }
        return a.get(a.size() - 1);
      }
      case "or" -> {
        need(name, a, 1, -1);
        for (Object v : a) {
          if (Template.truth(v)) {
            return v;
          }
        }
        return a.get(a.size() - 1);
      }
      case "not" -> {
        need(name, a, 1, 1);
        return !Template.truth(a.get(0));
      }
      case "len" -> {
        need(name, a, 1, 1);
        return switch (a.get(0)) {
          case String s -> (long) s.getBytes(StandardCharsets.UTF_8).length;
          case List<?> l -> (long) l.size();
          case Map<?, ?> m -> (long) m.size();
          case null, default ->
              throw new CallException(
                  "error calling len: len of type " + GoFormat.typeName(a.get(0)));
        };
      }
      case "index" -> {
        need(name, a, 1, -1);
        Object v = a.get(0);
        for (int i = 1; i < a.size(); i++) {
          Object k = a.get(i);
          if (v instanceof Map<?, ?> m) {
            Object got = m.get(k);
            v = got == null ? "" : got;
          } else if (v instanceof List<?> l && k instanceof Long idx) {
            if (idx < 0 || idx >= l.size()) {
              throw new CallException("error calling index: index out of range: " + idx);
            }
            v = l.get((int) (long) idx);
          } else {
            throw new CallException(
                "error calling index: can't index item of type " + GoFormat.typeName(v));
          }
        }
        return v;
      }
      case "print" -> {
        return sprint(a, false);
      }
      case "println" -> {
        return sprint(a, true);
      }
      case "printf" -> {
        need(name, a, 1, -1);
        return GoFormat.sprintf(string(name, a.get(0)), a.subList(1, a.size()));
      }
      case "eq", "ne", "lt", "le", "gt", "ge" -> {
        need(name, a, 2, name.equals("eq") ? -1 : 2);
        if (name.equals("eq")) {
          for (int i = 1; i < a.size(); i++) {
            if (compare(name, a.get(0), a.get(i)) == 0) {
              return true;
            }
          }
          return false;
        }
        int c = compare(name, a.get(0), a.get(1));
        return switch (name) {
          case "ne" -> c != 0;
          case "lt" -> c < 0;
          case "le" -> c <= 0;
          case "gt" -> c > 0;
          default -> c >= 0;
        };
      }
      case "urlquery" -> {
        return URLEncoder.encode(sprint(a, false), StandardCharsets.UTF_8);
      }
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
      case "title" -> {
        need(name, a, 1, 1);
        return title(string(name, a.get(0)));
      }
      case "toUpper" -> {
        need(name, a, 1, 1);
        return string(name, a.get(0)).toUpperCase(Locale.ROOT);
      }
      case "toLower" -> {
        need(name, a, 1, 1);
        return string(name, a.get(0)).toLowerCase(Locale.ROOT);
      }
      case "match" -> {
        need(name, a, 2, 2);
        return regex(name, string(name, a.get(0))).matcher(string(name, a.get(1))).find();
      }
      case "reReplaceAll" -> {
        need(name, a, 3, 3);
        Pattern p = regex(name, string(name, a.get(0)));
        try {
          return p.matcher(string(name, a.get(2))).replaceAll(string(name, a.get(1)));
        } catch (RuntimeException e) {
          throw new CallException("error calling " + name + ": " + e.getMessage());
        }
      }
      case "safeHtml" -> {
        need(name, a, 1, 1);
        return string(name, a.get(0));
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

  private static void need(String name, List<?> a, int min, int max) throws CallException {
    if (a.size() < min || (max >= 0 && a.size() > max)) {
      throw new CallException(
          "wrong number of args for "
              + name
              + ": want "
              + (max < 0 ? "at least " + min : min)
              + " got "
              + a.size());
    }
  }

  private static CallException wrongType(String name, @Nullable Object v) {
    return new CallException(
        "error calling " + name + ": wrong type for value; got " + GoFormat.typeName(v));
  }

  private static String string(String name, @Nullable Object v) throws CallException {
    if (v instanceof String s) {
      return s;
    }
    throw new CallException(
        "wrong type for value in call to "
            + name
            + "; expected string; got "
            + GoFormat.typeName(v));
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

  private static Pattern regex(String name, String re) throws CallException {
    try {
      return Pattern.compile(re);
    } catch (PatternSyntaxException e) {
      throw new CallException("error calling " + name + ": " + e.getMessage());
    }
  }

  private static int compare(String name, @Nullable Object x, @Nullable Object y)
      throws CallException {
    if (x instanceof Number nx && y instanceof Number ny) {
      if (x instanceof Long lx && y instanceof Long ly) {
        return Long.compare(lx, ly);
      }
      double dx = nx.doubleValue();
      double dy = ny.doubleValue();
      return dx < dy ? -1 : dx > dy ? 1 : dx == dy ? 0 : 2;
    }
    if (x instanceof String sx && y instanceof String sy) {
      return Integer.signum(sx.compareTo(sy));
    }
    boolean equalityOnly = name.equals("eq") || name.equals("ne");
    if (equalityOnly && x instanceof Boolean && y instanceof Boolean) {
      return x.equals(y) ? 0 : 2;
    }
    if (x == null && y == null) {
      return 0;
    }
    if (x == null || y == null) {
      return 2;
    }
    throw new CallException("error calling " + name + ": incompatible types for comparison");
  }

  /** Go's {@code fmt.Sprint}: a space between operands when neither side is a string. */
  static String sprint(List<@Nullable Object> a, boolean ln) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < a.size(); i++) {
      if (i > 0 && (ln || (!(a.get(i) instanceof String) && !(a.get(i - 1) instanceof String)))) {
        out.append(' ');
      }
      out.append(GoFormat.value(a.get(i)));
    }
    if (ln) {
      out.append('\n');
    }
    return out.toString();
  }

  /** Go's deprecated {@code strings.Title}: upper-cases the first letter of each word. */
  static String title(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int prev = ' ';
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      out.appendCodePoint(isSeparator(prev) ? Character.toTitleCase(cp) : cp);
      prev = cp;
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  private static boolean isSeparator(int r) {
    if (r <= 0x7F) {
      if ((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_') {
        return false;
      }
      return true;
    }
    if (Character.isLetterOrDigit(r)) {
      return false;
    }
    return Character.isWhitespace(r) || Character.isSpaceChar(r);
  }
}
