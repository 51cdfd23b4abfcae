package dev.nines.bench.tsdb;

import dev.nines.tsdb.TsdbOptions;
import dev.nines.tsdb.TsdbStats;
import dev.nines.tsdb.head.Head;
import dev.nines.tsdb.head.HeadChunks;
import dev.nines.tsdb.storage.Appender;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Heap bytes per active series in the head: 100k node-exporter-like series with 2 h of samples at
 * 15 s (480 each), measured as the used-heap difference after repeated full GCs, the head alone (no
 * WAL: the WAL is on disk, not on the heap). Run: {@code java -cp benchmarks.jar
 * dev.nines.bench.tsdb.HeadMemory [hosts]}.
 */
public final class HeadMemory {
  private HeadMemory() {}

  private static long usedAfterGc(MemoryMXBean mem) throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  public static void main(String[] args) throws Exception {
    int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int samplesPerSeries = 480;
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    NodeExporterData data = new NodeExporterData(hosts);
    long[] refs = new long[data.labels.length];
    long before = usedAfterGc(mem);
    TsdbStats stats = new TsdbStats();
    Head head = new Head(TsdbOptions.defaults(), stats);
    // Full chunks go to head chunk files, as in a Tsdb; only the open chunk stays on the heap.
    Path chunkDir = Files.createTempDirectory("nines-head-memory");
    HeadChunks files = HeadChunks.open(chunkDir, stats);
    head.attachChunkFiles(files);
    Appender app = head.appender();
    long t = NodeExporterData.START;
    for (int s = 0; s < samplesPerSeries; s++) {
      for (int i = 0; i < data.labels.length; i++) {
        refs[i] = app.append(refs[i], data.labels[i], t, data.next(i));
        if (i % 1000 == 999) {
          app.commit();
        }
      }
      app.commit();
      t += NodeExporterData.INTERVAL;
    }
    long after = usedAfterGc(mem);
    int series = head.numSeries();
    double perSeries = (after - before) / (double) series;
    long fileBytes;
    try (Stream<Path> walk = Files.list(chunkDir)) {
      fileBytes = walk.mapToLong(p -> p.toFile().length()).sum();
    }
    System.out.printf(
        "series=%d samples/series=%d heap delta=%.1f MiB bytes/series=%.0f bytes/sample=%.2f"
            + " head chunk files=%.1f MiB (%.0f B/series)%n",
        series,
        samplesPerSeries,
        (after - before) / 1048576.0,
        perSeries,
        perSeries / samplesPerSeries,
        fileBytes / 1048576.0,
        fileBytes / (double) series);
    if (args.length > 1) {
      Thread.sleep(Long.parseLong(args[1])); // time for jcmd GC.class_histogram
    }
    // Keep the head and the inputs reachable until measured.
    if (head.numSeries() != data.labels.length || refs.length == 0) {
      throw new AssertionError("series count");
    }
    files.close();
    try (Stream<Path> walk = Files.list(chunkDir)) {
      for (Path p : walk.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(chunkDir);
  }
}
