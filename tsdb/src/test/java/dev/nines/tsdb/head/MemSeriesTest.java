package dev.nines.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.common.Labels;
import dev.nines.tsdb.storage.SampleIterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A series whose open chunk changes encoding while it is appended to (SCALED at one scale, then at
 * a larger one, then XOR): every snapshot a reader takes holds a prefix of the samples appended,
 * bit for bit, whether it was taken before, between or after the re-encodes.
 */
class MemSeriesTest {
  private static final long STEP = 15_000;
  private static final long STALE = 0x7ff0000000000002L;
  private static final int PER_CHUNK = 120;
  private static final long RANGE = 7_200_000;

  /**
   * Sample {@code k}'s value bits: per chunk, 40 integers (SCALED at scale 0), then tenths (the
   * chunk re-encodes at scale 1), a stale marker (it re-encodes as XOR), and integers again.
   */
  static long valueBits(int k) {
    int i = k % PER_CHUNK;
    if (i == 80) {
      return STALE;
    }
    double v = i >= 40 && i < 80 ? k + (k % 10) / 10.0 : k;
    return Double.doubleToRawLongBits(v);
  }

  /** Applies sample {@code k}; lock taken. */
  private static void apply(MemSeries s, int k) {
    synchronized (s) {
      assertThat(s.apply(k * STEP, valueBits(k), PER_CHUNK, RANGE, null))
          .isEqualTo(MemSeries.APPLIED);
    }
  }

  /** Takes a snapshot and returns how many samples it holds, checking each one. */
  private static int readSnapshot(MemSeries s, HeadIterator it) {
    synchronized (s) {
      s.snapshotInto(it, Long.MIN_VALUE, Long.MAX_VALUE, null);
    }
    int n = 0;
    while (it.next() != SampleIterator.NONE) {
      assertThat(it.timestamp()).as("timestamp of sample %d", n).isEqualTo(n * STEP);
      assertThat(it.valueBits()).as("value of sample %d", n).isEqualTo(valueBits(n));
      n++;
    }
    return n;
  }

  @Test
  void snapshotsBeforeBetweenAndAfterReEncodesKeepTheirSamples() {
    MemSeries s = new MemSeries(1, Labels.of("__name__", "m"));
    HeadIterator[] taken = new HeadIterator[PER_CHUNK + 1];
    int[] counts = new int[taken.length];
    for (int k = 0; k <= PER_CHUNK; k++) {
      // Snapshot first, read later: the copy must not change under the appends that follow.
      taken[k] = new HeadIterator();
      synchronized (s) {
        s.snapshotInto(taken[k], Long.MIN_VALUE, Long.MAX_VALUE, null);
      }
      counts[k] = k;
      apply(s, k);
    }
    for (int k = 0; k <= PER_CHUNK; k++) {
      int n = 0;
      while (taken[k].next() != SampleIterator.NONE) {
        assertThat(taken[k].timestamp()).isEqualTo(n * STEP);
        assertThat(taken[k].valueBits())
            .as("sample %d of snapshot %d", n, k)
            .isEqualTo(valueBits(n));
        n++;
      }
      assertThat(n).as("snapshot %d", k).isEqualTo(counts[k]);
    }
    assertThat(readSnapshot(s, new HeadIterator())).isEqualTo(PER_CHUNK + 1);
    synchronized (s) {
      assertThat(s.numChunks()).isEqualTo(2);
      assertThat(s.lastValueBits()).isEqualTo(valueBits(PER_CHUNK));
    }
  }

  /** Readers on other threads, snapshotting while one thread appends through many re-encodes. */
  @Test
  void concurrentReadersNeverSeeAHalfReEncodedChunk() throws Exception {
    MemSeries s = new MemSeries(1, Labels.of("__name__", "m"));
    int total = 60 * PER_CHUNK;
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Integer> reader =
          pool.submit(
              () -> {
                HeadIterator it = new HeadIterator();
                int snapshots = 0;
                int last = 0;
                while (!done.get()) {
                  int n = readSnapshot(s, it);
                  assertThat(n).isGreaterThanOrEqualTo(last); // never goes back
                  last = n;
                  snapshots++;
                }
                return snapshots;
              });
      Future<?> writer =
          pool.submit(
              () -> {
                for (int k = 0; k < total; k++) {
                  apply(s, k);
                  if (k % 7 == 0) {
                    Thread.yield();
                  }
                }
                done.set(true);
              });
      writer.get();
      assertThat(reader.get()).isPositive();
    } finally {
      done.set(true);
      pool.shutdownNow();
    }
    assertThat(readSnapshot(s, new HeadIterator())).isEqualTo(total);
  }
}
