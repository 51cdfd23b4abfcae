package dev.nines.tsdb;

import static dev.nines.tsdb.TsdbFixtures.fast;
import static dev.nines.tsdb.TsdbFixtures.re;
import static dev.nines.tsdb.TsdbFixtures.read;
import static dev.nines.tsdb.TsdbFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.common.Labels;
import dev.nines.tsdb.TsdbFixtures.Sample;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.storage.Querier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appenders and queriers at once: nothing lost, every read consistent. */
class TsdbConcurrencyTest {
  static final int WRITERS = 3;
  static final int COMMITS = 150;
  static final int OWN = 100;
  static final int SHARED = 10;

  @TempDir Path dir;

  static Labels own(int writer, int i) {
    return Labels.of("__name__", "own", "w", Integer.toString(writer), "i", Integer.toString(i));
  }

  static Labels shared(int i) {
    return Labels.of("__name__", "shared", "i", Integer.toString(i));
  }

  /** Writer w writes own series at t = c, and shared series at t = c * WRITERS + w. */
  static void writer(Tsdb db, int w) throws Exception {
    Appender app = db.appender();
    long[] ownRefs = new long[OWN];
    long[] sharedRefs = new long[SHARED];
    for (int c = 0; c < COMMITS; c++) {
      for (int i = 0; i < OWN; i++) {
        ownRefs[i] = app.append(ownRefs[i], own(w, i), c, (double) c);
      }
      long t = (long) c * WRITERS + w;
      for (int i = 0; i < SHARED; i++) {
        sharedRefs[i] = app.append(sharedRefs[i], shared(i), t, (double) t);
      }
      app.commit();
    }
  }

  /** Reads everything and checks that each series is strictly increasing with value == t. */
  static int reader(Tsdb db, AtomicBoolean stop) {
    int reads = 0;
    while (!stop.get()) {
      try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        for (Map.Entry<Labels, List<Sample>> e :
            read(q, reads % 2 == 0, re("__name__", ".+")).entrySet()) {
          long prev = Long.MIN_VALUE;
          for (Sample s : e.getValue()) {
            assertThat(s.t()).as("%s", e.getKey()).isGreaterThan(prev);
            assertThat(Double.longBitsToDouble(s.bits())).isEqualTo((double) s.t());
            prev = s.t();
          }
        }
      }
      reads++;
    }
    return reads;
  }

  @Test
  void concurrentAppendersAndQueriesLoseNothing() throws Exception {
    // A wide out-of-order window: writers race on the shared series, and every sample they send
    // is in order for its own writer, so all of them must be kept.
    TsdbOptions options = fast().withOutOfOrderWindow(Duration.ofDays(1));
    try (Tsdb db = Tsdb.open(dir, options);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1)) {
      AtomicBoolean stop = new AtomicBoolean();
      Future<Integer> readerDone = pool.submit(() -> reader(db, stop));
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int id = w;
        writers.add(
            pool.submit(
                () -> {
                  writer(db, id);
                  return null;
                }));
      }
      for (Future<?> f : writers) {
        f.get();
      }
      stop.set(true);
      assertThat(readerDone.get()).isPositive();
      check(readAll(db));
    }
    try (Tsdb db = Tsdb.open(dir, options)) {
      check(readAll(db));
    }
  }

  private static void check(Map<Labels, List<Sample>> all) {
    assertThat(all).hasSize(WRITERS * OWN + SHARED);
    for (int w = 0; w < WRITERS; w++) {
      for (int i = 0; i < OWN; i++) {
        assertThat(all.get(own(w, i))).hasSize(COMMITS);
      }
    }
    for (int i = 0; i < SHARED; i++) {
      List<Sample> s = all.get(shared(i));
      assertThat(s).hasSize(COMMITS * WRITERS);
      for (int k = 0; k < s.size(); k++) {
        assertThat(s.get(k)).isEqualTo(Sample.of(k, (double) k));
      }
    }
  }
}
