package dev.nines.tsdb.head;

import dev.nines.common.Labels;
import dev.nines.tsdb.TsdbOptions;
import dev.nines.tsdb.TsdbStats;
import dev.nines.tsdb.storage.AppendException;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.wal.SampleBatch;
import dev.nines.tsdb.wal.SeriesRecord;
import dev.nines.tsdb.wal.WalRecordHandler;
import dev.nines.tsdb.wal.WalWriter;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/*
 * Design notes (the full picture is in docs/tsdb.md).
 *
 * Locks, from outermost: the creation lock (ref counter, series maps, postings, series counts),
 * then the postings write lock inside it. A series' monitor is never held while taking either, and
 * neither is held across I/O. Lookups are lock-free (SeriesMap); only a miss takes the creation
 * lock.
 *
 * The head knows nothing about files: the WAL writer is attached after replay, and a head without
 * one (benchmarks, tests of the head alone) simply skips logging.
 */

/**
 * The in-memory head: every active series with its recent chunks, the postings index over them,
 * appenders that log to the WAL before applying, and queriers over the data. Thread-safe.
 */
public final class Head {
  private final TsdbOptions options;
  private final TsdbStats stats;
  private final LabelsValidator validator;
  private final SeriesMap series = new SeriesMap();
  private final MemPostings postings = new MemPostings();
  private final ReentrantLock creationLock = new ReentrantLock();
  private final HashMap<String, int[]> seriesPerMetric = new HashMap<>();
  private final int samplesPerChunk;
  private final long chunkRange;
  private final long oooWindow;

  private long nextRef = 1;
  private final AtomicInteger numSeries = new AtomicInteger();
  private volatile WalWriter wal;

  /** Creates an empty head. */
  public Head(TsdbOptions options, TsdbStats stats) {
    this.options = options;
    this.stats = stats;
    this.validator = new LabelsValidator(options);
    this.samplesPerChunk = options.samplesPerChunk();
    this.chunkRange = options.chunkRange().toMillis();
    this.oooWindow = options.outOfOrderWindow().toMillis();
  }

  /** Makes appenders log to {@code writer} before applying; null stops logging. */
  public void attachWal(WalWriter writer) {
    this.wal = writer;
  }

  WalWriter wal() {
    return wal;
  }

  TsdbOptions options() {
    return options;
  }

  TsdbStats stats() {
    return stats;
  }

  long outOfOrderWindow() {
    return oooWindow;
  }

  /** A new appender; one per writer thread. */
  public Appender appender() {
    return new HeadAppender(this);
  }

  /** A querier over samples with {@code mint <= t <= maxt}. */
  public Querier querier(long mint, long maxt) {
    return new HeadQuerier(this, mint, maxt);
  }

  /** The number of series in the head. */
  public int numSeries() {
    return numSeries.get();
  }

  /** Whether the head holds a series with this ref. */
  public boolean contains(long ref) {
    return lookup(ref) != null;
  }

  /**
   * The oldest timestamp the head still holds samples for, or {@link Long#MIN_VALUE} while it has
   * never been truncated (which is always, until blocks are cut); WAL checkpoints keep samples from
   * here on.
   */
  public long minValidTime() {
    return Long.MIN_VALUE;
  }

  SeriesMap seriesMap() {
    return series;
  }

  MemPostings postings() {
    return postings;
  }

  /** The series with this ref, or null; authoritative (re-checks under the lock on a miss). */
  MemSeries lookup(long ref) {
    MemSeries s = series.get(ref);
    if (s != null) {
      return s;
    }
    creationLock.lock();
    try {
      return series.get(ref);
    } finally {
      creationLock.unlock();
    }
  }

