package dev.nines.tsdb;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.Series;
import dev.nines.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/*
 * Design notes. A querier over several sources (the blocks overlapping the range, oldest first,
 * then the head), merged like Prometheus's mergeGenericQuerier:
 *
 *  - select asks every source for sorted series and walks them in step: the least label set among
 *    the sources' current series is the next output, made of every source's series with those
 *    labels. The sources are few (the blocks overlapping a range, plus the head), so a linear scan
 *    for the least is cheaper than a heap.
 *  - A merged series iterates its sources' iterators in step by time; sources holding the same
 *    timestamp are advanced together and the first source's sample wins (blocks before the head;
 *    the samples are the same but for a crash window, see docs/tsdb.md). Reused iterators reuse
 *    every source iterator, so walking many series allocates nothing per sample.
 *  - labelNames and labelValues are the sorted union.
 *
 * close() closes every source (a block's querier releases the block, so a block being deleted by
 * retention or compaction waits for it) and then runs the owner's callback.
 */

/** A querier that merges the queriers of blocks and the head, removing duplicate samples. */
final class MergeQuerier implements Querier {
  private final List<Querier> sources;
  private final Runnable onClose;
  private boolean closed;

  MergeQuerier(List<Querier> sources, Runnable onClose) {
    this.sources = List.copyOf(sources);
    this.onClose = onClose;
  }

  @Override
  public SeriesSet select(boolean sorted, SelectHints hints, List<LabelMatcher> matchers) {
    if (sources.size() == 1) {
      return sources.getFirst().select(sorted, hints, matchers);
    }
    List<SeriesSet> sets = new ArrayList<>(sources.size());
    for (Querier q : sources) {
      sets.add(q.select(true, hints, matchers));
    }
    return new MergeSeriesSet(sets);
  }

  /** Merges sorted series sets of several sources into one sorted set without duplicates. */
  static SeriesSet merge(List<SeriesSet> sets) {
    return sets.size() == 1 ? sets.getFirst() : new MergeSeriesSet(sets);
  }

  @Override
  public List<String> labelNames(List<LabelMatcher> matchers) {
    if (sources.size() == 1) {
      return sources.getFirst().labelNames(matchers);
    }
    TreeSet<String> out = new TreeSet<>();
    for (Querier q : sources) {
      out.addAll(q.labelNames(matchers));
    }
    return new ArrayList<>(out);
  }

