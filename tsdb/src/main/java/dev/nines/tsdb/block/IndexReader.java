package dev.nines.tsdb.block;

import dev.nines.common.Labels;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/*
 * Design notes.
 *
 * Nothing of the index is copied onto the heap at open except what makes lookups cheap: every 32nd
 * symbol (and its offset), and the label-name table (one entry per label name). Symbols are decoded
 * on demand from the map: a symbol ref is its position in the sorted table, so ref / 32 picks a
 * sampled offset and at most 31 length-prefixed strings are skipped. A small direct-mapped cache of
 * decoded symbols keeps the common ones (__name__, job, instance, ...) from being decoded for every
 * series. Its entries are immutable objects, so racing writers can only replace an entry with
 * another correct one.
 *
 * Because symbols are sorted, comparing refs compares strings: the value tables are sorted by value
 * ref, so a value lookup is a binary search over fixed-width entries in the map, and series label
 * order equals ref order.
 */

/** Reads a block's memory-mapped index file. Thread-safe; validates every section at open. */
final class IndexReader {
  private static final int SAMPLE_EVERY = 32;
  private static final int CACHE_SIZE = 4096;

  private record Cached(int ref, String value) {}

  private final String blockId;
  private final ByteBuffer buf;
  private final int symbolCount;
  private final int[] sampledOffsets;
  private final String[] sampled;
  private final int seriesStart;
  private final int seriesEnd;
  private final int postingsStart;
  private final int postingsEnd;
  private final String[] names;
  private final int[] nameSyms;
  private final int[] valueCounts;
  private final int[] valueTables;
  private final Cached[] cache = new Cached[CACHE_SIZE];
  private volatile int[] allSeries;

  /**
   * Validates the index in {@code file} and reads its lookup tables.
   *
   * @throws BlockCorruptionException naming the section whose checksum or structure is wrong
   */
  IndexReader(String blockId, ByteBuffer buf) {
    this.blockId = blockId;
    this.buf = buf;
    int size = buf.capacity();
    if (size < Index.HEADER_BYTES + Index.TOC_BYTES) {
      throw corrupt(0, "index of " + size + " bytes is too short");
    }
    if (buf.getInt(0) != Index.MAGIC || buf.get(4) != Index.VERSION) {
      throw corrupt(0, "bad magic number or unsupported version");
    }
    int toc = size - Index.TOC_BYTES;
    if (crc(toc, 32) != buf.getInt(toc + 32)) {
      throw corrupt(toc, "table of contents checksum does not match");
    }
    long[] offsets = new long[5];
    for (int i = 0; i < 4; i++) {
      offsets[i] = buf.getLong(toc + 8 * i);
    }
    offsets[4] = toc;
    if (offsets[0] != Index.HEADER_BYTES) {
      throw corrupt(toc, "symbol table does not start after the header");
    }
    String[] sectionNames = {"symbol table", "series", "postings", "label index"};
    int[] bodyStart = new int[4];
    int[] bodyEnd = new int[4];
    for (int i = 0; i < 4; i++) {
      long start = offsets[i];
      if (start < 0 || start + 8 > offsets[i + 1] || offsets[i + 1] > toc) {
        throw corrupt(toc, sectionNames[i] + " offset " + start + " out of order");
      }
      int length = buf.getInt((int) start);
      if (length < 0 || start + 8 + length != offsets[i + 1]) {
        throw corrupt(start, sectionNames[i] + " length " + length + " does not fit");
      }
      bodyStart[i] = (int) start + 4;
      bodyEnd[i] = bodyStart[i] + length;
      if (crc(bodyStart[i], length) != buf.getInt(bodyEnd[i])) {
        throw corrupt(start, sectionNames[i] + " checksum does not match");
      }
    }

    Decoder d = new Decoder(blockId, Index.FILE, buf).reset(bodyStart[0], bodyEnd[0]);
    symbolCount = d.u32();
    if (symbolCount < 0) {
      throw corrupt(bodyStart[0], "negative symbol count");
    }
    int samples = (symbolCount + SAMPLE_EVERY - 1) / SAMPLE_EVERY;
    sampledOffsets = new int[samples];
    sampled = new String[samples];
    for (int i = 0; i < symbolCount; i++) {
      if (i % SAMPLE_EVERY == 0) {
        sampledOffsets[i / SAMPLE_EVERY] = d.position();
        sampled[i / SAMPLE_EVERY] = d.string();
      } else {
        d.skipString();
      }
    }
    if (d.hasRemaining()) {
      throw corrupt(d.position(), "bytes after the last symbol");
    }
    for (int i = 1; i < samples; i++) {
      if (sampled[i - 1].compareTo(sampled[i]) >= 0) {
        throw corrupt(sampledOffsets[i], "symbols not in ascending order");
      }
    }

    seriesStart = bodyStart[1];
    seriesEnd = bodyEnd[1];
    postingsStart = bodyStart[2];
    postingsEnd = bodyEnd[2];

    d.reset(bodyStart[3], bodyEnd[3]);
    int nameCount = d.u32();
    if (nameCount < 0 || (long) nameCount * Index.NAME_ENTRY_BYTES > bodyEnd[3] - d.position()) {
      throw corrupt(bodyStart[3], "label name count " + nameCount + " does not fit");
    }
    names = new String[nameCount];
    nameSyms = new int[nameCount];
    valueCounts = new int[nameCount];
    valueTables = new int[nameCount];
    for (int i = 0; i < nameCount; i++) {
      int at = d.position();
      nameSyms[i] = d.u32();
      valueCounts[i] = d.u32();
      valueTables[i] = d.u32();
      long tableEnd = valueTables[i] + (long) valueCounts[i] * Index.VALUE_ENTRY_BYTES;
      if (valueCounts[i] < 0 || valueTables[i] < d.position() || tableEnd > bodyEnd[3]) {
        throw corrupt(at, "value table of label name " + i + " outside the label index");
      }
      if (i > 0 && nameSyms[i] <= nameSyms[i - 1]) {
        throw corrupt(at, "label names not in ascending order");
      }
      names[i] = symbol(nameSyms[i]);
    }
  }

