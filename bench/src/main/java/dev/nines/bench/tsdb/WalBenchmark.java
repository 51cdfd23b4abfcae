package dev.nines.bench.tsdb;

import dev.nines.tsdb.wal.FsyncPolicy;
import dev.nines.tsdb.wal.WalOptions;
import dev.nines.tsdb.wal.WalWriter;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * WAL append throughput per fsync policy, in samples per second: each invocation logs a batch of
 * 100 samples (one scrape of a small target), from one thread and from four threads sharing the
 * writer (group commit). The WAL lives in a fresh temporary directory per iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WalBenchmark {
  private static final int BATCH = 100;

  @Param({"ALWAYS", "BATCH", "NONE"})
  public FsyncPolicy policy;

  private Path dir;
  private WalWriter writer;

  @Setup(Level.Iteration)
  public void open() throws IOException {
    dir = Files.createTempDirectory("nines-wal-bench");
    writer = WalWriter.open(dir, WalOptions.defaults().withFsyncPolicy(policy));
  }

  @TearDown(Level.Iteration)
  public void close() throws IOException {
    writer.close();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** One appender's batch arrays. */
  @State(Scope.Thread)
  public static class Batch {
    final long[] refs = new long[BATCH];
    final long[] timestamps = new long[BATCH];
    final double[] values = new double[BATCH];
    long t = 1_700_000_000_000L;

    @Setup
    public void fill() {
      long base = Thread.currentThread().threadId() * 1_000_000L;
      for (int i = 0; i < BATCH; i++) {
        refs[i] = base + i;
        values[i] = i * 1.5;
      }
    }

    void next() {
      t += 15_000;
      for (int i = 0; i < BATCH; i++) {
        timestamps[i] = t;
        values[i] += 1;
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void append(Batch b) throws IOException {
    b.next();
    writer.logSamples(b.refs, b.timestamps, b.values, BATCH);
  }

  @Benchmark
  @Threads(4)
  @OperationsPerInvocation(BATCH)
  public void appendFourThreads(Batch b) throws IOException {
    b.next();
    writer.logSamples(b.refs, b.timestamps, b.values, BATCH);
  }
}
