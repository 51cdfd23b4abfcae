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
 * Cost of the float chunk per sample: appending a 120-sample chunk, iterating it sample by sample,
 * and decoding it whole (as queries do), in nanoseconds per sample. {@code chunk=xor} is the XOR
 * encoder; {@code chunk=adaptive} the head's chunk, which writes SCALED (0x03) while the values are
 * decimals and XOR otherwise (so on the random {@code gauge} it measures XOR plus the first-sample
 * check).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChunkBenchmark {
  private static final int SAMPLES = 120;

  /**
   * The shape of the series: a slowly growing counter, a noisy gauge with random bits, or a gauge
   * in hundredths (CPU seconds, load averages).
   */
  @Param({"counter", "gauge", "hundredths"})
  public String shape;

  /** The chunk appended to: the XOR encoder, or the head's adaptive chunk. */
  @Param({"xor", "adaptive"})
  public String chunk;

  private final long[] timestamps = new long[SAMPLES];
  private final double[] values = new double[SAMPLES];
  private final long[] decodedT = new long[SAMPLES];
  private final long[] decodedV = new long[SAMPLES];
  private XorChunk appendChunk;
  private XorChunk fullChunk;
  private final XorIterator iterator = new XorIterator();

  @Setup
  public void setUp() {
    appendChunk = newChunk();
    fullChunk = newChunk();
    SplittableRandom r = new SplittableRandom(1);
    double counter = 1_000_000;
    for (int i = 0; i < SAMPLES; i++) {
      timestamps[i] = 1_700_000_000_000L + i * 15_000L + r.nextInt(5);
      counter += r.nextInt(10);
      values[i] =
          switch (shape) {
            case "counter" -> counter;
            case "hundredths" -> r.nextInt(1024) / 100.0;
            default -> r.nextDouble() * 100;
          };
      fullChunk.append(timestamps[i], values[i]);
    }
  }

  private XorChunk newChunk() {
    return chunk.equals("adaptive") ? XorChunk.adaptive(128) : new XorChunk(128);
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

  @Benchmark
  @OperationsPerInvocation(SAMPLES)
  public long decode() {
    XorIterator it = fullChunk.iterator(iterator);
    int n = it.decodeRemaining(decodedT, decodedV);
    return n + decodedT[n - 1] + decodedV[n - 1];
  }
}
