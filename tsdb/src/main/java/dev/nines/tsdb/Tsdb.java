package dev.nines.tsdb;

import dev.nines.common.LabelMatcher;
import dev.nines.tsdb.block.Block;
import dev.nines.tsdb.block.BlockMeta;
import dev.nines.tsdb.block.BlockWriter;
import dev.nines.tsdb.block.Blocks;
import dev.nines.tsdb.block.ChunkData;
import dev.nines.tsdb.block.SeriesChunks;
import dev.nines.tsdb.head.Head;
import dev.nines.tsdb.head.HeadChunks;
import dev.nines.tsdb.storage.Appendable;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.Queryable;
import dev.nines.tsdb.wal.CheckpointResult;
import dev.nines.tsdb.wal.RepairMode;
import dev.nines.tsdb.wal.ReplayResult;
import dev.nines.tsdb.wal.WalDamage;
import dev.nines.tsdb.wal.WalReader;
import dev.nines.tsdb.wal.WalWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design notes. Open order: replay the WAL into a fresh head (MOVE_ASIDE: a damaged WAL is
 * repaired, logged and counted, never fatal), then open a writer (a new segment) and attach it to
 * the head, then start the checkpoint thread. Close order is the reverse: stop the thread, close
 * the writer (which fsyncs).
 *
 * Checkpointing runs on its own platform thread so that no commit waits for it. It wakes every
 * second (or at once when close() signals it) and checkpoints when more than
 * checkpointAfterSegments finished segments follow the last checkpoint. checkpoint() does the same
 * on demand; one lock keeps the two from overlapping.
 *
 * The block lifecycle (docs/tsdb.md, "Lifecycle") runs on a second thread, nines-tsdb-compactor,
 * every compactionInterval, and on demand through compactHead(), compactBlocks(),
 * applyRetention(), deleteSeries() and snapshot(); the lifecycle lock serialises them all. The
 * list of open blocks is an immutable list replaced under blocksLock, which also guards the set of
 * open queriers: a querier takes its blocks' queriers under it, so a block removed from the list is
 * never acquired again, and Block.close() then waits for the queriers that still hold it.
 *
 * Cutting a block: raise the head's floor to the end of the range (no sample below can be applied
 * any more), write the block from the head's chunks, publish it, wait until the queriers opened
 * before the block was published (they read that range from the head only) are closed, then
 * truncate the head and checkpoint the WAL.
 */

/**
 * The embedded time-series database: a head in memory behind a write-ahead log in {@code
 * <dir>/wal/}, cut into immutable blocks in {@code <dir>/blocks/} that are compacted and deleted by
 * retention. Implements the storage seam for writers and readers. Thread-safe; close it once.
 */
