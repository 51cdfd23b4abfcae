package dev.nines.tsdb.head;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.tsdb.TsdbOptions;
import dev.nines.tsdb.TsdbStats;
import dev.nines.tsdb.block.ChunkData;
import dev.nines.tsdb.block.SeriesChunks;
import dev.nines.tsdb.storage.AppendException;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.wal.SampleBatch;
import dev.nines.tsdb.wal.SeriesRecord;
import dev.nines.tsdb.wal.WalRecordHandler;
import dev.nines.tsdb.wal.WalWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design notes (the full picture is in docs/tsdb.md).
 *
 * Locks, from outermost: the creation lock (ref counter, series maps, postings, series counts),
 * then the postings write lock inside it. A series' monitor is never held while taking either, and
 * neither is held across I/O. Lookups are lock-free (SeriesMap); only a miss takes the creation
 * lock.
 *
 * Truncation (docs/tsdb.md, "Lifecycle"). The head accepts samples at or after appendableMinTime():
 * the floor (minValidTime, the end of the newest block) and half a chunk range behind the newest
 * sample, as Prometheus does; so the range the next block is cut from stops changing before it is
 * cut. advanceMinValidTime() raises the floor under the commit lock's write side, which waits for
 * running commits; a commit re-checks its samples against the floor under the read side, so no
 * sample below the floor is ever applied after the floor moved. truncate() drops chunks below the
 * floor and removes series left empty (unless an appender holds uncommitted samples of them).
 *
 * Replay aliases: a series removed by truncation and created again gets a new ref, and the WAL may
 * still hold the old SERIES record for the same labels. Replay maps the second ref to the series
 * of the first (aliases), and contains() answers true for it, so a checkpoint keeps both records
 * and their samples.
 *
 * The head knows nothing about files: the WAL writer is attached after replay, and a head without
 * one (benchmarks, tests of the head alone) simply skips logging.
 */

/**
 * The in-memory head: every active series with its recent chunks, the postings index over them,
 * appenders that log to the WAL before applying, and queriers over the data. Thread-safe.
 */
public final class Head {
  private static final Logger LOG = LoggerFactory.getLogger(Head.class);

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
  private final AtomicLong minTime = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong maxTime = new AtomicLong(Long.MIN_VALUE);
  private final ReentrantReadWriteLock commitLock = new ReentrantReadWriteLock();
  private final HashMap<Long, MemSeries> aliases = new HashMap<>();
  private ChunkCheck check; // replay only (single-threaded)
  private java.util.Set<MemSeries> redo; // replay only: series for the second pass
  private volatile long minValidTime = Long.MIN_VALUE;
  private volatile WalWriter wal;
  private volatile HeadChunks chunkFiles;

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

  /**
   * Makes cut chunks go to {@code files} instead of staying on the heap; attach before replay. Null
   * (the default) keeps every chunk on the heap.
   */
  public void attachChunkFiles(HeadChunks files) {
    this.chunkFiles = files;
  }

  HeadChunks chunkFiles() {
    return chunkFiles;
  }

  /**
   * Deletes the head chunk files whose chunks all lie below {@code floor}; call it once no querier
   * opened before the truncation to {@code floor} is still open.
   */
  public void deleteChunkFilesBefore(long floor) {
    HeadChunks files = chunkFiles;
    if (files != null) {
      files.deleteBefore(floor);
    }
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
    return containsOrAlias(ref);
  }

  /** Whether the head holds a series with this ref, or a replayed alias of one. */
  private boolean containsOrAlias(long ref) {
    if (lookup(ref) != null) {
      return true;
    }
    creationLock.lock();
    try {
      return aliases.containsKey(ref);
    } finally {
      creationLock.unlock();
    }
  }

  /**
   * The floor: samples older than this are refused ({@code TOO_OLD}) and dropped during replay,
   * because blocks hold that range; {@link Long#MIN_VALUE} before the first block. WAL checkpoints
   * keep samples from here on.
   */
  public long minValidTime() {
    return minValidTime;
  }

