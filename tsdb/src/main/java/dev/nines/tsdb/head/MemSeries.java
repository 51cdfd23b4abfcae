package dev.nines.tsdb.head;

import dev.nines.common.Labels;
import dev.nines.tsdb.block.ChunkData;
import dev.nines.tsdb.chunk.XorChunk;
import dev.nines.tsdb.chunk.XorIterator;
import dev.nines.tsdb.storage.SampleIterator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/*
 * Design notes. Everything mutable is guarded by this object's monitor; `ref` and `labels` are
 * final so that the lock-free series maps can publish a series by a plain array store. `logged` is
 * volatile: it is read outside the monitor by committing appenders.
 *
 * The newest in-order sample is the last sample of `open` (the open chunk always holds at least one
 * sample once it exists), so no separate maxTime / last-value fields are kept: fewer bytes per
 * series. The open chunk is adaptive (XorChunk.adaptive): SCALED (0x03) while its values are
 * integers divided by a power of ten, XOR otherwise; a value that does not fit re-encodes it into a
 * new array under this monitor, so a snapshot copies either the chunk before or after, never a half
 * (docs/formats/chunks.md, "Encoding 0x03"). Closed (cut) chunks are written to the head chunk
 * files (HeadChunks) and kept as (minTime, maxTime, handle) triples in one long[]; only the open
 * chunk stays on the heap. A chunk that could not be written (no files: a head without a folder;
 * or an I/O error) keeps its exact-length byte[] in `closedHeap` (handle -1), which is allocated
 * only then. Cutting writes one record with a positional write (page cache, no fsync) while the
 * monitor is held.
 * Out-of-order samples live in two sorted primitive arrays, allocated on first use.
 *
 * Truncation (after a block is cut) drops whole chunks older than the new floor; chunks never cross
 * a chunk-range boundary and the floor is one, so no chunk is split. `pending` counts appenders
 * holding uncommitted samples of this series (a series with pending samples is never removed);
 * `removed` is set once the head has dropped the series, and an appender that finds it set
 * resolves the labels again.
 */

/** One series in the head: identity, chunks and out-of-order buffer. */
final class MemSeries {
  /** What {@link #apply} did with a sample. */
  static final int APPLIED = 0;

  static final int APPLIED_OUT_OF_ORDER = 1;
  static final int NO_OP = 2;
  static final int DUPLICATE_DROPPED = 3;

  private static final int FIRST_CHUNK_BYTES = 64;

  final long ref;
  final Labels labels;

  /** Whether a SERIES record for this ref is in the WAL. */
  volatile boolean logged;

  /**
   * Appenders with uncommitted samples of this series. Lock held. During replay, when no appender
   * exists, it holds instead 1 + the series' index in the replay's check of loaded head chunks (0:
   * none); replay sets it back to 0 before the head is used (Head.finishReplay).
   */
  int pending;

  /** Whether the head dropped this series. Lock held. */
  boolean removed;

  private XorChunk open;
  private long[] closedMeta; // (minTime, maxTime, handle) per closed chunk
  private byte[][] closedHeap; // chunks kept on the heap (handle -1), else null
  private int closedCount;
  // Out-of-order samples, allocated on the first one: timestamps in ooo[0, cap) and value bits in
  // ooo[cap, 2 * cap), cap = ooo.length / 2; one reference instead of two keeps MemSeries small.
  private long[] ooo;
  private int oooCount;

  MemSeries(long ref, Labels labels) {
    this.ref = ref;
    this.labels = labels;
  }

  /** Whether the series has an in-order sample. Lock held. */
  boolean hasSamples() {
    return open != null;
  }

  /** The newest in-order timestamp; only meaningful when {@link #hasSamples()}. Lock held. */
  long maxTime() {
    return open.lastTimestamp();
  }

  /** The value bits of the newest in-order sample. Lock held. */
  long lastValueBits() {
    return open.lastValueBits();
  }

  /**
   * Whether the out-of-order buffer holds {@code t}: returns its value bits' presence as 0
   * (absent), 1 (same bits) or 2 (other bits). Lock held.
   */
  int oooLookup(long t, long bits) {
    if (oooCount == 0) {
      return 0;
    }
    int i = Arrays.binarySearch(ooo, 0, oooCount, t);
    if (i < 0) {
      return 0;
    }
    return ooo[ooo.length / 2 + i] == bits ? 1 : 2;
  }

