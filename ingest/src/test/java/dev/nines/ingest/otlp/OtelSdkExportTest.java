package dev.nines.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.nines.common.Labels;
import dev.nines.ingest.remotewrite.IngestLimits;
import dev.nines.ingest.remotewrite.IngestResponse;
import dev.nines.ingest.remotewrite.IngestStats;
import dev.nines.ingest.remotewrite.RecordingAppendable;
import dev.nines.ingest.remotewrite.RecordingAppendable.Appended;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real OpenTelemetry Java SDK with its OTLP/HTTP exporter sends to a loopback JDK HTTP server
 * that hands the body to {@link OtlpHandler}: the payload the SDK actually produces decodes and
 * translates as Prometheus would.
 */
class OtelSdkExportTest {
  final RecordingAppendable storage = new RecordingAppendable();
  final IngestStats stats = new IngestStats();
  final OtlpHandler handler = new OtlpHandler(storage, IngestLimits.DEFAULT, stats, Set.of());
  final List<IngestResponse> responses = new CopyOnWriteArrayList<>();
  HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/api/v1/otlp/v1/metrics",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          IngestResponse r =
              handler.handle(
                  body,
                  exchange.getRequestHeaders().getFirst("Content-Type"),
                  exchange.getRequestHeaders().getFirst("Content-Encoding"));
          responses.add(r);
          r.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
          byte[] out = r.body();
          exchange.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
          try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  SdkMeterProvider provider(AggregationTemporalitySelector temporality, String compression) {
    OtlpHttpMetricExporter exporter =
        OtlpHttpMetricExporter.builder()
            .setEndpoint(
                "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/otlp/v1/metrics")
            .setAggregationTemporalitySelector(temporality)
            .setCompression(compression)
            .setTimeout(Duration.ofSeconds(10))
            .build();
    return SdkMeterProvider.builder()
        .setResource(
            Resource.getDefault()
                .merge(
                    Resource.create(
                        Attributes.of(
                            AttributeKey.stringKey("service.name"), "checkout",
                            AttributeKey.stringKey("service.instance.id"), "pod-1",
                            AttributeKey.stringKey("deployment.environment"), "test"))))
        .registerMetricReader(
            PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
        .build();
  }

  @Test
  void cumulativeExportFromTheSdkIsWritten() {
    SdkMeterProvider provider = provider(AggregationTemporalitySelector.alwaysCumulative(), "gzip");
    Meter meter = provider.get("nines-test");
    LongCounter orders = meter.counterBuilder("orders.placed").setUnit("{order}").build();
    DoubleHistogram latency =
        meter
            .histogramBuilder("http.server.request.duration")
            .setUnit("s")
            .setExplicitBucketBoundariesAdvice(List.of(0.1, 0.5, 1.0))
            .build();
    LongUpDownCounter inFlight = meter.upDownCounterBuilder("requests.in_flight").build();
    meter.gaugeBuilder("queue.depth").setUnit("{item}").buildWithCallback(m -> m.record(7));
    Attributes eu = Attributes.of(AttributeKey.stringKey("region"), "eu");
    orders.add(3, eu);
    latency.record(0.2, eu);
    latency.record(0.7, eu);
    inFlight.add(2);

    CompletableResultCode flushed = provider.forceFlush().join(10, TimeUnit.SECONDS);
    // Shutting down exports once more; only the flushed export is checked.
    List<Appended> exported = storage.committed();
    provider.shutdown().join(10, TimeUnit.SECONDS);
    storage.retainOnly(exported);

    assertThat(flushed.isSuccess()).as("export %s", responses).isTrue();
    assertThat(responses).first().extracting(IngestResponse::status).isEqualTo(200);
    Labels base = Labels.of("job", "checkout", "instance", "pod-1");
    assertThat(storage.named("orders_placed_total"))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.labels())
                  .isEqualTo(
                      base.toBuilder()
                          .set("__name__", "orders_placed_total")
                          .set("region", "eu")
                          .build());
              assertThat(a.v()).isEqualTo(3);
            });
    String h = "http_server_request_duration_seconds";
    assertThat(storage.named(h + "_count")).extracting(Appended::v).containsExactly(2.0);
    assertThat(storage.named(h + "_sum")).extracting(Appended::v).containsExactly(0.2 + 0.7);
    assertThat(storage.named(h + "_bucket"))
        .extracting(a -> a.labels().get("le") + "=" + a.v())
        .containsExactly("0.1=0.0", "0.5=1.0", "1=2.0", "+Inf=2.0");
    assertThat(storage.named("requests_in_flight")).extracting(Appended::v).containsExactly(2.0);
    assertThat(storage.named("queue_depth")).extracting(Appended::v).containsExactly(7.0);
    assertThat(storage.named("target_info"))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.labels().get("deployment_environment")).isEqualTo("test");
              assertThat(a.labels().get("telemetry_sdk_language")).isEqualTo("java");
              assertThat(a.labels().get("job")).isEqualTo("checkout");
              assertThat(a.labels().get("service_name")).isNull();
            });
  }

  @Test
  void deltaExportFromTheSdkIsRefusedClearly() {
    SdkMeterProvider provider = provider(AggregationTemporalitySelector.deltaPreferred(), "none");
    provider.get("nines-test").counterBuilder("orders.placed").build().add(1);

    CompletableResultCode flushed = provider.forceFlush().join(10, TimeUnit.SECONDS);
    provider.shutdown().join(10, TimeUnit.SECONDS);

    assertThat(flushed.isSuccess()).isFalse();
    assertThat(responses)
        .first()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(400);
              assertThat(r.message()).contains("metric \"orders.placed\" (sum): delta temporality");
            });
    assertThat(storage.committed()).isEmpty();
  }
}