  private int crc(int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(buf.slice(offset, length));
    return (int) crc.getValue();
  }

  BlockCorruptionException corrupt(long offset, String reason) {
    return new BlockCorruptionException(blockId, Index.FILE, offset, reason);
  }

  /** The symbol with the given ref. */
  String symbol(int ref) {
    if (ref < 0 || ref >= symbolCount) {
      throw corrupt(seriesStart, "symbol reference " + ref + " out of range");
    }
    int slot = ref & (CACHE_SIZE - 1);
    Cached c = cache[slot];
    if (c != null && c.ref == ref) {
      return c.value;
    }
    String s;
    if (ref % SAMPLE_EVERY == 0) {
      s = sampled[ref / SAMPLE_EVERY];
    } else {
      Decoder d =
          new Decoder(blockId, Index.FILE, buf)
              .reset(sampledOffsets[ref / SAMPLE_EVERY], seriesStart);
      for (int i = ref % SAMPLE_EVERY; i > 0; i--) {
        d.skipString();
      }
      s = d.string();
    }
    cache[slot] = new Cached(ref, s);
    return s;
  }

  /** The ref of a symbol, or -1 when the index does not hold it. */
  int symbolRef(String s) {
    int lo = Arrays.binarySearch(sampled, s);
    if (lo >= 0) {
      return lo * SAMPLE_EVERY;
    }
    int bucket = -lo - 2;
    if (bucket < 0) {
      return -1;
    }
    Decoder d = new Decoder(blockId, Index.FILE, buf).reset(sampledOffsets[bucket], seriesStart);
    d.skipString();
    int end = Math.min(symbolCount, (bucket + 1) * SAMPLE_EVERY);
    for (int ref = bucket * SAMPLE_EVERY + 1; ref < end; ref++) {
      int c = d.string().compareTo(s);
      if (c == 0) {
        return ref;
      }
      if (c > 0) {
        return -1;
      }
    }
    return -1;
  }

  /** The number of distinct label names. */
  int nameCount() {
    return names.length;
  }

  String name(int nameIndex) {
    return names[nameIndex];
  }

  /** The index of a label name, or -1. */
  int nameIndex(String name) {
    int i = Arrays.binarySearch(names, name);
    return i < 0 ? -1 : i;
  }

  int valueCount(int nameIndex) {
    return valueCounts[nameIndex];
  }

  int valueSym(int nameIndex, int i) {
    return buf.getInt(valueTables[nameIndex] + i * Index.VALUE_ENTRY_BYTES);
  }

  String value(int nameIndex, int i) {
    return symbol(valueSym(nameIndex, i));
  }

  int postingsOffset(int nameIndex, int i) {
    return buf.getInt(valueTables[nameIndex] + i * Index.VALUE_ENTRY_BYTES + 4);
  }

