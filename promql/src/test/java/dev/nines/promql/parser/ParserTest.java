package dev.nines.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.common.LabelMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** AST shapes, positions on several lines, and the function table, beyond the script files. */
class ParserTest {

  @Test
  void powerIsRightAssociativeAndBindsTighterThanUnaryMinus() {
    Expr e = Parser.parse("-2 ^ 3 ^ 2");
    assertThat(e).isInstanceOf(UnaryExpr.class);
    BinaryExpr pow = (BinaryExpr) ((UnaryExpr) e).expr();
    assertThat(pow.op()).isEqualTo(BinaryOp.POW);
    assertThat(pow.lhs()).isEqualTo(NumberLiteral.of(2));
    assertThat(pow.rhs()).isInstanceOf(BinaryExpr.class);
  }

  @Test
  void subtractionIsLeftAssociative() {
    BinaryExpr e = (BinaryExpr) Parser.parse("a - b - c");
    assertThat(e.lhs()).isInstanceOf(BinaryExpr.class);
    assertThat(e.rhs()).isInstanceOf(VectorSelector.class);
  }

  @Test
  void precedenceLevelsNestAsPrometheusDefinesThem() {
    BinaryExpr or = (BinaryExpr) Parser.parse("a or b and c unless d > e + f * g ^ h");
    assertThat(or.op()).isEqualTo(BinaryOp.OR);
    BinaryExpr unless = (BinaryExpr) or.rhs();
    assertThat(unless.op()).isEqualTo(BinaryOp.UNLESS);
    assertThat(((BinaryExpr) unless.lhs()).op()).isEqualTo(BinaryOp.AND);
    BinaryExpr gtr = (BinaryExpr) unless.rhs();
    assertThat(gtr.op()).isEqualTo(BinaryOp.GTR);
    BinaryExpr add = (BinaryExpr) gtr.rhs();
    assertThat(add.op()).isEqualTo(BinaryOp.ADD);
    BinaryExpr mul = (BinaryExpr) add.rhs();
    assertThat(mul.op()).isEqualTo(BinaryOp.MUL);
    assertThat(((BinaryExpr) mul.rhs()).op()).isEqualTo(BinaryOp.POW);
  }

  @Test
  void unaryMinusOnANumberFoldsIntoTheLiteral() {
    assertThat(Parser.parse("-1")).isEqualTo(NumberLiteral.of(-1));
    assertThat(Parser.parse("-5m")).isEqualTo(new NumberLiteral(-300, true));
    assertThat(Parser.parse("-foo")).isInstanceOf(UnaryExpr.class);
  }