  /**
   * Stores an acknowledged sample: in order, into the open chunk (cutting it when full or at a
   * range boundary); older than the newest, into the out-of-order buffer. Returns one of the
   * constants above. Lock held.
   */
  int apply(long t, long bits, int samplesPerChunk, long chunkRange, HeadChunks files) {
    if (open == null) {
      open = XorChunk.adaptive(FIRST_CHUNK_BYTES);
    } else {
      long newest = open.lastTimestamp();
      if (t == newest) {
        return open.lastValueBits() == bits ? NO_OP : DUPLICATE_DROPPED;
      }
      if (t < newest) {
        return insertOutOfOrder(t, bits);
      }
      if (open.numSamples() >= samplesPerChunk
          || Math.floorDiv(t, chunkRange) != Math.floorDiv(open.firstTimestamp(), chunkRange)) {
        cut(files);
      }
    }
    open.append(t, Double.longBitsToDouble(bits));
    return APPLIED;
  }

  private void cut(HeadChunks files) {
    if (closedMeta == null) {
      closedMeta = new long[3 * 3];
    } else if (3 * closedCount == closedMeta.length) {
      closedMeta = Arrays.copyOf(closedMeta, closedMeta.length * 2);
    }
    int len = open.length();
    long mint = open.firstTimestamp();
    long maxt = open.lastTimestamp();
    long handle = files == null ? -1 : files.write(ref, mint, maxt, open.bytes(), len);
    if (handle < 0) {
      if (closedHeap == null) {
        closedHeap = new byte[closedMeta.length / 3][];
      } else if (closedHeap.length < closedMeta.length / 3) {
        closedHeap = Arrays.copyOf(closedHeap, closedMeta.length / 3);
      }
      closedHeap[closedCount] = open.toByteArray();
    } else if (closedHeap != null) {
      if (closedHeap.length < closedMeta.length / 3) {
        closedHeap = Arrays.copyOf(closedHeap, closedMeta.length / 3);
      }
      closedHeap[closedCount] = null;
    }
    closedMeta[3 * closedCount] = mint;
    closedMeta[3 * closedCount + 1] = maxt;
    closedMeta[3 * closedCount + 2] = handle;
    closedCount++;
    // Size the next chunk like this one with a sixteenth to spare: it rarely grows, and when it
    // does it grows by a quarter; the open chunk is most of a series' heap.
    open = XorChunk.adaptive(len + len / 16 + 8);
  }

  private int insertOutOfOrder(long t, long bits) {
    if (ooo == null) {
      ooo = new long[2 * 4];
    }
    int cap = ooo.length / 2;
    int i = Arrays.binarySearch(ooo, 0, oooCount, t);
    if (i >= 0) {
      return ooo[cap + i] == bits ? NO_OP : DUPLICATE_DROPPED;
    }
    int at = -(i + 1);
    if (oooCount == cap) {
      long[] grown = new long[4 * cap];
      System.arraycopy(ooo, 0, grown, 0, oooCount);
      System.arraycopy(ooo, cap, grown, 2 * cap, oooCount);
      ooo = grown;
      cap *= 2;
    }
    System.arraycopy(ooo, at, ooo, at + 1, oooCount - at);
    System.arraycopy(ooo, cap + at, ooo, cap + at + 1, oooCount - at);
    ooo[at] = t;
    ooo[cap + at] = bits;
    oooCount++;
    return APPLIED_OUT_OF_ORDER;
  }

  /**
   * Makes the chunks loaded from the head chunk files this series' closed chunks: {@code meta}
   * holds {@code n} {@code (minTime, maxTime, handle)} triples in time order. Only on a new series
   * during replay, before any sample. Lock held.
   */
  void attachLoaded(long[] meta, int n) {
    closedMeta = meta;
    closedCount = n;
  }

  /**
   * The closed chunks' {@code (minTime, maxTime, handle)} triples, for replay's check. Lock held.
   */
  long[] closedMeta() {
    return closedMeta;
  }

