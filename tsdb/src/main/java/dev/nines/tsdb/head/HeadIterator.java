package dev.nines.tsdb.head;

import dev.nines.tsdb.chunk.XorIterator;
import dev.nines.tsdb.storage.SampleIterator;
import java.util.Arrays;

/*
 * Design notes. A snapshot of one series for [mint, maxt], taken under the series' monitor by
 * MemSeries.snapshotInto: references to the overlapping closed chunks (immutable arrays, or handles
 * into the head chunk files, read into `fileBuf` when the chunk is reached), a copy of
 * the open chunk into a buffer this iterator owns, and a copy of the out-of-order samples in range.
 * All buffers are kept when the iterator is reused, so steady-state reuse allocates nothing.
 *
 * Two sorted streams are merged: the in-order chunks (decoded by one reused XorIterator) and the
 * out-of-order samples. `lo` is the least timestamp still wanted: mint at first, raised by seek().
 * The in-order stream keeps one decoded sample ahead (inHas/inT/inBits); on a timestamp tie the
 * in-order sample wins and the out-of-order one is skipped.
 */

/** A reusable, allocation-free iterator over a snapshot of one head series. */
final class HeadIterator implements SampleIterator {
  private final XorIterator xor = new XorIterator();
  private byte[][] chunks = new byte[4][];
  private int[] chunkLengths = new int[4];
  private int[] chunkCounts = new int[4];
  private long[] chunkMaxTimes = new long[4];
  private long[] chunkHandles = new long[4];
  private HeadChunks files;
  private byte[] fileBuf = new byte[0];
  private int numChunks;
  private byte[] openCopy = new byte[0];
  private long[] oooTimes = new long[0];
  private long[] oooBits = new long[0];
  private int oooCount;

  private long lo;
  private long maxt;
  private int chunk;
  private boolean chunkActive;
  private boolean inDone;
  private boolean inHas;
  private long inT;
  private long inBits;
  private int oooNext;
  private boolean hasCur;
  private boolean done;
  private long curT;
  private long curBits;

  void beginSnapshot(long mint, long maxt) {
    Arrays.fill(chunks, 0, numChunks, null);
    numChunks = 0;
    oooCount = 0;
    this.lo = mint;
    this.maxt = maxt;
    chunk = 0;
    chunkActive = false;
    inDone = false;
    inHas = false;
    oooNext = 0;
    hasCur = false;
    done = mint > maxt;
  }

  private void ensureChunkRoom() {
    if (numChunks == chunks.length) {
      int n = numChunks * 2;
      chunks = Arrays.copyOf(chunks, n);
      chunkLengths = Arrays.copyOf(chunkLengths, n);
      chunkCounts = Arrays.copyOf(chunkCounts, n);
      chunkMaxTimes = Arrays.copyOf(chunkMaxTimes, n);
      chunkHandles = Arrays.copyOf(chunkHandles, n);
    }
  }

  /** Adds a closed chunk (exact-length, immutable array). */
  void addChunk(byte[] bytes, long maxTime) {
    ensureChunkRoom();
    chunks[numChunks] = bytes;
    chunkLengths[numChunks] = bytes.length;
    chunkCounts[numChunks] = -1;
    chunkMaxTimes[numChunks] = maxTime;
    chunkHandles[numChunks] = -1;
    numChunks++;
  }

  /** Adds a closed chunk held in the head chunk files; it is read when the iterator reaches it. */
  void addFileChunk(HeadChunks files, long handle, long maxTime) {
    ensureChunkRoom();
    this.files = files;
    chunks[numChunks] = null;
    chunkLengths[numChunks] = HeadChunks.length(handle);
    chunkCounts[numChunks] = -1;
    chunkMaxTimes[numChunks] = maxTime;
    chunkHandles[numChunks] = handle;
    numChunks++;
  }

