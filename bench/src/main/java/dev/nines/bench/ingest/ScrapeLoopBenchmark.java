package dev.nines.bench.ingest;

import dev.nines.common.Labels;
import dev.nines.ingest.exposition.ExpositionFormat;
import dev.nines.ingest.scrape.ScrapeConfig;
import dev.nines.ingest.scrape.ScrapeConfigParser;
import dev.nines.ingest.scrape.ScrapeLoop;
import dev.nines.tsdb.storage.Appendable;
import dev.nines.tsdb.storage.Appender;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scrape loop's own cost per scrape, steady state: one target answering the same
 * node-exporter-like body (9,735 lines, about 745 KB, Prometheus text 0.0.4) at every scrape, so
 * after the first scrape every series is known. Each operation is one whole scrape: parse, target
 * labels, relabelling (none configured), limits, append, staleness tracking and the synthetic
 * series. HTTP is left out ({@link ScrapeLoop#scrapeBody}), and storage is an appender that only
 * hands out series references, so the figure is the loop alone.
 *
 * <p>Run with the allocation profiler, whose {@code gc.alloc.rate.norm} (bytes per scrape) is the
 * noise-free figure on a shared machine: {@code java -jar bench/target/benchmarks.jar
 * ScrapeLoopBenchmark -prof gc}. The auxiliary counter {@code samples} reports samples/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ScrapeLoopBenchmark {
  private byte[] body;
  private int samples;
  private ScrapeLoop loop;
  private long now = 1_700_000_000_000L;

  /** Samples scraped, reported per second next to the main score. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Throughput {
    public long samples;

    @Setup(Level.Iteration)
    public void clear() {
      samples = 0;
    }
  }

  @Setup
  public void setUp() {
    String text = ExpositionParseBenchmark.nodeExporterLike(ExpositionFormat.PROMETHEUS_TEXT_0_0_4);
    body = text.getBytes(StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        samples++;
      }
    }
    ScrapeConfig config =
        ScrapeConfigParser.parseYaml("scrape_configs: [{job_name: node}]").scrapeConfigs().get(0);
    loop = ScrapeLoop.unscheduled(config, "host-1:9100", new RefOnlyStorage(), () -> now);
    loop.scrapeBody(now, body, "text/plain; version=0.0.4"); // the first scrape meets every series
  }

  @Benchmark
  public void scrape(Throughput t) {
    now += 15_000;
    loop.scrapeBody(now, body, "text/plain; version=0.0.4");
    t.samples += samples;
  }

  /** Storage that keeps nothing: a new reference for a new series, the same one afterwards. */
  static final class RefOnlyStorage implements Appendable {
    private long next;

    @Override
    public Appender appender() {
      return new Appender() {
        @Override
        public long append(long ref, Labels labels, long timestamp, double value) {
          return ref != 0 ? ref : ++next;
        }

        @Override
        public void commit() {}

        @Override
        public void rollback() {}
      };
    }
  }
}
