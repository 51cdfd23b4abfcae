package dev.nines.promql.parser;

import dev.nines.common.LabelMatcher;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * The type checks Prometheus makes once a query has parsed, in the same post-order, stopping at the
 * first failure: operand types of operators, argument counts and types of calls, the type of
 * aggregation parameters, subqueries over instant vectors only, and that a selector either names a
 * metric or has a matcher that rejects the empty string.
 */
final class Checker {
  private final String query;
  private final IdentityHashMap<Expr, Integer> starts;
  private final IdentityHashMap<BinaryExpr, Parser.BinaryModifiers> binaries;

  Checker(
      String query,
      IdentityHashMap<Expr, Integer> starts,
      IdentityHashMap<BinaryExpr, Parser.BinaryModifiers> binaries) {
    this.query = query;
    this.starts = starts;
    this.binaries = binaries;
  }

  ValueType check(Expr expr) {
    return switch (expr) {
      case NumberLiteral n -> ValueType.SCALAR;
      case StringLiteral s -> ValueType.STRING;
      case VectorSelector vs -> {
        checkSelector(vs, true);
        yield ValueType.VECTOR;
      }
      case MatrixSelector m -> {
        check(m.selector());
        yield ValueType.MATRIX;
      }
      case SubqueryExpr s -> {
        ValueType t = check(s.expr());
        if (t != ValueType.VECTOR) {
          throw error(
              s,
              "subquery is only allowed on instant vector, got " + t.internalName() + " instead");
        }
        yield ValueType.MATRIX;
      }
      case ParenExpr p -> check(p.expr());
      case UnaryExpr u -> {
        ValueType t = check(u.expr());
        if (t != ValueType.SCALAR && t != ValueType.VECTOR) {
          throw error(
              u,
              "unary expression only allowed on expressions of type scalar or instant vector, got "
                  + Printer.quote(t.documentedName()));
        }
        yield t;
      }
      case BinaryExpr b -> checkBinary(b);
      case AggregateExpr a -> {
        expectType(a.expr(), ValueType.VECTOR, "aggregation expression");
        if (a.param() != null && a.op().paramType() != null) {
          expectType(a.param(), a.op().paramType(), "aggregation parameter");
        }
        yield ValueType.VECTOR;
      }
      case Call c -> checkCall(c);
    };
  }

  private ValueType checkBinary(BinaryExpr b) {
    ValueType lt = check(b.lhs());
    ValueType rt = check(b.rhs());
    Parser.BinaryModifiers m = binaries.get(b);
    if (m == null) {
      VectorMatching vm = b.matching();
      m =
          vm == null
              ? new Parser.BinaryModifiers(
                  start(b),
                  b.returnBool(),
                  VectorMatching.Cardinality.ONE_TO_ONE,
                  List.of(),
                  false,
                  List.of())
              : new Parser.BinaryModifiers(
                  start(b), b.returnBool(), vm.card(), vm.matchingLabels(), vm.on(), vm.include());
    }
    BinaryOp op = b.op();
    if (b.returnBool() && !op.isComparison()) {
      throw error(m.opPos(), "bool modifier can only be used on comparison operators");
    }
    if (op.isComparison() && !b.returnBool() && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
      throw error(m.opPos(), "comparisons between scalars must use BOOL modifier");
    }
    if (m.on()) {
      for (String label : m.matchingLabels()) {
        if (m.include().contains(label)) {
          throw error(
              m.opPos(),
              "label " + Printer.quote(label) + " must not occur in ON and GROUP clause at once");
        }
      }
    }
    if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
      throw error(b.lhs(), "binary expression must contain only scalar and instant vector types");
    }
    if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
      throw error(b.rhs(), "binary expression must contain only scalar and instant vector types");
    }
    boolean grouped =
        m.card() == VectorMatching.Cardinality.MANY_TO_ONE
            || m.card() == VectorMatching.Cardinality.ONE_TO_MANY;
    if (lt != ValueType.VECTOR || rt != ValueType.VECTOR) {
      if (!m.matchingLabels().isEmpty()) {
        throw error(b, "vector matching only allowed between instant vectors");
      }
    } else if (op.isSetOperator() && grouped) {
      throw error(b, "no grouping allowed for " + Printer.quote(op.symbol()) + " operation");
    }
    if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && op.isSetOperator()) {
      throw error(
          b,
          "set operator "
              + Printer.quote(op.symbol())
              + " not allowed in binary scalar expression");
    }
    return b.type();
  }

  private ValueType checkCall(Call c) {
    Function f = c.function();
    int n = c.args().size();
    String name = Printer.quote(f.name());
    if (f.variadic() == 0) {
      if (n != f.argTypes().size()) {
        throw error(
            c,
            "expected " + f.argTypes().size() + " argument(s) in call to " + name + ", got " + n);
      }
    } else if (n < f.minArgs()) {
      throw error(
          c, "expected at least " + f.minArgs() + " argument(s) in call to " + name + ", got " + n);
    } else if (f.maxArgs() >= 0 && n > f.maxArgs()) {
      throw error(
          c, "expected at most " + f.maxArgs() + " argument(s) in call to " + name + ", got " + n);
    }
    for (int i = 0; i < n; i++) {
      Expr arg = c.args().get(i);
      if (f.name().equals("info") && i == 1) {
        checkInfoLabelSelector(arg);
      } else {
        expectType(arg, f.argType(i), "call to function " + name);
      }
    }
    return f.returnType();
  }

  /**
   * The second argument of {@code info} is a set of label matchers in braces, not a real selector:
   * it may match the empty string everywhere ({@code {data=~".*"}}).
   */
  private void checkInfoLabelSelector(Expr arg) {
    if (!(arg instanceof VectorSelector vs) || !vs.offset().isZero() || vs.at() != null) {
      throw error(
          arg,
          "expected label selectors only, got "
              + check(arg).documentedName()
              + " instead in call to function \"info\"");
    }
    checkSelector(vs, false);
  }

  private void checkSelector(VectorSelector vs, boolean requireNonEmptyMatcher) {
    if (!vs.name().isEmpty()) {
      List<LabelMatcher> matchers = vs.matchers();
      for (int i = 0; i < matchers.size() - 1; i++) {
        LabelMatcher m = matchers.get(i);
        if (m.name().equals(VectorSelector.METRIC_NAME_LABEL)) {
          throw error(
              vs,
              "metric name must not be set twice: "
                  + Printer.quote(vs.name())
                  + " or "
                  + Printer.quote(m.value()));
        }
      }
      return;
    }
    if (requireNonEmptyMatcher && vs.matchers().stream().allMatch(m -> m.matches(""))) {
      throw error(vs, "vector selector must contain at least one non-empty matcher");
    }
  }

  private void expectType(Expr e, ValueType want, String context) {
    ValueType got = check(e);
    if (got != want) {
      throw error(
          e,
          "expected type "
              + want.documentedName()
              + " in "
              + context
              + ", got "
              + got.documentedName());
    }
  }

  private int start(Expr e) {
    Integer p = starts.get(e);
    return p == null ? 0 : p;
  }

  private ParseException error(Expr at, String message) {
    return error(start(at), message);
  }

  private ParseException error(int pos, String message) {
    return new ParseException(query, pos, message);
  }
}
