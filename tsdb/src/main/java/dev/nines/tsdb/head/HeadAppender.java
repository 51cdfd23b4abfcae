package dev.nines.tsdb.head;

import dev.nines.common.Labels;
import dev.nines.tsdb.TsdbStats;
import dev.nines.tsdb.storage.AppendException;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.wal.SeriesRecord;
import dev.nines.tsdb.wal.WalWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/*
 * Design notes. The batch is four parallel arrays (series, ref, timestamp, value bits) reused
 * across commits, so an append to an existing series allocates nothing. `newest` maps a series ref
 * to the batch index of its newest accepted in-order sample, so that ordering and duplicate checks
 * see this appender's own uncommitted samples too.
 *
 * A series with samples in the batch is pinned (MemSeries.pending) until commit or rollback, so
 * that truncation never removes it under the batch; a series found already removed is resolved
 * again by its labels.
 *
 * commit() is the write path of docs/tsdb.md: unlogged series and the samples go to the WAL in one
 * call that waits for durability under the fsync policy; only then are the samples applied to
 * memory, and only then does commit() return.
 */

/** The head's {@link Appender}: validates on append, logs then applies on commit. */
final class HeadAppender implements Appender {
  private static final int INITIAL = 64;

  private final Head head;
  private final TsdbStats stats;
  private final long window;
  private final int oooCap;
  private final LongIntMap newest = new LongIntMap();
  private final LongIntMap newSeries = new LongIntMap();
  private final LongIntMap pinned = new LongIntMap();
  private MemSeries[] pinnedSeries = new MemSeries[16];
  private int pinnedCount;
  private MemSeries[] series = new MemSeries[INITIAL];
  private long[] refs = new long[INITIAL];
  private long[] times = new long[INITIAL];
  private long[] bits = new long[INITIAL];
  private int count;

  HeadAppender(Head head) {
    this.head = head;
    this.stats = head.stats();
    this.window = head.outOfOrderWindow();
    this.oooCap = head.options().maxOutOfOrderSamplesPerSeries();
  }

  @Override
  public long append(long ref, Labels labels, long timestamp, double value) throws AppendException {
    long floor0 = head.appendableMinTime();
    if (timestamp < floor0) {
      stats.incRefused(AppendException.Reason.TOO_OLD);
      throw new AppendException(
          AppendException.Reason.TOO_OLD,
          "sample for series "
              + (labels != null ? labels.toString() : "ref " + ref)
              + " refused: timestamp "
              + timestamp
              + " is older than the head accepts ("
              + floor0
              + "): blocks hold that range, or it is more than half a block range behind the"
              + " newest sample");
    }
    MemSeries s;
    long b = Double.doubleToRawLongBits(value);
    boolean has;
    long maxT = 0;
    long maxBits = 0;
    int oooState = 0;
    int oooHeld = 0;
    while (true) {
      try {
        s = head.resolve(ref, labels);
      } catch (AppendException e) {
        stats.incRefused(e.reason());
        throw e;
      }
      synchronized (s) {
        if (s.removed) {
          ref = 0; // truncation dropped it after the lookup: resolve the labels again
          continue;
        }
        if (pinned.get(s.ref) < 0) {
          s.pending++;
          pin(s);
        }
        has = s.hasSamples();
        if (has) {
          maxT = s.maxTime();
          maxBits = s.lastValueBits();
          if (timestamp < maxT && window > 0) {
            oooState = s.oooLookup(timestamp, b);
          }
          oooHeld = s.outOfOrderCount();
        }
      }
      break;
    }
    int pending = newest.get(s.ref);
    if (pending >= 0 && (!has || times[pending] > maxT)) {
      has = true;
      maxT = times[pending];
      maxBits = bits[pending];
    }
    if (!has || timestamp > maxT) {
      newest.put(s.ref, count);
      add(s, timestamp, b);
      return s.ref;
    }
    if (timestamp == maxT) {
      if (b == maxBits) {
        return s.ref; // the same sample again: accepted, nothing to store
      }
      throw refuse(
          AppendException.Reason.DUPLICATE_TIMESTAMP,
          s,
          "duplicate sample for timestamp " + timestamp + " with a different value");
    }
    long floor = maxT < Long.MIN_VALUE + window ? Long.MIN_VALUE : maxT - window;
    if (window > 0 && timestamp >= floor) {
      int inBatch = findInBatch(s, timestamp, b);
      int state = Math.max(oooState, inBatch);
      if (state == 1) {
        return s.ref;
      }
      if (state == 2) {
        throw refuse(
            AppendException.Reason.DUPLICATE_TIMESTAMP,
            s,
            "duplicate out-of-order sample for timestamp " + timestamp + " with a different value");
      }
      int inBuffer = oooHeld + lateInBatch(s, maxT);
      if (inBuffer >= oooCap) {
        throw refuse(
            AppendException.Reason.OUT_OF_ORDER_CAP,
            s,
            "out-of-order sample at "
                + timestamp
                + ": the series' out-of-order buffer holds "
                + inBuffer
                + " samples, the limit (maxOutOfOrderSamplesPerSeries) is "
                + oooCap);
      }
      add(s, timestamp, b);
      return s.ref;
    }
    throw refuse(
        AppendException.Reason.OUT_OF_ORDER,
        s,
        "out-of-order sample: timestamp "
            + timestamp
            + " is older than the series' newest sample at "
            + maxT
            + (window > 0
                ? " by more than the out-of-order window of " + window + "ms"
                : " (no out-of-order window is configured)"));
  }

