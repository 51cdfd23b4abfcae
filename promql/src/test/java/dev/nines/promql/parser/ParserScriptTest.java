package dev.nines.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.common.LabelMatcher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the PromQL parser scripts under {@code parser/}: one case per line, {@code query =>
 * expected} where the expected text is the canonical form (valid cases; omitted when the query is
 * already canonical) or the full error message with its position (error cases). Lines starting with
 * {@code #} and blank lines are ignored.
 */
class ParserScriptTest {
  private static final Parser.Options EXPERIMENTAL = new Parser.Options(true);

  static Stream<Arguments> valid() throws IOException {
    return cases("parser/valid.txt", true);
  }

  static Stream<Arguments> experimental() throws IOException {
    return cases("parser/experimental.txt", true);
  }

  static Stream<Arguments> errors() throws IOException {
    return cases("parser/errors.txt", false);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void printsCanonicalFormAndRoundTrips(String query, String expected) {
    assertCanonical(query, expected, Parser.Options.DEFAULTS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("experimental")
  void experimentalQueriesParseWhenEnabled(String query, String expected) {
    assertCanonical(query, expected, EXPERIMENTAL);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void reportsErrorsWithPosition(String query, String expected) {
    assertThatThrownBy(() -> Parser.parse(query))
        .isInstanceOf(ParseException.class)
        .hasMessage(expected);
  }

  static void assertCanonical(String query, String expected, Parser.Options options) {
    Expr ast = Parser.parse(query, options);
    String printed = Printer.print(ast);
    assertThat(printed).isEqualTo(expected);
    assertThat(ast.toString()).isEqualTo(printed);
    Expr again = Parser.parse(printed, options);
    assertThat(normalize(again)).isEqualTo(normalize(ast));
    assertThat(Printer.print(again)).isEqualTo(printed);
  }

  /** The tree with each selector's matchers sorted, since printing sorts them. */
  static Expr normalize(Expr e) {
    return switch (e) {
      case NumberLiteral n -> n;
      case StringLiteral s -> s;
      case VectorSelector vs -> normalizeSelector(vs);
      case MatrixSelector m -> new MatrixSelector(normalizeSelector(m.selector()), m.range());
      case SubqueryExpr s ->
          new SubqueryExpr(normalize(s.expr()), s.range(), s.step(), s.offset(), s.at());
      case ParenExpr p -> new ParenExpr(normalize(p.expr()));
      case UnaryExpr u -> new UnaryExpr(u.op(), normalize(u.expr()));
      case BinaryExpr b ->
          new BinaryExpr(
              b.op(), normalize(b.lhs()), normalize(b.rhs()), b.returnBool(), b.matching());
      case AggregateExpr a ->
          new AggregateExpr(
              a.op(),
              normalize(a.expr()),
              a.param() == null ? null : normalize(a.param()),
              a.grouping(),
              a.without());
      case Call c ->
          new Call(c.function(), c.args().stream().map(ParserScriptTest::normalize).toList());
    };
  }

  private static VectorSelector normalizeSelector(VectorSelector vs) {
    List<LabelMatcher> sorted = new ArrayList<>(vs.matchers());
    sorted.sort(Comparator.comparing(LabelMatcher::toString));
    return new VectorSelector(vs.name(), sorted, vs.offset(), vs.at());
  }

  private static Stream<Arguments> cases(String resource, boolean expectedDefaultsToQuery)
      throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (InputStream in =
            Objects.requireNonNull(
                ParserScriptTest.class.getClassLoader().getResourceAsStream(resource), resource);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int lineNo = 0;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int sep = line.indexOf(" => ");
        String query = sep < 0 ? line : line.substring(0, sep);
        String expected = sep < 0 ? null : line.substring(sep + 4);
        if (expected == null) {
          if (!expectedDefaultsToQuery) {
            throw new IllegalStateException(resource + ":" + lineNo + ": missing expected error");
          }
          expected = query;
        }
        out.add(Arguments.of(Named.of(resource + ":" + lineNo + ": " + query, query), expected));
      }
    }
    return out.stream();
  }
}