  @Override
  public List<String> labelValues(String name, List<LabelMatcher> matchers) {
    if (sources.size() == 1) {
      return sources.getFirst().labelValues(name, matchers);
    }
    TreeSet<String> out = new TreeSet<>();
    for (Querier q : sources) {
      out.addAll(q.labelValues(name, matchers));
    }
    return new ArrayList<>(out);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException failure = null;
    for (Querier q : sources) {
      try {
        q.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    onClose.run();
    if (failure != null) {
      throw failure;
    }
  }

  /** Sorted series sets walked in step; equal label sets become one merged series. */
  private static final class MergeSeriesSet implements SeriesSet {
    private final SeriesSet[] sets;
    private final Series[] heads;
    private final boolean[] started;
    private Series current;
    private RuntimeException error;

    MergeSeriesSet(List<SeriesSet> sets) {
      this.sets = sets.toArray(new SeriesSet[0]);
      this.heads = new Series[this.sets.length];
      this.started = new boolean[this.sets.length];
    }

    private void advance(int i) {
      if (sets[i].next()) {
        heads[i] = sets[i].at();
      } else {
        heads[i] = null;
        if (sets[i].error() != null && error == null) {
          error = sets[i].error();
        }
      }
    }

    @Override
    public boolean next() {
      for (int i = 0; i < sets.length; i++) {
        if (!started[i]) {
          started[i] = true;
          advance(i);
        }
      }
      if (error != null) {
        current = null;
        return false;
      }
      Labels least = null;
      for (Series s : heads) {
        if (s != null && (least == null || s.labels().compareTo(least) < 0)) {
          least = s.labels();
        }
      }
      if (least == null) {
        current = null;
        return false;
      }
      List<Series> same = new ArrayList<>(2);
      for (int i = 0; i < sets.length; i++) {
        if (heads[i] != null && heads[i].labels().equals(least)) {
          same.add(heads[i]);
          advance(i);
        }
      }
      current = same.size() == 1 ? same.getFirst() : new MergedSeries(least, same);
      return true;
    }

    @Override
    public Series at() {
      if (current == null) {
        throw new IllegalStateException("no current series: call next() first");
      }
      return current;
    }

    @Override
    public RuntimeException error() {
      return error;
    }
  }

  /** One label set present in several sources. */
  private record MergedSeries(Labels labels, List<Series> parts) implements Series {
    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      MergeIterator it =
          reuse instanceof MergeIterator m && m.its.length == parts.size()
              ? m
              : new MergeIterator(parts.size());
      for (int i = 0; i < parts.size(); i++) {
        it.its[i] = parts.get(i).iterator(it.its[i]);
      }
      it.reset();
      return it;
    }
  }

  /**
   * Iterators walked in step by time; equal timestamps yield one sample, the first source's. The
   * live iterators sit in a binary min-heap ordered by (timestamp, source index), so a sample costs
   * O(log n) comparisons rather than a scan of every source. The least timestamp of the other
   * sources ({@code secondT}, the smaller child of the top) is kept, so while the top source stays
   * below it (sources that do not overlap in time: the blocks of a long range) a sample costs one
   * comparison and no heap operation.
   */
  static final class MergeIterator implements SampleIterator {
    final SampleIterator[] its;
    private final int[] heap;
    private final long[] heapT;
    private int size;
    private boolean started;
    private boolean hasCur;
    private int cur;
    private long curT;
    private long secondT; // least timestamp of heap[1..size), Long.MAX_VALUE when none

    MergeIterator(int n) {
      this.its = new SampleIterator[n];
      this.heap = new int[n];
      this.heapT = new long[n];
    }

    void reset() {
      started = false;
      hasCur = false;
      size = 0;
    }

    @Override
    public int next() {
      if (!started) {
        started = true;
        size = 0;
        for (int i = 0; i < its.length; i++) {
          if (its[i].next() != NONE) {
            append(i);
          }
        }
        heapify();
        return pick();
      }
      if (!hasCur) {
        return NONE;
      }
      if (secondT > curT) {
        // Only the top is at the current timestamp: advance it; it stays on top while below the
        // others.
        SampleIterator top = its[cur];
        if (top.next() != NONE) {
          long t = top.timestamp();
          heapT[0] = t;
          if (t < secondT) {
            curT = t;
            return FLOAT;
          }
          siftDown(0);
        } else {
          removeTop();
        }
        return pick();
      }
      // Advance every source at the current timestamp; they are at the top of the heap.
      while (size > 0 && heapT[0] == curT) {
        int i = heap[0];
        if (its[i].next() != NONE) {
          heapT[0] = its[i].timestamp();
          siftDown(0);
        } else {
          removeTop();
        }
      }
      return pick();
    }

    @Override
    public int seek(long t) {
      if (!started) {
        started = true;
        size = 0;
        for (int i = 0; i < its.length; i++) {
          if (its[i].seek(t) != NONE) {
            append(i);
          }
        }
        heapify();
        return pick();
      }
      if (!hasCur) {
        return NONE;
      }
      if (curT >= t) {
        return FLOAT;
      }
      int n = size;
      int[] live = java.util.Arrays.copyOf(heap, n);
      size = 0;
      for (int k = 0; k < n; k++) {
        int i = live[k];
        if (its[i].seek(t) != NONE) {
          append(i);
        }
      }
      heapify();
      return pick();
    }

    private void append(int i) {
      heap[size] = i;
      heapT[size] = its[i].timestamp();
      size++;
    }

    private int pick() {
      if (size == 0) {
        hasCur = false;
        return NONE;
      }
      hasCur = true;
      cur = heap[0];
      curT = heapT[0];
      secondT = size == 1 ? Long.MAX_VALUE : size == 2 ? heapT[1] : Math.min(heapT[1], heapT[2]);
      return FLOAT;
    }

    private void removeTop() {
      size--;
      if (size > 0) {
        heap[0] = heap[size];
        heapT[0] = heapT[size];
        siftDown(0);
      }
    }

    private void heapify() {
      for (int k = size / 2 - 1; k >= 0; k--) {
        siftDown(k);
      }
    }

    private boolean less(int a, int b) {
      return heapT[a] < heapT[b] || (heapT[a] == heapT[b] && heap[a] < heap[b]);
    }

    private void siftDown(int k) {
      while (true) {
        int l = 2 * k + 1;
        if (l >= size) {
          return;
        }
        int m = l + 1 < size && less(l + 1, l) ? l + 1 : l;
        if (!less(m, k)) {
          return;
        }
        int hi = heap[k];
        long ht = heapT[k];
        heap[k] = heap[m];
        heapT[k] = heapT[m];
        heap[m] = hi;
        heapT[m] = ht;
        k = m;
      }
    }

    @Override
    public long timestamp() {
      return curT;
    }

    @Override
    public double value() {
      return its[cur].value();
    }
  }
}
