package dev.nines.tsdb.wal;

/** The receiver of replayed WAL records, called in the order the records were written. */
public interface WalRecordHandler {
  /** Receives one logged series. */
  void series(SeriesRecord series);

  /**
   * Receives one batch of samples. The batch is a reusable view that is only valid during this
   * call: copy what you keep.
   */
  void samples(SampleBatch batch);
}
