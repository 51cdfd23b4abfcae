package dev.nines.promql.parser;

import dev.nines.common.LabelMatcher;
import dev.nines.common.PromDuration;
import dev.nines.common.PromQuoting;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Prints an AST as canonical PromQL, the way Prometheus's {@code format_query} does: lower-case
 * keywords, single spaces around binary operators, {@code sum by (job) (x)}, sorted label matchers,
 * normalized durations ({@code 90m} prints as {@code 1h30m}) and double-quoted strings with Go
 * escapes.
 *
 * <p>Design note: parsed trees keep their parentheses as {@link ParenExpr}, so printing them needs
 * no precedence logic. Trees built in code may nest binary expressions without {@code ParenExpr};
 * for those the printer adds the parentheses that keep the tree's meaning.
 */
public final class Printer {
  private static final Pattern LEGACY_METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  /** Words that cannot stand unquoted as a metric name. */
  private static final Set<String> RESERVED_NAMES =
      Set.of("bool", "on", "ignoring", "group_left", "group_right", "atan2", "inf", "nan");

  private Printer() {}

  /** The expression as canonical PromQL. */
  public static String print(Expr expr) {
    StringBuilder out = new StringBuilder();
    write(out, expr);
    return out.toString();
  }

  /** Prometheus's line limit for {@link #prettify}: longer expressions are split. */
  public static final int MAX_CHARACTERS_PER_LINE = 100;

  /**
   * The expression as Prometheus's {@code format_query} answers it ({@code parser.Prettify}): an
   * expression whose canonical form fits in {@value #MAX_CHARACTERS_PER_LINE} bytes stays on one
   * line; a longer aggregation, call, parenthesis or binary operation is split over lines, its
   * operands indented by two spaces per level, and each operand is judged the same way.
   */
  public static String prettify(Expr expr) {
    StringBuilder out = new StringBuilder();
    pretty(out, expr, 0);
    return out.toString();
  }

  private static void pretty(StringBuilder out, Expr expr, int level) {
    String flat = print(expr);
    boolean split = flat.getBytes(StandardCharsets.UTF_8).length > MAX_CHARACTERS_PER_LINE;
    switch (expr) {
      case AggregateExpr a when split -> {
        indent(out, level);
        writeAggregateOp(out, a);
        out.append('(').append('\n');
        if (a.param() != null) {
          pretty(out, a.param(), level + 1);
          out.append(',').append('\n');
        }
        pretty(out, a.expr(), level + 1);
        out.append('\n');
        indent(out, level);
        out.append(')');
      }
      case BinaryExpr b when split -> {
        pretty(out, b.lhs(), level + 1);
        out.append('\n');
        indent(out, level);
        out.append(b.op().symbol());
        if (b.returnBool()) {
          out.append(" bool");
        }
        writeMatching(out, b.matching());
        out.append('\n');
        pretty(out, b.rhs(), level + 1);
      }
      case Call c when split -> {
        indent(out, level);
        out.append(c.function().name()).append('(').append('\n');
        for (int i = 0; i < c.args().size(); i++) {
          if (i > 0) {
            out.append(',').append('\n');
          }
          pretty(out, c.args().get(i), level + 1);
        }
        out.append('\n');
        indent(out, level);
        out.append(')');
      }
      case ParenExpr p when split -> {
        indent(out, level);
        out.append('(').append('\n');
        pretty(out, p.expr(), level + 1);
        out.append('\n');
        indent(out, level);
        out.append(')');
      }
      // As Prometheus: a subquery short enough for one line is not indented.
      case SubqueryExpr s when !split -> out.append(flat);
      case SubqueryExpr s -> {
        pretty(out, s.expr(), level);
        writeSubquerySuffix(out, s);
      }
      case UnaryExpr u -> {
        StringBuilder child = new StringBuilder();
        pretty(child, u.expr(), level);
        indent(out, level);
        out.append(u.op().symbol()).append(child.toString().strip());
      }
      default -> {
        indent(out, level);
        out.append(flat);
      }
    }
  }

  private static void indent(StringBuilder out, int level) {
    out.append("  ".repeat(level));
  }

