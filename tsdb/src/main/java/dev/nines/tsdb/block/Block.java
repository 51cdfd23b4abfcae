package dev.nines.tsdb.block;

import dev.nines.common.LabelMatcher;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.Queryable;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/*
 * Design notes.
 *
 * An open block holds memory maps of its index and chunk segments (see MappedFile for how they are
 * unmapped) and the tombstones on the heap; it holds no file descriptors. Opening checks meta.json,
 * every index section's CRC32C, the chunk segments' headers and footers and the tombstones' CRC, so
 * a damaged or truncated block fails at open with the file and offset; only a damaged chunk body is
 * found later, when a query reads that chunk (or by verifyChunks()).
 *
 * Lifetime: queriers are counted. close() stops new queriers and waits until the open ones are
 * closed before unmapping, as Prometheus's Block.Close waits for pending readers; so retention can
 * close and delete a block while queries are still running on it.
 *
 * Deletion writes a whole new tombstones file next to the old one and renames it over (atomic), then
 * publishes the new Tombstones value; queriers opened before keep the value they started with.
 */

/** An open, immutable on-disk block: a {@link Queryable} over its series. Thread-safe. */
public final class Block implements Queryable, Closeable {
  private final Path dir;
  private final BlockMeta meta;
  private final MappedFile indexFile;
  private final IndexReader index;
  private final BlockChunks chunks;
  private final Object deleteLock = new Object();
  private volatile Tombstones tombstones;
  private int openQueriers;
  private boolean closing;
  private boolean closed;

  private Block(
      Path dir,
      BlockMeta meta,
      MappedFile indexFile,
      IndexReader index,
      BlockChunks chunks,
      Tombstones tombstones) {
    this.dir = dir;
    this.meta = meta;
    this.indexFile = indexFile;
    this.index = index;
    this.chunks = chunks;
    this.tombstones = tombstones;
  }

  /**
   * Opens the block in folder {@code dir}, checking what can be checked without reading every
   * chunk.
   *
   * @throws BlockCorruptionException if meta.json is missing or invalid, or a checksum, header or
   *     footer does not match; nothing stays mapped
   */
  public static Block open(Path dir) throws IOException {
    String id = dir.getFileName().toString();
    BlockMeta meta = readMeta(dir, id);
    Tombstones tombstones = Tombstones.read(dir.resolve(Tombstones.FILE), id);
    MappedFile indexFile;
    try {
      indexFile = MappedFile.map(dir.resolve(Index.FILE));
    } catch (NoSuchFileException e) {
      throw new BlockCorruptionException(id, Index.FILE, 0, "file missing", e);
    }
    try {
      IndexReader index = new IndexReader(id, indexFile.buffer());
      BlockChunks chunks = BlockChunks.open(id, dir.resolve(ChunkFiles.DIR));
      return new Block(dir, meta, indexFile, index, chunks, tombstones);
    } catch (IOException | RuntimeException e) {
      try {
        indexFile.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static BlockMeta readMeta(Path dir, String id) throws IOException {
    byte[] json;
    try {
      json = Files.readAllBytes(dir.resolve(Blocks.META_FILE));
    } catch (NoSuchFileException e) {
      throw new BlockCorruptionException(id, Blocks.META_FILE, 0, "file missing", e);
    }
    BlockMeta meta;
    try {
      meta = BlockMeta.parse(json);
    } catch (IllegalArgumentException e) {
      throw new BlockCorruptionException(id, Blocks.META_FILE, 0, e.getMessage(), e);
    }
    if (!meta.ulid().equals(id)) {
      throw new BlockCorruptionException(
          id, Blocks.META_FILE, 0, "ulid " + meta.ulid() + " does not match the folder name");
    }
    return meta;
  }

  /** The block's metadata. */
  public BlockMeta meta() {
    return meta;
  }

  /** The block's id. */
  public String id() {
    return meta.ulid();
  }

  /** The block's folder. */
  public Path dir() {
    return dir;
  }

  /** The deletions currently in effect. */
  public Tombstones tombstones() {
    return tombstones;
  }

  /** The bytes of the index and chunk segments on disk. */
  public long sizeBytes() {
    return indexFile.size() + chunks.sizeBytes();
  }

  /**
   * A querier over samples with {@code mint <= t <= maxt}. It must be closed; the block does not
   * unmap while queriers are open.
   *
   * @throws IllegalStateException if the block is closing or closed
   */
  @Override
  public Querier querier(long mint, long maxt) {
    acquire();
    return new BlockQuerier(this, index, chunks, tombstones, mint, maxt);
  }

  private synchronized void acquire() {
    if (closing) {
      throw new IllegalStateException("block " + id() + " is closed");
    }
    openQueriers++;
  }

  synchronized void release() {
    openQueriers--;
    notifyAll();
  }

  /**
   * Deletes the samples with {@code mint <= t <= maxt} of the series matching all {@code matchers},
   * by writing a new tombstones file atomically. Queriers opened afterwards no longer see them;
   * compaction removes them from disk later.
   */
  public void delete(long mint, long maxt, List<LabelMatcher> matchers) throws IOException {
    if (mint > maxt) {
      throw new IllegalArgumentException("mint " + mint + " is after maxt " + maxt);
    }
    synchronized (deleteLock) {
      int[] refs;
      try (BlockQuerier q = (BlockQuerier) querier(mint, maxt)) {
        refs = q.refsOverlapping(matchers);
      }
      if (refs.length == 0) {
        return;
      }
      Tombstones updated = tombstones.with(refs, mint, maxt);
      updated.write(dir);
      tombstones = updated;
    }
  }

  /**
   * Reads every chunk of the block and checks its checksum.
   *
   * @throws BlockCorruptionException naming the segment and offset of the first damaged chunk
   */
  public void verifyChunks() {
    acquire();
    try {
      chunks.verify();
    } finally {
      release();
    }
  }

  /**
   * Closes the block: waits until every open querier is closed, then unmaps the files. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closing = true;
      boolean interrupted = false;
      while (openQueriers > 0) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      closed = true;
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      indexFile.close();
    } finally {
      chunks.close();
    }
  }

  @Override
  public String toString() {
    return "block " + id() + " [" + meta.minTime() + ", " + meta.maxTime() + ")";
  }
}
