package dev.nines.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.common.PromDuration;
import dev.nines.promql.parser.Expr;
import dev.nines.promql.parser.Parser;
import dev.nines.promql.parser.VectorSelector;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the PromQL engine scripts under {@code engine/*.test}; the format is documented in {@code
 * docs/promql.md}. Each {@code eval} is one test case, named by file and line, and runs against the
 * data loaded by the {@code load} blocks above it in the same file.
 */
class EngineScriptTest {
  private static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);

  /** One eval with the storage state it runs against. */
  record Case(
      MemoryStorage storage,
      EngineOptions options,
      String file,
      int line,
      String header,
      List<String> body) {}

  static Stream<Arguments> cases() throws IOException, URISyntaxException {
    URL dir = EngineScriptTest.class.getClassLoader().getResource("engine");
    Objects.requireNonNull(dir, "engine test directory");
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of(dir.toURI()))) {
      files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
    }
    List<Arguments> out = new ArrayList<>();
    for (Path f : files) {
      parseFile(f, out);
    }
    return out.stream();
  }

  private static void parseFile(Path f, List<Arguments> out) throws IOException {
    List<String> lines;
    try (InputStream in = Files.newInputStream(f)) {
      lines = List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1));
    }
    String file = f.getFileName().toString();
    MemoryStorage storage = new MemoryStorage();
    EngineOptions options = EngineOptions.DEFAULTS.withExperimentalFunctions(true);
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        i++;
        continue;
      }
      if (line.startsWith("load ")) {
        long interval = millis(line.substring(5).strip());
        i++;
        while (i < lines.size() && isIndented(lines.get(i))) {
          String l = lines.get(i).strip();
          if (!l.isEmpty() && !l.startsWith("#")) {
            loadSeries(storage, l, interval, file, i + 1);
          }
          i++;
        }
        continue;
      }
      if (line.equals("clear")) {
        storage = new MemoryStorage();
        i++;
        continue;
      }
      if (line.startsWith("option ")) {
        options = applyOption(options, line.substring(7).strip());
        i++;
        continue;
      }
      if (line.startsWith("eval ")) {
        int at = i + 1;
        List<String> body = new ArrayList<>();
        i++;
        while (i < lines.size() && isIndented(lines.get(i))) {
          String l = lines.get(i).strip();
          if (!l.isEmpty() && !l.startsWith("#")) {
            body.add(l);
          }
          i++;
        }
        Case c = new Case(storage, options, file, at, line, body);
        out.add(Arguments.of(Named.of(file + ":" + at + " " + line.substring(5), c)));
        continue;
      }
      throw new IllegalArgumentException(file + ":" + (i + 1) + ": unexpected line: " + line);
    }
  }

  private static boolean isIndented(String l) {
    return l.startsWith(" ") || l.startsWith("\t") || l.isBlank();
  }

  private static EngineOptions applyOption(EngineOptions o, String opt) {
    String[] kv = opt.split("\\s*=\\s*", 2);
    return switch (kv[0]) {
      case "lookback" -> o.withLookbackDelta(PromDuration.parse(kv[1]));
      case "max_samples" -> o.withMaxSamples(Long.parseLong(kv[1]));
      case "delayed_name_removal" -> o.withDelayedNameRemoval(Boolean.parseBoolean(kv[1]));
      case "experimental" -> o.withExperimentalFunctions(Boolean.parseBoolean(kv[1]));
      case "evaluation_interval" -> o.withEvaluationInterval(PromDuration.parse(kv[1]));
      case "defaults" -> EngineOptions.DEFAULTS.withExperimentalFunctions(true);
      default -> throw new IllegalArgumentException("unknown option " + opt);
    };
  }

  static long millis(String s) {
    if (s.matches("-?[0-9]+(\\.[0-9]+)?")) {
      return Math.round(Double.parseDouble(s) * 1000);
    }
    if (s.startsWith("-")) {
      return -PromDuration.parse(s.substring(1)).toMillis();
    }
    return PromDuration.parse(s).toMillis();
  }

  /** Splits "metric{a="b", c="d"} rest" into descriptor and rest. */
  static String[] splitDescriptor(String l) {
    int brace = l.indexOf('{');
    int space = l.indexOf(' ');
    int endDesc;
    if (brace >= 0 && (space < 0 || brace < space)) {
      boolean inString = false;
      int j = brace;
      for (; j < l.length(); j++) {
        char ch = l.charAt(j);
        if (ch == '\\') {
          j++;
          continue;
        }
        if (ch == '"') {
          inString = !inString;
        }
        if (ch == '}' && !inString) {
          break;
        }
      }
      endDesc = j + 1;
    } else {
      endDesc = space < 0 ? l.length() : space;
    }
    return new String[] {l.substring(0, endDesc), l.substring(endDesc).strip()};
  }

  static Labels labels(String descriptor) {
    if (descriptor.equals("{}")) {
      return Labels.EMPTY;
    }
    Expr e = Parser.parse(descriptor);
    if (!(e instanceof VectorSelector vs)) {
      throw new IllegalArgumentException("not a series descriptor: " + descriptor);
    }
    Labels.Builder b = Labels.builder();
    for (LabelMatcher m : vs.matchers()) {
      b.set(m.name(), m.value());
    }
    return b.build();
  }

  /** Expands "1 2 _ 3+2x2 stale" into values; null for a missing point. */
  static List<Double> expand(String text) {
    List<Double> out = new ArrayList<>();
    if (text.isBlank()) {
      return out;
    }
    for (String tok : text.strip().split("\\s+")) {
      if (tok.equals("_")) {
        out.add(null);
        continue;
      }
      if (tok.equals("stale")) {
        out.add(STALE);
        continue;
      }
      int x = tok.lastIndexOf('x');
      if (x > 0 && !tok.startsWith("0x")) {
        int times = Integer.parseInt(tok.substring(x + 1));
        String head = tok.substring(0, x);
        if (head.equals("_")) {
          for (int k = 0; k < times; k++) {
            out.add(null);
          }
          continue;
        }
        int op = Math.max(head.lastIndexOf('+'), head.lastIndexOf('-'));
        while (op > 0 && (head.charAt(op - 1) == 'e' || head.charAt(op - 1) == 'E')) {
          int prev = Math.max(head.lastIndexOf('+', op - 1), head.lastIndexOf('-', op - 1));
          op = prev;
        }
        double start;
        double delta;
        if (op > 0) {
          start = number(head.substring(0, op));
          delta = number(head.substring(op + 1)) * (head.charAt(op) == '-' ? -1 : 1);
        } else {
          start = number(head);
          delta = 0;
        }
        for (int k = 0; k <= times; k++) {
          out.add(start + delta * k);
        }
        continue;
      }
      out.add(number(tok));
    }
    return out;
  }

  static double number(String s) {
    return switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "nan" -> Double.NaN;
      case "inf", "+inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }

  private static void loadSeries(
      MemoryStorage storage, String line, long interval, String file, int lineNo) {
    try {
      String[] parts = splitDescriptor(line);
      Labels l = labels(parts[0]);
      List<Double> values = expand(parts[1]);
      for (int k = 0; k < values.size(); k++) {
        Double v = values.get(k);
        if (v != null) {
          storage.add(l, k * interval, v);
        }
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ":" + lineNo + ": " + e.getMessage(), e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eval(Case c) {
    String header = c.header().substring(5).strip();
    Engine engine = new Engine(c.options());
    Result result;
    String failure = null;
    boolean ordered = false;
    List<String> warns = new ArrayList<>();
    List<String> infos = new ArrayList<>();
    boolean noWarn = false;
    boolean noInfo = false;
    List<String> expected = new ArrayList<>();
    for (String l : c.body()) {
      if (l.startsWith("expect fail")) {
        failure = unquote(l.substring("expect fail".length()).strip());
      } else if (l.equals("expect ordered")) {
        ordered = true;
      } else if (l.startsWith("expect warn")) {
        warns.add(unquote(l.substring("expect warn".length()).strip()));
      } else if (l.startsWith("expect info")) {
        infos.add(unquote(l.substring("expect info".length()).strip()));
      } else if (l.equals("expect no_warn")) {
        noWarn = true;
      } else if (l.equals("expect no_info")) {
        noInfo = true;
      } else {
        expected.add(l);
      }
    }
    long start;
    long end;
    long step = 0;
    String query;
    boolean range = header.startsWith("range ");
    try {
      if (range) {
        // range from <start> to <end> step <step> <query>
        String[] t = header.split("\\s+", 8);
        start = millis(t[2]);
        end = millis(t[4]);
        step = millis(t[6]);
        query = t[7];
        result = engine.rangeQuery(c.storage(), query, start, end, step);
      } else {
        // instant at <time> <query>
        String[] t = header.split("\\s+", 4);
        start = millis(t[2]);
        end = start;
        query = t[3];
        result = engine.instantQuery(c.storage(), query, start);
      }
    } catch (QueryException e) {
      if (failure == null) {
        fail("unexpected failure: " + e.getMessage() + " (" + e.kind() + ")", e);
      }
      assertThat(e.getMessage()).contains(failure);
      return;
    }
    if (failure != null) {
      fail("expected failure containing \"" + failure + "\", got " + describe(result));
    }
    for (String w : warns) {
      assertThat(result.warnings()).as("warnings").anyMatch(s -> s.contains(w));
    }
    for (String w : infos) {
      assertThat(result.infos()).as("infos").anyMatch(s -> s.contains(w));
    }
    if (noWarn) {
      assertThat(result.warnings()).as("warnings").isEmpty();
    }
    if (noInfo) {
      assertThat(result.infos()).as("infos").isEmpty();
    }
    switch (result) {
      case Result.Scalar s -> {
        assertThat(expected).as("expected lines for a scalar").hasSize(1);
        assertClose(s.value(), number(expected.get(0)), "scalar");
      }
      case Result.StringValue s -> {
        assertThat(expected).hasSize(1);
        assertThat("\"" + s.value() + "\"").isEqualTo(expected.get(0));
      }
      case Result.Vector v -> checkVector(v, expected, ordered);
      case Result.Matrix m -> checkMatrix(m, expected, range, start, step);
    }
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      return s.substring(1, s.length() - 1).replace("\\\"", "\"");
    }
    return s;
  }

  private static void checkVector(Result.Vector v, List<String> expected, boolean ordered) {
    Map<Labels, Double> want = new LinkedHashMap<>();
    for (String l : expected) {
      String[] parts = splitDescriptor(l);
      List<Double> vals = expand(parts[1]);
      assertThat(vals).as("one value per expected sample: " + l).hasSize(1);
      want.put(labels(parts[0]), vals.get(0));
    }
    Map<Labels, Double> got = new LinkedHashMap<>();
    for (Sample s : v.samples()) {
      if (got.put(s.labels(), s.value()) != null) {
        fail("duplicate series in result: " + s.labels());
      }
    }
    assertThat(got.keySet())
        .as("series of " + describe(v))
        .containsExactlyInAnyOrderElementsOf(want.keySet());
    for (Map.Entry<Labels, Double> e : want.entrySet()) {
      assertClose(got.get(e.getKey()), e.getValue(), e.getKey().toString());
    }
    if (ordered) {
      assertThat(new ArrayList<>(got.keySet()))
          .as("order")
          .containsExactlyElementsOf(want.keySet());
    }
  }

  private static void checkMatrix(
      Result.Matrix m, List<String> expected, boolean range, long start, long step) {
    Map<Labels, SeriesPoints> got = new HashMap<>();
    for (SeriesPoints s : m.series()) {
      got.put(s.labels(), s);
    }
    Map<Labels, String> want = new LinkedHashMap<>();
    for (String l : expected) {
      String[] parts = splitDescriptor(l);
      want.put(labels(parts[0]), parts[1]);
    }
    assertThat(got.keySet())
        .as("series of " + describe(m))
        .containsExactlyInAnyOrderElementsOf(want.keySet());
    for (Map.Entry<Labels, String> e : want.entrySet()) {
      SeriesPoints s = got.get(e.getKey());
      List<long[]> times = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      if (range) {
        List<Double> vals = expand(e.getValue());
        for (int k = 0; k < vals.size(); k++) {
          if (vals.get(k) != null) {
            times.add(new long[] {start + k * step});
            values.add(vals.get(k));
          }
        }
      } else {
        // Raw samples of an instant range-vector result: value@time tokens.
        for (String tok : e.getValue().split("\\s+")) {
          String[] vt = tok.split("@");
          values.add(number(vt[0]));
          times.add(new long[] {millis(vt[1])});
        }
      }
      assertThat(s.size()).as("points of " + s).isEqualTo(values.size());
      for (int k = 0; k < values.size(); k++) {
        assertThat(s.timestamp(k)).as("timestamp %d of %s", k, s).isEqualTo(times.get(k)[0]);
        assertClose(s.value(k), values.get(k), s.toString() + " point " + k);
      }
    }
  }

  static void assertClose(double got, double want, String what) {
    if (Double.isNaN(want)) {
      assertThat(got).as(what).isNaN();
      return;
    }
    if (Double.isInfinite(want)) {
      assertThat(got).as(what).isEqualTo(want);
      return;
    }
    if (want == 0) {
      if (Math.abs(got) > 1e-12) {
        fail(what + ": expected 0 but got " + got);
      }
      return;
    }
    double tol = Math.max(1e-9, Math.abs(want) * 1e-6);
    if (Math.abs(got - want) > tol) {
      fail(what + ": expected " + want + " but got " + got);
    }
  }

  private static String describe(Result r) {
    return switch (r) {
      case Result.Scalar s -> "scalar " + s.value();
      case Result.StringValue s -> "string " + s.value();
      case Result.Vector v -> v.samples().toString();
      case Result.Matrix m -> m.series().toString();
    };
  }
}
