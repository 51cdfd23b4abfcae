package dev.nines.common.gotemplate;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go's {@code fmt} formatting of the values templates handle: floats as {@code %v}, {@code %g},
 * {@code %e} and {@code %f} print them (shortest digits, two-digit exponents, {@code +Inf}), the
 * common {@code printf} verbs, and {@code time.Time}'s default text.
 */
public final class GoFormat {
  private static final DateTimeFormatter GO_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private GoFormat() {}

  /** {@code %v} of a float64: shortest digits, exponent form below 1e-4 and from 1e6. */
  public static String floatV(double v) {
    return floatG(v, -1);
  }

  /** {@code %.<prec>g}; a negative precision means the shortest representation. */
  public static String floatG(double v, int prec) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    boolean neg = v < 0 || (v == 0 && 1 / v < 0);
    double abs = Math.abs(v);
    boolean shortest = prec < 0;
    if (prec == 0) {
      prec = 1;
    }
    String digits;
    int dp;
    if (abs == 0) {
      digits = "";
      dp = 0;
    } else {
      BigDecimal bd =
          shortest
              ? new BigDecimal(Double.toString(abs))
              : new BigDecimal(abs).round(new MathContext(prec, RoundingMode.HALF_EVEN));
      bd = bd.stripTrailingZeros();
      digits = bd.unscaledValue().toString();
      dp = digits.length() - bd.scale();
    }
    int nd = digits.length();
    int eprec = shortest ? 6 : prec;
    if (!shortest && eprec > nd && nd >= dp) {
      eprec = nd;
    }
    int exp = dp - 1;
    String body;
    if (nd > 0 && (exp < -4 || exp >= eprec)) {
      body = expForm(digits, exp);
    } else {
      body = fixedForm(digits, dp, Math.max(nd - dp, 0));
    }
    return neg ? "-" + body : body;
  }

  /** {@code %.<prec>e}. */
  public static String floatE(double v, int prec) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return floatG(v, -1);
    }
    boolean neg = v < 0 || (v == 0 && 1 / v < 0);
    double abs = Math.abs(v);
    String digits;
    int exp;
    if (abs == 0) {
      digits = "0".repeat(prec + 1);
      exp = 0;
    } else {
      BigDecimal bd = new BigDecimal(abs).round(new MathContext(prec + 1, RoundingMode.HALF_EVEN));
      String unscaled = bd.unscaledValue().toString();
      int dp = unscaled.length() - bd.scale();
      digits = (unscaled + "0".repeat(prec + 1)).substring(0, prec + 1);
      exp = dp - 1;
    }
    StringBuilder out = new StringBuilder();
    if (neg) {
      out.append('-');
    }
    out.append(digits.charAt(0));
    if (prec > 0) {
      out.append('.').append(digits, 1, prec + 1);
    }
    appendExponent(out, exp);
    return out.toString();
  }

  /** {@code %.<prec>f}. */
  public static String floatF(double v, int prec) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return floatG(v, -1);
    }
    String s = new BigDecimal(v).setScale(prec, RoundingMode.HALF_EVEN).toPlainString();
    if (v < 0 || (v == 0 && 1 / v < 0)) {
      return s.startsWith("-") ? s : "-" + s;
    }
    return s;
  }

  private static String expForm(String digits, int exp) {
    StringBuilder out = new StringBuilder().append(digits.charAt(0));
    if (digits.length() > 1) {
      out.append('.').append(digits, 1, digits.length());
    }
    appendExponent(out, exp);
    return out.toString();
  }

  private static void appendExponent(StringBuilder out, int exp) {
    out.append('e').append(exp < 0 ? '-' : '+');
    int e = Math.abs(exp);
    if (e < 10) {
      out.append('0');
    }
    out.append(e);
  }

  private static String fixedForm(String digits, int dp, int frac) {
    StringBuilder out = new StringBuilder();
    if (dp <= 0) {
      out.append('0');
    } else {
      for (int i = 0; i < dp; i++) {
        out.append(i < digits.length() ? digits.charAt(i) : '0');
      }
    }
    if (frac > 0) {
      out.append('.');
      for (int i = 0; i < frac; i++) {
        int idx = dp + i;
        out.append(idx >= 0 && idx < digits.length() ? digits.charAt(idx) : '0');
      }
    }
    return out.toString();
  }

  /** Go's {@code time.Time.String()} of a UTC instant given in nanoseconds since the epoch. */
  public static String time(long epochNanos) {
    long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
    int nanos = (int) Math.floorMod(epochNanos, 1_000_000_000L);
    StringBuilder out = new StringBuilder(GO_TIME.format(Instant.ofEpochSecond(seconds)));
    if (nanos != 0) {
      String frac = String.format(Locale.ROOT, "%09d", nanos);
      int end = frac.length();
      while (frac.charAt(end - 1) == '0') {
        end--;
      }
      out.append('.').append(frac, 0, end);
    }
    return out.append(" +0000 UTC").toString();
  }

  /** Go's {@code %v} of any template value. */
  public static String value(Object v) {
    return switch (v) {
      case null -> "<nil>";
      case String s -> s;
      case Double d -> floatV(d);
      case Long l -> Long.toString(l);
      case Boolean b -> b.toString();
      case GoObject o -> o.toString();
      case Map<?, ?> m -> {
        StringBuilder out = new StringBuilder("map[");
        boolean first = true;
        for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
          if (!first) {
            out.append(' ');
          }
          first = false;
          out.append(value(e.getKey())).append(':').append(value(e.getValue()));
        }
        yield out.append(']').toString();
      }
      case List<?> l -> {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) {
            out.append(' ');
          }
          out.append(value(l.get(i)));
        }
        yield out.append(']').toString();
      }
      default -> v.toString();
    };
  }

  /** Go's type name of a template value, for {@code %!d(float64=1)} and error messages. */
  public static String typeName(Object v) {
    return switch (v) {
      case null -> "<nil>";
      case String s -> "string";
      case Double d -> "float64";
      case Long l -> "int";
      case Boolean b -> "bool";
      case GoObject o -> o.goTypeName();
      case Map<?, ?> m -> "map[string]string";
      case List<?> l -> "[]interface {}";
      default -> v.getClass().getSimpleName();
    };
  }

  /** Go's {@code fmt.Sprintf} for the verbs {@code %v %s %d %f %e %g %q %x %t %%}. */
  public static String sprintf(String format, List<Object> args) {
    StringBuilder out = new StringBuilder();
    int argi = 0;
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i);
      if (c != '%') {
        out.append(c);
        i++;
        continue;
      }
      i++;
      if (i >= format.length()) {
        out.append("%!(NOVERB)");
        break;
      }
      boolean minus = false;
      boolean plus = false;
      boolean zero = false;
      while (i < format.length() && "-+0 #".indexOf(format.charAt(i)) >= 0) {
        char f = format.charAt(i++);
        minus |= f == '-';
        plus |= f == '+';
        zero |= f == '0';
      }
      int width = -1;
      while (i < format.length() && Character.isDigit(format.charAt(i))) {
        width = Math.max(width, 0) * 10 + (format.charAt(i++) - '0');
      }
      int prec = -1;
      if (i < format.length() && format.charAt(i) == '.') {
        i++;
        prec = 0;
        while (i < format.length() && Character.isDigit(format.charAt(i))) {
          prec = prec * 10 + (format.charAt(i++) - '0');
        }
      }
      if (i >= format.length()) {
        out.append("%!(NOVERB)");
        break;
      }
      char verb = format.charAt(i++);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (argi >= args.size()) {
        out.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      Object arg = args.get(argi++);
      String s = formatOne(verb, prec, plus, arg);
      if (width > s.length()) {
        String pad = (zero && !minus ? "0" : " ").repeat(width - s.length());
        if (minus) {
          s = s + pad;
        } else if (zero && (s.startsWith("-") || s.startsWith("+"))) {
          s = s.charAt(0) + pad + s.substring(1);
        } else {
          s = pad + s;
        }
      }
      out.append(s);
    }
    if (argi < args.size()) {
      out.append("%!(EXTRA ");
      for (int k = argi; k < args.size(); k++) {
        if (k > argi) {
          out.append(", ");
        }
        out.append(typeName(args.get(k))).append('=').append(value(args.get(k)));
      }
      out.append(')');
    }
    return out.toString();
  }

  private static String formatOne(char verb, int prec, boolean plus, Object arg) {
    String s =
        switch (verb) {
          case 'v' -> value(arg);
          case 's' ->
              arg instanceof String str
                  ? str
                  : arg instanceof GoObject o ? o.toString() : bad(verb, arg);
          case 'q' -> arg instanceof String str ? quote(str) : bad(verb, arg);
          case 't' -> arg instanceof Boolean b ? b.toString() : bad(verb, arg);
          case 'd' -> arg instanceof Long l ? Long.toString(l) : bad(verb, arg);
          case 'x' ->
              arg instanceof Long l
                  ? Long.toHexString(l)
                  : arg instanceof String str ? hex(str) : bad(verb, arg);
          case 'f', 'F' ->
              arg instanceof Double d
                  ? floatF(d, prec < 0 ? 6 : prec)
                  : arg instanceof Long l ? bad(verb, l) : bad(verb, arg);
          case 'e' -> arg instanceof Double d ? floatE(d, prec < 0 ? 6 : prec) : bad(verb, arg);
          case 'g' -> arg instanceof Double d ? floatG(d, prec) : bad(verb, arg);
          default -> bad(verb, arg);
        };
    if (prec >= 0 && (verb == 's' || verb == 'v') && arg instanceof String && s.length() > prec) {
      s = s.substring(0, prec);
    }
    if (plus && (arg instanceof Double || arg instanceof Long) && !s.startsWith("-")) {
      s = s.startsWith("+") ? s : "+" + s;
    }
    return s;
  }

  private static String bad(char verb, Object arg) {
    return "%!" + verb + "(" + typeName(arg) + "=" + value(arg) + ")";
  }

  private static String hex(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      out.append(String.format(Locale.ROOT, "%02x", b & 0xff));
    }
    return out.toString();
  }

  /** Go's {@code strconv.Quote} for printable text. */
  public static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
