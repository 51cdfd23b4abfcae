package dev.nines.tsdb;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.Series;
import dev.nines.tsdb.storage.SeriesSet;
import dev.nines.tsdb.wal.FsyncPolicy;
import dev.nines.tsdb.wal.WalOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Helpers for tsdb tests: options, matchers and reading whole series back. */
public final class TsdbFixtures {
  private TsdbFixtures() {}

  /** One sample read back: timestamp and raw value bits. */
  public record Sample(long t, long bits) {
    /** A sample with a float value. */
    public static Sample of(long t, double v) {
      return new Sample(t, Double.doubleToRawLongBits(v));
    }

    @Override
    public String toString() {
      return t + "=" + Double.longBitsToDouble(bits);
    }
  }

  /** Fast options for tests: fsync policy NONE, defaults otherwise. */
  public static TsdbOptions fast() {
    return TsdbOptions.defaults().withWal(WalOptions.defaults().withFsyncPolicy(FsyncPolicy.NONE));
  }

  /** Options with small WAL segments and matching label limits. */
  public static TsdbOptions smallSegments(FsyncPolicy policy) {
    return TsdbOptions.defaults()
        .withLabelLimits(64, 128, 8)
        .withWal(new WalOptions(4096, policy, Duration.ofMillis(2)));
  }

  public static LabelMatcher eq(String name, String value) {
    return LabelMatcher.of(LabelMatcher.Type.EQUAL, name, value);
  }

  public static LabelMatcher neq(String name, String value) {
    return LabelMatcher.of(LabelMatcher.Type.NOT_EQUAL, name, value);
  }

  public static LabelMatcher re(String name, String value) {
    return LabelMatcher.of(LabelMatcher.Type.REGEX, name, value);
  }

  public static LabelMatcher nre(String name, String value) {
    return LabelMatcher.of(LabelMatcher.Type.NOT_REGEX, name, value);
  }

  /** Every selected series with all its samples, in the order the querier returns them. */
  public static Map<Labels, List<Sample>> read(
      Querier q, boolean sorted, LabelMatcher... matchers) {
    Map<Labels, List<Sample>> out = new LinkedHashMap<>();
    SeriesSet set = q.select(sorted, SelectHints.range(0, 0), List.of(matchers));
    SampleIterator reuse = null;
    while (set.next()) {
      Series s = set.at();
      reuse = s.iterator(reuse);
      List<Sample> samples = new ArrayList<>();
      while (reuse.next() != SampleIterator.NONE) {
        samples.add(new Sample(reuse.timestamp(), Double.doubleToRawLongBits(reuse.value())));
      }
      out.put(s.labels(), samples);
    }
    if (set.error() != null) {
      throw set.error();
    }
    return out;
  }

  /** Everything in the database over all time, sorted by labels. */
  public static Map<Labels, List<Sample>> readAll(Tsdb db) {
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      return read(q, true, re("__name__", ".+"));
    }
  }

  /** The number of open file descriptors of this process. */
  public static long openFileDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  /** The bytes of the regular files under {@code root}. */
  public static long dirSize(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      long total = 0;
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        total += Files.size(p);
      }
      return total;
    }
  }

  /** The number of memory mappings of files under {@code dir}. */
  public static long mappingsUnder(Path dir) throws IOException {
    String prefix = dir.toAbsolutePath().toString();
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
      return lines.filter(l -> l.contains(prefix)).count();
    }
  }
}
