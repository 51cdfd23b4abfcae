package dev.nines.tsdb.block;

import dev.nines.common.Labels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Constants of the index file and its writer. Format in {@code docs/formats/index.md}. */
final class Index {
  static final int MAGIC = 0x4E494458; // "NIDX"
  static final int VERSION = 1;
  static final int HEADER_BYTES = 5;
  static final int TOC_BYTES = 36;
  static final int NAME_ENTRY_BYTES = 12;
  static final int VALUE_ENTRY_BYTES = 8;
  static final String FILE = "index";

  private Index() {}

  /**
   * Writes the index of {@code series} (sorted by labels, unique) whose chunks were written at
   * {@code chunkRefs[i][j]}, and fsyncs it.
   */
  static void write(Path file, List<SeriesChunks> series, long[][] chunkRefs) throws IOException {
    TreeSet<String> symbolSet = new TreeSet<>();
    for (SeriesChunks s : series) {
      s.labels()
          .forEach(
              (n, v) -> {
                symbolSet.add(n);
                symbolSet.add(v);
              });
    }
    Map<String, Integer> symbols = new HashMap<>(symbolSet.size() * 2);
    TreeMap<String, TreeMap<String, IntList>> postings = new TreeMap<>();

    try (FileOutput out = new FileOutput(file)) {
      out.u32(MAGIC);
      out.u8(VERSION);

      long symbolsStart = beginSection(out);
      out.u32(symbolSet.size());
      for (String s : symbolSet) {
        symbols.put(s, symbols.size());
        out.string(s);
      }
      endSection(out, symbolsStart);

      long seriesStart = beginSection(out);
      Encoder entry = new Encoder();
      for (int i = 0; i < series.size(); i++) {
        SeriesChunks s = series.get(i);
        long ref = out.position();
        checkOffset(ref);
        entry.reset();
        Labels labels = s.labels();
        entry.uvarint(labels.size());
        for (int l = 0; l < labels.size(); l++) {
          entry.uvarint(symbols.get(labels.name(l)));
          entry.uvarint(symbols.get(labels.value(l)));
          postings
              .computeIfAbsent(labels.name(l), k -> new TreeMap<>())
              .computeIfAbsent(labels.value(l), k -> new IntList())
              .add((int) ref);
        }
        encodeChunks(entry, s.chunks(), chunkRefs[i]);
        out.uvarint(entry.size());
        out.bytes(entry.array(), 0, entry.size());
      }
      endSection(out, seriesStart);

      long postingsStart = beginSection(out);
      Map<String, int[]> postingOffsets = new HashMap<>();
      for (Map.Entry<String, TreeMap<String, IntList>> name : postings.entrySet()) {
        int[] offsets = new int[name.getValue().size()];
        int k = 0;
        for (IntList refs : name.getValue().values()) {
          checkOffset(out.position());
          offsets[k++] = (int) out.position();
          out.uvarint(refs.size());
          int prev = 0;
          for (int r = 0; r < refs.size(); r++) {
            out.uvarint(refs.get(r) - prev);
            prev = refs.get(r);
          }
        }
        postingOffsets.put(name.getKey(), offsets);
      }
      endSection(out, postingsStart);

      long labelIndexStart = beginSection(out);
      out.u32(postings.size());
      long tableOffset = out.position() + (long) NAME_ENTRY_BYTES * postings.size();
      for (Map.Entry<String, TreeMap<String, IntList>> name : postings.entrySet()) {
        checkOffset(tableOffset);
        out.u32(symbols.get(name.getKey()));
        out.u32(name.getValue().size());
        out.u32((int) tableOffset);
        tableOffset += (long) VALUE_ENTRY_BYTES * name.getValue().size();
      }
      for (Map.Entry<String, TreeMap<String, IntList>> name : postings.entrySet()) {
        int[] offsets = postingOffsets.get(name.getKey());
        int k = 0;
        for (String value : name.getValue().keySet()) {
          out.u32(symbols.get(value));
          out.u32(offsets[k++]);
        }
      }
      endSection(out, labelIndexStart);

      out.resetCrc();
      out.u64(symbolsStart);
      out.u64(seriesStart);
      out.u64(postingsStart);
      out.u64(labelIndexStart);
      out.u32(out.crc());
      checkOffset(out.position());
      out.sync();
    }
  }

  private static void encodeChunks(Encoder e, List<ChunkData> chunks, long[] refs) {
    e.uvarint(chunks.size());
    long prevMax = 0;
    long prevRef = 0;
    for (int c = 0; c < chunks.size(); c++) {
      ChunkData chunk = chunks.get(c);
      long ref = refs[c];
      if (c == 0) {
        e.varint(chunk.minTime());
        e.uvarint(chunk.maxTime() - chunk.minTime());
        e.uvarint(ChunkFiles.segment(ref));
        e.uvarint(ChunkFiles.offset(ref));
      } else {
        e.varint(chunk.minTime() - prevMax);
        e.uvarint(chunk.maxTime() - chunk.minTime());
        int segmentDelta = ChunkFiles.segment(ref) - ChunkFiles.segment(prevRef);
        e.uvarint(segmentDelta);
        if (segmentDelta == 0) {
          e.varint((long) ChunkFiles.offset(ref) - ChunkFiles.offset(prevRef));
        } else {
          e.uvarint(ChunkFiles.offset(ref));
        }
      }
      prevMax = chunk.maxTime();
      prevRef = ref;
    }
  }

  private static long beginSection(FileOutput out) throws IOException {
    long start = out.position();
    out.u32(0);
    out.resetCrc();
    return start;
  }

  private static void endSection(FileOutput out, long start) throws IOException {
    int crc = out.crc();
    long length = out.position() - start - 4;
    checkOffset(out.position());
    out.u32(crc);
    out.patchU32(start, (int) length);
  }

  private static void checkOffset(long offset) throws IOException {
    if (offset > Integer.MAX_VALUE - TOC_BYTES) {
      throw new IOException(
          "index would exceed 2 GiB, which index format version 1 cannot address; "
              + "cut smaller blocks");
    }
  }

  /** A growable byte array with the block formats' integer encodings, for one series entry. */
  static final class Encoder {
    private byte[] b = new byte[256];
    private int n;

    void reset() {
      n = 0;
    }

    void uvarint(long v) {
      if (n + 10 > b.length) {
        b = Arrays.copyOf(b, b.length * 2);
      }
      while ((v & ~0x7fL) != 0) {
        b[n++] = (byte) ((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      b[n++] = (byte) v;
    }

    void varint(long v) {
      uvarint((v << 1) ^ (v >> 63));
    }

    byte[] array() {
      return b;
    }

    int size() {
      return n;
    }
  }
}
