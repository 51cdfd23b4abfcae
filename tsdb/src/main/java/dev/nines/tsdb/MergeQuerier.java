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

  /** Iterators walked in step by time; equal timestamps yield one sample, the first source's. */
  static final class MergeIterator implements SampleIterator {
    final SampleIterator[] its;
    private final boolean[] alive;
    private boolean started;
    private boolean hasCur;
    private int cur;
    private long curT;

    MergeIterator(int n) {
      this.its = new SampleIterator[n];
      this.alive = new boolean[n];
    }

    void reset() {
      started = false;
      hasCur = false;
    }

    @Override
    public int next() {
      if (!started) {
        started = true;
        for (int i = 0; i < its.length; i++) {
          alive[i] = its[i].next() != NONE;
        }
      } else if (hasCur) {
        for (int i = 0; i < its.length; i++) {
          if (alive[i] && its[i].timestamp() == curT) {
            alive[i] = its[i].next() != NONE;
          }
        }
      } else {
        return NONE;
      }
      return pick();
    }

    @Override
    public int seek(long t) {
      if (!started) {
        started = true;
        for (int i = 0; i < its.length; i++) {
          alive[i] = its[i].seek(t) != NONE;
        }
        return pick();
      }
      if (!hasCur) {
        return NONE;
      }
      if (curT >= t) {
        return FLOAT;
      }
      for (int i = 0; i < its.length; i++) {
        if (alive[i]) {
          alive[i] = its[i].seek(t) != NONE;
        }
      }
      return pick();
    }

    private int pick() {
      hasCur = false;
      for (int i = 0; i < its.length; i++) {
        if (alive[i] && (!hasCur || its[i].timestamp() < curT)) {
          hasCur = true;
          cur = i;
          curT = its[i].timestamp();
        }
      }
      return hasCur ? FLOAT : NONE;
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
