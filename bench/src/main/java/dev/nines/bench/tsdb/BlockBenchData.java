package dev.nines.bench.tsdb;

import dev.nines.common.Labels;
import dev.nines.tsdb.block.BlockMeta;
import dev.nines.tsdb.block.BlockWriter;
import dev.nines.tsdb.block.ChunkData;
import dev.nines.tsdb.block.SeriesChunks;
import dev.nines.tsdb.chunk.XorChunk;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Node-exporter-like data for block benchmarks: per instance 100 series shaped like a node
 * exporter's (CPU seconds in hundredths, memory and filesystem gauges in pages, byte and event
 * counters, disk time in milliseconds, constants such as sizes and error counters that stay 0) plus
 * 12 histogram bucket counters, scraped every 15 s with a few milliseconds of jitter and cut into
 * 120-sample chunks. The mix is in {@code specs()}; about a quarter of the series are constant, as
 * in a real node exporter's output.
 *
 * <p>{@code main} writes a 2 h block of 10,000 series, prints its bytes per sample on disk, and
 * writes the same samples as OpenMetrics text for {@code promtool tsdb create-blocks-from
 * openmetrics}, so the two engines can be compared on identical data:
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.nines.bench.tsdb.BlockBenchData /tmp/blockbench
 * </pre>
 */
public final class BlockBenchData {
  /** A 2 h block boundary (divisible by 7,200,000), so 2 h of data make one Prometheus block. */
  public static final long T0 = 1_700_006_400_000L;

  public static final int SERIES_PER_INSTANCE = 100;
  public static final long INTERVAL = 15_000;
  private static final int CHUNK_SAMPLES = 120;
  private static final String[] CPU_MODES = {
    "idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"
  };
  private static final String[] MEMORY = {
    "MemAvailable",
    "MemFree",
    "Buffers",
    "Cached",
    "Active",
    "Inactive",
    "Dirty",
    "Slab",
    "SwapFree",
    "Committed_AS"
  };
  private static final String[] LE = {
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"
  };

  private BlockBenchData() {}

  /** What a series does over time. */
  private enum Kind {
    /** CPU seconds: hundredths of a second (USER_HZ ticks), mostly idle time. */
    CPU_SECONDS,
    /** A gauge of bytes in pages that changes at a quarter of the scrapes. */
    MEMORY_GAUGE,
    /** A gauge that never changes (sizes, totals, info metrics). */
    CONSTANT,
    /** A counter of bytes: large integer increments. */
    BYTES_COUNTER,
    /** A counter of events: small integer increments, sometimes none. */
    EVENT_COUNTER,
    /** A counter of seconds with millisecond resolution (disk io time). */
    MILLIS_SECONDS,
    /** A cumulative histogram bucket counter. */
    BUCKET
  }

  private record Spec(Kind kind, String name, List<String> labels) {
    Spec(Kind kind, String name, String... labels) {
      this(kind, name, List.of(labels));
    }
  }

  private static final List<Spec> SPECS = specs();

