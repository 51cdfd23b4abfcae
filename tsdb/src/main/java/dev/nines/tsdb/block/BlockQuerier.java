package dev.nines.tsdb.block;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.Series;
import dev.nines.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A querier over one block and a time range {@code [mint, maxt]} (inclusive, milliseconds). Sees
 * the block's tombstones as they were when it was opened. Series come out in label order whether or
 * not sorting is asked for, because the index stores them that way. Label names and values are
 * those of the whole block, as in Prometheus: the time range does not narrow them.
 */
final class BlockQuerier implements Querier {
  private final Block block;
  private final IndexReader index;
  private final BlockChunks chunks;
  private final Tombstones tombstones;
  private final long mint;
  private final long maxt;
  private boolean closed;

  BlockQuerier(
      Block block,
      IndexReader index,
      BlockChunks chunks,
      Tombstones tombstones,
      long mint,
      long maxt) {
    this.block = block;
    this.index = index;
    this.chunks = chunks;
    this.tombstones = tombstones;
    this.mint = mint;
    this.maxt = maxt;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("querier of block " + index.blockId() + " is closed");
    }
  }

  @Override
  public SeriesSet select(boolean sorted, SelectHints hints, List<LabelMatcher> matchers) {
    checkOpen();
    if (mint > maxt) {
      return SeriesSet.empty();
    }
    Decoder d = new Decoder(index.blockId(), Index.FILE, index.buffer());
    int[] refs = Postings.select(index, d, matchers);
    return new Cursor(refs, d);
  }

  /** The refs of the series matching {@code matchers} that have chunks overlapping the range. */
  int[] refsOverlapping(List<LabelMatcher> matchers) {
    Decoder d = new Decoder(index.blockId(), Index.FILE, index.buffer());
    int[] refs = Postings.select(index, d, matchers);
    ChunkMetas metas = new ChunkMetas();
    IntList out = new IntList(refs.length + 1);
    for (int ref : refs) {
      index.series(ref, d, null, metas);
      for (int c = 0; c < metas.size; c++) {
        if (metas.maxT[c] >= mint && metas.minT[c] <= maxt) {
          out.add(ref);
          break;
        }
      }
    }
    return out.toArray();
  }

  @Override
  public List<String> labelNames(List<LabelMatcher> matchers) {
    checkOpen();
    if (matchers.isEmpty()) {
      List<String> names = new ArrayList<>(index.nameCount());
      for (int i = 0; i < index.nameCount(); i++) {
        names.add(index.name(i));
      }
      return names;
    }
    Decoder d = new Decoder(index.blockId(), Index.FILE, index.buffer());
    IntList syms = new IntList();
    for (int ref : Postings.select(index, d, matchers)) {
      index.labelSyms(ref, d, syms, null);
    }
    return symbolsSorted(syms);
  }

  @Override
  public List<String> labelValues(String name, List<LabelMatcher> matchers) {
    checkOpen();
    int nameIndex = index.nameIndex(name);
    if (nameIndex < 0) {
      return List.of();
    }
    if (matchers.isEmpty()) {
      int n = index.valueCount(nameIndex);
      List<String> values = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        values.add(index.value(nameIndex, i));
      }
      return values;
    }
    Decoder d = new Decoder(index.blockId(), Index.FILE, index.buffer());
    int nameSym = index.symbolRef(name);
    IntList names = new IntList();
    IntList values = new IntList();
    IntList found = new IntList();
    for (int ref : Postings.select(index, d, matchers)) {
      int from = names.size();
      index.labelSyms(ref, d, names, values);
      for (int i = from; i < names.size(); i++) {
        if (names.get(i) == nameSym) {
          found.add(values.get(i));
          break;
        }
      }
    }
    return symbolsSorted(found);
  }

  /** Distinct symbols in ascending order; symbol order is string order. */
  private List<String> symbolsSorted(IntList syms) {
    int[] a = syms.toArray();
    Arrays.sort(a);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < a.length; i++) {
      if (i == 0 || a[i] != a[i - 1]) {
        out.add(index.symbol(a[i]));
      }
    }
    return out;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      block.release();
    }
  }

  /** The series set: decodes each selected series, keeps those with samples in range. */
  private final class Cursor implements SeriesSet {
    private final int[] refs;
    private final Decoder d;
    private final Labels.Builder builder = Labels.builder();
    private final ChunkMetas metas = new ChunkMetas();
    private final BlockSampleIterator probe = new BlockSampleIterator();
    private int next;
    private Series current;
    private RuntimeException error;

    Cursor(int[] refs, Decoder d) {
      this.refs = refs;
      this.d = d;
    }

    @Override
    public boolean next() {
      if (error != null) {
        return false;
      }
      try {
        while (next < refs.length) {
          int ref = refs[next++];
          BlockSeries s = decode(ref);
          if (s != null) {
            current = s;
            return true;
          }
        }
      } catch (RuntimeException e) {
        error = e;
      }
      current = null;
      return false;
    }

    private BlockSeries decode(int ref) {
      index.series(ref, d, builder, metas);
      long[] deleted = tombstones.intervals(ref);
      int first = 0;
      while (first < metas.size && metas.maxT[first] < mint) {
        first++;
      }
      int end = first;
      boolean sure = false;
      while (end < metas.size && metas.minT[end] <= maxt) {
        // A chunk's first and last timestamps are samples: either inside the range proves one.
        sure |= metas.minT[end] >= mint || metas.maxT[end] <= maxt;
        end++;
      }
      if (end == first) {
        return null;
      }
      BlockSeries s =
          new BlockSeries(
              builder.build(),
              chunks,
              Arrays.copyOfRange(metas.minT, first, end),
              Arrays.copyOfRange(metas.maxT, first, end),
              Arrays.copyOfRange(metas.ref, first, end),
              deleted,
              mint,
              maxt);
      if (!sure || deleted.length > 0) {
        SampleIterator it = s.iterator(probe);
        if (it.next() == SampleIterator.NONE) {
          return null;
        }
      }
      return s;
    }

    @Override
    public Series at() {
      if (current == null) {
        throw new IllegalStateException("no current series");
      }
      return current;
    }

    @Override
    public RuntimeException error() {
      return error;
    }
  }
}
