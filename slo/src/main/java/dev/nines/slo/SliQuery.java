package dev.nines.slo;

import dev.nines.common.PromDuration;
import dev.nines.promql.parser.AggregateExpr;
import dev.nines.promql.parser.BinaryExpr;
import dev.nines.promql.parser.Call;
import dev.nines.promql.parser.Expr;
import dev.nines.promql.parser.Function;
import dev.nines.promql.parser.MatrixSelector;
import dev.nines.promql.parser.NumberLiteral;
import dev.nines.promql.parser.ParenExpr;
import dev.nines.promql.parser.Parser;
import dev.nines.promql.parser.StringLiteral;
import dev.nines.promql.parser.SubqueryExpr;
import dev.nines.promql.parser.UnaryExpr;
import dev.nines.promql.parser.VectorSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user's PromQL query and how Nines turns it into a query over a window.
 *
 * <p>Sloth writes the window into its queries as {@code {{.window}}}: {@code
 * sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))}. OpenSLO queries name counters or
 * gauges without a window ({@code sum(http_requests_total{code=~"5.."})}, with {@code counter:
 * true}); Nines then wraps every selector: {@code increase(x[w])} for counters, {@code
 * sum_over_time(x[w])} for gauges. OpenSLO queries may use {@code {{.window}}} too (a Nines
 * extension), and are then taken as they are.
 *
 * @param text the query as written
 * @param form how a window is put into it
 */
public record SliQuery(String text, Form form) {

  /** Matches Sloth's window placeholder, spaces allowed inside the braces. */
  public static final Pattern WINDOW_PLACEHOLDER = Pattern.compile("\\{\\{\\s*\\.window\\s*}}");

  private static final Pattern ANY_TEMPLATE = Pattern.compile("\\{\\{.*?}}", Pattern.DOTALL);

  /** How a window gets into a query. */
  public enum Form {
    /** The query holds {@code {{.window}}}, replaced by the window. */
    TEMPLATE,
    /** A counter: each selector becomes {@code increase(selector[window])}. */
    COUNTER,
    /** A gauge of event counts: each selector becomes {@code sum_over_time(selector[window])}. */
    GAUGE,
    /** An instant query, used as it is whatever the window. */
    INSTANT
  }

  /** The query over {@code window}, as PromQL text. */
  public String render(Duration window) {
    return switch (form) {
      case TEMPLATE ->
          WINDOW_PLACEHOLDER
              .matcher(text)
              .replaceAll(Matcher.quoteReplacement(PromDuration.format(window)));
      case INSTANT -> text;
      case COUNTER -> wrapSelectors(Parser.parse(text), "increase", window).toString();
      case GAUGE -> wrapSelectors(Parser.parse(text), "sum_over_time", window).toString();
    };
  }

  /**
   * Whether the rendered query gives events per second rather than events: a template query whose
   * window sits in {@code rate()} or {@code irate()}, as Sloth's examples are written. Buckets
   * multiply such a query by the bucket's length in seconds so that they hold event counts.
   */
  public boolean isPerSecond() {
    if (form != Form.TEMPLATE) {
      return false;
    }
    return containsCall(Parser.parse(render(Duration.ofMinutes(5))), "rate", "irate");
  }

  /**
   * Checks the query: the template has no variable but {@code .window}, the query parses once a
   * window is in, and a counter or gauge query has no range of its own. Returns the problems, as
   * messages; empty when the query is fine.
   */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (text.isBlank()) {
      out.add("query is empty");
      return out;
    }
    Matcher m = ANY_TEMPLATE.matcher(text);
    while (m.find()) {
      if (!WINDOW_PLACEHOLDER.matcher(m.group()).matches()) {
        out.add("unknown template " + m.group() + "; only {{.window}} is supported");
        return out;
      }
    }
    String probe =
        form == Form.TEMPLATE
            ? WINDOW_PLACEHOLDER.matcher(text).replaceAll("5m")
            : text; // COUNTER, GAUGE and INSTANT queries parse as they are
    Expr parsed;
    try {
      parsed = Parser.parse(probe);
    } catch (RuntimeException e) {
      out.add("query does not parse: " + e.getMessage());
      return out;
    }
    if ((form == Form.COUNTER || form == Form.GAUGE) && hasRange(parsed)) {
      out.add(
          "a "
              + (form == Form.COUNTER ? "counter" : "gauge")
              + " query must select series without a range (Nines adds the window); "
              + "write the range as [{{.window}}] to take the query as it is");
    }
    if (parsed.type() != dev.nines.promql.parser.ValueType.VECTOR
        && parsed.type() != dev.nines.promql.parser.ValueType.SCALAR) {
      out.add("query must return an instant vector, not a " + parsed.type());
    }
    return out;
  }

  private static Expr wrapSelectors(Expr e, String function, Duration window) {
    Function f = Function.byName(function).orElseThrow();
    return switch (e) {
      case VectorSelector vs -> new Call(f, List.of(new MatrixSelector(vs, window)));
      case MatrixSelector ms -> ms;
      case SubqueryExpr sq -> sq;
      case NumberLiteral n -> n;
      case StringLiteral s -> s;
      case ParenExpr p -> new ParenExpr(wrapSelectors(p.expr(), function, window));
      case UnaryExpr u -> new UnaryExpr(u.op(), wrapSelectors(u.expr(), function, window));
      case BinaryExpr b ->
          new BinaryExpr(
              b.op(),
              wrapSelectors(b.lhs(), function, window),
              wrapSelectors(b.rhs(), function, window),
              b.returnBool(),
              b.matching());
      case AggregateExpr a ->
          new AggregateExpr(
              a.op(),
              wrapSelectors(a.expr(), function, window),
              a.param(),
              a.grouping(),
              a.without());
      case Call c -> {
        List<Expr> args = new ArrayList<>(c.args().size());
        for (Expr arg : c.args()) {
          args.add(wrapSelectors(arg, function, window));
        }
        yield new Call(c.function(), args);
      }
    };
  }

  private static boolean hasRange(Expr e) {
    return switch (e) {
      case MatrixSelector ms -> true;
      case SubqueryExpr sq -> true;
      case VectorSelector vs -> false;
      case NumberLiteral n -> false;
      case StringLiteral s -> false;
      case ParenExpr p -> hasRange(p.expr());
      case UnaryExpr u -> hasRange(u.expr());
      case BinaryExpr b -> hasRange(b.lhs()) || hasRange(b.rhs());
      case AggregateExpr a -> hasRange(a.expr());
      case Call c -> c.args().stream().anyMatch(SliQuery::hasRange);
    };
  }

  private static boolean containsCall(Expr e, String... names) {
    return switch (e) {
      case MatrixSelector ms -> false;
      case VectorSelector vs -> false;
      case NumberLiteral n -> false;
      case StringLiteral s -> false;
      case SubqueryExpr sq -> containsCall(sq.expr(), names);
      case ParenExpr p -> containsCall(p.expr(), names);
      case UnaryExpr u -> containsCall(u.expr(), names);
      case BinaryExpr b -> containsCall(b.lhs(), names) || containsCall(b.rhs(), names);
      case AggregateExpr a -> containsCall(a.expr(), names);
      case Call c ->
          List.of(names).contains(c.function().name())
              || c.args().stream().anyMatch(arg -> containsCall(arg, names));
    };
  }
}
