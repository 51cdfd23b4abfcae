package dev.nines.bench.tsdb;

import dev.nines.tsdb.Tsdb;
import dev.nines.tsdb.TsdbOptions;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.wal.FsyncPolicy;
import dev.nines.tsdb.wal.WalOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * WAL replay time after a crash: writes {@code n} series (default 1M, node-exporter-like label sets
 * of 1000 series per target) with {@code samples} samples each (default 1; 480 is 2 h at 15 s, so
 * most of them end up in full chunks in {@code chunks_head/}) from {@code writers} threads (default
 * 4, like the peer script's remote-write senders: series records then reach the WAL out of ref
 * order), closes, then times {@code Tsdb.open} three times and prints the process CPU time of each.
 * Run: {@code java -Xmx4g -cp benchmarks.jar dev.nines.bench.tsdb.WalReplayTime [series] [writers]
 * [samples]}.
 */
public final class WalReplayTime {
  private WalReplayTime() {}

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Writes the series from {@code writers} threads and closes; returns the number of series. */
  private static int write(Path dir, TsdbOptions options, int n, int writers, int samples)
      throws Exception {
    NodeExporterData data = new NodeExporterData(n / NodeExporterData.SERIES_PER_HOST);
    int total = data.labels.length;
    try (Tsdb db = Tsdb.open(dir, options)) {
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int first = w;
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        Appender app = db.appender();
                        long[] refs = new long[total];
                        int pending = 0;
                        for (int k = 0; k < samples; k++) {
                          long t = NodeExporterData.START + k * NodeExporterData.INTERVAL;
                          for (int i = first; i < total; i += writers) {
                            refs[i] = app.append(refs[i], data.labels[i], t, data.next(i));
                            if (++pending == 1000) {
                              app.commit();
                              pending = 0;
                            }
                          }
                        }
                        app.commit();
                      } catch (Exception e) {
                        throw new IllegalStateException(e);
                      }
                    }));
      }
      for (Thread t : threads) {
        t.join();
      }
    }
    return total;
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int writers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int samples = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    Path dir = Files.createTempDirectory("nines-replay-bench");
    TsdbOptions options =
        TsdbOptions.defaults().withWal(WalOptions.defaults().withFsyncPolicy(FsyncPolicy.NONE));
    try {
      long w0 = System.nanoTime();
      int written = write(dir, options, n, writers, samples);
      long walBytes;
      try (Stream<Path> walk = Files.walk(dir.resolve("wal"))) {
        walBytes = walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
      }
      System.out.printf(
          "wrote %d series x %d samples in %.1f s, WAL %.1f MiB%n",
          written, samples, (System.nanoTime() - w0) / 1e9, walBytes / 1048576.0);
      for (int run = 0; run < 3; run++) {
        System.gc();
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        try (Tsdb db = Tsdb.open(dir, options)) {
          double secs = (System.nanoTime() - t0) / 1e9;
          double cpu = (processCpuNanos() - cpu0) / 1e9;
          System.out.printf(
              "replay %d: %d series in %.2f s wall, %.2f s process CPU%n",
              run, db.numSeries(), secs, cpu);
        }
      }
    } finally {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
