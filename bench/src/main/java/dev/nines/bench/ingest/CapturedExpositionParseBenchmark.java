package dev.nines.bench.ingest;

import dev.nines.ingest.exposition.Entry;
import dev.nines.ingest.exposition.ExpositionParseException;
import dev.nines.ingest.exposition.ExpositionParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Prometheus text parser on a real exposition: one scrape of Debian's prometheus-node-exporter
 * 1.5 on the development machine (1,069 lines, 57 KB; the same capture as the ingest module's
 * {@code NodeExporterTest}), kept as a resource. Real output has longer help texts and fewer
 * samples per family than {@link ExpositionParseBenchmark}'s generated 745 KB body, so its bytes/s
 * and lines/s differ; both are recorded in docs/performance.md.
 *
 * <p>Same variants and counters as {@link ExpositionParseBenchmark}: {@code scan} (value and raw
 * series bytes: the series-cache-hit path) and {@code labels} (also builds each {@code Labels}).
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar CapturedExpositionParseBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CapturedExpositionParseBenchmark {
  static final String RESOURCE = "/exposition/node-exporter-1.5.txt";

  private byte[] body;
  private int lines;
  private final ExpositionParser parser = ExpositionParser.prometheusText();

  @Setup
  public void setUp() {
    try (InputStream in =
        Objects.requireNonNull(
            CapturedExpositionParseBenchmark.class.getResourceAsStream(RESOURCE), RESOURCE)) {
      body = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (byte b : body) {
      if (b == '\n') {
        lines++;
      }
    }
  }

  @Benchmark
  public void scan(ExpositionParseBenchmark.Throughput t, Blackhole bh)
      throws ExpositionParseException {
    parser.reset(body);
    for (Entry e = parser.next(); e != Entry.EOF; e = parser.next()) {
      if (e == Entry.SERIES) {
        bh.consume(parser.value());
        bh.consume(parser.seriesEnd());
      }
    }
    t.bytes += body.length;
    t.lines += lines;
  }

  @Benchmark
  public void labels(ExpositionParseBenchmark.Throughput t, Blackhole bh)
      throws ExpositionParseException {
    parser.reset(body);
    for (Entry e = parser.next(); e != Entry.EOF; e = parser.next()) {
      if (e == Entry.SERIES) {
        bh.consume(parser.labels());
        bh.consume(parser.value());
      }
    }
    t.bytes += body.length;
    t.lines += lines;
  }
}
