package dev.nines.bench.tsdb;

import dev.nines.tsdb.chunk.XorChunk;
import dev.nines.tsdb.chunk.XorIterator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Throughput of the float chunk: appending a 120-sample chunk and iterating it, in samples per
 * second (each invocation handles 120 samples).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChunkBenchmark {
  private static final int SAMPLES = 120;

  /** The shape of the series: a slowly growing counter, or a noisy gauge with random bits. */
  @Param({"counter", "gauge"})
  public String shape;

  private final long[] timestamps = new long[SAMPLES];
  private final double[] values = new double[SAMPLES];
  private final XorChunk appendChunk = new XorChunk();
  private final XorChunk fullChunk = new XorChunk();
  private final XorIterator iterator = new XorIterator();

  @Setup
  public void setUp() {
    SplittableRandom r = new SplittableRandom(1);
    double counter = 1_000_000;
    for (int i = 0; i < SAMPLES; i++) {
      timestamps[i] = 1_700_000_000_000L + i * 15_000L + r.nextInt(5);
      counter += r.nextInt(10);
      values[i] = shape.equals("counter") ? counter : r.nextDouble() * 100;
      fullChunk.append(timestamps[i], values[i]);
    }
  }

  @Benchmark
  @OperationsPerInvocation(SAMPLES)
  public int append() {
    XorChunk c = appendChunk;
    c.reset();
    for (int i = 0; i < SAMPLES; i++) {
      c.append(timestamps[i], values[i]);
    }
    return c.length();
  }

  @Benchmark
  @OperationsPerInvocation(SAMPLES)
  public long iterate() {
    XorIterator it = fullChunk.iterator(iterator);
    long sum = 0;
    while (it.next()) {
      sum += it.timestamp() ^ it.valueBits();
    }
    return sum;
  }
}
