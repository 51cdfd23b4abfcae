package dev.nines.ingest.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.common.Labels;
import dev.nines.ingest.exposition.MetricMetadata;
import dev.nines.ingest.exposition.MetricType;
import dev.nines.ingest.remotewrite.RecordingAppendable;
import dev.nines.ingest.remotewrite.RecordingAppendable.Appended;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scrape loop's series cache, driven through {@link ScrapeLoop#scrapeBody}: what a cached
 * series text maps to, staleness across spellings and churn, eviction, and scrape metadata.
 */
class SeriesCacheTest {
  private static final String TEXT = "text/plain; version=0.0.4";
  private static final String OM = "application/openmetrics-text; version=1.0.0";
  private static final long STALE_BITS = 0x7ff0000000000002L;

  private final RecordingAppendable storage = new RecordingAppendable();
  private long now = 1_000_000;
  private ScrapeLoop loop = loop("");

  private ScrapeLoop loop(String extra) {
    ScrapeConfig cfg =
        ScrapeConfigParser.parseYaml("scrape_configs:\n  - job_name: node\n" + extra)
            .scrapeConfigs()
            .get(0);
    return ScrapeLoop.unscheduled(cfg, "h:9100", storage, () -> now);
  }

  private void scrape(String body) {
    scrape(body, TEXT);
  }

  private void scrape(String body, String contentType) {
    now += 15_000;
    loop.scrapeBody(now, body.getBytes(StandardCharsets.UTF_8), contentType);
  }

  private static Labels series(String name, String... more) {
    Labels.Builder b = Labels.builder().set("__name__", name).set("job", "node");
    b.set("instance", "h:9100");
    for (int i = 0; i < more.length; i += 2) {
      b.set(more[i], more[i + 1]);
    }
    return b.build();
  }

  private double last(String metric) {
    List<Appended> a = storage.named(metric);
    return a.get(a.size() - 1).v();
  }

  private static boolean stale(Appended a) {
    return Double.doubleToRawLongBits(a.v()) == STALE_BITS;
  }

  @Test
  void twoSpellingsOfOneSeriesAreOneSeriesForStaleness() {
    scrape("foo{a=\"1\"} 1\n");
    scrape("foo{ a = \"1\" , } 2\n");
    assertThat(storage.named("foo"))
        .containsExactly(
            new Appended(series("foo", "a", "1"), 1_015_000, 1),
            new Appended(series("foo", "a", "1"), 1_030_000, 2));
    assertThat(last("scrape_series_added")).isZero();
    scrape("");
    assertThat(storage.named("foo")).hasSize(3);
    assertThat(stale(storage.named("foo").get(2))).isTrue();
  }

  @Test
  void aSeriesThatGoesAndComesBackIsStaledAndAddedAgain() {
    scrape("a 1\nb 1\n");
    assertThat(last("scrape_series_added")).isEqualTo(2);
    scrape("a 2\n");
    assertThat(storage.named("b")).hasSize(2);
    assertThat(stale(storage.named("b").get(1))).isTrue();
    assertThat(last("scrape_series_added")).isZero();
    scrape("a 3\nb 3\n");
    assertThat(storage.named("b").get(2)).isEqualTo(new Appended(series("b"), 1_045_000, 3));
    assertThat(last("scrape_series_added")).isEqualTo(1);
    assertThat(storage.named("a").stream().noneMatch(SeriesCacheTest::stale)).isTrue();
  }

  @Test
  void samplesDroppedByRelabellingStayDroppedWhenCached() {
    loop =
        loop(
            "    metric_relabel_configs:\n"
                + "      - source_labels: [__name__]\n        regex: bar\n        action: drop\n");
    for (int i = 0; i < 3; i++) {
      scrape("foo 1\nbar 2\n");
      assertThat(last("scrape_samples_scraped")).isEqualTo(2);
      assertThat(last("scrape_samples_post_metric_relabeling")).isEqualTo(1);
    }
    assertThat(storage.named("bar")).isEmpty();
    assertThat(storage.named("foo")).hasSize(3);
  }