  private static List<Spec> specs() {
    List<Spec> out = new ArrayList<>();
    for (String mode : CPU_MODES) {
      out.add(new Spec(Kind.CPU_SECONDS, "node_cpu_seconds_total", "cpu", "0", "mode", mode));
    }
    for (int i = 0; i < MEMORY.length; i++) {
      Kind k = i % 2 == 0 ? Kind.MEMORY_GAUGE : Kind.CONSTANT;
      out.add(new Spec(k, "node_memory_" + MEMORY[i] + "_bytes"));
    }
    for (String m : new String[] {"MemTotal", "SwapTotal", "HugePages_Total", "Hugepagesize"}) {
      out.add(new Spec(Kind.CONSTANT, "node_memory_" + m + "_bytes"));
    }
    for (String m :
        new String[] {"PageTables", "Mapped", "Shmem", "KernelStack", "AnonPages", "VmallocUsed"}) {
      out.add(new Spec(Kind.MEMORY_GAUGE, "node_memory_" + m + "_bytes"));
    }
    for (String dev : new String[] {"eth0", "lo"}) {
      for (String dir : new String[] {"receive", "transmit"}) {
        out.add(
            new Spec(Kind.BYTES_COUNTER, "node_network_" + dir + "_bytes_total", "device", dev));
        out.add(
            new Spec(Kind.EVENT_COUNTER, "node_network_" + dir + "_packets_total", "device", dev));
        out.add(new Spec(Kind.CONSTANT, "node_network_" + dir + "_errs_total", "device", dev));
        out.add(new Spec(Kind.CONSTANT, "node_network_" + dir + "_drop_total", "device", dev));
      }
    }
    for (String mount : new String[] {"/", "/var", "/home"}) {
      out.add(
          new Spec(
              Kind.CONSTANT, "node_filesystem_size_bytes", "mountpoint", mount, "fstype", "ext4"));
      out.add(
          new Spec(
              Kind.MEMORY_GAUGE,
              "node_filesystem_avail_bytes",
              "mountpoint",
              mount,
              "fstype",
              "ext4"));
      out.add(
          new Spec(
              Kind.MEMORY_GAUGE,
              "node_filesystem_free_bytes",
              "mountpoint",
              mount,
              "fstype",
              "ext4"));
      out.add(
          new Spec(Kind.CONSTANT, "node_filesystem_files", "mountpoint", mount, "fstype", "ext4"));
    }
    for (String dev : new String[] {"sda", "sdb"}) {
      out.add(new Spec(Kind.EVENT_COUNTER, "node_disk_reads_completed_total", "device", dev));
      out.add(new Spec(Kind.EVENT_COUNTER, "node_disk_writes_completed_total", "device", dev));
      out.add(new Spec(Kind.BYTES_COUNTER, "node_disk_read_bytes_total", "device", dev));
      out.add(new Spec(Kind.BYTES_COUNTER, "node_disk_written_bytes_total", "device", dev));
      out.add(new Spec(Kind.MILLIS_SECONDS, "node_disk_io_time_seconds_total", "device", dev));
      out.add(new Spec(Kind.MILLIS_SECONDS, "node_disk_read_time_seconds_total", "device", dev));
      out.add(new Spec(Kind.MILLIS_SECONDS, "node_disk_write_time_seconds_total", "device", dev));
      out.add(new Spec(Kind.CONSTANT, "node_disk_discards_completed_total", "device", dev));
    }
    String[] vmstat = {
      "pgfault", "pgmajfault", "pgpgin", "pgpgout", "pswpin", "pswpout", "oom_kill", "numa_hit"
    };
    for (String v : vmstat) {
      Kind k = v.startsWith("psw") || v.equals("oom_kill") ? Kind.CONSTANT : Kind.EVENT_COUNTER;
      out.add(new Spec(k, "node_vmstat_" + v));
    }
    String[] netstat = {
      "Tcp_ActiveOpens",
      "Tcp_PassiveOpens",
      "Tcp_RetransSegs",
      "Tcp_InSegs",
      "Tcp_OutSegs",
      "Udp_InDatagrams",
      "Udp_OutDatagrams",
      "TcpExt_ListenDrops"
    };
    for (String v : netstat) {
      out.add(
          new Spec(
              v.equals("TcpExt_ListenDrops") ? Kind.CONSTANT : Kind.EVENT_COUNTER,
              "node_netstat_" + v));
    }
    for (String le : LE) {
      out.add(
          new Spec(
              Kind.BUCKET,
              "prometheus_http_request_duration_seconds_bucket",
              "handler",
              "/api/v1/query",
              "le",
              le));
    }
    if (out.size() != SERIES_PER_INSTANCE) {
      throw new IllegalStateException("series per instance: " + out.size());
    }
    return List.copyOf(out);
  }

  /** The labels of series {@code s} (0..99) of instance {@code i}. */
  static Labels labels(int instance, int s) {
    Spec spec = SPECS.get(s);
    Labels.Builder b = Labels.builder();
    b.set("job", "node");
    b.set("instance", String.format(Locale.ROOT, "host-%02d:9100", instance));
    b.set(Labels.METRIC_NAME, spec.name());
    for (int i = 0; i < spec.labels().size(); i += 2) {
      b.set(spec.labels().get(i), spec.labels().get(i + 1));
    }
    return b.build();
  }

  /** Generates the samples of one series: timestamps and values, deterministic per series. */
  static void generate(int instance, int s, int samples, long[] ts, double[] vs) {
    Spec spec = SPECS.get(s);
    SplittableRandom r = new SplittableRandom(instance * 1000L + s);
    // Scrape offsets differ per target; all samples stay inside [T0, T0 + samples * INTERVAL).
    long t = T0 + 5 + (instance * 97L) % 10_000;
    int bucket = spec.kind() == Kind.BUCKET ? s - (SERIES_PER_INSTANCE - LE.length) : 0;
    double requestsPerSecond = 1 + r.nextInt(20);
    double v =
        switch (spec.kind()) {
          case CPU_SECONDS -> Math.floor(r.nextDouble() * 1e7) / 100;
          case MEMORY_GAUGE, CONSTANT -> 4096.0 * r.nextInt(1 << 22);
          case BYTES_COUNTER -> r.nextInt(1 << 30);
          case EVENT_COUNTER -> r.nextInt(1 << 24);
          case MILLIS_SECONDS -> r.nextInt(1 << 24) / 1000.0;
          case BUCKET -> 0;
        };
    boolean idle = spec.labels().size() > 3 && spec.labels().get(3).equals("idle");
    for (int i = 0; i < samples; i++) {
      ts[i] = t + r.nextInt(-3, 4);
      vs[i] = v;
      t += INTERVAL;
      switch (spec.kind()) {
        case CPU_SECONDS -> {
          int ticks = idle ? 1400 + r.nextInt(100) : r.nextInt(20);
          v = Math.round(v * 100 + ticks) / 100.0;
        }
        case MEMORY_GAUGE -> {
          if (r.nextInt(4) == 0) {
            v += 4096.0 * r.nextInt(-200, 200);
          }
        }
        case CONSTANT -> {}
        case BYTES_COUNTER -> v += r.nextInt(200_000);
        case EVENT_COUNTER -> v += r.nextInt(3) == 0 ? 0 : r.nextInt(300);
        case MILLIS_SECONDS -> v = Math.round(v * 1000 + r.nextInt(2000)) / 1000.0;
        case BUCKET -> {
          double share = bucket == LE.length - 1 ? 1 : Math.min(1, (bucket + 1) / 10.0);
          v += Math.floor(requestsPerSecond * 15 * share * (0.5 + r.nextDouble()));
        }
      }
    }
  }

