package dev.nines.bench.peer;

import dev.nines.common.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The data of the peer comparison with Prometheus: per instance 100 series shaped like a node
 * exporter's, scraped every 15 s, deterministic per series and streamed one scrape at a time.
 *
 * <p>Each series keeps its own state (value and random generator), so the values of a series do not
 * depend on the order in which series are advanced: the remote-write pusher advances all series
 * scrape after scrape, the OpenMetrics writer series after series, and both produce the same
 * samples. Timestamps are a per-instance offset into the 15 s interval; a quarter of the scrapes
 * are 1 ms early or late, as a ticker-driven scraper's are (Prometheus 2.42 does not align them).
 *
 * <p>Per instance: CPU seconds of 2 CPUs in 8 modes (hundredths of a second, as the kernel counts
 * them), memory gauges in pages (changing at a quarter of the scrapes) and constants, network and
 * disk counters of bytes and events, disk times in milliseconds, filesystem gauges, load averages,
 * and 12 cumulative histogram buckets. About a quarter of the series never change, as in a real
 * node exporter's output.
 */
final class PeerData {
  static final int SERIES_PER_INSTANCE = 100;
  static final long INTERVAL = 15_000;

  /** A 2 h (and 6 h) block boundary, so 2 h of scrapes make exactly one 2 h block. */
  static final long T0 = 1_700_006_400_000L;

  private static final String[] CPU_MODES = {
    "idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"
  };
  private static final String[] LE = {
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"
  };

  /** What a series does over time. */
  enum Kind {
    CPU_SECONDS,
    PAGES_GAUGE,
    CONSTANT,
    BYTES_COUNTER,
    EVENT_COUNTER,
    MILLIS_SECONDS,
    LOAD,
    BUCKET
  }

  record Spec(Kind kind, String name, List<String> labels) {
    Spec(Kind kind, String name, String... labels) {
      this(kind, name, List.of(labels));
    }
  }

  static final List<Spec> SPECS = specs();

