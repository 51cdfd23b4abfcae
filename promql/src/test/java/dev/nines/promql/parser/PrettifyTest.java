package dev.nines.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs {@code parser/pretty.txt}: each block is a line {@code query: <query>} followed by the
 * expected output of {@link Printer#prettify}, as Prometheus's {@code format_query} answers it.
 */
class PrettifyTest {
  static Stream<Arguments> cases() throws IOException {
    String text;
    try (InputStream in =
        Objects.requireNonNull(
            PrettifyTest.class.getClassLoader().getResourceAsStream("parser/pretty.txt"))) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Arguments> out = new ArrayList<>();
    String query = null;
    StringBuilder expected = new StringBuilder();
    for (String line : (text + "\n\n").split("\n", -1)) {
      if (line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("query: ")) {
        query = line.substring("query: ".length());
        expected.setLength(0);
      } else if (line.isEmpty()) {
        if (query != null) {
          out.add(Arguments.of(query, expected.toString()));
          query = null;
        }
      } else {
        if (!expected.isEmpty()) {
          expected.append('\n');
        }
        expected.append(line);
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void prettifiesAsPrometheus(String query, String expected) {
    Expr expr = Parser.parse(query);
    String pretty = Printer.prettify(expr);
    assertThat(pretty).isEqualTo(expected);
    // The pretty form means the same: it parses back to the same canonical one-line form.
    assertThat(Printer.print(Parser.parse(pretty))).isEqualTo(Printer.print(expr));
  }

  @Test
  void shortExpressionsStayOnOneLine() {
    String q = "sum by (job) (rate(http_requests_total[5m]))";
    assertThat(Printer.prettify(Parser.parse(q))).isEqualTo(q);
  }

  @Test
  void theLimitIsOneHundredBytes() {
    String name100 = "a".repeat(100);
    assertThat(Printer.prettify(Parser.parse("abs(" + name100.substring(5) + ")")))
        .isEqualTo("abs(" + name100.substring(5) + ")");
    assertThat(Printer.prettify(Parser.parse("abs(" + name100.substring(4) + ")")))
        .isEqualTo("abs(\n  " + name100.substring(4) + "\n)");
  }
}