  /**
   * Drops every chunk and out-of-order sample: replay starts this series again, or a rewrite
   * appends the kept samples anew. Lock held.
   */
  void dropAllSamples() {
    open = null;
    closedMeta = null;
    closedHeap = null;
    closedCount = 0;
    ooo = null;
    oooCount = 0;
  }

  /**
   * A series whose samples all lie in closed chunks (attached at replay) has no open chunk; this
   * reads the last closed chunk back into a new open chunk, so appends continue after it as they
   * would have before the restart. Lock held.
   */
  void reopenLastChunk(HeadChunks files, XorIterator scratch) {
    if (open != null || closedCount == 0) {
      return;
    }
    int c = closedCount - 1;
    long handle = closedMeta[3 * c + 2];
    byte[] bytes = handle < 0 ? closedHeap[c] : files.readCopy(handle);
    XorChunk chunk = XorChunk.adaptive(bytes.length + bytes.length / 16 + 8);
    scratch.reset(bytes, 0, bytes.length);
    while (scratch.next()) {
      chunk.append(scratch.timestamp(), scratch.value());
    }
    if (closedHeap != null) {
      closedHeap[c] = null;
    }
    closedCount = c;
    open = chunk;
  }

  /** Whether any sample lies in {@code [mint, maxt]}, judged by chunk ranges. Lock held. */
  boolean overlaps(long mint, long maxt) {
    for (int c = 0; c < closedCount; c++) {
      if (closedMeta[3 * c] <= maxt && closedMeta[3 * c + 1] >= mint) {
        return true;
      }
    }
    if (open != null && open.firstTimestamp() <= maxt && open.lastTimestamp() >= mint) {
      return true;
    }
    if (oooCount > 0) {
      int i = Arrays.binarySearch(ooo, 0, oooCount, mint);
      int at = i >= 0 ? i : -(i + 1);
      return at < oooCount && ooo[at] <= maxt;
    }
    return false;
  }

  /**
   * Copies what a reader needs for {@code [mint, maxt]} into {@code it}: the closed chunks that
   * overlap (by reference: their arrays never change), a copy of the open chunk, and the
   * out-of-order samples in range. Lock held.
   */
  void snapshotInto(HeadIterator it, long mint, long maxt, HeadChunks files) {
    it.beginSnapshot(mint, maxt);
    for (int c = 0; c < closedCount; c++) {
      if (closedMeta[3 * c] <= maxt && closedMeta[3 * c + 1] >= mint) {
        long handle = closedMeta[3 * c + 2];
        if (handle < 0) {
          it.addChunk(closedHeap[c], closedMeta[3 * c + 1]);
        } else {
          it.addFileChunk(files, handle, closedMeta[3 * c + 1]);
        }
      }
    }
    if (open != null && open.firstTimestamp() <= maxt && open.lastTimestamp() >= mint) {
      it.addOpenChunk(open.bytes(), open.length(), open.numSamples(), open.lastTimestamp());
    }
    if (oooCount > 0) {
      int i = Arrays.binarySearch(ooo, 0, oooCount, mint);
      int from = i >= 0 ? i : -(i + 1);
      int to = from;
      while (to < oooCount && ooo[to] <= maxt) {
        to++;
      }
      it.setOutOfOrder(ooo, ooo.length / 2, from, to);
    }
  }

  /** The number of chunks, open one included. Lock held. */
  int numChunks() {
    return closedCount + (open == null ? 0 : 1);
  }

  /** The number of samples held out of order. Lock held. */
  int outOfOrderCount() {
    return oooCount;
  }

  /** The oldest timestamp held, or {@link Long#MAX_VALUE} when empty. Lock held. */
  long minTime() {
    long min = Long.MAX_VALUE;
    if (closedCount > 0) {
      min = closedMeta[0];
    } else if (open != null) {
      min = open.firstTimestamp();
    }
    if (oooCount > 0) {
      min = Math.min(min, ooo[0]);
    }
    return min;
  }