  @Test
  void churnedSeriesAreForgottenAfterASuccessfulScrape() {
    StringBuilder first = new StringBuilder();
    StringBuilder second = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      first.append("m{i=\"").append(i).append("\"} 1\n");
      second.append("m{i=\"").append(i + 100).append("\"} 1\n");
    }
    scrape(first.toString());
    assertThat(loop.cachedSpellings()).isEqualTo(100);
    scrape(second.toString());
    assertThat(loop.cachedSpellings()).isEqualTo(100);
    assertThat(storage.named("m").stream().filter(SeriesCacheTest::stale).count()).isEqualTo(100);
    assertThat(last("scrape_series_added")).isEqualTo(100);
  }

  @Test
  void aFailedScrapeStalesEverySeriesAndTheNextOneAddsThemAgain() {
    scrape("a 1\n");
    scrape("a 2\nbad{ 1\n");
    assertThat(last("up")).isZero();
    assertThat(storage.named("a")).hasSize(2);
    assertThat(stale(storage.named("a").get(1))).isTrue();
    scrape("a 3\n");
    assertThat(last("up")).isEqualTo(1);
    assertThat(storage.named("a").get(2)).isEqualTo(new Appended(series("a"), 1_045_000, 3));
    assertThat(last("scrape_series_added")).isEqualTo(1);
  }

  @Test
  void aTargetThatSwitchesFormatKeepsItsSeries() {
    scrape("# TYPE c counter\nc_total 1\n");
    scrape("# TYPE c counter\nc_total 2\n# EOF\n", OM);
    assertThat(storage.named("c_total"))
        .containsExactly(
            new Appended(series("c_total"), 1_015_000, 1),
            new Appended(series("c_total"), 1_030_000, 2));
    assertThat(last("scrape_series_added")).isZero();
  }

  @Test
  void aFailedFetchKeepsTheCacheOfAnOpenMetricsTarget() {
    ScrapeConfig cfg =
        ScrapeConfigParser.parseYaml("scrape_configs: [{job_name: node, scrape_timeout: 2s}]")
            .scrapeConfigs()
            .get(0);
    loop = ScrapeLoop.unscheduled(cfg, "127.0.0.1:1", storage, () -> now); // nothing listens
    scrape("# TYPE c counter\nc_total 1\n# EOF\n", OM);
    assertThat(loop.cachedSpellings()).isEqualTo(1);
    loop.scrapeOnce(now += 15_000);
    assertThat(last("up")).isZero();
    assertThat(loop.cachedSpellings()).isEqualTo(1);
  }

  @Test
  void seriesWithTheirOwnTimestampAreCachedButNotStaled() {
    scrape("a 1 500000\nb 1\n");
    scrape("a 2 510000\n");
    assertThat(storage.named("a"))
        .containsExactly(
            new Appended(series("a"), 500_000, 1), new Appended(series("a"), 510_000, 2));
    assertThat(stale(storage.named("b").get(1))).isTrue();
  }

  @Test
  void metadataOfTheLastSuccessfulScrapeIsKeptPerTarget() {
    scrape(
        "# HELP foo_total Foo things.\n# TYPE foo_total counter\nfoo_total 1\n"
            + "# TYPE g gauge\ng 1\nplain 3\n");
    assertThat(loop.metadata())
        .containsExactly(
            new MetricMetadata("foo_total", MetricType.COUNTER, "Foo things.", ""),
            new MetricMetadata("g", MetricType.GAUGE, "", ""));
    scrape("# TYPE g gauge\ng 1\nbad{\n");
    assertThat(loop.metadata()).hasSize(2);
    scrape(
        "# TYPE d_seconds histogram\n# UNIT d_seconds seconds\n"
            + "d_seconds_bucket{le=\"+Inf\"} 1\nd_seconds_count 1\n# EOF\n",
        OM);
    assertThat(loop.metadata())
        .containsExactly(new MetricMetadata("d_seconds", MetricType.HISTOGRAM, "", "seconds"));
  }

  @Test
  void theHashSeesEveryByte() {
    byte[] a = "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}".getBytes(StandardCharsets.UTF_8);
    byte[] b = a.clone();
    b[b.length - 3]++;
    assertThat(SeriesCache.hash(a, 0, a.length)).isNotEqualTo(SeriesCache.hash(b, 0, b.length));
    assertThat(SeriesCache.hash(a, 1, a.length)).isNotEqualTo(SeriesCache.hash(a, 0, a.length));
  }
}