  /**
   * The series for an append: by ref when it is known and has these labels, else by labels, created
   * if new (after validating the labels and the series limits).
   */
  MemSeries resolve(long ref, Labels labels) throws AppendException {
    if (ref != 0) {
      MemSeries s = series.get(ref);
      if (s != null && s.labels.equals(labels)) { // equals() starts with an identity check
        return s;
      }
    }
    if (labels == null) {
      throw new AppendException(
          AppendException.Reason.INVALID_LABELS,
          "series ref " + ref + " is unknown and no labels were given");
    }
    MemSeries s = series.get(labels);
    if (s != null) {
      return s;
    }
    validator.validate(labels);
    creationLock.lock();
    try {
      s = series.get(labels);
      if (s != null) {
        return s;
      }
      checkSeriesLimits(labels);
      return create(nextRef, labels, false);
    } finally {
      creationLock.unlock();
    }
  }

  private void checkSeriesLimits(Labels labels) throws AppendException {
    long max = options.maxSeries();
    if (max > 0 && numSeries.get() >= max) {
      throw new AppendException(
          AppendException.Reason.SERIES_LIMIT,
          "series "
              + labels
              + " refused: the head holds "
              + numSeries.get()
              + " series, the limit (maxSeries) is "
              + max);
    }
    long perMetric = options.maxSeriesPerMetric();
    if (perMetric > 0) {
      int[] count = seriesPerMetric.get(labels.metricName());
      if (count != null && count[0] >= perMetric) {
        throw new AppendException(
            AppendException.Reason.SERIES_LIMIT,
            "series "
                + labels
                + " refused: metric \""
                + labels.metricName()
                + "\" has "
                + count[0]
                + " series, the limit (maxSeriesPerMetric) is "
                + perMetric);
      }
    }
  }

  /** Creates and files a series with the given ref. Creation lock held. */
  private MemSeries create(long ref, Labels labels, boolean logged) {
    Labels interned = postings.intern(labels);
    MemSeries s = new MemSeries(ref, interned);
    s.logged = logged;
    series.put(s);
    postings.add(ref, interned);
    nextRef = Math.max(nextRef, ref + 1);
    numSeries.incrementAndGet();
    String metric = interned.metricName();
    if (metric != null) {
      int[] count = seriesPerMetric.get(metric);
      if (count == null) {
        seriesPerMetric.put(metric, new int[] {1});
      } else {
        count[0]++;
      }
    }
    stats.incSeriesCreated();
    return s;
  }

  /** Stores an acknowledged sample in its series (commit and replay). */
  void apply(MemSeries s, long t, long bits) {
    int outcome;
    synchronized (s) {
      outcome = s.apply(t, bits, samplesPerChunk, chunkRange);
    }
    if (outcome == MemSeries.APPLIED_OUT_OF_ORDER) {
      stats.incOutOfOrderAccepted();
    } else if (outcome == MemSeries.DUPLICATE_DROPPED) {
      stats.incDuplicatesDropped();
    }
  }

  /** The handler that WAL replay feeds; rebuilds series with their logged refs, and samples. */
  public WalRecordHandler replayHandler() {
    return new WalRecordHandler() {
      @Override
      public void series(SeriesRecord record) {
        creationLock.lock();
        try {
          if (series.get(record.ref()) != null) {
            return;
          }
          MemSeries existing = series.get(record.labels());
          if (existing != null) {
            // Same labels under a second ref: cannot happen without series deletion; keep the
            // first and let the samples of the second ref count as unknown.
            return;
          }
          create(record.ref(), record.labels(), true);
        } finally {
          creationLock.unlock();
        }
      }

      @Override
      public void samples(SampleBatch batch) {
        long unknown = 0;
        MemSeries last = null;
        for (int i = 0; i < batch.size(); i++) {
          long ref = batch.ref(i);
          MemSeries s = last != null && last.ref == ref ? last : series.get(ref);
          if (s == null) {
            unknown++;
            continue;
          }
          last = s;
          apply(s, batch.timestamp(i), batch.valueBits(i));
        }
        if (unknown > 0) {
          stats.addReplayUnknownSeriesSamples(unknown);
        }
      }
    };
  }
}