  private void pin(MemSeries s) {
    if (pinnedCount == pinnedSeries.length) {
      pinnedSeries = Arrays.copyOf(pinnedSeries, pinnedCount * 2);
    }
    pinned.put(s.ref, pinnedCount);
    pinnedSeries[pinnedCount++] = s;
  }

  /** 0 when the batch has no sample of {@code s} at {@code t}, 1 with the same bits, 2 else. */
  private int findInBatch(MemSeries s, long t, long b) {
    for (int i = 0; i < count; i++) {
      if (series[i] == s && times[i] == t) {
        return bits[i] == b ? 1 : 2;
      }
    }
    return 0;
  }

  /** The samples of this batch for the series that are older than {@code newest}. */
  private int lateInBatch(MemSeries s, long newest) {
    int n = 0;
    for (int i = 0; i < count; i++) {
      if (series[i] == s && times[i] < newest) {
        n++;
      }
    }
    return n;
  }

  private AppendException refuse(AppendException.Reason reason, MemSeries s, String problem) {
    stats.incRefused(reason);
    return new AppendException(reason, "sample for series " + s.labels + " refused: " + problem);
  }

  private void add(MemSeries s, long t, long b) {
    if (count == refs.length) {
      int n = count * 2;
      series = Arrays.copyOf(series, n);
      refs = Arrays.copyOf(refs, n);
      times = Arrays.copyOf(times, n);
      bits = Arrays.copyOf(bits, n);
    }
    series[count] = s;
    refs[count] = s.ref;
    times[count] = t;
    bits[count] = b;
    count++;
  }

  @Override
  public void commit() {
    if (count == 0) {
      clear();
      return;
    }
    head.commitLock().readLock().lock();
    try {
      commitLocked();
    } finally {
      head.commitLock().readLock().unlock();
    }
  }

  /** The commit, with the floor fixed: samples that fell below it since append are refused. */
  private void commitLocked() {
    dropBelow(head.minValidTime());
    if (count == 0) {
      clear();
      return;
    }
    List<SeriesRecord> records = List.of();
    List<MemSeries> unlogged = null;
    for (int i = 0; i < count; i++) {
      MemSeries s = series[i];
      if (!s.logged && newSeries.get(s.ref) < 0) {
        newSeries.put(s.ref, i);
        if (unlogged == null) {
          unlogged = new ArrayList<>();
          records = new ArrayList<>();
        }
        unlogged.add(s);
        records.add(new SeriesRecord(s.ref, s.labels));
      }
    }
    WalWriter wal = head.wal();
    if (wal != null) {
      try {
        wal.logBatch(records, refs, times, bits, count);
      } catch (IOException e) {
        int n = count;
        clear();
        stats.incCommitFailures();
        throw new UncheckedIOException(
            "the WAL write failed; the batch of " + n + " samples is not acknowledged", e);
      }
    }
    if (unlogged != null) {
      for (MemSeries s : unlogged) {
        s.logged = true;
      }
    }
    for (int i = 0; i < count; i++) {
      head.apply(series[i], times[i], bits[i]);
    }
    stats.addSamplesAppended(count);
    stats.incCommits();
    clear();
  }

  /**
   * Removes the samples below {@code floor} from the batch, counted as {@code TOO_OLD}: a block was
   * cut over their range between append and commit (rare: they were already more than half a block
   * range behind the newest sample).
   */
  private void dropBelow(long floor) {
    int n = 0;
    for (int i = 0; i < count; i++) {
      if (times[i] < floor) {
        stats.incRefused(AppendException.Reason.TOO_OLD);
        continue;
      }
      series[n] = series[i];
      refs[n] = refs[i];
      times[n] = times[i];
      bits[n] = bits[i];
      n++;
    }
    Arrays.fill(series, n, count, null);
    count = n;
  }

  @Override
  public void rollback() {
    clear();
  }

  private void clear() {
    for (int i = 0; i < pinnedCount; i++) {
      MemSeries s = pinnedSeries[i];
      synchronized (s) {
        s.pending--;
      }
      pinnedSeries[i] = null;
    }
    pinnedCount = 0;
    pinned.clear();
    Arrays.fill(series, 0, count, null);
    count = 0;
    newest.clear();
    newSeries.clear();
  }
}
