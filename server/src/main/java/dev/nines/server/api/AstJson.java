package dev.nines.server.api;

import dev.nines.common.LabelMatcher;
import dev.nines.promql.parser.AggregateExpr;
import dev.nines.promql.parser.AtModifier;
import dev.nines.promql.parser.BinaryExpr;
import dev.nines.promql.parser.Call;
import dev.nines.promql.parser.Expr;
import dev.nines.promql.parser.MatrixSelector;
import dev.nines.promql.parser.NumberLiteral;
import dev.nines.promql.parser.ParenExpr;
import dev.nines.promql.parser.StringLiteral;
import dev.nines.promql.parser.SubqueryExpr;
import dev.nines.promql.parser.UnaryExpr;
import dev.nines.promql.parser.ValueType;
import dev.nines.promql.parser.VectorMatching;
import dev.nines.promql.parser.VectorSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The AST as {@code /api/v1/parse_query} returns it: the JSON tree of Prometheus's translateAST
 * (web/api/v1/translate_ast.go), node by node, durations in milliseconds.
 */
final class AstJson {
  private AstJson() {}

  /** The JSON tree of an expression: maps, lists, strings, numbers, booleans and nulls. */
  static @Nullable Object of(@Nullable Expr expr) {
    if (expr == null) {
      return null;
    }
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    switch (expr) {
      case AggregateExpr a -> {
        m.put("type", "aggregation");
        m.put("op", a.op().keyword());
        m.put("expr", of(a.expr()));
        m.put("param", of(a.param()));
        m.put("grouping", a.grouping());
        m.put("without", a.without());
      }
      case BinaryExpr b -> {
        m.put("type", "binaryExpr");
        m.put("op", b.op().symbol());
        m.put("lhs", of(b.lhs()));
        m.put("rhs", of(b.rhs()));
        m.put("matching", matching(b.matching()));
        m.put("bool", b.returnBool());
      }
      case Call c -> {
        m.put("type", "call");
        Map<String, Object> func = new LinkedHashMap<>();
        func.put("name", c.function().name());
        List<String> argTypes = new ArrayList<>();
        for (ValueType t : c.function().argTypes()) {
          argTypes.add(t.internalName());
        }
        func.put("argTypes", argTypes);
        func.put("variadic", c.function().variadic());
        func.put("returnType", c.function().returnType().internalName());
        m.put("func", func);
        List<@Nullable Object> args = new ArrayList<>();
        for (Expr arg : c.args()) {
          args.add(of(arg));
        }
        m.put("args", args);
      }
      case MatrixSelector ms -> {
        VectorSelector vs = ms.selector();
        m.put("type", "matrixSelector");
        m.put("name", vs.name());
        m.put("range", ms.range().toMillis());
        m.put("offset", vs.offset().toMillis());
        m.put("matchers", matchers(vs.matchers()));
        putAt(m, vs.at());
        m.put("anchored", false);
        m.put("smoothed", false);
      }
      case SubqueryExpr s -> {
        m.put("type", "subquery");
        m.put("expr", of(s.expr()));
        m.put("range", s.range().toMillis());
        m.put("offset", s.offset().toMillis());
        m.put("step", s.step() == null ? 0L : s.step().toMillis());
        putAt(m, s.at());
        m.put("alignEvalTime", false);
      }
      case NumberLiteral n -> {
        m.put("type", "numberLiteral");
        m.put("val", goFormatF(n.value()));
      }
      case ParenExpr p -> {
        m.put("type", "parenExpr");
        m.put("expr", of(p.expr()));
      }
      case StringLiteral s -> {
        m.put("type", "stringLiteral");
        m.put("val", s.value());
      }
      case UnaryExpr u -> {
        m.put("type", "unaryExpr");
        m.put("op", u.op().symbol());
        m.put("expr", of(u.expr()));
      }
      case VectorSelector vs -> {
        m.put("type", "vectorSelector");
        m.put("name", vs.name());
        m.put("offset", vs.offset().toMillis());
        m.put("matchers", matchers(vs.matchers()));
        putAt(m, vs.at());
        m.put("anchored", false);
        m.put("smoothed", false);
      }
    }
    return m;
  }

  private static @Nullable Object matching(@Nullable VectorMatching vm) {
    if (vm == null) {
      return null;
    }
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("card", vm.card().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    m.put("labels", vm.matchingLabels());
    m.put("on", vm.on());
    m.put("include", vm.include());
    Map<String, @Nullable Object> fill = new LinkedHashMap<>();
    fill.put("lhs", null);
    fill.put("rhs", null);
    m.put("fillValues", fill);
    return m;
  }

  private static List<Map<String, String>> matchers(List<LabelMatcher> matchers) {
    List<Map<String, String>> out = new ArrayList<>();
    for (LabelMatcher lm : matchers) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("name", lm.name());
      m.put("value", lm.value());
      m.put("type", lm.type().symbol());
      out.add(m);
    }
    return out;
  }

  private static void putAt(Map<String, @Nullable Object> m, @Nullable AtModifier at) {
    if (at == null) {
      m.put("timestamp", null);
      m.put("startOrEnd", null);
      return;
    }
    switch (at.kind()) {
      case TIMESTAMP -> {
        m.put("timestamp", at.timestampMillis());
        m.put("startOrEnd", null);
      }
      case START -> {
        m.put("timestamp", null);
        m.put("startOrEnd", "start");
      }
      case END -> {
        m.put("timestamp", null);
        m.put("startOrEnd", "end");
      }
    }
  }

  /** Go's strconv.FormatFloat(v, 'f', -1, 64): shortest digits, never an exponent. */
  static String goFormatF(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return Double.doubleToRawLongBits(v) == 0 ? "0" : "-0";
    }
    return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }
}
