package dev.nines.tsdb.block;

import dev.nines.common.Labels;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.Series;

/** A series of a block as a query sees it: labels and the chunks overlapping the query range. */
final class BlockSeries implements Series {
  final Labels labels;
  final BlockChunks chunks;
  final long[] minT;
  final long[] maxT;
  final long[] refs;
  final long[] deleted;
  final long rangeMin;
  final long rangeMax;

  BlockSeries(
      Labels labels,
      BlockChunks chunks,
      long[] minT,
      long[] maxT,
      long[] refs,
      long[] deleted,
      long rangeMin,
      long rangeMax) {
    this.labels = labels;
    this.chunks = chunks;
    this.minT = minT;
    this.maxT = maxT;
    this.refs = refs;
    this.deleted = deleted;
    this.rangeMin = rangeMin;
    this.rangeMax = rangeMax;
  }

  @Override
  public Labels labels() {
    return labels;
  }

  @Override
  public SampleIterator iterator(SampleIterator reuse) {
    BlockSampleIterator it = reuse instanceof BlockSampleIterator b ? b : new BlockSampleIterator();
    it.reset(this);
    return it;
  }

  @Override
  public String toString() {
    return labels.toString();
  }
}
