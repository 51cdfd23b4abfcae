package dev.nines.bench.ingest;

import dev.nines.common.Labels;
import dev.nines.ingest.exposition.Entry;
import dev.nines.ingest.exposition.ExpositionFormat;
import dev.nines.ingest.exposition.ExpositionParseException;
import dev.nines.ingest.exposition.ExpositionParser;
import dev.nines.ingest.exposition.MetricType;
import dev.nines.ingest.exposition.TextFormatWriter;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the exposition parsers on a large node-exporter-like exposition (9,735 lines, about
 * 745 KB: CPU, filesystem, network and disk families with node exporter's label shapes, a histogram
 * and a summary), in both formats.
 *
 * <p>JMH reports operations (whole bodies) per second; the auxiliary counters {@code bytes} and
 * {@code lines} report bytes/s and lines/s directly (divide bytes/s by 1e6 for MB/s). Two variants:
 * {@code scan} reads every sample's value and raw series bytes (what a scrape loop with a series
 * cache does on a hit), {@code labels} also builds each sample's {@link Labels} (a cache miss).
 *
 * <p>Run: {@code ./mvnw -q -pl bench -am package -DskipTests && java -jar
 * bench/target/benchmarks.jar ExpositionParseBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExpositionParseBenchmark {
  @Param({"PROMETHEUS_TEXT_0_0_4", "OPENMETRICS_1_0_0"})
  public ExpositionFormat format;

  private byte[] body;
  private int lines;
  private ExpositionParser parser;

  /** Bytes and lines parsed, reported per second next to the main score. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Throughput {
    public long bytes;
    public long lines;

    @Setup(Level.Iteration)
    public void clear() {
      bytes = 0;
      lines = 0;
    }
  }

  @Setup
  public void setUp() {
    body = nodeExporterLike(format).getBytes(StandardCharsets.UTF_8);
    for (byte b : body) {
      if (b == '\n') {
        lines++;
      }
    }
    parser = ExpositionParser.forFormat(format);
  }

  @Benchmark
  public void scan(Throughput t, Blackhole bh) throws ExpositionParseException {
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
  public void labels(Throughput t, Blackhole bh) throws ExpositionParseException {
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

  /** A node-exporter-shaped exposition of about 10,000 lines, always the same (fixed seed). */
  static String nodeExporterLike(ExpositionFormat format) {
    boolean om = format == ExpositionFormat.OPENMETRICS_1_0_0;
    Random r = new Random(42);
    StringBuilder out = new StringBuilder(1 << 20);
    TextFormatWriter w = new TextFormatWriter(format, out);
    String[] modes = {"idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"};
    String cpu = om ? "node_cpu_seconds" : "node_cpu_seconds_total";
    w.type(cpu, MetricType.COUNTER).help(cpu, "Seconds the CPUs spent in each mode.");
    for (int c = 0; c < 128; c++) {
      for (String mode : modes) {
        w.sample(
            cpu + (om ? "_total" : ""),
            Labels.of("cpu", Integer.toString(c), "mode", mode),
            r.nextInt(10_000_000) / 100.0);
      }
    }
    String[] fsMetrics = {
      "node_filesystem_avail_bytes", "node_filesystem_free_bytes", "node_filesystem_size_bytes",
      "node_filesystem_files", "node_filesystem_files_free", "node_filesystem_readonly"
    };
    for (String m : fsMetrics) {
      w.type(m, MetricType.GAUGE).help(m, "Filesystem metric " + m + ".");
      for (int i = 0; i < 250; i++) {
        w.sample(
            m,
            Labels.of(
                "device", "/dev/mapper/vg0-lv" + i,
                "fstype", i % 3 == 0 ? "ext4" : "xfs",
                "mountpoint",
                    "/var/lib/kubelet/pods/" + Long.toHexString(r.nextLong()) + "/volume"),
            (double) r.nextLong(1L << 40));
      }
    }
    String[] netMetrics = {
      "node_network_receive_bytes", "node_network_transmit_bytes",
      "node_network_receive_packets", "node_network_transmit_packets",
      "node_network_receive_errs", "node_network_transmit_errs",
      "node_network_receive_drop", "node_network_transmit_drop"
    };
    for (String m : netMetrics) {
      String family = om ? m : m + "_total";
      w.type(family, MetricType.COUNTER).help(family, "Network device statistic " + m + ".");
      for (int i = 0; i < 700; i++) {
        w.sample(
            family + (om ? "_total" : ""),
            Labels.of("device", "veth" + Integer.toHexString(0x1000 + i)),
            (double) r.nextLong(1L << 45));
      }
    }
    String[] diskMetrics = {
      "node_disk_read_bytes",
      "node_disk_written_bytes",
      "node_disk_reads_completed",
      "node_disk_writes_completed",
      "node_disk_io_time_seconds"
    };
    for (String m : diskMetrics) {
      String family = om ? m : m + "_total";
      w.type(family, MetricType.COUNTER).help(family, "Disk statistic " + m + ".");
      for (int i = 0; i < 200; i++) {
        w.sample(
            family + (om ? "_total" : ""),
            Labels.of("device", "nvme" + (i / 8) + "n" + (i % 8)),
            r.nextInt(1_000_000_000) / 1000.0);
      }
    }
    w.type("node_scrape_latency_seconds", MetricType.HISTOGRAM)
        .help("node_scrape_latency_seconds", "Scrape latency.");
    double[] bounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    for (int c = 0; c < 40; c++) {
      long count = 0;
      for (double le : bounds) {
        count += r.nextInt(100);
        w.sample(
            "node_scrape_latency_seconds_bucket",
            Labels.of("collector", "c" + c, "le", Double.toString(le)),
            count);
      }
      w.sample(
          "node_scrape_latency_seconds_bucket",
          Labels.of("collector", "c" + c, "le", "+Inf"),
          count);
      w.sample("node_scrape_latency_seconds_sum", Labels.of("collector", "c" + c), count * 0.3);
      w.sample("node_scrape_latency_seconds_count", Labels.of("collector", "c" + c), count);
    }
    w.type("go_gc_duration_seconds", MetricType.SUMMARY)
        .help("go_gc_duration_seconds", "A summary of the pause duration of GC cycles.");
    for (String q : new String[] {"0", "0.25", "0.5", "0.75", "1"}) {
      w.sample("go_gc_duration_seconds", Labels.of("quantile", q), r.nextDouble() / 1000);
    }
    w.sample("go_gc_duration_seconds_sum", Labels.EMPTY, 1.5);
    w.sample("go_gc_duration_seconds_count", Labels.EMPTY, 1234);
    w.eof();
    return out.toString();
  }
}
