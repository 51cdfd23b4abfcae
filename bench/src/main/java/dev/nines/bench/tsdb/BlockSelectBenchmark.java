package dev.nines.bench.tsdb;

import dev.nines.common.LabelMatcher;
import dev.nines.tsdb.block.Block;
import dev.nines.tsdb.block.BlockMeta;
import dev.nines.tsdb.block.BlockWriter;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.SeriesSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Selecting 1,000 series over 24 h from one block of 10,000 node-exporter-like series at a 15 s
 * interval (5,760 samples a series), and iterating every sample: {@code
 * instance=~"host-0[0-9]:9100"} picks 10 of the 100 instances. One operation reads 5,760,000
 * samples, so samples/s = 5.76e6 / (ms/op / 1000). Setup prints the block's bytes per sample.
 *
 * <pre>
 * ./mvnw -q -o -pl tsdb install -DskipTests &amp;&amp; ./mvnw -q -o -pl bench spotless:apply package
 * $JAVA_HOME/bin/java -jar bench/target/benchmarks.jar BlockSelectBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BlockSelectBenchmark {
  private static final int INSTANCES = 100;
  private static final int SAMPLES = (int) (24 * 3600_000L / BlockBenchData.INTERVAL);
  private static final List<LabelMatcher> MATCHERS =
      List.of(LabelMatcher.of(LabelMatcher.Type.REGEX, "instance", "host-0[0-9]:9100"));

  private Path dir;
  private Block block;
  private long mint;
  private long maxt;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("nines-block-bench");
    BlockMeta meta =
        BlockWriter.write(
            dir, BlockBenchData.series(INSTANCES, SAMPLES), BlockWriter.Options.defaults());
    block = Block.open(dir.resolve(meta.ulid()));
    mint = meta.minTime();
    maxt = meta.maxTime();
    System.out.printf(
        Locale.ROOT,
        "%n24 h block: %d series, %d samples, %d bytes: %.3f bytes/sample%n",
        meta.stats().numSeries(),
        meta.stats().numSamples(),
        BlockBenchData.sizeOnDisk(block.dir()),
        (double) BlockBenchData.sizeOnDisk(block.dir()) / meta.stats().numSamples());
    long samples = select();
    if (samples != 1000L * SAMPLES) {
      throw new IllegalStateException(
          "selected " + samples + " samples, expected " + 1000L * SAMPLES);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    block.close();
    BlockBenchData.deleteTree(dir);
  }

  /** Selects the 1,000 series over the whole 24 h and reads every sample. */
  @Benchmark
  public long select() {
    long n = 0;
    long checksum = 0;
    try (Querier q = block.querier(mint, maxt)) {
      SeriesSet set = q.select(true, SelectHints.range(mint, maxt), MATCHERS);
      SampleIterator it = null;
      while (set.next()) {
        it = set.at().iterator(it);
        while (it.next() == SampleIterator.FLOAT) {
          checksum += it.timestamp() ^ Double.doubleToRawLongBits(it.value());
          n++;
        }
      }
    }
    return checksum == 42 ? -n : n;
  }
}