  /**
   * The oldest timestamp an append may have: the floor, and at most half a chunk range behind the
   * newest sample in the head (Prometheus's rule), so that a range about to be cut into a block no
   * longer changes.
   */
  public long appendableMinTime() {
    long max = maxTime.get();
    long half = chunkRange / 2;
    long bound = max < Long.MIN_VALUE + half ? Long.MIN_VALUE : max - half;
    return Math.max(minValidTime, bound);
  }

  /** The oldest timestamp in the head ({@link Long#MAX_VALUE} when empty); never too high. */
  public long minTime() {
    return minTime.get();
  }

  /** The newest timestamp in the head ({@link Long#MIN_VALUE} when empty). */
  public long maxTime() {
    return maxTime.get();
  }

  /** The commit lock: commits hold the read side, moving the floor holds the write side. */
  ReentrantReadWriteLock commitLock() {
    return commitLock;
  }

  /**
   * Raises the floor to {@code t} (never lowers it); waits for running commits, and no sample below
   * it is applied afterwards. Before replay it makes replay drop the samples below it.
   */
  public void advanceMinValidTime(long t) {
    commitLock.writeLock().lock();
    try {
      if (t > minValidTime) {
        minValidTime = t;
      }
    } finally {
      commitLock.writeLock().unlock();
    }
  }

  /**
   * The series' samples in {@code [mint, maxt)} as chunks for a block: the head's own chunks where
   * possible (no chunk crosses a chunk-range boundary), re-encoded where out-of-order samples are
   * merged in. Call it after raising the floor to {@code maxt}, so that the range no longer
   * changes.
   */
  public List<SeriesChunks> chunksForRange(long mint, long maxt) {
    List<MemSeries> all = new ArrayList<>(numSeries.get());
    series.forEach(all::add);
    List<SeriesChunks> out = new ArrayList<>();
    HeadIterator scratch = new HeadIterator();
    for (MemSeries s : all) {
      List<ChunkData> chunks;
      synchronized (s) {
        chunks = s.chunksIn(mint, maxt, scratch, samplesPerChunk, chunkRange, chunkFiles);
      }
      if (!chunks.isEmpty()) {
        out.add(new SeriesChunks(s.labels, chunks));
      }
    }
    return out;
  }

  /**
   * Drops every chunk and out-of-order sample older than the floor and removes the series left
   * without samples (and their postings), unless an appender holds uncommitted samples of them.
   * Commits wait while it runs. Returns the number of series removed.
   */
  public int truncate() {
    commitLock.writeLock().lock();
    try {
      long floor = minValidTime;
      List<MemSeries> removed = new ArrayList<>();
      creationLock.lock();
      try {
        List<MemSeries> all = new ArrayList<>(numSeries.get());
        series.forEach(all::add);
        long newMin = Long.MAX_VALUE;
        for (MemSeries s : all) {
          synchronized (s) {
            boolean empty = s.truncateBefore(floor);
            if (empty && s.pending == 0) {
              s.removed = true;
              removed.add(s);
            } else if (!empty) {
              newMin = Math.min(newMin, s.minTime());
            }
          }
        }
        remove(removed);
        minTime.set(newMin);
      } finally {
        creationLock.unlock();
      }
      stats.addSeriesRemoved(removed.size());
      return removed.size();
    } finally {
      commitLock.writeLock().unlock();
    }
  }

  /** Removes marked series from the maps, postings, counts and aliases. Creation lock held. */
  private void remove(List<MemSeries> removed) {
    if (removed.isEmpty()) {
      return;
    }
    series.removeAll(removed);
    HashSet<Long> refs = new HashSet<>(removed.size() * 2);
    for (MemSeries s : removed) {
      refs.add(s.ref);
      numSeries.decrementAndGet();
      String metric = s.labels.metricName();
      int[] count = metric == null ? null : seriesPerMetric.get(metric);
      if (count != null && --count[0] == 0) {
        seriesPerMetric.remove(metric);
      }
    }
    postings.removeAll(refs::contains);
    aliases.values().removeIf(s -> refs.contains(s.ref));
  }