  /** Adds a copy of the open chunk's first {@code length} bytes holding {@code count} samples. */
  void addOpenChunk(byte[] bytes, int length, int count, long maxTime) {
    if (openCopy.length < length) {
      openCopy = new byte[Math.max(length, 256)];
    }
    System.arraycopy(bytes, 0, openCopy, 0, length);
    ensureChunkRoom();
    chunks[numChunks] = openCopy;
    chunkLengths[numChunks] = length;
    chunkCounts[numChunks] = count;
    chunkMaxTimes[numChunks] = maxTime;
    chunkHandles[numChunks] = -1;
    numChunks++;
  }

  /**
   * Copies out-of-order samples {@code [from, to)}: sorted timestamps at {@code packed[i]} and
   * their value bits at {@code packed[bitsAt + i]}.
   */
  void setOutOfOrder(long[] packed, int bitsAt, int from, int to) {
    int n = to - from;
    if (oooTimes.length < n) {
      oooTimes = new long[Math.max(n, 16)];
      oooBits = new long[Math.max(n, 16)];
    }
    System.arraycopy(packed, from, oooTimes, 0, n);
    System.arraycopy(packed, bitsAt + from, oooBits, 0, n);
    oooCount = n;
  }

  @Override
  public int next() {
    if (done) {
      return NONE;
    }
    if (!inHas && !inDone) {
      fillInOrder();
    }
    while (oooNext < oooCount && oooTimes[oooNext] < lo) {
      oooNext++;
    }
    boolean oooHas = oooNext < oooCount && oooTimes[oooNext] <= maxt;
    if (inHas && (!oooHas || inT <= oooTimes[oooNext])) {
      if (oooHas && oooTimes[oooNext] == inT) {
        oooNext++;
      }
      curT = inT;
      curBits = inBits;
      inHas = false;
    } else if (oooHas) {
      curT = oooTimes[oooNext];
      curBits = oooBits[oooNext];
      oooNext++;
    } else {
      done = true;
      hasCur = false;
      return NONE;
    }
    hasCur = true;
    return FLOAT;
  }

  /** Decodes the next in-order sample in [lo, maxt] into inT/inBits, or sets inDone. */
  private void fillInOrder() {
    while (true) {
      if (chunkActive) {
        if (chunkMaxTimes[chunk] >= lo) {
          while (xor.next()) {
            long t = xor.timestamp();
            if (t < lo) {
              continue;
            }
            if (t > maxt) {
              inDone = true;
              return;
            }
            inT = t;
            inBits = xor.valueBits();
            inHas = true;
            return;
          }
        }
        chunk++;
        chunkActive = false;
      }
      if (chunk >= numChunks) {
        inDone = true;
        return;
      }
      if (chunkMaxTimes[chunk] < lo) {
        chunk++; // wholly before the wanted range: not even read
        continue;
      }
      if (chunkHandles[chunk] >= 0) {
        int size = HeadChunks.RECORD_OVERHEAD + chunkLengths[chunk];
        if (fileBuf.length < size) {
          fileBuf = new byte[Math.max(size, 512)];
        }
        int at = files.read(chunkHandles[chunk], fileBuf);
        xor.reset(fileBuf, at, chunkLengths[chunk]);
      } else if (chunkCounts[chunk] < 0) {
        xor.reset(chunks[chunk], 0, chunkLengths[chunk]);
      } else {
        xor.reset(chunks[chunk], 0, chunkLengths[chunk], chunkCounts[chunk]);
      }
      chunkActive = true;
    }
  }

  @Override
  public int seek(long t) {
    if (hasCur && curT >= t) {
      return FLOAT;
    }
    if (done) {
      return NONE;
    }
    if (t > lo) {
      lo = t;
    }
    if (inHas && inT < lo) {
      inHas = false;
    }
    return next();
  }

  @Override
  public long timestamp() {
    return curT;
  }

  @Override
  public double value() {
    return Double.longBitsToDouble(curBits);
  }

  /** The raw bits of the current value. */
  long valueBits() {
    return curBits;
  }
}
