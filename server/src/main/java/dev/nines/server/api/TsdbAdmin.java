package dev.nines.server.api;

import dev.nines.common.LabelMatcher;
import java.io.IOException;
import java.util.List;

/**
 * What the admin endpoints may do to the time-series storage. Absent (null) when the admin API is
 * disabled, as Prometheus's is unless {@code --web.enable-admin-api}.
 */
public interface TsdbAdmin {
  /** Takes a snapshot under the data folder's {@code snapshots/} and returns its folder name. */
  String snapshot(boolean skipHead) throws IOException;

  /** Deletes the samples in {@code [mint, maxt]} of the series matching all matchers. */
  void deleteSeries(long mint, long maxt, List<LabelMatcher> matchers) throws IOException;
}