  /**
   * Drops the chunks and out-of-order samples older than {@code floor} (a chunk-range boundary, so
   * no chunk straddles it); returns whether nothing is left. Lock held.
   */
  boolean truncateBefore(long floor) {
    int drop = 0;
    while (drop < closedCount && closedMeta[3 * drop + 1] < floor) {
      drop++;
    }
    if (drop > 0) {
      System.arraycopy(closedMeta, 3 * drop, closedMeta, 0, 3 * (closedCount - drop));
      if (closedHeap != null) {
        System.arraycopy(closedHeap, drop, closedHeap, 0, closedCount - drop);
        Arrays.fill(closedHeap, closedCount - drop, closedCount, null);
      }
      closedCount -= drop;
    }
    if (open != null && open.lastTimestamp() < floor) {
      open = null;
    }
    if (oooCount > 0) {
      int i = Arrays.binarySearch(ooo, 0, oooCount, floor);
      int from = i >= 0 ? i : -(i + 1);
      if (from > 0) {
        int cap = ooo.length / 2;
        System.arraycopy(ooo, from, ooo, 0, oooCount - from);
        System.arraycopy(ooo, cap + from, ooo, cap, oooCount - from);
        oooCount -= from;
      }
    }
    return open == null && closedCount == 0 && oooCount == 0;
  }

  /** Whether any out-of-order sample lies in {@code [mint, maxt)}. Lock held. */
  private boolean outOfOrderIn(long mint, long maxt) {
    if (oooCount == 0) {
      return false;
    }
    int i = Arrays.binarySearch(ooo, 0, oooCount, mint);
    int at = i >= 0 ? i : -(i + 1);
    return at < oooCount && ooo[at] < maxt;
  }

  /**
   * The chunks holding this series' samples in {@code [mint, maxt)}, for a block: the closed (and
   * open) chunks inside the range as they are, or, when out-of-order samples fall in the range,
   * everything in it merged and encoded again. Lock held.
   */
  List<ChunkData> chunksIn(
      long mint,
      long maxt,
      HeadIterator scratch,
      int samplesPerChunk,
      long chunkRange,
      HeadChunks files) {
    if (outOfOrderIn(mint, maxt)) {
      snapshotInto(scratch, mint, maxt - 1, files);
      return ChunkData.encode(scratch, samplesPerChunk, chunkRange);
    }
    List<ChunkData> out = new ArrayList<>();
    for (int c = 0; c < closedCount; c++) {
      if (closedMeta[3 * c] >= mint && closedMeta[3 * c + 1] < maxt) {
        long handle = closedMeta[3 * c + 2];
        byte[] bytes = handle < 0 ? closedHeap[c] : files.readCopy(handle);
        out.add(new ChunkData(closedMeta[3 * c], closedMeta[3 * c + 1], bytes));
      }
    }
    if (open != null
        && open.numSamples() > 0
        && open.firstTimestamp() >= mint
        && open.lastTimestamp() < maxt) {
      out.add(ChunkData.of(open));
    }
    return out;
  }

  /**
   * Removes the samples with {@code mint <= t <= maxt}: the remaining samples are read back in
   * order and applied again into fresh chunks (the out-of-order buffer is merged into them).
   * Returns the number of samples removed. Lock held.
   */
  int deleteRange(
      long mint,
      long maxt,
      HeadIterator scratch,
      int samplesPerChunk,
      long chunkRange,
      HeadChunks files) {
    if (!overlaps(mint, maxt)) {
      return 0;
    }
    snapshotInto(scratch, Long.MIN_VALUE, Long.MAX_VALUE, files);
    long[] ts = new long[64];
    long[] bs = new long[64];
    int n = 0;
    int removedSamples = 0;
    while (scratch.next() != SampleIterator.NONE) {
      long t = scratch.timestamp();
      if (t >= mint && t <= maxt) {
        removedSamples++;
        continue;
      }
      if (n == ts.length) {
        ts = Arrays.copyOf(ts, n * 2);
        bs = Arrays.copyOf(bs, n * 2);
      }
      ts[n] = t;
      bs[n] = Double.doubleToRawLongBits(scratch.value());
      n++;
    }
    dropAllSamples();
    for (int i = 0; i < n; i++) {
      apply(ts[i], bs[i], samplesPerChunk, chunkRange, files);
    }
    return removedSamples;
  }
}
