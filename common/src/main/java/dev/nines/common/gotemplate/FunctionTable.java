package dev.nines.common.gotemplate;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.nines.common.gotemplate.TemplateFunction.CallException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The functions a family of templates may call, by name: Go's builtins ({@link #builtins()}) plus
 * what the caller adds (Prometheus's functions for rule templates, Alertmanager's for notification
 * templates). Immutable; {@link #with} returns a new table. The static helpers check arguments with
 * Go's wording, for function implementations.
 */
public final class FunctionTable {
  private static final FunctionTable BUILTINS = new FunctionTable(builtinMap());

  private final Map<String, TemplateFunction> functions;

  private FunctionTable(Map<String, TemplateFunction> functions) {
    this.functions = Collections.unmodifiableMap(new HashMap<>(functions));
  }

  /**
   * Go's builtins: {@code and or not len index print printf println eq ne lt le gt ge urlquery},
   * and the text functions Prometheus and Alertmanager share: {@code title toUpper toLower match
   * reReplaceAll safeHtml}.
   */
  public static FunctionTable builtins() {
    return BUILTINS;
  }

  /** This table with {@code name} added or replaced. */
  public FunctionTable with(String name, TemplateFunction fn) {
    Map<String, TemplateFunction> m = new HashMap<>(functions);
    m.put(name, fn);
    return new FunctionTable(m);
  }

  /** Whether {@code name} is a function here. */
  public boolean has(String name) {
    return functions.containsKey(name);
  }

  /** The function named {@code name}, or null. */
  public @Nullable TemplateFunction get(String name) {
    return functions.get(name);
  }

  /** Checks the number of arguments; {@code max} &lt; 0 means no upper bound. */
  public static void need(String name, List<?> a, int min, int max) throws CallException {
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

  /** The argument as a string, or Go's type error. */
  public static String string(String name, @Nullable Object v) throws CallException {
    if (v instanceof String s) {
      return s;
    }
    throw new CallException(
        "wrong type for value in call to "
            + name
            + "; expected string; got "
            + GoFormat.typeName(v));
  }

  /** A regular expression (RE2, unanchored as Go's regexp), or a call error. */
  public static Pattern regex(String name, String re) throws CallException {
    try {
      return Pattern.compile(re);
    } catch (PatternSyntaxException e) {
      throw new CallException("error calling " + name + ": " + e.getMessage());
    }
  }

  /** Go's {@code fmt.Sprint}: a space between operands when neither side is a string. */
  public static String sprint(List<@Nullable Object> a, boolean ln) {
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
  public static String title(String s) {
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
      return !((r >= '0' && r <= '9')
          || (r >= 'a' && r <= 'z')
          || (r >= 'A' && r <= 'Z')
          || r == '_');
    }
    if (Character.isLetterOrDigit(r)) {
      return false;
    }
    return Character.isWhitespace(r) || Character.isSpaceChar(r);
  }

  private static Map<String, TemplateFunction> builtinMap() {
    Map<String, TemplateFunction> m = new HashMap<>();
    m.put(
        "and",
        (a, c) -> {
          need("and", a, 1, -1);
          for (Object v : a) {
            if (!GoTemplate.truth(v)) {
              return v;
            }
          }
          return a.get(a.size() - 1);
        });
    m.put(
        "or",
        (a, c) -> {
          need("or", a, 1, -1);
          for (Object v : a) {
            if (GoTemplate.truth(v)) {
              return v;
            }
          }
          return a.get(a.size() - 1);
        });
    m.put(
        "not",
        (a, c) -> {
          need("not", a, 1, 1);
          return !GoTemplate.truth(a.get(0));
        });
    m.put(
        "len",
        (a, c) -> {
          need("len", a, 1, 1);
          return switch (a.get(0)) {
            case String s -> (long) s.getBytes(StandardCharsets.UTF_8).length;
            case List<?> l -> (long) l.size();
            case Map<?, ?> mm -> (long) mm.size();
            case null, default ->
                throw new CallException(
                    "error calling len: len of type " + GoFormat.typeName(a.get(0)));
          };
        });
    m.put("index", FunctionTable::index);
    m.put("print", (a, c) -> sprint(a, false));
    m.put("println", (a, c) -> sprint(a, true));
    m.put(
        "printf",
        (a, c) -> {
          need("printf", a, 1, -1);
          return GoFormat.sprintf(string("printf", a.get(0)), a.subList(1, a.size()));
        });
    for (String op : List.of("eq", "ne", "lt", "le", "gt", "ge")) {
      m.put(op, (a, c) -> comparison(op, a));
    }
    m.put("urlquery", (a, c) -> URLEncoder.encode(sprint(a, false), StandardCharsets.UTF_8));
    m.put(
        "title",
        (a, c) -> {
          need("title", a, 1, 1);
          return title(string("title", a.get(0)));
        });
    m.put(
        "toUpper",
        (a, c) -> {
          need("toUpper", a, 1, 1);
          return string("toUpper", a.get(0)).toUpperCase(Locale.ROOT);
        });
    m.put(
        "toLower",
        (a, c) -> {
          need("toLower", a, 1, 1);
          return string("toLower", a.get(0)).toLowerCase(Locale.ROOT);
        });
    m.put(
        "match",
        (a, c) -> {
          need("match", a, 2, 2);
          return regex("match", string("match", a.get(0)))
              .matcher(string("match", a.get(1)))
              .find();
        });
    m.put(
        "reReplaceAll",
        (a, c) -> {
          need("reReplaceAll", a, 3, 3);
          Pattern p = regex("reReplaceAll", string("reReplaceAll", a.get(0)));
          try {
            return p.matcher(string("reReplaceAll", a.get(2)))
                .replaceAll(string("reReplaceAll", a.get(1)));
          } catch (RuntimeException e) {
            throw new CallException("error calling reReplaceAll: " + e.getMessage());
          }
        });
    m.put(
        "safeHtml",
        (a, c) -> {
          need("safeHtml", a, 1, 1);
          return string("safeHtml", a.get(0));
        });
    return m;
  }

  private static @Nullable Object index(List<@Nullable Object> a, @Nullable Object ctx)
      throws CallException {
    need("index", a, 1, -1);
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

  private static Object comparison(String name, List<@Nullable Object> a) throws CallException {
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
}