  /**
   * The series of {@code instances} instances over {@code samples} scrapes, as block input: chunks
   * as the head cuts them (adaptive: SCALED while the values are decimals, else XOR).
   */
  public static List<SeriesChunks> series(int instances, int samples) {
    List<SeriesChunks> out = new ArrayList<>(instances * SERIES_PER_INSTANCE);
    long[] ts = new long[samples];
    double[] vs = new double[samples];
    for (int i = 0; i < instances; i++) {
      for (int s = 0; s < SERIES_PER_INSTANCE; s++) {
        generate(i, s, samples, ts, vs);
        List<ChunkData> chunks = new ArrayList<>(samples / CHUNK_SAMPLES + 1);
        XorChunk chunk = XorChunk.adaptive(128); // as the head appends: SCALED or XOR
        for (int k = 0; k < samples; k++) {
          chunk.append(ts[k], vs[k]);
          if (chunk.numSamples() == CHUNK_SAMPLES || k == samples - 1) {
            chunks.add(ChunkData.of(chunk));
            chunk.reset();
          }
        }
        out.add(new SeriesChunks(labels(i, s), chunks));
      }
    }
    return out;
  }

  /** The bytes of all files under {@code dir}. */
  public static long sizeOnDisk(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      long total = 0;
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        total += Files.size(p);
      }
      return total;
    }
  }

  /** Deletes a directory tree. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Writes the same data as OpenMetrics text, series after series, for promtool. */
  static void writeOpenMetrics(Path file, int instances, int samples) throws IOException {
    long[] ts = new long[samples];
    double[] vs = new double[samples];
    try (Writer w =
        new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 20)) {
      for (int i = 0; i < instances; i++) {
        for (int s = 0; s < SERIES_PER_INSTANCE; s++) {
          generate(i, s, samples, ts, vs);
          Labels l = labels(i, s);
          StringBuilder series = new StringBuilder(l.metricName()).append('{');
          boolean first = true;
          for (int k = 0; k < l.size(); k++) {
            if (l.name(k).equals(Labels.METRIC_NAME)) {
              continue;
            }
            series
                .append(first ? "" : ",")
                .append(l.name(k))
                .append("=\"")
                .append(l.value(k))
                .append('"');
            first = false;
          }
          series.append("} ");
          String prefix = series.toString();
          for (int k = 0; k < samples; k++) {
            w.write(prefix);
            w.write(Double.toString(vs[k]));
            w.write(' ');
            w.write(String.format(Locale.ROOT, "%d.%03d", ts[k] / 1000, ts[k] % 1000));
            w.write('\n');
          }
        }
      }
      w.write("# EOF\n");
    }
  }

  /** Writes a 2 h block of 10,000 series and the OpenMetrics file; prints bytes per sample. */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : "/tmp/nines-blockbench");
    int instances = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int samples = (int) (2 * 3600_000 / INTERVAL);
    deleteTree(root);
    Path blocks = root.resolve("nines");
    List<SeriesChunks> series = series(instances, samples);
    BlockMeta meta = BlockWriter.write(blocks, series, BlockWriter.Options.defaults());
    Path blockDir = blocks.resolve(meta.ulid());
    long bytes = sizeOnDisk(blockDir);
    long chunkBytes = sizeOnDisk(blockDir.resolve("chunks"));
    long indexBytes = Files.size(blockDir.resolve("index"));
    System.out.printf(
        Locale.ROOT,
        "nines block %s: %d series, %d samples, %d bytes on disk (chunks %d, index %d): %.3f"
            + " bytes/sample%n",
        meta.ulid(),
        meta.stats().numSeries(),
        meta.stats().numSamples(),
        bytes,
        chunkBytes,
        indexBytes,
        (double) bytes / meta.stats().numSamples());
    Path om = root.resolve("data.om");
    writeOpenMetrics(om, instances, samples);
    System.out.println("OpenMetrics for promtool: " + om);
  }
}
