package dev.nines.server;

import dev.nines.server.config.NinesConfig;
import dev.nines.tsdb.TsdbOptions;
import dev.nines.tsdb.wal.FsyncPolicy;
import java.util.Locale;

/** Translates the {@code storage} section of the configuration into the tsdb's own options. */
final class StorageOptions {
  private StorageOptions() {}

  static TsdbOptions of(NinesConfig.Storage storage) {
    TsdbOptions d = TsdbOptions.defaults();
    return new TsdbOptions(
        d.wal()
            .withFsyncPolicy(FsyncPolicy.valueOf(storage.walFsync().toUpperCase(Locale.ROOT)))
            .withBatchInterval(storage.walBatchInterval()),
        d.samplesPerChunk(),
        d.chunkRange(),
        storage.outOfOrderWindow(),
        storage.maxLabelNameLength(),
        storage.maxLabelValueLength(),
        storage.maxLabelsPerSeries(),
        storage.maxSeries(),
        storage.maxSeriesPerMetric(),
        d.nameValidation(),
        d.checkpointAfterSegments(),
        storage.retention(),
        storage.retentionBytes(),
        storage.compactionInterval(),
        d.maxOutOfOrderSamplesPerSeries());
  }
}