  private static List<Spec> specs() {
    List<Spec> out = new ArrayList<>();
    for (String cpu : new String[] {"0", "1"}) {
      for (String mode : CPU_MODES) {
        out.add(new Spec(Kind.CPU_SECONDS, "node_cpu_seconds_total", "cpu", cpu, "mode", mode));
      }
    }
    String[][] memory = {
      {"MemAvailable", "g"}, {"MemFree", "g"}, {"Buffers", "g"}, {"Cached", "g"},
      {"Active", "g"}, {"Inactive", "g"}, {"Dirty", "g"}, {"Slab", "g"},
      {"MemTotal", "c"}, {"SwapTotal", "c"}, {"SwapFree", "c"}, {"HugePages_Total", "c"},
      {"Hugepagesize", "c"}, {"Committed_AS", "g"}
    };
    for (String[] m : memory) {
      Kind k = m[1].equals("g") ? Kind.PAGES_GAUGE : Kind.CONSTANT;
      out.add(new Spec(k, "node_memory_" + m[0] + "_bytes"));
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
    String[][] mounts = {{"/", "/dev/sda1"}, {"/var", "/dev/sda2"}, {"/home", "/dev/sdb1"}};
    for (String[] m : mounts) {
      String[] fs = {"device", m[1], "fstype", "ext4", "mountpoint", m[0]};
      out.add(new Spec(Kind.CONSTANT, "node_filesystem_size_bytes", fs));
      out.add(new Spec(Kind.PAGES_GAUGE, "node_filesystem_avail_bytes", fs));
      out.add(new Spec(Kind.PAGES_GAUGE, "node_filesystem_free_bytes", fs));
      out.add(new Spec(Kind.CONSTANT, "node_filesystem_files", fs));
      out.add(new Spec(Kind.EVENT_COUNTER, "node_filesystem_files_free", fs));
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
    for (String load : new String[] {"node_load1", "node_load5", "node_load15"}) {
      out.add(new Spec(Kind.LOAD, load));
    }
    for (String v : new String[] {"pgfault", "pgmajfault", "pgpgin", "pgpgout"}) {
      out.add(new Spec(Kind.EVENT_COUNTER, "node_vmstat_" + v));
    }
    out.add(new Spec(Kind.EVENT_COUNTER, "node_context_switches_total"));
    out.add(new Spec(Kind.EVENT_COUNTER, "node_intr_total"));
    out.add(new Spec(Kind.LOAD, "node_procs_running"));
    out.add(new Spec(Kind.CONSTANT, "node_boot_time_seconds"));
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

  private final int firstInstance;
  private final double[] values;
  private final long[] rng;
  private final double[] rates;

  /** State for the series of instances {@code [firstInstance, firstInstance + instances)}. */
  PeerData(int firstInstance, int instances) {
    this.firstInstance = firstInstance;
    int n = instances * SERIES_PER_INSTANCE;
    values = new double[n];
    rng = new long[n];
    rates = new double[n];
    for (int i = 0; i < n; i++) {
      long id = (long) firstInstance * SERIES_PER_INSTANCE + i;
      rng[i] = mix(id + 1) | 1;
      Spec spec = SPECS.get(i % SERIES_PER_INSTANCE);
      rates[i] = 1 + nextInt(i, 20);
      values[i] =
          switch (spec.kind()) {
            case CPU_SECONDS -> Math.floor(nextInt(i, 10_000_000)) / 100;
            case PAGES_GAUGE, CONSTANT -> 4096.0 * nextInt(i, 1 << 22);
            case BYTES_COUNTER -> nextInt(i, 1 << 30);
            case EVENT_COUNTER -> nextInt(i, 1 << 24);
            case MILLIS_SECONDS -> nextInt(i, 1 << 24) / 1000.0;
            case LOAD -> nextInt(i, 400) / 100.0;
            case BUCKET -> 0;
          };
    }
  }

  int size() {
    return values.length;
  }

  /** The instance label value of instance {@code instance}. */
  static String instance(int instance) {
    return String.format(Locale.ROOT, "host-%05d:9100", instance);
  }

  /** The labels of local series {@code i}. */
  Labels labels(int i) {
    int instance = firstInstance + i / SERIES_PER_INSTANCE;
    Spec spec = SPECS.get(i % SERIES_PER_INSTANCE);
    Labels.Builder b = Labels.builder();
    b.set(Labels.METRIC_NAME, spec.name());
    b.set("instance", instance(instance));
    b.set("job", "node");
    for (int k = 0; k < spec.labels().size(); k += 2) {
      b.set(spec.labels().get(k), spec.labels().get(k + 1));
    }
    return b.build();
  }

  /** The timestamp of scrape {@code round} of local series {@code i}'s instance. */
  long timestamp(int i, int round) {
    long instance = firstInstance + i / SERIES_PER_INSTANCE;
    long offset = 5 + (instance * 97) % 10_000;
    // A scrape starts on its ticker to the millisecond most of the time, 1 ms off now and then.
    int j = (int) Math.floorMod(mix(instance * 1_000_003L + round), 8L);
    int jitter = j == 0 ? -1 : j == 1 ? 1 : 0;
    return T0 + offset + round * INTERVAL + jitter;
  }

  /** Returns the value of local series {@code i} at its next scrape, then advances it. */
  double next(int i) {
    double v = values[i];
    int s = i % SERIES_PER_INSTANCE;
    Spec spec = SPECS.get(s);
    double n = v;
    switch (spec.kind()) {
      case CPU_SECONDS -> {
        boolean idle = spec.labels().get(3).equals("idle");
        int ticks = idle ? 1400 + nextInt(i, 100) : nextInt(i, 20);
        n = Math.round(v * 100 + ticks) / 100.0;
      }
      case PAGES_GAUGE -> {
        if (nextInt(i, 4) == 0) {
          n = Math.max(0, v + 4096.0 * (nextInt(i, 400) - 200));
        }
      }
      case CONSTANT -> {}
      case BYTES_COUNTER -> n = v + nextInt(i, 200_000);
      case EVENT_COUNTER -> n = v + (nextInt(i, 3) == 0 ? 0 : nextInt(i, 300));
      case MILLIS_SECONDS -> n = Math.round(v * 1000 + nextInt(i, 2000)) / 1000.0;
      case LOAD -> n = Math.max(0, Math.round(v * 100 + nextInt(i, 21) - 10) / 100.0);
      case BUCKET -> {
        int bucket = s - (SERIES_PER_INSTANCE - LE.length);
        double share = bucket == LE.length - 1 ? 1 : Math.min(1, (bucket + 1) / 10.0);
        n = v + Math.floor(rates[i] * 15 * share * (0.5 + nextInt(i, 1000) / 1000.0));
      }
    }
    values[i] = n;
    return v;
  }

  private int nextInt(int i, int bound) {
    long x = rng[i];
    x ^= x << 13;
    x ^= x >>> 7;
    x ^= x << 17;
    rng[i] = x;
    return (int) Math.floorMod(x * 0x2545F4914F6CDD1DL >>> 1, (long) bound);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
