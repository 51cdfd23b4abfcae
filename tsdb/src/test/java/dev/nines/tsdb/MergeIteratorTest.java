package dev.nines.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.tsdb.storage.SampleIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MergeIteratorTest {
  /** A sample iterator over arrays. */
  private static final class ArrayIterator implements SampleIterator {
    private final long[] ts;
    private final double[] vs;
    private int i = -1;

    ArrayIterator(long[] ts, double[] vs) {
      this.ts = ts;
      this.vs = vs;
    }

    @Override
    public int next() {
      if (i < ts.length) {
        i++;
      }
      return i < ts.length ? FLOAT : NONE;
    }

    @Override
    public int seek(long t) {
      if (i < 0) {
        i = 0;
      }
      while (i < ts.length && ts[i] < t) {
        i++;
      }
      return i < ts.length ? FLOAT : NONE;
    }

    @Override
    public long timestamp() {
      return ts[i];
    }

    @Override
    public double value() {
      return vs[i];
    }
  }

  private record Source(long[] ts, double[] vs) {}

  private static List<Source> randomSources(Random r, int n, boolean disjoint) {
    List<Source> out = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      List<Long> ts = new ArrayList<>();
      long t = disjoint ? s * 1000L : r.nextInt(20);
      int count = r.nextInt(disjoint ? 50 : 30);
      for (int k = 0; k < count; k++) {
        t += 1 + r.nextInt(disjoint ? 10 : 4);
        ts.add(t);
      }
      double[] vs = new double[ts.size()];
      for (int k = 0; k < vs.length; k++) {
        vs[k] = s * 10_000 + k;
      }
      out.add(new Source(ts.stream().mapToLong(Long::longValue).toArray(), vs));
    }
    return out;
  }

  /** What the merge must yield: every timestamp once, the first source's value. */
  private static TreeMap<Long, Double> expected(List<Source> sources) {
    TreeMap<Long, Double> out = new TreeMap<>();
    for (Source s : sources) {
      for (int k = 0; k < s.ts().length; k++) {
        out.putIfAbsent(s.ts()[k], s.vs()[k]);
      }
    }
    return out;
  }

  private static MergeQuerier.MergeIterator merge(List<Source> sources) {
    MergeQuerier.MergeIterator it = new MergeQuerier.MergeIterator(sources.size());
    for (int i = 0; i < sources.size(); i++) {
      it.its[i] = new ArrayIterator(sources.get(i).ts(), sources.get(i).vs());
    }
    it.reset();
    return it;
  }

  @Test
  void overlappingSourcesYieldEachTimestampOnceWithTheFirstSourcesValue() {
    Random r = new Random(7);
    for (int round = 0; round < 300; round++) {
      List<Source> sources = randomSources(r, 1 + r.nextInt(6), round % 2 == 0);
      TreeMap<Long, Double> want = expected(sources);
      MergeQuerier.MergeIterator it = merge(sources);
      TreeMap<Long, Double> got = new TreeMap<>();
      long prev = Long.MIN_VALUE;
      while (it.next() != SampleIterator.NONE) {
        assertThat(it.timestamp()).isGreaterThan(prev);
        prev = it.timestamp();
        got.put(it.timestamp(), it.value());
      }
      assertThat(got).isEqualTo(want);
      assertThat(it.next()).isEqualTo(SampleIterator.NONE);
    }
  }

  @Test
  void seekLandsOnTheFirstSampleAtOrAfterTheTime() {
    Random r = new Random(11);
    for (int round = 0; round < 300; round++) {
      List<Source> sources = randomSources(r, 1 + r.nextInt(6), round % 2 == 0);
      TreeMap<Long, Double> want = expected(sources);
      MergeQuerier.MergeIterator it = merge(sources);
      long t1 = r.nextInt(60);
      Long first = want.ceilingKey(t1);
      if (first == null) {
        assertThat(it.seek(t1)).isEqualTo(SampleIterator.NONE);
        continue;
      }
      assertThat(it.seek(t1)).isEqualTo(SampleIterator.FLOAT);
      assertThat(it.timestamp()).isEqualTo(first);
      assertThat(it.value()).isEqualTo(want.get(first));
      // A seek backwards stays; a seek forwards moves.
      assertThat(it.seek(t1 - 5)).isEqualTo(SampleIterator.FLOAT);
      assertThat(it.timestamp()).isEqualTo(first);
      long t2 = first + r.nextInt(40);
      Long second = want.ceilingKey(t2);
      int kind = it.seek(t2);
      if (second == null) {
        assertThat(kind).isEqualTo(SampleIterator.NONE);
      } else {
        assertThat(it.timestamp()).isEqualTo(second);
        assertThat(it.value()).isEqualTo(want.get(second));
        Long third = want.higherKey(second);
        if (third != null) {
          assertThat(it.next()).isEqualTo(SampleIterator.FLOAT);
          assertThat(it.timestamp()).isEqualTo(third);
        }
      }
    }
  }
}
