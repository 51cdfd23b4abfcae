package dev.nines.tsdb.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The deleted time ranges of a block, per series reference: an immutable value, read from and
 * written to a block's {@code tombstones} file (format in {@code docs/formats/tombstones.md}).
 * Intervals are inclusive, sorted and merged, so a reader checks a sample in amortised O(1).
 */
public final class Tombstones {
  /** The file name inside a block folder. */
  public static final String FILE = "tombstones";

  /** No deletions. */
  public static final Tombstones EMPTY = new Tombstones(new int[0], new long[0][]);

  static final int MAGIC = 0x4E544D42; // "NTMB"
  static final int VERSION = 1;
  private static final long[] NONE = new long[0];

  private final int[] refs;
  private final long[][] intervals;

  private Tombstones(int[] refs, long[][] intervals) {
    this.refs = refs;
    this.intervals = intervals;
  }

  /**
   * The deleted intervals of one series as {@code [min0, max0, min1, max1, ...]}, inclusive, sorted
   * and disjoint; empty when nothing is deleted. Do not modify the array.
   */
  public long[] intervals(int seriesRef) {
    int i = Arrays.binarySearch(refs, seriesRef);
    return i < 0 ? NONE : intervals[i];
  }

  /** The number of series with deleted intervals. */
  public int numSeries() {
    return refs.length;
  }

  /** Whether nothing is deleted. */
  public boolean isEmpty() {
    return refs.length == 0;
  }

  /** These tombstones plus {@code [mint, maxt]} for every series in {@code seriesRefs}. */
  public Tombstones with(int[] seriesRefs, long mint, long maxt) {
    if (mint > maxt) {
      throw new IllegalArgumentException("mint " + mint + " is after maxt " + maxt);
    }
    TreeMap<Integer, long[]> all = new TreeMap<>();
    for (int i = 0; i < refs.length; i++) {
      all.put(refs[i], intervals[i]);
    }
    for (int ref : seriesRefs) {
      all.put(ref, add(all.getOrDefault(ref, NONE), mint, maxt));
    }
    int[] r = new int[all.size()];
    long[][] iv = new long[all.size()][];
    int k = 0;
    for (Map.Entry<Integer, long[]> e : all.entrySet()) {
      r[k] = e.getKey();
      iv[k++] = e.getValue();
    }
    return new Tombstones(r, iv);
  }

  /**
   * Inserts {@code [mint, maxt]} into sorted disjoint intervals, merging overlapping and adjacent.
   */
  static long[] add(long[] existing, long mint, long maxt) {
    long[] all = new long[existing.length + 2];
    int pos = 0;
    while (pos < existing.length && existing[pos] < mint) {
      pos += 2;
    }
    System.arraycopy(existing, 0, all, 0, pos);
    all[pos] = mint;
    all[pos + 1] = maxt;
    System.arraycopy(existing, pos, all, pos + 2, existing.length - pos);
    int n = 2;
    for (int i = 2; i < all.length; i += 2) {
      long prevHi = all[n - 1];
      if (all[i] <= prevHi || (prevHi != Long.MAX_VALUE && all[i] == prevHi + 1)) {
        all[n - 1] = Math.max(prevHi, all[i + 1]);
      } else {
        all[n++] = all[i];
        all[n++] = all[i + 1];
      }
    }
    return Arrays.copyOf(all, n);
  }

  /** Reads a tombstones file; a missing file means no deletions. */
  static Tombstones read(Path file, String blockId) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return EMPTY;
    }
    if (bytes.length < 9) {
      throw new BlockCorruptionException(blockId, FILE, 0, "file of " + bytes.length + " bytes");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    if ((int) crc.getValue() != buf.getInt(bytes.length - 4)) {
      throw new BlockCorruptionException(
          blockId, FILE, bytes.length - 4, "checksum does not match the contents");
    }
    if (buf.getInt(0) != MAGIC || bytes[4] != VERSION) {
      throw new BlockCorruptionException(blockId, FILE, 0, "bad magic number or version");
    }
    Decoder d = new Decoder(blockId, FILE, buf).reset(5, bytes.length - 4);
    int n = d.uvarintInt();
    int[] r = new int[n];
    long[][] iv = new long[n][];
    long prevRef = -1;
    for (int i = 0; i < n; i++) {
      int at = d.position();
      long ref = (i == 0 ? 0 : prevRef) + d.uvarint();
      if (ref <= prevRef || ref > Integer.MAX_VALUE) {
        throw d.corrupt(at, "series references not ascending");
      }
      int count = d.uvarintInt();
      long[] list = new long[2 * count];
      for (int k = 0; k < count; k++) {
        list[2 * k] = d.varint();
        list[2 * k + 1] = list[2 * k] + d.uvarint();
      }
      r[i] = (int) ref;
      iv[i] = list;
      prevRef = ref;
    }
    if (d.hasRemaining()) {
      throw d.corrupt(d.position(), "trailing bytes");
    }
    return new Tombstones(r, iv);
  }

  /**
   * Writes these tombstones as {@code dir/tombstones} atomically: to {@code tombstones.tmp}, fsync,
   * rename over the old file, fsync the folder.
   */
  void write(Path dir) throws IOException {
    Path tmp = dir.resolve(FILE + Blocks.TMP_SUFFIX);
    Files.deleteIfExists(tmp);
    try (FileOutput out = new FileOutput(tmp)) {
      out.resetCrc();
      out.u32(MAGIC);
      out.u8(VERSION);
      out.uvarint(refs.length);
      long prev = 0;
      for (int i = 0; i < refs.length; i++) {
        out.uvarint(refs[i] - prev);
        prev = refs[i];
        long[] list = intervals[i];
        out.uvarint(list.length / 2);
        for (int k = 0; k < list.length; k += 2) {
          out.varint(list[k]);
          out.uvarint(list[k + 1] - list[k]);
        }
      }
      out.u32(out.crc());
      out.sync();
    }
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    Blocks.fsyncDir(dir);
  }
}
