package dev.nines.tsdb.wal;

import dev.nines.common.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Workloads, a recording handler and file helpers for the WAL tests. */
final class WalFixtures {
  private WalFixtures() {}

  /** One replayed sample. */
  record Sample(long ref, long timestamp, long bits) {}

  /** One logged event: a series or a sample batch. */
  sealed interface Event permits SeriesEvent, SamplesEvent {}

  record SeriesEvent(SeriesRecord series) implements Event {}

  record SamplesEvent(List<Sample> samples) implements Event {}

  /** A handler that records everything it is given, in order. */
  static final class Recorder implements WalRecordHandler {
    final List<Event> events = new ArrayList<>();

    @Override
    public void series(SeriesRecord series) {
      events.add(new SeriesEvent(series));
    }

    @Override
    public void samples(SampleBatch batch) {
      List<Sample> s = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        s.add(new Sample(batch.ref(i), batch.timestamp(i), batch.valueBits(i)));
      }
      events.add(new SamplesEvent(s));
    }

    List<Sample> allSamples() {
      List<Sample> out = new ArrayList<>();
      for (Event e : events) {
        if (e instanceof SamplesEvent s) {
          out.addAll(s.samples());
        }
      }
      return out;
    }

    List<SeriesRecord> allSeries() {
      List<SeriesRecord> out = new ArrayList<>();
      for (Event e : events) {
        if (e instanceof SeriesEvent s) {
          out.add(s.series());
        }
      }
      return out;
    }
  }

  static WalOptions small(FsyncPolicy policy) {
    return new WalOptions(4096, policy, Duration.ofMillis(2));
  }

  static Labels labelsFor(long ref) {
    return Labels.builder()
        .set("__name__", "metric_" + (ref % 7))
        .set("instance", "host-" + ref + ":9100")
        .set("job", ref % 3 == 0 ? "nœud ☃" : "")
        .build();
  }

  /**
   * Writes a deterministic workload: {@code series} series, each logged before its first samples,
   * then {@code batches} sample batches of up to 20 samples. Returns the events as written; sample
   * batches may be split into several records by the writer, so compare samples, not events.
   */
  static List<Event> writeWorkload(WalWriter w, long seed, int series, int batches)
      throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    List<Event> written = new ArrayList<>();
    int logged = 0;
    long t = 1_700_000_000_000L;
    for (int b = 0; b < batches; b++) {
      if (logged < series) {
        int n = Math.min(series - logged, 1 + r.nextInt(5));
        for (int i = 0; i < n; i++) {
          SeriesRecord s = new SeriesRecord(logged, labelsFor(logged));
          w.logSeries(s.ref(), s.labels());
          written.add(new SeriesEvent(s));
          logged++;
        }
      }
      int n = 1 + r.nextInt(20);
      long[] refs = new long[n];
      long[] ts = new long[n];
      double[] vs = new double[n];
      List<Sample> samples = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        refs[i] = r.nextInt(logged);
        ts[i] = t + r.nextInt(1000) - 500;
        vs[i] =
            switch (r.nextInt(5)) {
              case 0 -> Double.longBitsToDouble(0x7ff0000000000002L);
              case 1 -> Double.NEGATIVE_INFINITY;
              default -> r.nextDouble() * 1e6;
            };
        samples.add(new Sample(refs[i], ts[i], Double.doubleToRawLongBits(vs[i])));
      }
      w.logSamples(refs, ts, vs, n);
      written.add(new SamplesEvent(samples));
      t += 15_000;
    }
    return written;
  }

  static List<Sample> samplesOf(List<Event> events) {
    List<Sample> out = new ArrayList<>();
    for (Event e : events) {
      if (e instanceof SamplesEvent s) {
        out.addAll(s.samples());
      }
    }
    return out;
  }

  static List<SeriesRecord> seriesOf(List<Event> events) {
    List<SeriesRecord> out = new ArrayList<>();
    for (Event e : events) {
      if (e instanceof SeriesEvent s) {
        out.add(s.series());
      }
    }
    return out;
  }

  /** The frame offsets of a segment file, in order. */
  static List<Long> frameOffsets(Path file) throws IOException {
    List<Long> out = new ArrayList<>();
    try (SegmentReader r = new SegmentReader(file)) {
      long pos = 0;
      while (r.readFrame(pos) == SegmentReader.Status.VALID) {
        out.add(pos);
        pos += Segments.FRAME_HEADER_BYTES + r.length();
      }
    }
    return out;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static void flipByte(Path file, long offset, int xor) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) offset] ^= (byte) xor;
    Files.write(file, bytes);
  }

  static void truncate(Path file, long size) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, (int) size));
  }

  static long openFileDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
