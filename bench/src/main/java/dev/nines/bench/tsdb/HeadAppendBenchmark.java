package dev.nines.bench.tsdb;

import dev.nines.tsdb.Tsdb;
import dev.nines.tsdb.TsdbOptions;
import dev.nines.tsdb.storage.AppendException;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.wal.FsyncPolicy;
import dev.nines.tsdb.wal.WalOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * In-process ingest throughput of the tsdb, in samples per second on one thread (so: per core):
 * 100k node-exporter-like series (100 targets of 1000), each invocation one scrape of one target
 * appended with cached refs and committed (WAL record written, samples applied to the head). Time
 * advances 15 s after every full sweep of the targets. The series exist before measuring, so this
 * is the steady state of an existing head; the WAL uses fsync policy NONE or BATCH.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HeadAppendBenchmark {
  private static final int HOSTS = 100;

  @Param({"NONE"})
  public FsyncPolicy policy;

  private Path dir;
  private Tsdb db;
  private NodeExporterData data;
  private long[] refs;
  private Appender appender;
  private int host;
  private long t = NodeExporterData.START;

  @Setup(Level.Trial)
  public void open() throws Exception {
    dir = Files.createTempDirectory("nines-head-bench");
    db =
        Tsdb.open(
            dir, TsdbOptions.defaults().withWal(WalOptions.defaults().withFsyncPolicy(policy)));
    data = new NodeExporterData(HOSTS);
    refs = new long[data.labels.length];
    appender = db.appender();
    for (int h = 0; h < HOSTS; h++) {
      scrape();
    }
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    db.close();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Appends one scrape of one target and commits it. */
  @Benchmark
  @OperationsPerInvocation(NodeExporterData.SERIES_PER_HOST)
  public void scrape() throws AppendException {
    int base = host * NodeExporterData.SERIES_PER_HOST;
    for (int k = 0; k < NodeExporterData.SERIES_PER_HOST; k++) {
      int i = base + k;
      refs[i] = appender.append(refs[i], data.labels[i], t, data.next(i));
    }
    appender.commit();
    if (++host == HOSTS) {
      host = 0;
      t += NodeExporterData.INTERVAL;
    }
  }
}