  private static void write(StringBuilder out, Expr expr) {
    switch (expr) {
      case NumberLiteral n -> out.append(formatNumber(n));
      case StringLiteral s -> out.append(quote(s.value()));
      case VectorSelector vs -> {
        writeSelector(out, vs);
        writeAt(out, vs.at());
        writeOffset(out, vs.offset());
      }
      case MatrixSelector m -> {
        writeSelector(out, m.selector());
        out.append('[').append(PromDuration.format(m.range())).append(']');
        writeAt(out, m.selector().at());
        writeOffset(out, m.selector().offset());
      }
      case SubqueryExpr s -> {
        writeOperand(out, s.expr(), needsParensAsPostfixOperand(s.expr()), true);
        writeSubquerySuffix(out, s);
      }
      case ParenExpr p -> {
        out.append('(');
        write(out, p.expr());
        out.append(')');
      }
      case UnaryExpr u -> {
        out.append(u.op().symbol());
        writeOperand(out, u.expr(), u.expr() instanceof BinaryExpr b && b.op() != BinaryOp.POW);
      }
      case BinaryExpr b -> writeBinary(out, b);
      case AggregateExpr a -> {
        writeAggregateOp(out, a);
        out.append('(');
        if (a.param() != null) {
          write(out, a.param());
          out.append(", ");
        }
        write(out, a.expr());
        out.append(')');
      }
      case Call c -> {
        out.append(c.function().name()).append('(');
        for (int i = 0; i < c.args().size(); i++) {
          if (i > 0) {
            out.append(", ");
          }
          write(out, c.args().get(i));
        }
        out.append(')');
      }
    }
  }

  /** {@code sum}, {@code sum by (a, b) } or {@code sum without (a) }, before the {@code (}. */
  private static void writeAggregateOp(StringBuilder out, AggregateExpr a) {
    out.append(a.op().keyword());
    if (a.without()) {
      out.append(" without (");
      joinLabels(out, a.grouping());
      out.append(") ");
    } else if (!a.grouping().isEmpty()) {
      out.append(" by (");
      joinLabels(out, a.grouping());
      out.append(") ");
    }
  }

  /** {@code [range:step]}, then {@code @} and {@code offset} of a subquery. */
  private static void writeSubquerySuffix(StringBuilder out, SubqueryExpr s) {
    out.append('[').append(PromDuration.format(s.range())).append(':');
    if (s.step() != null) {
      out.append(PromDuration.format(s.step()));
    }
    out.append(']');
    writeAt(out, s.at());
    writeOffset(out, s.offset());
  }

  /** {@code on (a) group_left (b)} and the like, with its leading space; nothing without. */
  private static void writeMatching(StringBuilder out, @Nullable VectorMatching vm) {
    boolean grouped =
        vm != null
            && (vm.card() == VectorMatching.Cardinality.MANY_TO_ONE
                || vm.card() == VectorMatching.Cardinality.ONE_TO_MANY);
    if (vm != null && (vm.on() || !vm.matchingLabels().isEmpty() || grouped)) {
      out.append(vm.on() ? " on (" : " ignoring (");
      joinLabels(out, vm.matchingLabels());
      out.append(')');
      if (grouped) {
        out.append(
            vm.card() == VectorMatching.Cardinality.MANY_TO_ONE
                ? " group_left ("
                : " group_right (");
        joinLabels(out, vm.include());
        out.append(')');
      }
    }
  }

  private static void writeBinary(StringBuilder out, BinaryExpr b) {
    int prec = b.op().precedence();
    boolean right = b.op().isRightAssociative();
    writeOperand(out, b.lhs(), binaryPrecedence(b.lhs(), true) < prec + (right ? 1 : 0), right);
    out.append(' ').append(b.op().symbol());
    if (b.returnBool()) {
      out.append(" bool");
    }
    writeMatching(out, b.matching());
    out.append(' ');
    writeOperand(out, b.rhs(), binaryPrecedence(b.rhs(), false) < prec + (right ? 0 : 1));
  }