  /**
   * Deletes the samples with {@code mint <= t <= maxt} of the series matching every matcher, at
   * once, by rebuilding their chunks; returns the number of samples removed. Commits wait while it
   * runs.
   */
  public long deleteRange(long mint, long maxt, List<LabelMatcher> matchers) {
    commitLock.writeLock().lock();
    try {
      HeadQuerier q = new HeadQuerier(this, mint, maxt);
      Postings p = q.postingsFor(matchers);
      HeadIterator scratch = new HeadIterator();
      long removed = 0;
      for (int i = 0; i < p.size(); i++) {
        MemSeries s = series.get(p.refs()[i]);
        if (s == null) {
          continue;
        }
        synchronized (s) {
          removed += s.deleteRange(mint, maxt, scratch, samplesPerChunk, chunkRange, chunkFiles);
        }
      }
      return removed;
    } finally {
      commitLock.writeLock().unlock();
    }
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

  /**
   * Ends the first pass of replay by deciding, series by series, whether the chunks loaded from the
   * head chunk files hold exactly the WAL's samples in their range (docs/tsdb.md, "Skipping the
   * samples chunks_head/ holds"): kept chunks stay, a series that fails is emptied. Returns whether
   * some series failed; then replay must read the WAL again through {@link #fallbackHandler()}.
   */
  public boolean concludeChunkCheck() {
    ChunkCheck c = check;
    if (c == null) {
      return false;
    }
    check = null;
    redo = c.conclude();
    return !redo.isEmpty();
  }

  /**
   * The handler for replay's second pass over the WAL: applies only the samples of the series that
   * failed the check of {@link #concludeChunkCheck()}, exactly as the first pass would have without
   * loaded chunks.
   */
  public WalRecordHandler fallbackHandler() {
    java.util.Set<MemSeries> again = redo == null ? java.util.Set.of() : redo;
    return new WalRecordHandler() {
      @Override
      public void series(SeriesRecord record) {
        // Every series exists since the first pass.
      }

      @Override
      public void samples(SampleBatch batch) {
        long floor = minValidTime;
        for (int i = 0; i < batch.size(); i++) {
          long t = batch.timestamp(i);
          if (t < floor) {
            continue;
          }
          long ref = batch.ref(i);
          MemSeries s = series.get(ref);
          if (s == null) {
            s = aliases.get(ref);
          }
          if (s != null && again.contains(s)) {
            apply(s, t, batch.valueBits(i));
          }
        }
      }
    };
  }

  /**
   * Ends replay: sorts the postings lists that replay filled out of ref order, and lets go of the
   * chunks loaded from the head chunk files (those kept belong to their series now).
   */
  public void finishReplay() {
    ChunkCheck c = check;
    if (c != null) {
      c.abandon(); // replay failed before concluding: leave no replay state in the series
      check = null;
    }
    redo = null;
    HeadChunks files = chunkFiles;
    if (files != null) {
      files.dropLoaded();
    }
    creationLock.lock();
    try {
      postings.endBulk();
    } finally {
      creationLock.unlock();
    }
  }

  /** Stores an acknowledged sample in its series (commit and replay). */
  void apply(MemSeries s, long t, long bits) {
    if (t > maxTime.get()) {
      maxTime.accumulateAndGet(t, Math::max);
    }
    if (t < minTime.get()) {
      minTime.accumulateAndGet(t, Math::min);
    }
    int outcome;
    synchronized (s) {
      outcome = s.apply(t, bits, samplesPerChunk, chunkRange, chunkFiles);
    }
    if (outcome == MemSeries.APPLIED_OUT_OF_ORDER) {
      stats.incOutOfOrderAccepted();
    } else if (outcome == MemSeries.DUPLICATE_DROPPED) {
      stats.incDuplicatesDropped();
    }
  }

  /**
   * The handler that WAL replay feeds; rebuilds series with their logged refs, and samples. Until
   * {@link #finishReplay()} the postings are filled in bulk (not kept sorted), so no querier may be
   * opened in between.
   */
  public WalRecordHandler replayHandler() {
    creationLock.lock();
    try {
      postings.beginBulk();
    } finally {
      creationLock.unlock();
    }
    HeadChunks files = chunkFiles;
    HeadChunks.Loaded loaded = files == null ? null : files.loaded();
    check = loaded == null || loaded.size() == 0 ? null : new ChunkCheck(loaded);
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
            // Same labels under a second ref: the series was removed by truncation and created
            // again. Samples of either ref go to the one series.
            aliases.put(record.ref(), existing);
            nextRef = Math.max(nextRef, record.ref() + 1);
            return;
          }
          MemSeries created = create(record.ref(), record.labels(), true);
          if (check != null) {
            check.attach(created, minValidTime);
          }
        } finally {
          creationLock.unlock();
        }
      }

      @Override
      public void samples(SampleBatch batch) {
        long unknown = 0;
        long belowFloor = 0;
        long floor = minValidTime;
        long lastRef = 0;
        MemSeries last = null;
        for (int i = 0; i < batch.size(); i++) {
          long ref = batch.ref(i);
          long t = batch.timestamp(i);
          if (t < floor) {
            belowFloor++; // a block holds this range already (crash before WAL truncation)
            continue;
          }
          MemSeries s = last != null && lastRef == ref ? last : series.get(ref);
          if (s == null) {
            s = aliases.get(ref); // replay is single-threaded; no lock needed
          }
          if (s == null) {
            unknown++;
            continue;
          }
          last = s;
          lastRef = ref;
          if (s.pending != 0 && check != null && check.holds(s.pending - 1, s, t)) {
            continue; // at or below the series' loaded chunks: checked and counted, not applied
          }
          apply(s, t, batch.valueBits(i));
        }
        if (unknown > 0) {
          stats.addReplayUnknownSeriesSamples(unknown);
        }
        if (belowFloor > 0) {
          stats.addReplaySamplesBelowBlocks(belowFloor);
        }
      }
    };
  }

  /**
   * Replay's check of the chunks loaded from the head chunk files, one slot per series that got
   * some (its index + 1 is in MemSeries.pending while replay runs). Single-threaded, like replay:
   * the series' fields are read without their monitor here, since nothing else can see them yet.
   */
  private final class ChunkCheck {
    private final HeadChunks.Loaded loaded;
    private MemSeries[] slots = new MemSeries[256];
    private long[] diskMax = new long[256];
    private long[] lastT = new long[256];
    private int[] attached = new int[256];
    private int[] cursor = new int[256];
    private long[] diskSamples = new long[256];
    private long[] walSamples = new long[256]; // -1 once the series failed
    private int size;

    ChunkCheck(HeadChunks.Loaded loaded) {
      this.loaded = loaded;
    }

    /**
     * Attaches the loaded chunks of a series just created by replay: those ending below the floor
     * are dropped; the rest must be in time order, disjoint, and none may straddle the floor, or
     * the series gets none (and replays from the WAL alone).
     */
    void attach(MemSeries s, long floor) {
      int i = loaded.first(s.ref);
      if (i < 0) {
        return;
      }
      long[] meta = new long[3 * 4];
      int n = 0;
      long samples = 0;
      for (; i >= 0; i = loaded.next(i)) {
        long min = loaded.minTime(i);
        long max = loaded.maxTime(i);
        if (max < floor) {
          continue;
        }
        if (min < floor || (n > 0 && min <= meta[3 * (n - 1) + 1])) {
          stats.incReplaySeriesFromWalOnly();
          return;
        }
        if (3 * n == meta.length) {
          meta = java.util.Arrays.copyOf(meta, meta.length * 2);
        }
        meta[3 * n] = min;
        meta[3 * n + 1] = max;
        meta[3 * n + 2] = loaded.handle(i);
        n++;
        samples += loaded.count(i);
      }
      if (n == 0) {
        return;
      }
      meta = java.util.Arrays.copyOf(meta, 3 * n);
      synchronized (s) {
        s.attachLoaded(meta, n);
      }
      if (size == slots.length) {
        int c = size * 2;
        slots = java.util.Arrays.copyOf(slots, c);
        diskMax = java.util.Arrays.copyOf(diskMax, c);
        lastT = java.util.Arrays.copyOf(lastT, c);
        attached = java.util.Arrays.copyOf(attached, c);
        cursor = java.util.Arrays.copyOf(cursor, c);
        diskSamples = java.util.Arrays.copyOf(diskSamples, c);
        walSamples = java.util.Arrays.copyOf(walSamples, c);
      }
      slots[size] = s;
      diskMax[size] = meta[3 * (n - 1) + 1];
      lastT[size] = Long.MIN_VALUE;
      attached[size] = n;
      diskSamples[size] = samples;
      size++;
      s.pending = size;
    }

    /**
     * Whether a WAL sample of the series in {@code slot} lies at or below its loaded chunks: then
     * it is checked against them and counted instead of applied. A sample that comes out of time
     * order or falls outside every chunk's range fails the series.
     */
    boolean holds(int slot, MemSeries s, long t) {
      if (t > diskMax[slot]) {
        return false;
      }
      if (walSamples[slot] < 0) {
        return true; // failed already; the second pass replays it
      }
      if (t <= lastT[slot]) {
        walSamples[slot] = -1;
        return true;
      }
      lastT[slot] = t;
      long[] meta = s.closedMeta(); // its first `attached` triples never change during replay
      int c = cursor[slot];
      int n = attached[slot];
      while (c < n && meta[3 * c + 1] < t) {
        c++;
      }
      if (c == n || meta[3 * c] > t) {
        walSamples[slot] = -1;
        return true;
      }
      cursor[slot] = c;
      walSamples[slot]++;
      return true;
    }

    /** Keeps the confirmed chunks and empties the series that failed; returns those. */
    java.util.Set<MemSeries> conclude() {
      java.util.Set<MemSeries> failed =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      dev.nines.tsdb.chunk.XorIterator scratch = new dev.nines.tsdb.chunk.XorIterator();
      for (int i = 0; i < size; i++) {
        MemSeries s = slots[i];
        s.pending = 0;
        if (walSamples[i] == diskSamples[i] && reopen(s, scratch)) {
          stats.addReplaySamplesInHeadChunks(walSamples[i]);
          minTime.accumulateAndGet(s.closedMeta()[0], Math::min);
          maxTime.accumulateAndGet(diskMax[i], Math::max);
        } else {
          synchronized (s) {
            s.dropAllSamples();
          }
          failed.add(s);
          stats.incReplaySeriesFromWalOnly();
        }
      }
      slots = null;
      return failed;
    }

    /**
     * Reopens the last chunk of a confirmed series (see MemSeries.reopenLastChunk); false when it
     * cannot be read back (the file went bad since load): the series then replays from the WAL.
     */
    private boolean reopen(MemSeries s, dev.nines.tsdb.chunk.XorIterator scratch) {
      try {
        synchronized (s) {
          s.reopenLastChunk(chunkFiles, scratch);
        }
        return true;
      } catch (java.io.UncheckedIOException | dev.nines.tsdb.chunk.ChunkCorruptionException e) {
        LOG.warn(
            "cannot read back the last head chunk of series {}; replaying it from the WAL",
            s.ref,
            e);
        return false;
      }
    }

    /** Leaves no replay state in the series (replay failed before concluding). */
    void abandon() {
      for (int i = 0; i < size; i++) {
        slots[i].pending = 0;
      }
    }
  }
}
