package dev.nines.tsdb.head;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.Series;
import dev.nines.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/*
 * Design notes: selection follows Prometheus's PostingsForMatchers (docs/tsdb.md, "Querier over
 * the head").
 *
 *  - A matcher that does not match "" selects the union of the postings of the values it matches
 *    ("positive"). A matcher that matches "" also selects series without the label, so it is
 *    applied as a subtraction of the values it does not match ("negative").
 *  - Positives are intersected cheapest first: equality matchers (one lookup each, sizes known)
 *    sorted by size, then the others. Negatives come last. Only when there are no positives does
 *    the work start from all postings.
 *  - When the candidates are few compared with the values of a label, a matcher is checked on each
 *    candidate's labels instead of building a union over all values (a regex over 100k instance
 *    values after __name__ narrowed it to 20 series).
 *
 * All postings work runs under the postings read lock, so every snapshot comes from one state of
 * the index.
 */

/** A querier over the head for samples with {@code mint <= t <= maxt}. */
final class HeadQuerier implements Querier {
  private static final Comparator<MemSeries> BY_LABELS = (a, b) -> a.labels.compareTo(b.labels);

  private final Head head;
  private final long mint;
  private final long maxt;

  HeadQuerier(Head head, long mint, long maxt) {
    this.head = head;
    this.mint = mint;
    this.maxt = maxt;
  }

  @Override
  public SeriesSet select(boolean sorted, SelectHints hints, List<LabelMatcher> matchers) {
    // Hints are not used: the head answers the querier's whole range, as Prometheus's head does.
    MemSeries[] selected = seriesFor(matchers, mint, maxt);
    if (sorted) {
      Arrays.sort(selected, BY_LABELS);
    }
    return new HeadSeriesSet(selected, mint, maxt, head.chunkFiles());
  }

  /** The series matching all matchers that have samples in [from, to], in ref order. */
  private MemSeries[] seriesFor(List<LabelMatcher> matchers, long from, long to) {
    Postings p = postingsFor(matchers);
    SeriesMap map = head.seriesMap();
    MemSeries[] out = new MemSeries[p.size()];
    int n = 0;
    for (int i = 0; i < p.size(); i++) {
      MemSeries s = map.get(p.refs()[i]);
      if (s == null) {
        continue; // cannot happen: a series is in the maps before it is in the postings
      }
      boolean overlaps;
      synchronized (s) {
        overlaps = s.overlaps(from, to);
      }
      if (overlaps) {
        out[n++] = s;
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /** The refs of the series that match every matcher. */
  Postings postingsFor(List<LabelMatcher> matchers) {
    MemPostings index = head.postings();
    index.readLock().lock();
    try {
      List<LabelMatcher> equal = new ArrayList<>();
      List<LabelMatcher> otherPositive = new ArrayList<>();
      List<LabelMatcher> negative = new ArrayList<>();
      for (LabelMatcher m : matchers) {
        if (m.matches("")) {
          if (m.type() == LabelMatcher.Type.REGEX && m.value().equals(".*")) {
            continue; // matches everything, with or without the label
          }
          negative.add(m);
        } else if (m.type() == LabelMatcher.Type.EQUAL) {
          equal.add(m);
        } else {
          otherPositive.add(m);
        }
      }
      Postings result = null;
      List<Postings> lookups = new ArrayList<>();
      for (LabelMatcher m : equal) {
        lookups.add(index.get(m.name(), m.value()));
      }
      lookups.sort(Comparator.comparingInt(Postings::size));
      for (Postings p : lookups) {
        result = result == null ? p : Postings.intersect(result, p);
        if (result.isEmpty()) {
          return Postings.EMPTY;
        }
      }
      for (LabelMatcher m : otherPositive) {
        if (result != null && filterIsCheaper(result, m, index)) {
          result = filter(result, m, true);
        } else {
          Postings p = index.matching(m.name(), m, true);
          result = result == null ? p : Postings.intersect(result, p);
        }
        if (result.isEmpty()) {
          return Postings.EMPTY;
        }
      }
      if (result == null) {
        result = index.all();
      }
      for (LabelMatcher m : negative) {
        if (filterIsCheaper(result, m, index)) {
          result = filter(result, m, true);
        } else {
          result = Postings.subtract(result, index.matching(m.name(), m, false));
        }
        if (result.isEmpty()) {
          return Postings.EMPTY;
        }
      }
      return result;
    } finally {
      index.readLock().unlock();
    }
  }

  private static boolean filterIsCheaper(Postings candidates, LabelMatcher m, MemPostings index) {
    return candidates.size() <= 64 || candidates.size() < index.valueCount(m.name()) / 4;
  }

  /** The candidates whose value of the matcher's label (or "") matches {@code m}. */
  private Postings filter(Postings candidates, LabelMatcher m, boolean want) {
    SeriesMap map = head.seriesMap();
    long[] out = new long[candidates.size()];
    int n = 0;
    for (int i = 0; i < candidates.size(); i++) {
      long ref = candidates.refs()[i];
      MemSeries s = map.get(ref);
      if (s == null) {
        continue;
      }
      String v = s.labels.get(m.name());
      if (m.matches(v == null ? "" : v) == want) {
        out[n++] = ref;
      }
    }
    return new Postings(out, n);
  }

  @Override
  public List<String> labelNames(List<LabelMatcher> matchers) {
    if (matchers == null || matchers.isEmpty()) {
      return head.postings().names();
    }
    TreeSet<String> names = new TreeSet<>();
    for (MemSeries s : seriesFor(matchers, mint, maxt)) {
      for (int i = 0; i < s.labels.size(); i++) {
        names.add(s.labels.name(i));
      }
    }
    return new ArrayList<>(names);
  }

  @Override
  public List<String> labelValues(String name, List<LabelMatcher> matchers) {
    if (matchers == null || matchers.isEmpty()) {
      return head.postings().values(name);
    }
    TreeSet<String> values = new TreeSet<>();
    for (MemSeries s : seriesFor(matchers, mint, maxt)) {
      String v = s.labels.get(name);
      if (v != null) {
        values.add(v);
      }
    }
    return new ArrayList<>(values);
  }

  @Override
  public void close() {}

  /** The selected series, in the order given. */
  private static final class HeadSeriesSet implements SeriesSet {
    private final MemSeries[] series;
    private final long from;
    private final long to;
    private final HeadChunks files;
    private int index = -1;
    private HeadSeries current;

    HeadSeriesSet(MemSeries[] series, long from, long to, HeadChunks files) {
      this.series = series;
      this.from = from;
      this.to = to;
      this.files = files;
    }

    @Override
    public boolean next() {
      if (index + 1 >= series.length) {
        index = series.length;
        current = null;
        return false;
      }
      index++;
      current = new HeadSeries(series[index], from, to, files);
      return true;
    }

    @Override
    public Series at() {
      if (current == null) {
        throw new IllegalStateException("no current series: call next() first");
      }
      return current;
    }
  }

  /** One selected series; each iterator is a fresh snapshot of it. */
  private record HeadSeries(MemSeries series, long from, long to, HeadChunks files)
      implements Series {
    @Override
    public Labels labels() {
      return series.labels;
    }

    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      HeadIterator it = reuse instanceof HeadIterator h ? h : new HeadIterator();
      synchronized (series) {
        series.snapshotInto(it, from, to, files);
      }
      return it;
    }
  }
}
