package dev.nines.bench.ingest;

import dev.nines.ingest.exposition.Entry;
import dev.nines.ingest.exposition.ExpositionFormat;
import dev.nines.ingest.exposition.ExpositionParseException;
import dev.nines.ingest.exposition.ExpositionParser;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Parser throughput per CPU-second: the same inputs and variants as {@link
 * ExpositionParseBenchmark} and {@link CapturedExpositionParseBenchmark}, timed with the parsing
 * thread's own CPU time instead of the wall clock, so that other work on a shared machine changes
 * the figure much less. Each case warms up for 3 CPU-seconds, then parses whole bodies until 5
 * CPU-seconds have passed, and prints MB and lines per CPU-second.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar dev.nines.bench.ingest.ParseCpuTime}
 */
public final class ParseCpuTime {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static long sink;

  private ParseCpuTime() {}

  public static void main(String[] args) throws Exception {
    byte[] captured;
    try (InputStream in =
        Objects.requireNonNull(
            ParseCpuTime.class.getResourceAsStream(CapturedExpositionParseBenchmark.RESOURCE))) {
      captured = in.readAllBytes();
    }
    byte[] text =
        ExpositionParseBenchmark.nodeExporterLike(ExpositionFormat.PROMETHEUS_TEXT_0_0_4)
            .getBytes(StandardCharsets.UTF_8);
    byte[] om =
        ExpositionParseBenchmark.nodeExporterLike(ExpositionFormat.OPENMETRICS_1_0_0)
            .getBytes(StandardCharsets.UTF_8);
    System.out.println("| input | format | variant | MB per CPU-second | lines per CPU-second |");
    System.out.println("|---|---|---|---|---|");
    for (boolean labels : new boolean[] {false, true}) {
      run(
          "captured node exporter 1.5 (57 KB)",
          ExpositionFormat.PROMETHEUS_TEXT_0_0_4,
          captured,
          labels);
      run("generated (745 KB)", ExpositionFormat.PROMETHEUS_TEXT_0_0_4, text, labels);
      run("generated (745 KB)", ExpositionFormat.OPENMETRICS_1_0_0, om, labels);
    }
    if (sink == 42) {
      System.out.println();
    }
  }

  private static void run(String input, ExpositionFormat format, byte[] body, boolean labels)
      throws ExpositionParseException, IOException {
    ExpositionParser parser = ExpositionParser.forFormat(format);
    int lines = 0;
    for (byte b : body) {
      if (b == '\n') {
        lines++;
      }
    }
    parseFor(parser, body, labels, 3_000_000_000L);
    long t0 = THREADS.getCurrentThreadCpuTime();
    long n = parseFor(parser, body, labels, 5_000_000_000L);
    double cpu = (THREADS.getCurrentThreadCpuTime() - t0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %s | %.0f | %.2f M |%n",
        input,
        format == ExpositionFormat.OPENMETRICS_1_0_0 ? "OpenMetrics 1.0" : "text 0.0.4",
        labels ? "labels" : "scan",
        n * body.length / cpu / 1e6,
        n * lines / cpu / 1e6);
  }

  private static long parseFor(ExpositionParser parser, byte[] body, boolean labels, long cpuNanos)
      throws ExpositionParseException {
    long end = THREADS.getCurrentThreadCpuTime() + cpuNanos;
    long n = 0;
    while (THREADS.getCurrentThreadCpuTime() < end) {
      parser.reset(body);
      for (Entry e = parser.next(); e != Entry.EOF; e = parser.next()) {
        if (e == Entry.SERIES) {
          sink += Double.doubleToRawLongBits(parser.value());
          sink += labels ? parser.labels().size() : parser.seriesEnd();
        }
      }
      n++;
    }
    return n;
  }
}
