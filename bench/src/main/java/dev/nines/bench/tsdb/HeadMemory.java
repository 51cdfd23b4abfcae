package dev.nines.bench.tsdb;

import dev.nines.tsdb.TsdbOptions;
import dev.nines.tsdb.TsdbStats;
import dev.nines.tsdb.head.Head;
import dev.nines.tsdb.storage.Appender;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

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
    Head head = new Head(TsdbOptions.defaults(), new TsdbStats());
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
    System.out.printf(
        "series=%d samples/series=%d heap delta=%.1f MiB bytes/series=%.0f bytes/sample=%.2f%n",
        series,
        samplesPerSeries,
        (after - before) / 1048576.0,
        perSeries,
        perSeries / samplesPerSeries);
    if (args.length > 1) {
      Thread.sleep(Long.parseLong(args[1])); // time for jcmd GC.class_histogram
    }
    // Keep the head and the inputs reachable until measured.
    if (head.numSeries() != data.labels.length || refs.length == 0) {
      throw new AssertionError("series count");
    }
  }
}
