package dev.nines.server.metrics;

import dev.nines.tsdb.Tsdb;
import dev.nines.tsdb.TsdbStats;
import dev.nines.tsdb.storage.AppendException;
import dev.nines.tsdb.wal.ReplayResult;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The time-series storage's counters as self metrics, read at scrape time from {@link TsdbStats}.
 * Names follow Prometheus's {@code prometheus_tsdb_*} where one exists.
 */
public final class TsdbMetrics {
  private TsdbMetrics() {}

  /** Registers every tsdb metric on {@code registry}, reading from {@code tsdb}. */
  public static void register(PrometheusRegistry registry, Tsdb tsdb) {
    TsdbStats s = tsdb.stats();
    GaugeWithCallback.builder()
        .name("nines_tsdb_head_series")
        .help("Series in the head.")
        .callback(cb -> cb.call(tsdb.numSeries()))
        .register(registry);
    counter(
        registry,
        "nines_tsdb_head_samples_appended",
        "Samples appended to the head.",
        s,
        TsdbStats::samplesAppended);
    counter(
        registry,
        "nines_tsdb_head_series_created",
        "Series created in the head.",
        s,
        TsdbStats::seriesCreated);
    counter(
        registry,
        "nines_tsdb_head_commits",
        "Appender commits that were acknowledged.",
        s,
        TsdbStats::commits);
    counter(
        registry,
        "nines_tsdb_head_commit_failures",
        "Appender commits that failed (WAL write or fsync).",
        s,
        TsdbStats::commitFailures);
    counter(
        registry,
        "nines_tsdb_out_of_order_samples_appended",
        "Late samples accepted inside the out-of-order window.",
        s,
        TsdbStats::outOfOrderAccepted);
    counter(
        registry,
        "nines_tsdb_duplicate_samples_dropped",
        "Samples identical to the newest of their series, dropped as no-ops.",
        s,
        TsdbStats::duplicatesDropped);
    CounterWithCallback.builder()
        .name("nines_tsdb_samples_refused_total")
        .help("Samples refused by storage, by reason.")
        .labelNames("reason")
        .callback(
            cb -> {
              for (AppendException.Reason reason : AppendException.Reason.values()) {
                cb.call(s.refused(reason), reason.name().toLowerCase(Locale.ROOT));
              }
            })
        .register(registry);
    counter(
        registry,
        "nines_tsdb_checkpoint_creations",
        "WAL checkpoints written.",
        s,
        TsdbStats::checkpoints);
    counter(
        registry,
        "nines_tsdb_checkpoint_creations_failed",
        "WAL checkpoints that failed.",
        s,
        TsdbStats::checkpointFailures);
    GaugeWithCallback.builder()
        .name("nines_tsdb_wal_replay_duration_seconds")
        .help("How long the last WAL replay at start took.")
        .callback(cb -> cb.call(s.replayNanos() / 1e9))
        .register(registry);
    replay(
        registry,
        "nines_tsdb_wal_truncations_total",
        "Torn WAL tails cut at the last good record during the last replay.",
        s,
        r -> r.tailTruncations());
    counter(
        registry,
        "nines_tsdb_mmap_chunk_corruptions",
        "Head chunk files (chunks_head/) read only up to a torn or damaged record, or deleted, at"
            + " start.",
        s,
        TsdbStats::headChunkFilesDamaged);
    counter(
        registry,
        "nines_tsdb_replay_samples_in_head_chunks",
        "WAL samples replay skipped because confirmed head chunk files hold them.",
        s,
        TsdbStats::replaySamplesInHeadChunks);
    counter(
        registry,
        "nines_tsdb_replay_series_from_wal_only",
        "Series whose head chunk files did not match the WAL, replayed from the WAL alone.",
        s,
        TsdbStats::replaySeriesFromWalOnly);
    replay(
        registry,
        "nines_tsdb_wal_corruptions_total",
        "Corrupt WAL ranges moved aside into wal/corrupt during the last replay.",
        s,
        r -> r.corruptionsRepaired());
  }

  private static void counter(
      PrometheusRegistry registry,
      String name,
      String help,
      TsdbStats stats,
      ToDoubleFunction<TsdbStats> value) {
    CounterWithCallback.builder()
        .name(name + "_total")
        .help(help)
        .callback(cb -> cb.call(value.applyAsDouble(stats)))
        .register(registry);
  }

  private static void replay(
      PrometheusRegistry registry,
      String name,
      String help,
      TsdbStats stats,
      ToDoubleFunction<ReplayResult> value) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(
            cb -> {
              ReplayResult last = stats.lastReplay();
              cb.call(last == null ? 0 : value.applyAsDouble(last));
            })
        .register(registry);
  }
}