  @Test
  void selectorCarriesNameMatchersOffsetAndAt() {
    VectorSelector vs = (VectorSelector) Parser.parse("foo{a=\"b\"} offset -5m @ end()");
    assertThat(vs.name()).isEqualTo("foo");
    assertThat(vs.matchers())
        .containsExactly(
            LabelMatcher.of(LabelMatcher.Type.EQUAL, "a", "b"),
            LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "foo"));
    assertThat(vs.offset()).isEqualTo(Duration.ofMinutes(-5));
    assertThat(vs.at()).isEqualTo(AtModifier.END);
  }

  @Test
  void matrixSelectorKeepsModifiersOnItsSelector() {
    MatrixSelector m = (MatrixSelector) Parser.parse("foo[5m] offset 1h @ 10");
    assertThat(m.range()).isEqualTo(Duration.ofMinutes(5));
    assertThat(m.selector().offset()).isEqualTo(Duration.ofHours(1));
    assertThat(m.selector().at()).isEqualTo(AtModifier.at(10_000));
  }

  @Test
  void subqueryWithoutStepLeavesItNull() {
    SubqueryExpr s = (SubqueryExpr) Parser.parse("rate(foo[5m])[30m:]");
    assertThat(s.range()).isEqualTo(Duration.ofMinutes(30));
    assertThat(s.step()).isNull();
    SubqueryExpr withStep = (SubqueryExpr) Parser.parse("foo[30m:15s]");
    assertThat(withStep.step()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void vectorMatchingIsRecorded() {
    BinaryExpr b = (BinaryExpr) Parser.parse("a * on (x, y) group_right (z) b");
    assertThat(b.matching())
        .isEqualTo(
            new VectorMatching(
                VectorMatching.Cardinality.ONE_TO_MANY, List.of("x", "y"), true, List.of("z")));
    BinaryExpr set = (BinaryExpr) Parser.parse("a and b");
    assertThat(set.matching().card()).isEqualTo(VectorMatching.Cardinality.MANY_TO_MANY);
    BinaryExpr scalar = (BinaryExpr) Parser.parse("a + 1");
    assertThat(scalar.matching()).isNull();
    assertThat(scalar.type()).isEqualTo(ValueType.VECTOR);
    assertThat(Parser.parse("1 + 1").type()).isEqualTo(ValueType.SCALAR);
  }

  @Test
  void aggregationKeepsParamAndGrouping() {
    AggregateExpr a = (AggregateExpr) Parser.parse("count_values without (x) (\"v\", foo)");
    assertThat(a.op()).isEqualTo(AggregateOp.COUNT_VALUES);
    assertThat(a.param()).isEqualTo(new StringLiteral("v"));
    assertThat(a.grouping()).containsExactly("x");
    assertThat(a.without()).isTrue();
  }

  @Test
  void errorPositionsCountLinesAndColumns() {
    assertThatThrownBy(() -> Parser.parse("sum(\n  rate(foo[5m])\n) by (job) +"))
        .isInstanceOf(ParseException.class)
        .hasMessage("3:13: parse error: unexpected end of input")
        .satisfies(
            e -> {
              ParseException p = (ParseException) e;
              assertThat(p.line()).isEqualTo(3);
              assertThat(p.column()).isEqualTo(13);
              assertThat(p.detail()).isEqualTo("unexpected end of input");
            });
    assertThatThrownBy(() -> Parser.parse("foo +\n  rate(bar)"))
        .hasMessage(
            "2:8: parse error: expected type range vector in call to function \"rate\", got"
                + " instant vector");
    assertThatThrownBy(() -> Parser.parse("\"é\" + é"))
        .hasMessage("1:7: parse error: unexpected character: 'é'");
  }

  @Test
  void commentsRunToTheEndOfTheLine() {
    Expr e = Parser.parse("# request rate\nsum by (job) ( # per job\n  rate(x[5m])\n)\n# end");
    assertThat(e.toString()).isEqualTo("sum by (job) (rate(x[5m]))");
  }

  @Test
  void printerParenthesizesTreesBuiltInCode() {
    VectorSelector a = (VectorSelector) Parser.parse("a");
    VectorSelector b = (VectorSelector) Parser.parse("b");
    BinaryExpr sum = new BinaryExpr(BinaryOp.ADD, a, b, false, null);
    BinaryExpr product = new BinaryExpr(BinaryOp.MUL, sum, b, false, null);
    assertThat(product.toString()).isEqualTo("(a + b) * b");
    BinaryExpr rightNested = new BinaryExpr(BinaryOp.SUB, a, sum, false, null);
    assertThat(rightNested.toString()).isEqualTo("a - (a + b)");
    BinaryExpr pow = new BinaryExpr(BinaryOp.POW, new UnaryExpr(UnaryOp.MINUS, a), b, false, null);
    assertThat(pow.toString()).isEqualTo("(-a) ^ b");
    assertThat(new UnaryExpr(UnaryOp.MINUS, sum).toString()).isEqualTo("-(a + b)");
  }

  static Stream<Function> functions() {
    return Function.all().stream();
  }

  /** Every function in the table parses with arguments of its declared types, at both ends. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("functions")
  void everyFunctionParsesWithItsSignature(Function f) {
    List<String> shortest = new ArrayList<>();
    for (int i = 0; i < f.minArgs(); i++) {
      shortest.add(sample(f.argType(i)));
    }
    int longestCount = f.maxArgs() < 0 ? f.argTypes().size() + 1 : f.maxArgs();
    List<String> longest = new ArrayList<>();
    for (int i = 0; i < longestCount; i++) {
      longest.add(sample(f.argType(i)));
    }
    for (List<String> args : List.of(shortest, longest)) {
      String query = f.name() + "(" + String.join(", ", args) + ")";
      Parser.Options options = new Parser.Options(f.experimental());
      Expr e = Parser.parse(query, options);
      assertThat(e).isEqualTo(new Call(f, ((Call) e).args()));
      assertThat(e.type()).isEqualTo(f.returnType());
      ParserScriptTest.assertCanonical(query, query, options);
      if (f.experimental()) {
        assertThatThrownBy(() -> Parser.parse(query))
            .hasMessage("1:1: parse error: function \"" + f.name() + "\" is not enabled");
      }
    }
    if (f.maxArgs() >= 0) {
      List<String> tooMany = new ArrayList<>(longest);
      tooMany.add(f.argTypes().isEmpty() ? "1" : sample(f.argType(tooMany.size())));
      String query = f.name() + "(" + String.join(", ", tooMany) + ")";
      assertThatThrownBy(() -> Parser.parse(query, new Parser.Options(true)))
          .isInstanceOf(ParseException.class)
          .hasMessageContaining("argument(s) in call to \"" + f.name() + "\"");
    }
  }

  @Test
  void functionTableCoversThePrometheusFunctionsPage() {
    assertThat(Function.all()).hasSizeGreaterThanOrEqualTo(80);
    assertThat(Function.byName("holt_winters")).isEmpty();
    assertThat(Function.byName("double_exponential_smoothing").orElseThrow().experimental())
        .isTrue();
    assertThat(Function.byName("rate").orElseThrow().experimental()).isFalse();
  }

  private static String sample(ValueType type) {
    return switch (type) {
      case SCALAR -> "1";
      case VECTOR -> "foo";
      case MATRIX -> "foo[5m]";
      case STRING -> "\"a\"";
    };
  }
}
