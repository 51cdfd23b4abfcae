package dev.nines.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.nines.common.Labels;
import dev.nines.ingest.scrape.ScrapeConfigParser;
import dev.nines.ingest.scrape.ScrapeManager;
import dev.nines.server.api.MetricMetadata;
import dev.nines.tsdb.storage.Appender;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scrape metadata and remote-write metadata, merged per family into distinct entries. */
class MergedMetadataTest {
  @Test
  void scrapedAndPushedMetadataAreMergedPerFamily() throws Exception {
    HttpServer target =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] body =
        ("# HELP req_total Requests.\n# TYPE req_total counter\nreq_total 1\n"
                + "# TYPE temp gauge\ntemp 20\nplain 1\n")
            .getBytes(StandardCharsets.UTF_8);
    target.createContext(
        "/metrics",
        ex -> {
          ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
          }
        });
    target.start();
    MetadataCatalog pushed = new MetadataCatalog(100);
    pushed.accept("req_total", "counter", "Requests.", "");
    pushed.accept("req_total", "counter", "Requests served.", "");
    pushed.accept("queue_seconds", "histogram", "Time queued.", "seconds");
    try (ScrapeManager manager =
        new ScrapeManager(() -> new NoStorage(), HttpClient.newHttpClient(), () -> 1_000_000L)) {
      MergedMetadata merged = new MergedMetadata(pushed, () -> manager);
      assertThat(merged.metadata()).containsOnlyKeys("req_total", "queue_seconds");
      manager.apply(
          ScrapeConfigParser.parseYaml(
              "scrape_configs: [{job_name: app, static_configs: [{targets: ['127.0.0.1:"
                  + target.getAddress().getPort()
                  + "']}]}]"));
      manager.scrapeAll();
      Map<String, List<MetricMetadata>> m = merged.metadata();
      assertThat(m).containsOnlyKeys("queue_seconds", "req_total", "temp");
      assertThat(m.get("req_total"))
          .containsExactly(
              new MetricMetadata("counter", "Requests.", ""),
              new MetricMetadata("counter", "Requests served.", ""));
      assertThat(m.get("temp")).containsExactly(new MetricMetadata("gauge", "", ""));
      assertThat(m.get("queue_seconds"))
          .containsExactly(new MetricMetadata("histogram", "Time queued.", "seconds"));
    } finally {
      target.stop(0);
    }
    assertThat(new MergedMetadata(pushed, () -> null).metadata()).hasSize(2);
  }

  /** Storage that keeps nothing. */
  private static final class NoStorage implements Appender {
    @Override
    public long append(long ref, Labels labels, long timestamp, double value) {
      return 1;
    }

    @Override
    public void commit() {}

    @Override
    public void rollback() {}
  }
}
