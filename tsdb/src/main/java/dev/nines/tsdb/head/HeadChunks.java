package dev.nines.tsdb.head;

import dev.nines.tsdb.TsdbStats;
import dev.nines.tsdb.chunk.ChunkCorruptionException;
import dev.nines.tsdb.chunk.ChunkEncoding;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design notes (format: docs/formats/head-chunks.md).
 *
 * Full head chunks leave the heap: cut() hands the bytes here, they are appended to the current
 * file with one positional write, and the series keeps a packed 64-bit handle. Readers copy a
 * chunk back with one positional read into their own buffer (HeadIterator) and check its CRC.
 *
 * Why positional I/O and not a memory map: Nines compiles for JDK 21, where a mapping cannot be
 * released deterministically without preview APIs (see block/MappedFile), and a file that is
 * deleted while a MappedByteBuffer still maps it keeps its disk blocks until a GC. A write into a
 * sparse mapped page on a full disk is a SIGBUS; a pwrite is an IOException. One read syscall per
 * chunk (about 120 samples) is cheap next to decoding it.
 *
 * The files are a cache of the WAL, never fsynced. load() reads what a previous run left, record
 * by record, trusting a record only when it is whole and its CRC matches, and stopping a file at the
 * first one that is not (a torn tail); replay then attaches the chunks to their series and the WAL
 * confirms or rejects them series by series (docs/tsdb.md, "Skipping the samples chunks_head/
 * holds"). Loaded files are only read; new chunks go to new files. open() instead empties the
 * folder (a head whose replay does not use the files). Files whose chunks are all below the head's
 * floor are closed and deleted by deleteBefore(), which the head calls after truncation (queriers
 * that could hold those handles have finished by then).
 */

/** The head's chunk files: full chunks written out of the heap and read back by handle. */
public final class HeadChunks implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(HeadChunks.class);

  /** The file magic, "NHCH". */
  static final int MAGIC = 0x4E484348;

  static final int HEADER_BYTES = 8;
  static final int RECORD_OVERHEAD = 32;

  /** A chunk's own header: encoding tag and uint16 sample count (docs/formats/chunks.md). */
  private static final int CHUNK_HEADER_BYTES = 3;

  static final long DEFAULT_FILE_BYTES = 128L << 20;

  private static final int FILE_BITS = 20;
  private static final int OFFSET_BITS = 27;
  private static final int LENGTH_BITS = 17;
  static final int MAX_CHUNK_BYTES = (1 << LENGTH_BITS) - 1;

  private final Path dir;
  private final TsdbStats stats;
  private final long fileBytes;
  private final Map<Integer, Segment> files = new ConcurrentHashMap<>();
  private final CRC32C crc = new CRC32C();
  private ByteBuffer record = ByteBuffer.allocate(1024);
  private Segment current;
  private int nextFile = 1;
  private boolean failureLogged;
  private boolean closed;
  private Loaded loaded;

  private static final class Segment {
    final int number;
    final Path path;
    final FileChannel channel;
    long size;
    long maxTime = Long.MIN_VALUE;

    Segment(int number, Path path, FileChannel channel) {
      this.number = number;
      this.path = path;
      this.channel = channel;
    }
  }

  private HeadChunks(Path dir, TsdbStats stats, long fileBytes) {
    this.dir = dir;
    this.stats = stats;
    this.fileBytes = fileBytes;
  }

  /**
   * Opens the folder for a new head: creates it, and deletes the files a previous run left (the WAL
   * holds their samples; replay writes them again).
   */
  public static HeadChunks open(Path dir, TsdbStats stats) throws IOException {
    return open(dir, stats, DEFAULT_FILE_BYTES);
  }

  static HeadChunks open(Path dir, TsdbStats stats, long fileBytes) throws IOException {
    prepare(dir, fileBytes);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (Files.isRegularFile(p)) {
          Files.delete(p);
        }
      }
    }
    return new HeadChunks(dir, stats, fileBytes);
  }

  /**
   * Opens the folder for a new head and reads the chunks a previous run left in it (see {@link
   * #loaded()}): every whole record with a matching CRC, up to the first one in each file that is
   * not (counted in {@link TsdbStats#headChunkFilesDamaged()}). Files with a wrong header are
   * deleted. New chunks go to new files numbered after the loaded ones.
   */
  public static HeadChunks load(Path dir, TsdbStats stats) throws IOException {
    return load(dir, stats, DEFAULT_FILE_BYTES);
  }

  static HeadChunks load(Path dir, TsdbStats stats, long fileBytes) throws IOException {
    prepare(dir, fileBytes);
    HeadChunks hc = new HeadChunks(dir, stats, fileBytes);
    java.util.TreeMap<Integer, Path> numbered = new java.util.TreeMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (!Files.isRegularFile(p)) {
          continue;
        }
        int number = fileNumber(name);
        if (number < 1 || number >= 1 << FILE_BITS) {
          Files.delete(p); // not a head chunk file (a leftover of another layout)
        } else {
          numbered.put(number, p);
        }
      }
    }
    Loaded l = new Loaded();
    try {
      for (Map.Entry<Integer, Path> e : numbered.entrySet()) {
        Path p = e.getValue();
        int before = l.size();
        boolean kept;
        try {
          kept = hc.loadFile(e.getKey(), p, l);
        } catch (IOException unreadable) {
          // The files are a cache of the WAL: one that cannot be read costs replay time, and must
          // not stop the database from opening (a crash loop on a bad sector). The records read
          // before the error go too: their file is dropped.
          l.truncate(before);
          stats.incHeadChunkFilesDamaged();
          LOG.warn(
              "cannot read head chunk file {}; dropping it, the WAL holds its samples",
              p,
              unreadable);
          kept = false;
        }
        if (!kept) {
          try {
            Files.deleteIfExists(p);
          } catch (IOException undeletable) {
            LOG.warn("cannot delete head chunk file {}", p, undeletable);
          }
        }
      }
    } catch (RuntimeException e) {
      hc.close();
      throw e;
    }
    hc.nextFile = numbered.isEmpty() ? 1 : numbered.lastKey() + 1;
    l.index();
    hc.loaded = l;
    return hc;
  }

  /** Checks the file size a handle can address and creates the folder. */
  private static void prepare(Path dir, long fileBytes) throws IOException {
    if (fileBytes <= HEADER_BYTES || fileBytes > 1L << OFFSET_BITS) {
      throw new IllegalArgumentException("head chunk file size out of range: " + fileBytes);
    }
    Files.createDirectories(dir);
  }

  private static int fileNumber(String name) {
    if (name.length() < 6 || name.length() > 7) {
      return -1;
    }
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return -1;
      }
    }
    return Integer.parseInt(name);
  }

  /**
   * Reads the valid records of one file into {@code out} and keeps the file open for reading;
   * returns false, having closed it, when it is not a head chunk file (the caller deletes it).
   */
  private boolean loadFile(int number, Path path, Loaded out) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    boolean keep = false;
    try {
      long size = Math.min(ch.size(), 1L << OFFSET_BITS);
      ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES);
      readFully(ch, head, 0);
      if (head.position() < HEADER_BYTES || head.getInt(0) != MAGIC || head.get(4) != 1) {
        LOG.warn("deleting head chunk file {}: not a version 1 head chunk file", path);
        stats.incHeadChunkFilesDamaged();
        return false;
      }
      Segment seg = new Segment(number, path, ch);
      long at = HEADER_BYTES;
      byte[] rec = new byte[RECORD_OVERHEAD + 256];
      // A buffered stream over the channel for the sequential scan; not closed, because closing it
      // would close the channel, which stays open for the positional reads of queries.
      java.io.InputStream in =
          new java.io.BufferedInputStream(
              java.nio.channels.Channels.newInputStream(ch.position(HEADER_BYTES)), 1 << 20);
      CRC32C c = new CRC32C();
      String bad = null;
      while (at + RECORD_OVERHEAD <= size) {
        if (in.readNBytes(rec, 0, 28) < 28) {
          bad = "record header cut short";
          break;
        }
        ByteBuffer h = ByteBuffer.wrap(rec, 0, 28);
        long ref = h.getLong();
        long minT = h.getLong();
        long maxT = h.getLong();
        int length = h.getInt();
        if (length < CHUNK_HEADER_BYTES || length > MAX_CHUNK_BYTES) {
          bad = "chunk length " + length + " out of range";
          break;
        }
        if (at + RECORD_OVERHEAD + length > size) {
          bad = "record runs past the end of the file";
          break;
        }
        if (rec.length < RECORD_OVERHEAD + length) {
          rec = Arrays.copyOf(rec, RECORD_OVERHEAD + length);
        }
        if (in.readNBytes(rec, 28, length + 4) < length + 4) {
          bad = "record cut short";
          break;
        }
        c.reset();
        c.update(rec, 0, 28 + length);
        if ((int) c.getValue() != ByteBuffer.wrap(rec, 28 + length, 4).getInt()) {
          bad = "CRC mismatch";
          break;
        }
        int count = ((rec[29] & 0xff) << 8) | (rec[30] & 0xff);
        if (!isHeadEncoding(rec[28]) || count < 1 || minT > maxT) {
          bad = "not an XOR or SCALED chunk of at least one sample";
          break;
        }
        long handle = ((long) number << (OFFSET_BITS + LENGTH_BITS)) | (at << LENGTH_BITS) | length;
        out.add(ref, minT, maxT, handle, count);
        seg.maxTime = Math.max(seg.maxTime, maxT);
        at += RECORD_OVERHEAD + length;
      }
      if (bad == null && at < ch.size()) {
        bad = "bytes after the last whole record";
      }
      if (bad != null) {
        stats.incHeadChunkFilesDamaged();
        LOG.warn(
            "head chunk file {}: {} at byte {}; ignoring the rest of the file ({} bytes)",
            path,
            bad,
            at,
            ch.size() - at);
      }
      seg.size = at;
      files.put(number, seg);
      keep = true;
      return true;
    } finally {
      if (!keep) {
        ch.close();
      }
    }
  }

  /**
   * Whether a chunk with tag {@code tag} can be a head chunk: XOR, or SCALED (written since the
   * head appends it; files of older versions hold XOR only).
   */
  private static boolean isHeadEncoding(byte tag) {
    return tag == ChunkEncoding.XOR.tag() || tag == ChunkEncoding.SCALED.tag();
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    while (b.hasRemaining()) {
      if (ch.read(b, at + b.position()) < 0) {
        return;
      }
    }
  }

  /**
   * The chunks found at {@link #load}, for replay to attach; null for a head opened empty or once
   * replay has {@linkplain #dropLoaded() dropped} them.
   */
  Loaded loaded() {
    return loaded;
  }

  /** Frees what {@link #loaded()} holds; replay calls it when done. */
  void dropLoaded() {
    loaded = null;
  }

  /**
   * The chunk records found at load, per series ref in file order: parallel primitive arrays and a
   * chain through them per ref.
   */
  static final class Loaded {
    private long[] refs = new long[1024];
    private long[] minT = new long[1024];
    private long[] maxT = new long[1024];
    private long[] handles = new long[1024];
    private int[] counts = new int[1024];
    private int[] next;
    private final LongIntMap first = new LongIntMap();
    private int size;

    void add(long ref, long min, long max, long handle, int count) {
      if (size == refs.length) {
        int n = size * 2;
        refs = Arrays.copyOf(refs, n);
        minT = Arrays.copyOf(minT, n);
        maxT = Arrays.copyOf(maxT, n);
        handles = Arrays.copyOf(handles, n);
        counts = Arrays.copyOf(counts, n);
      }
      refs[size] = ref;
      minT[size] = min;
      maxT[size] = max;
      handles[size] = handle;
      counts[size] = count;
      size++;
    }

    /** Chains every ref's records in file order. */
    void index() {
      next = new int[size];
      LongIntMap last = new LongIntMap();
      for (int i = 0; i < size; i++) {
        next[i] = -1;
        int tail = last.get(refs[i]);
        if (tail < 0) {
          first.put(refs[i], i);
        } else {
          next[tail] = i;
        }
        last.put(refs[i], i);
      }
      refs = null; // not needed any more
    }

    /** The number of records loaded. */
    int size() {
      return size;
    }

    /** Forgets the records after the first {@code n} (those of a file that failed to load). */
    void truncate(int n) {
      size = n;
    }

    /** The first record of {@code ref}, or -1. */
    int first(long ref) {
      return first.get(ref);
    }

    /** The record after {@code i} of the same ref, or -1. */
    int next(int i) {
      return next[i];
    }

    long minTime(int i) {
      return minT[i];
    }

    long maxTime(int i) {
      return maxT[i];
    }

    long handle(int i) {
      return handles[i];
    }

    int count(int i) {
      return counts[i];
    }
  }

  /**
   * Writes one chunk and returns its handle, or -1 when it could not be written (too large, or an
   * I/O error, which is logged once and counted); the caller then keeps the bytes on the heap.
   */
  synchronized long write(long seriesRef, long minTime, long maxTime, byte[] chunk, int length) {
    if (closed || length > MAX_CHUNK_BYTES) {
      return -1;
    }
    int size = RECORD_OVERHEAD + length;
    try {
      if (current == null || current.size + size > fileBytes) {
        if (nextFile >= 1 << FILE_BITS) {
          return -1;
        }
        current = newSegment();
      }
      if (record.capacity() < size) {
        record = ByteBuffer.allocate(Math.max(size, record.capacity() * 2));
      }
      ByteBuffer b = record.clear();
      b.putLong(seriesRef).putLong(minTime).putLong(maxTime).putInt(length);
      b.put(chunk, 0, length);
      crc.reset();
      crc.update(b.array(), 0, b.position());
      b.putInt((int) crc.getValue());
      b.flip();
      long at = current.size;
      while (b.hasRemaining()) {
        current.channel.write(b, at + b.position());
      }
      current.size += size;
      current.maxTime = Math.max(current.maxTime, maxTime);
      return ((long) current.number << (OFFSET_BITS + LENGTH_BITS)) | (at << LENGTH_BITS) | length;
    } catch (IOException e) {
      stats.incHeadChunkWriteFailures();
      if (!failureLogged) {
        failureLogged = true;
        LOG.warn("cannot write head chunk to {}; keeping full chunks on the heap", dir, e);
      }
      return -1;
    }
  }

  private Segment newSegment() throws IOException {
    int n = nextFile++;
    Path p = dir.resolve(String.format("%06d", n));
    FileChannel ch =
        FileChannel.open(
            p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).put((byte) 1);
    h.position(HEADER_BYTES).flip();
    while (h.hasRemaining()) {
      ch.write(h, h.position());
    }
    Segment s = new Segment(n, p, ch);
    s.size = HEADER_BYTES;
    files.put(n, s);
    return s;
  }

  /** The chunk length a handle refers to. */
  static int length(long handle) {
    return (int) (handle & MAX_CHUNK_BYTES);
  }

  /**
   * Reads the chunk of {@code handle} into {@code dst} (at least {@code RECORD_OVERHEAD +
   * length(handle)} bytes); returns the offset of the chunk bytes in {@code dst}.
   *
   * @throws ChunkCorruptionException if the record's CRC does not match
   * @throws UncheckedIOException if the file cannot be read
   */
  int read(long handle, byte[] dst) {
    int number = (int) (handle >>> (OFFSET_BITS + LENGTH_BITS));
    long at = (handle >>> LENGTH_BITS) & ((1L << OFFSET_BITS) - 1);
    int length = length(handle);
    int size = RECORD_OVERHEAD + length;
    Segment s = files.get(number);
    if (s == null) {
      throw new UncheckedIOException(
          new IOException("head chunk file " + number + " in " + dir + " is gone"));
    }
    ByteBuffer b = ByteBuffer.wrap(dst, 0, size);
    try {
      while (b.hasRemaining()) {
        if (s.channel.read(b, at + b.position()) < 0) {
          throw new ChunkCorruptionException("head chunk record cut short in " + s.path, (int) at);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading head chunk " + s.path + " at " + at, e);
    }
    CRC32C c = new CRC32C();
    c.update(dst, 0, size - 4);
    int want = ByteBuffer.wrap(dst, size - 4, 4).getInt();
    if ((int) c.getValue() != want) {
      throw new ChunkCorruptionException("head chunk CRC mismatch in " + s.path, (int) at);
    }
    return RECORD_OVERHEAD - 4;
  }

  /** A fresh exact-length copy of the chunk of {@code handle} (for writing blocks). */
  byte[] readCopy(long handle) {
    byte[] buf = new byte[RECORD_OVERHEAD + length(handle)];
    int at = read(handle, buf);
    return Arrays.copyOfRange(buf, at, at + length(handle));
  }

  /**
   * Closes and deletes every file except the current one whose chunks all end before {@code floor}.
   * Call it after the head dropped those chunks and no querier can read them.
   */
  synchronized void deleteBefore(long floor) {
    for (Segment s : files.values()) {
      if (s != current && s.maxTime < floor) {
        files.remove(s.number);
        try {
          s.channel.close();
          Files.deleteIfExists(s.path);
        } catch (IOException e) {
          LOG.warn("cannot delete head chunk file {}", s.path, e);
        }
      }
    }
  }

  /** The number of files open. */
  int fileCount() {
    return files.size();
  }

  /** Closes every file (they stay on disk until the next open removes them). */
  @Override
  public synchronized void close() throws IOException {
    closed = true;
    IOException first = null;
    for (Segment s : files.values()) {
      try {
        s.channel.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    files.clear();
    current = null;
    if (first != null) {
      throw first;
    }
  }
}