  /**
   * How tightly an operand holds together when printed bare: a binary expression by its operator; a
   * prefix sign, on the left of an operator, just below {@code ^} (it would take the {@code ^} into
   * its operand); anything else tighter than every operator.
   */
  private static int binaryPrecedence(Expr e, boolean leftOperand) {
    if (e instanceof BinaryExpr b) {
      return b.op().precedence();
    }
    if (leftOperand && startsWithSign(e)) {
      return BinaryOp.POW_PRECEDENCE - 1;
    }
    return Integer.MAX_VALUE;
  }

  private static boolean startsWithSign(Expr e) {
    return e instanceof UnaryExpr
        || (e instanceof NumberLiteral n && formatNumber(n).startsWith("-"));
  }

  private static boolean needsParensAsPostfixOperand(Expr e) {
    return e instanceof BinaryExpr || startsWithSign(e);
  }

  private static void writeOperand(StringBuilder out, Expr e, boolean parens) {
    writeOperand(out, e, parens, false);
  }

  private static void writeOperand(StringBuilder out, Expr e, boolean parens, boolean bareInf) {
    if (bareInf && e instanceof NumberLiteral n && n.value() == Double.POSITIVE_INFINITY) {
      // "+Inf" would read back as a unary plus taking in a following "^" or "[...]".
      out.append("Inf");
    } else if (parens) {
      out.append('(');
      write(out, e);
      out.append(')');
    } else {
      write(out, e);
    }
  }

  private static void writeSelector(StringBuilder out, VectorSelector vs) {
    List<String> labels = new ArrayList<>();
    for (LabelMatcher m : vs.matchers()) {
      if (m.name().equals(VectorSelector.METRIC_NAME_LABEL)
          && m.type() == LabelMatcher.Type.EQUAL
          && m.value().equals(vs.name())
          && !m.value().isEmpty()) {
        continue;
      }
      labels.add(m.toString());
    }
    labels.sort(null);
    String name = vs.name();
    if (!name.isEmpty() && !isBareMetricName(name)) {
      labels.add(0, quote(name));
      out.append('{').append(String.join(",", labels)).append('}');
      return;
    }
    out.append(name);
    if (!labels.isEmpty() || name.isEmpty()) {
      out.append('{').append(String.join(",", labels)).append('}');
    }
  }

  private static void writeAt(StringBuilder out, @Nullable AtModifier at) {
    if (at == null) {
      return;
    }
    switch (at.kind()) {
      case START -> out.append(" @ start()");
      case END -> out.append(" @ end()");
      case TIMESTAMP ->
          out.append(" @ ").append(BigDecimal.valueOf(at.timestampMillis(), 3).toPlainString());
    }
  }

  private static void writeOffset(StringBuilder out, Duration offset) {
    if (offset.isNegative()) {
      out.append(" offset -").append(PromDuration.format(offset.negated()));
    } else if (!offset.isZero()) {
      out.append(" offset ").append(PromDuration.format(offset));
    }
  }

  private static void joinLabels(StringBuilder out, List<String> labels) {
    for (int i = 0; i < labels.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      String l = labels.get(i);
      boolean bare =
          LEGACY_METRIC_NAME.matcher(l).matches()
              && !l.equalsIgnoreCase("inf")
              && !l.equalsIgnoreCase("nan");
      out.append(bare ? l : quote(l));
    }
  }

  private static boolean isBareMetricName(String name) {
    return LEGACY_METRIC_NAME.matcher(name).matches()
        && !RESERVED_NAMES.contains(name.toLowerCase(Locale.ROOT));
  }

  /** A label name as written in a matcher: bare if it is a legacy name, quoted otherwise. */
  static String labelName(String name) {
    return PromQuoting.labelName(name);
  }

  /** A string as Go's {@code strconv.Quote} writes it. */
  static String quote(String s) {
    return PromQuoting.quote(s);
  }

  /** A float as Go's {@code strconv.FormatFloat(v, 'f', -1, 64)} writes it, or a duration. */
  static String formatNumber(NumberLiteral n) {
    double v = n.value();
    if (n.duration() && Double.isFinite(v)) {
      long millis = Math.round(Math.abs(v) * 1000);
      String d = PromDuration.format(Duration.ofMillis(millis));
      return v < 0 ? "-" + d : d;
    }
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return Double.doubleToRawLongBits(v) < 0 ? "-0" : "0";
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }
}
