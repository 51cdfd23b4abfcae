package dev.nines.slo.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.common.Labels;
import dev.nines.slo.budget.Buckets;
import dev.nines.tsdb.Tsdb;
import dev.nines.tsdb.TsdbOptions;
import dev.nines.tsdb.storage.Appender;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Buckets read back from storage as the SLO service sees them. */
class BucketReaderTest {
  @TempDir Path dir;

  private static Labels bucket(String metric, String route) {
    return Labels.of("__name__", metric, "slo", "api-availability", "route", route);
  }

  @Test
  void seriesOfOneSloAreSummedByTimeAndErrorsNeverExceedTheTotal() throws Exception {
    try (Tsdb tsdb = Tsdb.open(dir, TsdbOptions.defaults())) {
      Appender app = tsdb.appender();
      // Two routes: /a has buckets at 5 and 10 minutes, /b at 10 and 15 minutes.
      app.append(0, bucket("slo:events_total:increase5m", "/a"), 300_000, 100);
      app.append(0, bucket("slo:events_total:increase5m", "/a"), 600_000, 100);
      app.append(0, bucket("slo:events_total:increase5m", "/b"), 600_000, 50);
      app.append(0, bucket("slo:events_total:increase5m", "/b"), 900_000, 50);
      app.append(0, bucket("slo:events_error:increase5m", "/a"), 300_000, 1);
      app.append(0, bucket("slo:events_error:increase5m", "/a"), 600_000, Double.NaN);
      app.append(0, bucket("slo:events_error:increase5m", "/b"), 900_000, 80); // more than total
      // Another SLO's bucket at the same time is not read.
      app.append(
          0, Labels.of("__name__", "slo:events_total:increase5m", "slo", "other"), 600_000, 1_000);
      app.commit();

      Buckets b = BucketReader.read(tsdb, "api-availability", 0, 900_000);
      assertThat(b.times()).containsExactly(300_000L, 600_000L, 900_000L);
      assertThat(b.total()).containsExactly(100, 150, 50);
      assertThat(b.good()).containsExactly(99, 150, 0);

      // (from, to]: the bucket at "from" belongs to the period before it.
      Buckets later = BucketReader.read(tsdb, "api-availability", 300_000, 600_000);
      assertThat(later.times()).containsExactly(600_000L);
      assertThat(BucketReader.times(tsdb, "api-availability", 0, 900_000))
          .containsExactly(300_000L, 600_000L, 900_000L);
    }
  }
}
