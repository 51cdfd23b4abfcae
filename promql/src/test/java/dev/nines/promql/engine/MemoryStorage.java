package dev.nines.promql.engine;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.Queryable;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.Series;
import dev.nines.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** An in-memory {@link Queryable} for engine tests: series of float samples kept in arrays. */
final class MemoryStorage implements Queryable {
  private final Map<Labels, Data> series = new TreeMap<>();

  private static final class Data {
    long[] ts = new long[16];
    double[] vs = new double[16];
    int n;

    void add(long t, double v) {
      if (n == ts.length) {
        ts = Arrays.copyOf(ts, n * 2);
        vs = Arrays.copyOf(vs, n * 2);
      }
      if (n > 0 && ts[n - 1] >= t) {
        throw new IllegalArgumentException("samples must be appended in time order");
      }
      ts[n] = t;
      vs[n] = v;
      n++;
    }
  }

  /** Appends a sample; samples of one series must come in increasing time order. */
  void add(Labels labels, long t, double v) {
    series.computeIfAbsent(labels, k -> new Data()).add(t, v);
  }

  void clear() {
    series.clear();
  }

  int selects;

  @Override
  public Querier querier(long mint, long maxt) {
    return new Querier() {
      @Override
      public SeriesSet select(boolean sorted, SelectHints hints, List<LabelMatcher> matchers) {
        selects++;
        List<Series> out = new ArrayList<>();
        for (Map.Entry<Labels, Data> e : series.entrySet()) {
          if (!matches(e.getKey(), matchers)) {
            continue;
          }
          Data d = e.getValue();
          int lo = lowerBound(d, mint);
          if (lo >= d.n || d.ts[lo] > maxt) {
            continue;
          }
          int hi = lowerBound(d, maxt + 1);
          out.add(new MemSeries(e.getKey(), d, lo, hi));
        }
        return new SeriesSet() {
          int i = -1;

          @Override
          public boolean next() {
            return ++i < out.size();
          }

          @Override
          public Series at() {
            return out.get(i);
          }
        };
      }

      @Override
      public List<String> labelNames(List<LabelMatcher> matchers) {
        TreeSet<String> names = new TreeSet<>();
        series.keySet().stream()
            .filter(l -> matches(l, matchers))
            .forEach(l -> l.forEach((n, v) -> names.add(n)));
        return new ArrayList<>(names);
      }

      @Override
      public List<String> labelValues(String name, List<LabelMatcher> matchers) {
        TreeSet<String> values = new TreeSet<>();
        series.keySet().stream()
            .filter(l -> matches(l, matchers) && l.get(name) != null)
            .forEach(l -> values.add(l.get(name)));
        return new ArrayList<>(values);
      }

      @Override
      public void close() {}
    };
  }

  private static int lowerBound(Data d, long t) {
    int lo = 0;
    int hi = d.n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (d.ts[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  static boolean matches(Labels l, List<LabelMatcher> matchers) {
    for (LabelMatcher m : matchers) {
      String v = l.get(m.name());
      if (!m.matches(v == null ? "" : v)) {
        return false;
      }
    }
    return true;
  }

  private record MemSeries(Labels labels, Data d, int lo, int hi) implements Series {
    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      MemIterator it = reuse instanceof MemIterator m ? m : new MemIterator();
      it.reset(d, lo, hi);
      return it;
    }
  }

  private static final class MemIterator implements SampleIterator {
    private Data d;
    private int start;
    private int i;
    private int hi;

    void reset(Data data, int from, int to) {
      this.d = data;
      this.start = from;
      this.i = from - 1;
      this.hi = to;
    }

    @Override
    public int next() {
      if (i < hi) {
        i++;
      }
      return i < hi ? FLOAT : NONE;
    }

    @Override
    public int seek(long t) {
      if (i < start) {
        i = start;
      }
      while (i < hi && d.ts[i] < t) {
        i++;
      }
      return i < hi ? FLOAT : NONE;
    }

    @Override
    public long timestamp() {
      return d.ts[i];
    }

    @Override
    public double value() {
      return d.vs[i];
    }
  }
}