public final class Tsdb implements Appendable, Queryable, Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Tsdb.class);
  private static final long CHECKPOINT_POLL_MILLIS = 1000;

  /** The folder, inside a tsdb's folder, that holds its blocks (and where imports put theirs). */
  public static final String BLOCKS_DIR = "blocks";

  /** The folder of the head chunk files (docs/formats/head-chunks.md), a cache of the WAL. */
  public static final String HEAD_CHUNKS_DIR = "chunks_head";

  private static final DateTimeFormatter SNAPSHOT_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);

  private final Path dir;
  private final Path walDir;
  private final Path blocksDir;
  private final ReentrantLock lifecycleLock = new ReentrantLock();
  private final Object blocksLock = new Object();
  private final List<OpenQuerier> openQueriers = new ArrayList<>();
  private final HeadDeletions deletions;
  private final List<Long> compactionRanges;
  private final Thread compactor;
  private volatile List<Block> blocks;
  private long generation;
  private final TsdbOptions options;
  private final TsdbStats stats;
  private final Head head;
  private final WalWriter wal;
  private final HeadChunks headChunks;
  private final List<long[]> pendingChunkFileDeletions = new ArrayList<>(); // (generation, floor)
  private final ReentrantLock checkpointLock = new ReentrantLock();
  private final ReentrantLock stateLock = new ReentrantLock();
  private final Condition wake = stateLock.newCondition();
  private final Thread checkpointer;
  private int checkpointedUpTo;
  private volatile boolean closed;

  /** An open querier: when it was opened (block generation) and where its range starts. */
  private static final class OpenQuerier {
    final long generation;
    final long mint;

    OpenQuerier(long generation, long mint) {
      this.generation = generation;
      this.mint = mint;
    }
  }

  private Tsdb(
      Path dir,
      TsdbOptions options,
      TsdbStats stats,
      Head head,
      WalWriter wal,
      HeadChunks headChunks,
      int checkpoint,
      List<Block> blocks,
      HeadDeletions deletions) {
    this.dir = dir;
    this.walDir = dir.resolve("wal");
    this.blocksDir = dir.resolve(BLOCKS_DIR);
    this.blocks = List.copyOf(blocks);
    this.deletions = deletions;
    this.compactionRanges =
        BlockCompactor.ranges(options.chunkRange().toMillis(), options.retention());
    this.compactor =
        options.compactionInterval().isZero()
            ? null
            : Thread.ofPlatform()
                .name("nines-tsdb-compactor")
                .daemon()
                .unstarted(this::compactLoop);
    this.options = options;
    this.stats = stats;
    this.head = head;
    this.wal = wal;
    this.headChunks = headChunks;
    this.checkpointedUpTo = checkpoint;
    this.checkpointer =
        Thread.ofPlatform().name("nines-tsdb-checkpoint").daemon().unstarted(this::checkpointLoop);
  }

  /**
   * Opens the database in {@code dir}, creating it if needed: removes crash leftovers of blocks,
   * opens the blocks, loads the head chunk files, replays the WAL (repairing damage; samples older
   * than the newest block's end are dropped, since a block holds them; samples that loaded head
   * chunks hold are skipped once the WAL confirms them), then starts writing a new WAL segment.
   *
   * @throws IOException if the folder cannot be read or written, or a block is corrupt
   */
  public static Tsdb open(Path dir, TsdbOptions options) throws IOException {
    options.validate();
    Files.createDirectories(dir);
    Path walDir = dir.resolve("wal");
    Path blocksDir = dir.resolve(BLOCKS_DIR);
    Files.createDirectories(blocksDir);
    Blocks.cleanupTemporary(blocksDir);
    Files.deleteIfExists(dir.resolve(HeadDeletions.FILE + Blocks.TMP_SUFFIX));
    TsdbStats stats = new TsdbStats();
    List<Block> blocks = openBlocks(blocksDir);
    HeadChunks headChunks = null;
    try {
      Head head = new Head(options, stats);
      headChunks = HeadChunks.load(dir.resolve(HEAD_CHUNKS_DIR), stats);
      head.attachChunkFiles(headChunks);
      long floor = Long.MIN_VALUE;
      for (Block b : blocks) {
        floor = Math.max(floor, b.meta().maxTime());
      }
      head.advanceMinValidTime(floor);
      long start = System.nanoTime();
      ReplayResult replay;
      try {
        replay = WalReader.replay(walDir, head.replayHandler(), RepairMode.MOVE_ASIDE);
        if (head.concludeChunkCheck()) {
          // Some series' loaded head chunks did not match the WAL: replay those from the WAL alone.
          WalReader.replay(walDir, head.fallbackHandler(), RepairMode.MOVE_ASIDE);
        }
      } finally {
        head.finishReplay();
      }
      long nanos = System.nanoTime() - start;
      stats.recordReplay(replay, nanos);
      logReplay(walDir, replay, nanos, head, stats);
      HeadDeletions deletions = HeadDeletions.load(dir);
      for (HeadDeletions.Entry e : deletions.entries()) {
        head.deleteRange(e.mint(), e.maxt(), e.matchers());
      }
      head.truncate(); // series left without samples (all below the floor, or deleted)
      WalWriter wal = WalWriter.open(walDir, options.wal());
      head.attachWal(wal);
      Tsdb db =
          new Tsdb(
              dir,
              options,
              stats,
              head,
              wal,
              headChunks,
              latestCheckpoint(walDir),
              blocks,
              deletions);
      db.checkpointer.start();
      if (db.compactor != null) {
        db.compactor.start();
      }
      return db;
    } catch (IOException | RuntimeException e) {
      for (Block b : blocks) {
        b.close();
      }
      if (headChunks != null) {
        headChunks.close();
      }
      throw e;
    }
  }

  /**
   * Opens the blocks of {@code blocksDir}, sorted by time; removes the blocks that another block
   * lists as its parents (a crash between writing a compacted block and removing its parents).
   */
  private static List<Block> openBlocks(Path blocksDir) throws IOException {
    List<Block> opened = new ArrayList<>();
    try {
      for (Path p : Blocks.list(blocksDir)) {
        opened.add(Block.open(p));
      }
      HashSet<String> parents = new HashSet<>();
      for (Block b : opened) {
        parents.addAll(b.meta().compaction().parents());
      }
      List<Block> out = new ArrayList<>();
      for (Block b : opened) {
        if (parents.contains(b.id())) {
          LOG.info("removing {}: a compacted block holds its data", b);
          b.close();
          Blocks.delete(b.dir());
        } else {
          out.add(b);
        }
      }
      out.sort(BY_TIME);
      return out;
    } catch (IOException | RuntimeException e) {
      for (Block b : opened) {
        b.close();
      }
      throw e;
    }
  }

  private static final Comparator<Block> BY_TIME =
      Comparator.comparingLong((Block b) -> b.meta().minTime()).thenComparing(Block::id);

  private static void logReplay(
      Path walDir, ReplayResult r, long nanos, Head head, TsdbStats stats) {
    if (r.segmentsRead() > 0) {
      LOG.info(
          "WAL replayed from {} in {} ms: {} segments, {} series, {} samples",
          walDir,
          TimeUnit.NANOSECONDS.toMillis(nanos),
          r.segmentsRead(),
          head.numSeries(),
          r.samples());
    }
    for (WalDamage d : r.damages()) {
      LOG.warn("WAL damage dealt with during replay of {}: {}", walDir, d);
    }
    if (stats.replaySamplesInHeadChunks() > 0 || stats.replaySeriesFromWalOnly() > 0) {
      LOG.info(
          "WAL replay of {} skipped {} samples held by head chunk files; {} series replayed from the"
              + " WAL alone because their head chunk files did not match it",
          walDir,
          stats.replaySamplesInHeadChunks(),
          stats.replaySeriesFromWalOnly());
    }
    if (stats.replayUnknownSeriesSamples() > 0) {
      LOG.warn(
          "WAL replay of {} dropped {} samples whose series record was lost to damage",
          walDir,
          stats.replayUnknownSeriesSamples());
    }
  }

  private static int latestCheckpoint(Path walDir) throws IOException {
    int latest = -1;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(walDir, "checkpoint.*")) {
      for (Path p : entries) {
        String name = p.getFileName().toString().substring("checkpoint.".length());
        if (name.length() == 8 && name.chars().allMatch(Character::isDigit)) {
          latest = Math.max(latest, Integer.parseInt(name));
        }
      }
    }
    return latest;
  }

  /** The folder this database lives in. */
  public Path dir() {
    return dir;
  }

  /** The options it was opened with. */
  public TsdbOptions options() {
    return options;
  }

  /** The live counters. */
  public TsdbStats stats() {
    return stats;
  }

  /** The number of series in the head. */
  public int numSeries() {
    return head.numSeries();
  }

  /** The in-memory head, for the block engine (cutting blocks) and the querier that merges. */
  public Head head() {
    return head;
  }

  @Override
  public Appender appender() {
    checkOpen();
    return head.appender();
  }

  /**
   * Samples of one series to import as a block: times ascending, one value each.
   *
   * @param labels the series
   * @param times sample times in milliseconds, strictly ascending
   * @param values the values, as many as times
   */
  public record ImportSeries(dev.nines.common.Labels labels, long[] times, double[] values) {
    /** Creates a series to import; the arrays must be as long as each other. */
    public ImportSeries {
      if (times.length != values.length) {
        throw new IllegalArgumentException("times and values differ in length");
      }
    }
  }

  /**
   * Writes samples older than the head accepts into one new block and opens it at once, without a
   * restart (the SLO bucket backfill: recorded samples computed for the past). The block spans the
   * samples' times and may overlap other blocks and the head; queries merge them sample by sample,
   * the older source winning a tie. Returns the block's meta, or null when there is no sample.
   *
   * @throws IllegalArgumentException when a series' times do not ascend or a series repeats
   */
  public BlockMeta importSeries(List<ImportSeries> series) throws IOException {
    checkOpen();
    List<SeriesChunks> chunks = new ArrayList<>(series.size());
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (ImportSeries s : series) {
      if (s.times().length == 0) {
        continue;
      }
      for (int i = 1; i < s.times().length; i++) {
        if (s.times()[i] <= s.times()[i - 1]) {
          throw new IllegalArgumentException("times of " + s.labels() + " do not ascend");
        }
      }
      chunks.add(
          new SeriesChunks(
              s.labels(),
              ChunkData.encode(
                  s.times(), s.values(), 0, s.times().length, options.samplesPerChunk())));
      min = Math.min(min, s.times()[0]);
      max = Math.max(max, s.times()[s.times().length - 1]);
    }
    if (chunks.isEmpty()) {
      return null;
    }
    lifecycleLock.lock();
    try {
      checkOpen();
      BlockMeta meta =
          BlockWriter.write(
              blocksDir, chunks, BlockWriter.Options.defaults().withTimeRange(min, max + 1));
      publish(Block.open(blocksDir.resolve(meta.ulid())), List.of());
      return meta;
    } finally {
      lifecycleLock.unlock();
    }
  }

  /** The metas of the open blocks, oldest first. */
  public List<BlockMeta> blocks() {
    List<BlockMeta> out = new ArrayList<>();
    for (Block b : blocks) {
      out.add(b.meta());
    }
    return out;
  }

  /**
   * Opens a querier over the head and every block overlapping {@code [mint, maxt]}, merged: series
   * with equal labels are merged by time and samples with equal timestamps come once. Blocks it
   * reads are not closed or removed until it is closed.
   */
  @Override
  public Querier querier(long mint, long maxt) {
    checkOpen();
    synchronized (blocksLock) {
      List<Querier> sources = new ArrayList<>();
      try {
        for (Block b : blocks) {
          if (b.meta().minTime() <= maxt && b.meta().maxTime() > mint) {
            sources.add(b.querier(mint, maxt));
          }
        }
      } catch (RuntimeException e) {
        for (Querier q : sources) {
          q.close();
        }
        throw e;
      }
      sources.add(head.querier(mint, maxt));
      OpenQuerier token = new OpenQuerier(generation, mint);
      openQueriers.add(token);
      return new MergeQuerier(sources, () -> released(token));
    }
  }

  private void released(OpenQuerier token) {
    synchronized (blocksLock) {
      openQueriers.remove(token);
      blocksLock.notifyAll();
    }
  }

  /** Adds a block to the list (and removes {@code replaced}); returns the new generation. */
  private long publish(Block added, List<Block> replaced) {
    synchronized (blocksLock) {
      List<Block> next = new ArrayList<>(blocks);
      next.removeAll(replaced);
      if (added != null) {
        next.add(added);
      }
      next.sort(BY_TIME);
      blocks = List.copyOf(next);
      return ++generation;
    }
  }

  /**
   * Waits until every querier opened before {@code gen} whose range starts below {@code floor} is
   * closed: it reads that range from the head only. Returns false when the database closes first.
   */
  private boolean awaitQueriersBefore(long gen, long floor) {
    long warnAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    synchronized (blocksLock) {
      while (true) {
        boolean waiting = false;
        for (OpenQuerier q : openQueriers) {
          if (q.generation < gen && q.mint < floor) {
            waiting = true;
            break;
          }
        }
        if (!waiting) {
          return true;
        }
        if (closed) {
          return false;
        }
        if (System.nanoTime() > warnAt) {
          LOG.warn("head truncation in {} waits for queriers opened before the cut", dir);
          warnAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        }
        try {
          blocksLock.wait(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }

  /**
   * Cuts the head into blocks while it spans more than 1.5 block ranges ({@link
   * TsdbOptions#chunkRange()}): the oldest whole range {@code [mint, mint + range)}, aligned to the
   * range, becomes a block, the head is truncated and the WAL checkpointed. Returns the number of
   * blocks written.
   */
  public int compactHead() throws IOException {
    lifecycleLock.lock();
    try {
      deleteIdleHeadChunkFiles();
      long range = options.chunkRange().toMillis();
      int cut = 0;
      while (!closed) {
        long min = head.minTime();
        long max = head.maxTime();
        if (min == Long.MAX_VALUE || max == Long.MIN_VALUE || max <= min) {
          break;
        }
        long span = max - min;
        if (span >= 0 && span <= range / 2 * 3) {
          break;
        }
        long start = Math.floorDiv(min, range) * range;
        if (!cutBlock(start, start + range)) {
          break;
        }
        cut++;
      }
      if (cut > 0) {
        deletions.pruneBelow(head.minValidTime());
        checkpointLock.lock();
        try {
          wal.cutSegment();
          checkpoint(true);
        } finally {
          checkpointLock.unlock();
        }
      }
      return cut;
    } catch (IOException | RuntimeException e) {
      stats.incLifecycleFailures();
      throw e;
    } finally {
      lifecycleLock.unlock();
    }
  }

  /**
   * Writes the head's samples in {@code [mint, maxt)} as a block and publishes it, without
   * truncating the head or the WAL: the state a crash right after the block's rename leaves.
   * Returns the block's meta, or null when the head holds nothing in the range. Raises the floor.
   */
  BlockMeta writeHeadBlock(long mint, long maxt) throws IOException {
    head.advanceMinValidTime(maxt);
    List<SeriesChunks> series = head.chunksForRange(mint, maxt);
    if (series.isEmpty()) {
      return null;
    }
    BlockMeta meta =
        BlockWriter.write(
            blocksDir, series, BlockWriter.Options.defaults().withTimeRange(mint, maxt));
    publish(Block.open(blocksDir.resolve(meta.ulid())), List.of());
    stats.incBlocksCut();
    LOG.info(
        "cut block {} [{}, {}) from the head: {} series, {} samples",
        meta.ulid(),
        mint,
        maxt,
        meta.stats().numSeries(),
        meta.stats().numSamples());
    return meta;
  }

  /** Cuts one block and truncates the head; false when truncation had to be given up (close). */
  private boolean cutBlock(long mint, long maxt) throws IOException {
    BlockMeta meta = writeHeadBlock(mint, maxt);
    long gen;
    synchronized (blocksLock) {
      gen = generation; // queriers opened before the block was published lack it
    }
    if (meta != null && !awaitQueriersBefore(gen, maxt)) {
      return false;
    }
    int removed = head.truncate();
    LOG.debug("head truncated below {}: {} series removed", maxt, removed);
    synchronized (blocksLock) {
      // Queriers opened from now on cannot see the truncated chunks; older ones may hold handles.
      pendingChunkFileDeletions.add(new long[] {++generation, maxt});
    }
    deleteIdleHeadChunkFiles();
    return true;
  }

  /**
   * Deletes the head chunk files of earlier truncations once no querier opened before them (and
   * reading below their floor) is still open; never waits.
   */
  private void deleteIdleHeadChunkFiles() {
    long floor = Long.MIN_VALUE;
    synchronized (blocksLock) {
      var it = pendingChunkFileDeletions.iterator();
      while (it.hasNext()) {
        long[] p = it.next();
        boolean busy = false;
        for (OpenQuerier q : openQueriers) {
          if (q.generation < p[0] && q.mint < p[1]) {
            busy = true;
            break;
          }
        }
        if (busy) {
          break; // later entries were truncated later still: keep the order
        }
        floor = Math.max(floor, p[1]);
        it.remove();
      }
    }
    if (floor != Long.MIN_VALUE) {
      head.deleteChunkFilesBefore(floor);
    }
  }

  /**
   * Merges blocks into larger ones as planned by the leveled plan (docs/tsdb.md), applying their
   * tombstones, until nothing is left to merge; the parents are removed once the new block is in
   * place. Returns the number of blocks written.
   */
  public int compactBlocks() throws IOException {
    lifecycleLock.lock();
    try {
      int written = 0;
      for (int round = 0; round < 1000 && !closed; round++) {
        List<Block> plan = BlockCompactor.plan(blocks, compactionRanges);
        if (plan.isEmpty()) {
          break;
        }
        BlockMeta meta =
            BlockCompactor.merge(
                plan, blocksDir, options.samplesPerChunk(), options.chunkRange().toMillis());
        Block merged = meta == null ? null : Block.open(blocksDir.resolve(meta.ulid()));
        publish(merged, plan);
        if (merged != null) {
          written++;
          stats.incCompactions();
          LOG.info(
              "compacted {} blocks into {} [{}, {}), level {}",
              plan.size(),
              meta.ulid(),
              meta.minTime(),
              meta.maxTime(),
              meta.compaction().level());
        }
        for (Block b : plan) {
          b.close();
          Blocks.delete(b.dir());
        }
      }
      return written;
    } catch (IOException | RuntimeException e) {
      stats.incLifecycleFailures();
      throw e;
    } finally {
      lifecycleLock.unlock();
    }
  }

  /**
   * Deletes the blocks that retention no longer keeps: by time, those ending {@link
   * TsdbOptions#retention()} or more before the newest block's end; by size, the oldest until the
   * blocks, the WAL and the head chunk files fit {@link TsdbOptions#retentionBytes()} (what
   * Prometheus counts for {@code --storage.tsdb.retention.size}). Returns the number deleted.
   */
  public int applyRetention() throws IOException {
    lifecycleLock.lock();
    try {
      List<Block> current = blocks;
      List<Block> byTime = new ArrayList<>();
      List<Block> bySize = new ArrayList<>();
      long retention = options.retention().toMillis();
      if (retention > 0 && !current.isEmpty()) {
        long newest = Long.MIN_VALUE;
        for (Block b : current) {
          newest = Math.max(newest, b.meta().maxTime());
        }
        for (Block b : current) {
          if (newest - b.meta().maxTime() >= retention) {
            byTime.add(b);
          }
        }
      }
      if (options.retentionBytes() > 0) {
        long total = headDiskBytes();
        for (Block b : current) {
          if (!byTime.contains(b)) {
            total += b.sizeBytes();
          }
        }
        for (Block b : current) {
          if (total <= options.retentionBytes()) {
            break;
          }
          if (!byTime.contains(b)) {
            bySize.add(b);
            total -= b.sizeBytes();
          }
        }
      }
      List<Block> doomed = new ArrayList<>(byTime);
      doomed.addAll(bySize);
      if (doomed.isEmpty()) {
        return 0;
      }
      publish(null, doomed);
      for (Block b : doomed) {
        b.close();
        Blocks.delete(b.dir());
        if (byTime.contains(b)) {
          stats.incBlocksDeletedByTime();
        } else {
          stats.incBlocksDeletedBySize();
        }
        LOG.info("retention deleted {} ({})", b, byTime.contains(b) ? "time" : "size");
      }
      return doomed.size();
    } catch (IOException | RuntimeException e) {
      stats.incLifecycleFailures();
      throw e;
    } finally {
      lifecycleLock.unlock();
    }
  }

  /**
   * The bytes the head takes on disk: the WAL (segments and checkpoint) and the head chunk files in
   * {@code chunks_head/}. Retention by size counts them with the blocks, as Prometheus counts its
   * WAL and m-mapped head chunks; only blocks can be deleted to make room.
   */
  public long headDiskBytes() throws IOException {
    return Blocks.sizeOf(walDir) + Blocks.sizeOf(dir.resolve(HEAD_CHUNKS_DIR));
  }

  /**
   * Deletes the samples with {@code mint <= t <= maxt} of the series matching every matcher:
   * tombstones on the blocks (removed from disk by compaction), and at once from the head, durably
   * (the deletion is recorded before the head changes and applied again after a WAL replay).
   */
  public void deleteSeries(long mint, long maxt, List<LabelMatcher> matchers) throws IOException {
    if (mint > maxt) {
      throw new IllegalArgumentException("mint " + mint + " is after maxt " + maxt);
    }
    checkOpen();
    lifecycleLock.lock();
    try {
      for (Block b : blocks) {
        if (b.meta().minTime() <= maxt && b.meta().maxTime() > mint) {
          b.delete(mint, maxt, matchers);
        }
      }
      if (maxt >= head.minValidTime()) {
        deletions.add(new HeadDeletions.Entry(mint, maxt, matchers));
        stats.addHeadSamplesDeleted(head.deleteRange(mint, maxt, matchers));
      }
    } finally {
      lifecycleLock.unlock();
    }
  }

  /**
   * Writes a snapshot into a new folder under {@code dest} and returns the folder's name: every
   * block hard-linked (blocks never change, so this is cheap and consistent), and with {@code
   * withHead} the head written as one more block. The folder opens as a database of its own. It
   * appears atomically; {@code dest} must be on the same file system as the database.
   */
  public String snapshot(Path dest, boolean withHead) throws IOException {
    checkOpen();
    lifecycleLock.lock();
    try {
      String name =
          SNAPSHOT_TIME.format(ZonedDateTime.now(ZoneOffset.UTC))
              + "-"
              + String.format(Locale.ROOT, "%08x", ThreadLocalRandom.current().nextInt());
      Files.createDirectories(dest);
      Path tmp = dest.resolve(name + Blocks.TMP_SUFFIX);
      Path out = tmp.resolve(BLOCKS_DIR);
      Files.createDirectories(out);
      boolean done = false;
      try {
        for (Block b : blocks) {
          Blocks.link(b.dir(), out);
        }
        if (withHead) {
          List<SeriesChunks> series = head.chunksForRange(Long.MIN_VALUE, Long.MAX_VALUE);
          if (!series.isEmpty()) {
            BlockWriter.write(out, series, BlockWriter.Options.defaults());
          }
        }
        Blocks.fsyncDir(out);
        Blocks.fsyncDir(tmp);
        Files.move(tmp, dest.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        Blocks.fsyncDir(dest);
        done = true;
      } finally {
        if (!done) {
          Blocks.deleteTree(tmp);
        }
      }
      LOG.info("snapshot {} written into {}", name, dest);
      return name;
    } finally {
      lifecycleLock.unlock();
    }
  }

  private void compactLoop() {
    long interval = options.compactionInterval().toMillis();
    while (true) {
      stateLock.lock();
      try {
        if (closed) {
          return;
        }
        wake.await(interval, TimeUnit.MILLISECONDS);
        if (closed) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        stateLock.unlock();
      }
      try {
        compactHead();
        compactBlocks();
        applyRetention();
      } catch (IOException | RuntimeException e) {
        LOG.error("block lifecycle in {} failed; it is retried later", dir, e);
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("tsdb in " + dir + " is closed");
    }
  }

  /**
   * Writes a WAL checkpoint now if more than {@link TsdbOptions#checkpointAfterSegments()} finished
   * segments follow the last one, or always when {@code force}; returns what it did, or null when
   * there was nothing to do.
   */
  public CheckpointResult checkpoint(boolean force) throws IOException {
    checkpointLock.lock();
    try {
      int current = wal.currentSegment();
      int finished = current - (checkpointedUpTo + 1);
      if (finished <= 0 || (!force && finished <= options.checkpointAfterSegments())) {
        return null;
      }
      int upTo = current - 1;
      CheckpointResult r = wal.checkpoint(upTo, head::contains, head.minValidTime());
      checkpointedUpTo = upTo;
      stats.incCheckpoints();
      return r;
    } catch (IOException | RuntimeException e) {
      stats.incCheckpointFailures();
      throw e;
    } finally {
      checkpointLock.unlock();
    }
  }

  private void checkpointLoop() {
    while (true) {
      stateLock.lock();
      try {
        if (closed) {
          return;
        }
        wake.await(CHECKPOINT_POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (closed) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        stateLock.unlock();
      }
      try {
        checkpoint(false);
      } catch (IOException | RuntimeException e) {
        LOG.error("WAL checkpoint in {} failed; it is retried later", walDir, e);
      }
    }
  }

  /** Stops background work and closes the WAL, which fsyncs what was written. Idempotent. */
  @Override
  public void close() throws IOException {
    stateLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      wake.signalAll();
    } finally {
      stateLock.unlock();
    }
    synchronized (blocksLock) {
      blocksLock.notifyAll();
    }
    try {
      checkpointer.join(TimeUnit.SECONDS.toMillis(60));
      if (compactor != null) {
        compactor.join(TimeUnit.SECONDS.toMillis(60));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lifecycleLock.lock(); // an explicit lifecycle call still running finishes first
    try {
      try {
        wal.close();
      } finally {
        headChunks.close();
      }
    } finally {
      try {
        for (Block b : publishNone()) {
          b.close();
        }
      } finally {
        lifecycleLock.unlock();
      }
    }
  }

  private List<Block> publishNone() {
    synchronized (blocksLock) {
      List<Block> all = blocks;
      blocks = List.of();
      return all;
    }
  }
}
