package dev.nines.bench.tsdb;

import dev.nines.tsdb.Tsdb;
import dev.nines.tsdb.TsdbOptions;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.wal.FsyncPolicy;
import dev.nines.tsdb.wal.WalOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * WAL replay time after a crash: writes {@code n} series (default 1M, node-exporter-like label sets
 * of 1000 series per target) with one sample each, closes, then times {@code Tsdb.open}. Run:
 * {@code java -Xmx4g -cp benchmarks.jar dev.nines.bench.tsdb.WalReplayTime [series]}.
 */
public final class WalReplayTime {
  private WalReplayTime() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path dir = Files.createTempDirectory("nines-replay-bench");
    TsdbOptions options =
        TsdbOptions.defaults().withWal(WalOptions.defaults().withFsyncPolicy(FsyncPolicy.NONE));
    try {
      NodeExporterData data = new NodeExporterData(n / NodeExporterData.SERIES_PER_HOST);
      long w0 = System.nanoTime();
      try (Tsdb db = Tsdb.open(dir, options)) {
        Appender app = db.appender();
        for (int i = 0; i < data.labels.length; i++) {
          app.append(0, data.labels[i], NodeExporterData.START, data.next(i));
          if (i % 1000 == 999) {
            app.commit();
          }
        }
        app.commit();
      }
      long walBytes;
      try (Stream<Path> walk = Files.walk(dir.resolve("wal"))) {
        walBytes = walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
      }
      System.out.printf(
          "wrote %d series in %.1f s, WAL %.1f MiB%n",
          data.labels.length, (System.nanoTime() - w0) / 1e9, walBytes / 1048576.0);
      data = null;
      for (int run = 0; run < 3; run++) {
        System.gc();
        long t0 = System.nanoTime();
        try (Tsdb db = Tsdb.open(dir, options)) {
          double secs = (System.nanoTime() - t0) / 1e9;
          System.out.printf("replay %d: %d series in %.2f s%n", run, db.numSeries(), secs);
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