  /** The position of the value with symbol {@code sym} in a name's value table, or -1. */
  int findValue(int nameIndex, int sym) {
    int lo = 0;
    int hi = valueCounts[nameIndex] - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int v = valueSym(nameIndex, mid);
      if (v < sym) {
        lo = mid + 1;
      } else if (v > sym) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** The first position in a name's value table whose value is at least {@code s}. */
  int lowerBound(int nameIndex, String s) {
    int lo = 0;
    int hi = valueCounts[nameIndex];
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (value(nameIndex, mid).compareTo(s) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The length of the postings list at {@code offset}. */
  int postingsCount(int offset) {
    return new Decoder(blockId, Index.FILE, buf)
        .reset(checkPostings(offset), postingsEnd)
        .uvarintInt();
  }

  /** Appends the postings list at {@code offset} to {@code out}. */
  void readPostings(int offset, Decoder d, IntList out) {
    d.reset(buf, checkPostings(offset), postingsEnd);
    int n = d.uvarintInt();
    long ref = 0;
    for (int i = 0; i < n; i++) {
      ref += d.uvarint();
      if (ref < seriesStart || ref >= seriesEnd) {
        throw corrupt(d.position(), "series reference " + ref + " outside the series section");
      }
      out.add((int) ref);
    }
  }

  private int checkPostings(int offset) {
    if (offset < postingsStart || offset >= postingsEnd) {
      throw corrupt(offset, "postings offset outside the postings section");
    }
    return offset;
  }

  /** The refs of all series, ascending (in label order). */
  int[] allSeries() {
    int[] all = allSeries;
    if (all == null) {
      IntList out = new IntList(1024);
      Decoder d = new Decoder(blockId, Index.FILE, buf).reset(seriesStart, seriesEnd);
      while (d.hasRemaining()) {
        out.add(d.position());
        d.skip(d.uvarintInt());
      }
      all = out.toArray();
      allSeries = all;
    }
    return all;
  }

  /**
   * Decodes the series entry at {@code ref}: its labels into {@code labels} (reset first, unless
   * null) and its chunk metas into {@code chunks} (unless null).
   */
  void series(int ref, Decoder d, Labels.Builder labels, ChunkMetas chunks) {
    if (ref < seriesStart || ref >= seriesEnd) {
      throw corrupt(ref, "series reference outside the series section");
    }
    d.reset(buf, ref, seriesEnd);
    int len = d.uvarintInt();
    d.reset(d.position(), checkedEnd(d.position(), len));
    int n = d.uvarintInt();
    if (labels != null) {
      labels.reset();
    }
    for (int i = 0; i < n; i++) {
      int name = d.uvarintInt();
      int value = d.uvarintInt();
      if (labels != null) {
        labels.set(symbol(name), symbol(value));
      }
    }
    if (chunks == null) {
      return;
    }
    int k = d.uvarintInt();
    if (k > (d.end() - d.position()) / 4) {
      throw corrupt(ref, "series entry claims " + k + " chunks");
    }
    chunks.reset(k);
    long maxT = 0;
    long chunkRef = 0;
    for (int i = 0; i < k; i++) {
      long minT;
      if (i == 0) {
        minT = d.varint();
        maxT = minT + d.uvarint();
        chunkRef = ChunkFiles.ref(d.uvarintInt(), d.uvarintInt());
      } else {
        minT = maxT + d.varint();
        maxT = minT + d.uvarint();
        int segmentDelta = d.uvarintInt();
        if (segmentDelta == 0) {
          chunkRef =
              ChunkFiles.ref(
                  ChunkFiles.segment(chunkRef), (int) (ChunkFiles.offset(chunkRef) + d.varint()));
        } else {
          chunkRef = ChunkFiles.ref(ChunkFiles.segment(chunkRef) + segmentDelta, d.uvarintInt());
        }
      }
      chunks.add(minT, maxT, chunkRef);
    }
  }

  /** Appends the label name symbols of the series at {@code ref}; for label-name queries. */
  void labelSyms(int ref, Decoder d, IntList names, IntList values) {
    d.reset(buf, ref, seriesEnd);
    int len = d.uvarintInt();
    d.reset(d.position(), checkedEnd(d.position(), len));
    int n = d.uvarintInt();
    for (int i = 0; i < n; i++) {
      names.add(d.uvarintInt());
      int v = d.uvarintInt();
      if (values != null) {
        values.add(v);
      }
    }
  }

  private int checkedEnd(int pos, int len) {
    if (len > seriesEnd - pos) {
      throw corrupt(pos, "series entry of " + len + " bytes runs past the series section");
    }
    return pos + len;
  }

  String blockId() {
    return blockId;
  }

  ByteBuffer buffer() {
    return buf;
  }
}
