package dev.nines.ingest.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the hand-written cases in {@code src/test/resources/exposition/*.cases}. Each case gives a
 * format, an input and either the entries expected (rendered by {@link Rendering}, optionally
 * followed by the metadata) or the exact error message. The file format is described at the top of
 * {@code common.cases}.
 */
class ExpositionCasesTest {

  /** One case; the input's bytes are kept as a Latin-1 string so that the record stays a value. */
  record Case(
      String file,
      int line,
      String name,
      List<ExpositionFormat> formats,
      String inputLatin1,
      @Nullable List<String> output,
      @Nullable List<String> metadata,
      @Nullable String error) {}

  @TestFactory
  Stream<DynamicNode> cases() throws IOException, URISyntaxException {
    Path dir =
        Path.of(Objects.requireNonNull(getClass().getResource("/exposition/common.cases")).toURI())
            .getParent();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(f -> f.toString().endsWith(".cases")).sorted().toList();
    }
    List<DynamicNode> nodes = new ArrayList<>();
    for (Path f : files) {
      List<DynamicNode> tests = new ArrayList<>();
      for (Case c : parse(f)) {
        for (ExpositionFormat fmt : c.formats()) {
          tests.add(
              DynamicTest.dynamicTest(
                  c.name() + " [" + fmt + "] (" + c.file() + ":" + c.line() + ")",
                  () -> run(c, fmt)));
        }
      }
      nodes.add(DynamicContainer.dynamicContainer(f.getFileName().toString(), tests));
    }
    return nodes.stream();
  }

  private static void run(Case c, ExpositionFormat fmt) throws ExpositionParseException {
    ExpositionParser p = ExpositionParser.forFormat(fmt);
    byte[] input = c.inputLatin1().getBytes(StandardCharsets.ISO_8859_1);
    if (c.formats().size() == 2 && fmt == ExpositionFormat.OPENMETRICS_1_0_0) {
      // "both": OpenMetrics needs its end marker, which 0.0.4 would read as a comment.
      byte[] eof = "# EOF\n".getBytes(StandardCharsets.US_ASCII);
      byte[] withEof = java.util.Arrays.copyOf(input, input.length + eof.length);
      System.arraycopy(eof, 0, withEof, input.length, eof.length);
      input = withEof;
    }
    byte[] body = input;
    if (c.error() != null) {
      assertThatThrownBy(() -> Rendering.render(p, body))
          .isInstanceOf(ExpositionParseException.class)
          .hasMessage(c.error());
      return;
    }
    assertThat(Rendering.render(p, body)).containsExactlyElementsOf(c.output());
    if (c.metadata() != null) {
      List<String> md = new ArrayList<>();
      for (MetricMetadata m : p.metadata()) {
        md.add(
            m.family()
                + " "
                + m.type().apiName()
                + " \""
                + Rendering.escapeHelp(m.help())
                + "\" \""
                + m.unit()
                + "\"");
      }
      assertThat(md).containsExactlyElementsOf(c.metadata());
    }
  }

  /** Reads a case file; see the header of common.cases for the syntax. */
  static List<Case> parse(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Case> cases = new ArrayList<>();
    int i = 0;
    while (i < lines.size() && !lines.get(i).startsWith("=== ")) {
      i++;
    }
    while (i < lines.size()) {
      int start = i + 1;
      String name = lines.get(i).substring(4).strip();
      i++;
      List<ExpositionFormat> formats = List.of();
      byte[] input = null;
      List<String> output = null;
      List<String> metadata = null;
      String error = null;
      while (i < lines.size() && !lines.get(i).startsWith("=== ")) {
        String l = lines.get(i);
        if (l.startsWith("format: ")) {
          formats =
              switch (l.substring(8).strip()) {
                case "prometheus" -> List.of(ExpositionFormat.PROMETHEUS_TEXT_0_0_4);
                case "openmetrics" -> List.of(ExpositionFormat.OPENMETRICS_1_0_0);
                case "both" -> List.of(ExpositionFormat.values());
                default -> throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + l);
              };
          i++;
        } else if (l.startsWith("--- ")) {
          String section = l.substring(4).strip();
          List<String> body = new ArrayList<>();
          i++;
          while (i < lines.size()
              && !lines.get(i).startsWith("--- ")
              && !lines.get(i).startsWith("=== ")) {
            body.add(lines.get(i));
            i++;
          }
          if (section.startsWith("input")) {
            input = input(section, body);
          } else if (section.equals("output")) {
            output = trimTrailingBlank(body);
          } else if (section.equals("metadata")) {
            metadata = trimTrailingBlank(body);
          } else if (section.equals("error")) {
            error = String.join("\n", trimTrailingBlank(body));
          } else {
            throw new IllegalArgumentException(file + ":" + i + ": unknown section " + section);
          }
        } else if (l.isBlank()) {
          i++;
        } else {
          throw new IllegalArgumentException(file + ":" + (i + 1) + ": unexpected " + l);
        }
      }
      if (formats.isEmpty() || input == null || (output == null) == (error == null)) {
        throw new IllegalArgumentException(
            file + ":" + start + ": a case needs format, input and one of output or error");
      }
      cases.add(
          new Case(
              file.getFileName().toString(),
              start,
              name,
              formats,
              new String(input, StandardCharsets.ISO_8859_1),
              output,
              metadata,
              error));
    }
    return cases;
  }

  /**
   * The input block: its lines joined with line feeds, with a final one. Modifiers in parentheses:
   * {@code no final newline}; {@code escaped}, where {@code \t}, {@code \r}, {@code \xNN} and
   * {@code \\} stand for those bytes; {@code empty} for a zero-length body.
   */
  private static byte[] input(String section, List<String> body) {
    if (section.contains("empty")) {
      return new byte[0];
    }
    List<String> kept = trimTrailingBlank(body);
    String text = String.join("\n", kept) + (section.contains("no final newline") ? "" : "\n");
    if (!section.contains("escaped")) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    byte[] raw = text.getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int k = 0; k < raw.length; k++) {
      if (raw[k] == '\\' && k + 1 < raw.length) {
        switch (raw[k + 1]) {
          case 't' -> {
            out.write('\t');
            k++;
            continue;
          }
          case 'r' -> {
            out.write('\r');
            k++;
            continue;
          }
          case '\\' -> {
            out.write('\\');
            k++;
            continue;
          }
          case 'x' -> {
            out.write(
                HexFormat.fromHexDigits(new String(raw, k + 2, 2, StandardCharsets.US_ASCII)));
            k += 3;
            continue;
          }
          default -> {}
        }
      }
      out.write(raw[k]);
    }
    return out.toByteArray();
  }

  private static List<String> trimTrailingBlank(List<String> body) {
    int n = body.size();
    while (n > 0 && body.get(n - 1).isEmpty()) {
      n--;
    }
    return body.subList(0, n);
  }
}
