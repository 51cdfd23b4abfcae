package dev.nines.bench.tsdb;

import dev.nines.common.Labels;

/**
 * Generated node-exporter-like series for the head benchmarks: {@code hosts} targets of 1000 series
 * each, scraped every 15 s. Of every ten series, four are histogram buckets (counters that grow by
 * 0 to 3, half of the time not at all), two CPU-seconds counters (fractional, two decimals), one a
 * byte counter (large integer steps), two memory/filesystem gauges (multiples of 4096 that change
 * one scrape in ten) and one a load-average gauge (two decimals). Deterministic per series.
 */
final class NodeExporterData {
  static final int SERIES_PER_HOST = 1000;
  static final long INTERVAL = 15_000;
  static final long START = 1_700_006_400_000L; // a 2 h boundary

  final int hosts;
  final Labels[] labels;
  final double[] values;
  private final long[] rng;

  NodeExporterData(int hosts) {
    this.hosts = hosts;
    int n = hosts * SERIES_PER_HOST;
    labels = new Labels[n];
    values = new double[n];
    rng = new long[n];
    for (int h = 0; h < hosts; h++) {
      String instance = "host-" + h + ".example.org:9100";
      for (int k = 0; k < SERIES_PER_HOST; k++) {
        int i = h * SERIES_PER_HOST + k;
        labels[i] = labelsFor(instance, k);
        rng[i] = 0x9E3779B97F4A7C15L * (i + 1);
        values[i] = k % 10 >= 7 ? 4096L * (1000 + k) : 0;
      }
    }
  }

  private static Labels labelsFor(String instance, int k) {
    int kind = k % 10;
    int idx = k / 10;
    return switch (kind) {
      case 0, 1, 2, 3 ->
          Labels.of(
              "__name__",
              "http_request_duration_seconds_bucket",
              "instance",
              instance,
              "job",
              "node",
              "handler",
              "/api/v" + (idx % 25) + "/" + kind,
              "le",
              Double.toString(LE[(idx / 25 + kind * 4) % LE.length]));
      case 4, 5 ->
          Labels.of(
              "__name__",
              "node_cpu_seconds_total",
              "instance",
              instance,
              "job",
              "node",
              "cpu",
              Integer.toString(idx % 64),
              "mode",
              MODES[(idx / 64) * 2 + (kind - 4)]);
      case 6 ->
          Labels.of(
              "__name__",
              "node_network_receive_bytes_total",
              "instance",
              instance,
              "job",
              "node",
              "device",
              "eth" + idx);
      case 7, 8 ->
          Labels.of(
              "__name__",
              kind == 7 ? "node_memory_bytes" : "node_filesystem_avail_bytes",
              "instance",
              instance,
              "job",
              "node",
              "device",
              "dev" + idx);
      default ->
          Labels.of(
              "__name__",
              "node_load" + (idx % 3),
              "instance",
              instance,
              "job",
              "node",
              "slot",
              Integer.toString(idx));
    };
  }

  private static final double[] LE = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  private static final String[] MODES = {
    "idle", "user", "system", "iowait", "irq", "softirq", "steal", "nice"
  };

  /** Advances series {@code i} by one scrape and returns its new value. */
  double next(int i) {
    long r = rng[i];
    r ^= r << 13;
    r ^= r >>> 7;
    r ^= r << 17;
    rng[i] = r;
    int bits = (int) (r >>> 40);
    int kind = (i % SERIES_PER_HOST) % 10;
    double v = values[i];
    switch (kind) {
      case 0, 1, 2, 3 -> {
        if ((bits & 1) == 0) {
          v += (bits >>> 1) & 3;
        }
      }
      case 4, 5 -> v = Math.round((v + ((bits & 0xfff) / 4096.0) * 15) * 100) / 100.0;
      case 6 -> v += bits & 0xfffff;
      case 7, 8 -> {
        if ((bits & 0xf) < 2) {
          v += 4096.0 * (((bits >>> 4) & 0xff) - 128);
        }
      }
      default -> v = ((bits >>> 8) & 0x3ff) / 100.0;
    }
    values[i] = v;
    return v;
  }
}
