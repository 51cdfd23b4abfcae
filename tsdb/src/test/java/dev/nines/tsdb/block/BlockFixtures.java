package dev.nines.tsdb.block;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.tsdb.chunk.XorChunk;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.SeriesSet;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Generated series, an oracle of their samples, and file helpers for block tests. */
final class BlockFixtures {
  static final long STALE_NAN_BITS = 0x7ff0000000000002L;
  static final long T0 = 1_700_000_000_000L;

  private BlockFixtures() {}

  /** The samples of one series as written: timestamps and raw value bits. */
  @SuppressWarnings("ArrayRecordComponent") // test values, compared field by field
  record Samples(long[] t, long[] bits) {
    int size() {
      return t.length;
    }
  }

  /** Series written into a block, with the samples each holds. */
  static final class Data {
    final Map<Labels, Samples> samples = new LinkedHashMap<>();
    final List<SeriesChunks> series = new ArrayList<>();
  }

  /**
   * {@code n} series with labels drawn from small vocabularies (so matchers hit several), each with
   * 1..{@code maxChunks} chunks of 1..150 samples at a 15 s interval with jitter, values mixing
   * counters, gauges, NaN, the stale marker, infinities and -0.0.
   */
  static Data random(long seed, int n, int maxChunks) {
    SplittableRandom r = new SplittableRandom(seed);
    Data data = new Data();
    String[] jobs = {"api", "node", "db", "api-canary", "web"};
    String[] metrics = {"up", "http_requests_total", "node_cpu_seconds_total", "go_goroutines"};
    while (data.series.size() < n) {
      Labels.Builder b = Labels.builder();
      b.set(Labels.METRIC_NAME, metrics[r.nextInt(metrics.length)]);
      b.set("job", jobs[r.nextInt(jobs.length)]);
      b.set("instance", "host-" + r.nextInt(40) + ":9100");
      if (r.nextInt(3) == 0) {
        b.set("env", r.nextBoolean() ? "prod" : "staging");
      }
      if (r.nextInt(5) == 0) {
        b.set("path", "/v" + r.nextInt(3) + "/item\u00e9/" + r.nextInt(4));
      }
      Labels labels = b.build();
      if (data.samples.containsKey(labels)) {
        continue;
      }
      int chunks = 1 + r.nextInt(maxChunks);
      List<ChunkData> list = new ArrayList<>();
      List<Long> ts = new ArrayList<>();
      List<Long> vs = new ArrayList<>();
      long t = T0 + r.nextInt(100_000);
      double counter = r.nextInt(1000);
      for (int c = 0; c < chunks; c++) {
        XorChunk chunk = new XorChunk();
        int samples = 1 + r.nextInt(150);
        for (int i = 0; i < samples; i++) {
          long bits = valueBits(r, counter);
          counter += r.nextInt(10);
          chunk.append(t, Double.longBitsToDouble(bits));
          ts.add(t);
          vs.add(bits);
          t += 15_000 + r.nextInt(-20, 21);
        }
        list.add(ChunkData.of(chunk));
        t += r.nextInt(3) == 0 ? 3_600_000 : 0; // sometimes a gap between chunks
      }
      data.series.add(new SeriesChunks(labels, list));
      data.samples.put(
          labels,
          new Samples(
              ts.stream().mapToLong(Long::longValue).toArray(),
              vs.stream().mapToLong(Long::longValue).toArray()));
    }
    return data;
  }

  private static long valueBits(SplittableRandom r, double counter) {
    return switch (r.nextInt(40)) {
      case 0 -> STALE_NAN_BITS;
      case 1 -> Double.doubleToRawLongBits(Double.NaN);
      case 2 -> Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
      case 3 -> Double.doubleToRawLongBits(-0.0);
      case 4, 5, 6, 7, 8, 9, 10 -> Double.doubleToRawLongBits(r.nextDouble() * 100);
      default -> Double.doubleToRawLongBits(counter);
    };
  }

  /** Everything a select returns, as a map in iteration order; samples as read. */
  static Map<Labels, Samples> selectAll(Querier q, LabelMatcher... matchers) {
    SeriesSet set = q.select(true, SelectHints.range(0, 0), List.of(matchers));
    Map<Labels, Samples> out = new LinkedHashMap<>();
    SampleIterator it = null;
    while (set.next()) {
      it = set.at().iterator(it);
      List<Long> ts = new ArrayList<>();
      List<Long> vs = new ArrayList<>();
      while (it.next() == SampleIterator.FLOAT) {
        ts.add(it.timestamp());
        vs.add(Double.doubleToRawLongBits(it.value()));
      }
      out.put(
          set.at().labels(),
          new Samples(
              ts.stream().mapToLong(Long::longValue).toArray(),
              vs.stream().mapToLong(Long::longValue).toArray()));
    }
    if (set.error() != null) {
      throw set.error();
    }
    return out;
  }

  /** The samples of {@code s} within {@code [mint, maxt]} and outside the deleted intervals. */
  static Samples clip(Samples s, long mint, long maxt, long[] deleted) {
    List<Long> ts = new ArrayList<>();
    List<Long> vs = new ArrayList<>();
    outer:
    for (int i = 0; i < s.size(); i++) {
      if (s.t()[i] < mint || s.t()[i] > maxt) {
        continue;
      }
      for (int k = 0; k < deleted.length; k += 2) {
        if (s.t()[i] >= deleted[k] && s.t()[i] <= deleted[k + 1]) {
          continue outer;
        }
      }
      ts.add(s.t()[i]);
      vs.add(s.bits()[i]);
    }
    return new Samples(
        ts.stream().mapToLong(Long::longValue).toArray(),
        vs.stream().mapToLong(Long::longValue).toArray());
  }

  /** Whether a label set matches all matchers, by Prometheus's rule (missing label is ""). */
  static boolean matchesAll(Labels labels, List<LabelMatcher> matchers) {
    for (LabelMatcher m : matchers) {
      String v = labels.get(m.name());
      if (!m.matches(v == null ? "" : v)) {
        return false;
      }
    }
    return true;
  }

  static void flipByte(Path file, long offset) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
      ch.read(b, offset);
      b.put(0, (byte) (b.get(0) ^ 0x40));
      b.rewind();
      ch.write(b, offset);
    }
  }

  static void truncate(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  static long openFileDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  /** The lines of /proc/self/maps that map a file under {@code dir}. */
  static long mappingsUnder(Path dir) throws IOException {
    String prefix = dir.toAbsolutePath().toString();
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
      return lines.filter(l -> l.contains(prefix)).count();
    }
  }

  /** Copies a directory tree. */
  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }
}
