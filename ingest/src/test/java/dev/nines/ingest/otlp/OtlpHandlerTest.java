package dev.nines.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.nines.common.Labels;
import dev.nines.ingest.remotewrite.IngestLimits;
import dev.nines.ingest.remotewrite.IngestResponse;
import dev.nines.ingest.remotewrite.IngestStats;
import dev.nines.ingest.remotewrite.RecordingAppendable;
import dev.nines.ingest.remotewrite.RecordingAppendable.Appended;
import dev.nines.ingest.remotewrite.RefusalReason;
import dev.nines.tsdb.storage.AppendException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class OtlpHandlerTest {
  static final String PROTO = "application/x-protobuf";
  static final long T = 1_700_000_000_123_456_789L;
  static final long T_MS = 1_700_000_000_123L;

  final RecordingAppendable storage = new RecordingAppendable();
  final IngestStats stats = new IngestStats();
  final OtlpHandler handler = new OtlpHandler(storage, IngestLimits.DEFAULT, stats, Set.of());

  static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  static Resource resource(KeyValue... attrs) {
    return Resource.newBuilder().addAllAttributes(List.of(attrs)).build();
  }

  static final Resource SERVICE =
      resource(
          kv("service.name", "checkout"),
          kv("service.namespace", "shop"),
          kv("service.instance.id", "pod-1"),
          kv("host.name", "node-7"),
          kv("deployment.environment", "prod"));

  static ExportMetricsServiceRequest request(Resource resource, Metric... metrics) {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(resource)
                .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
        .build();
  }

  static NumberDataPoint point(double v, KeyValue... attrs) {
    return NumberDataPoint.newBuilder()
        .setTimeUnixNano(T)
        .setAsDouble(v)
        .addAllAttributes(List.of(attrs))
        .build();
  }

  static Metric gauge(String name, String unit, NumberDataPoint... points) {
    return Metric.newBuilder()
        .setName(name)
        .setUnit(unit)
        .setGauge(Gauge.newBuilder().addAllDataPoints(List.of(points)))
        .build();
  }

  static Metric sum(
      String name,
      String unit,
      boolean monotonic,
      AggregationTemporality temporality,
      NumberDataPoint... points) {
    return Metric.newBuilder()
        .setName(name)
        .setUnit(unit)
        .setSum(
            Sum.newBuilder()
                .setIsMonotonic(monotonic)
                .setAggregationTemporality(temporality)
                .addAllDataPoints(List.of(points)))
        .build();
  }

  static final AggregationTemporality CUMULATIVE =
      AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
  static final AggregationTemporality DELTA = AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;

  static Labels labels(String... more) {
    Labels.Builder b = Labels.builder().set("job", "shop/checkout").set("instance", "pod-1");
    for (int i = 0; i < more.length; i += 2) {
      b.set(more[i], more[i + 1]);
    }
    return b.build();
  }

  @Test
  void gaugesAndSumsBecomeGaugesAndCounters() {
    ExportMetricsServiceRequest req =
        request(
            SERVICE,
            gauge("memory.usage", "By", point(512, kv("state", "used"))),
            gauge("cpu.utilization", "1", point(0.25)),
            sum(
                "http.server.requests",
                "{request}",
                true,
                CUMULATIVE,
                point(10, kv("http.method", "GET"))),
            sum("queue.size", "{item}", false, CUMULATIVE, point(3)),
            Metric.newBuilder()
                .setName("jobs.done")
                .setSum(
                    Sum.newBuilder()
                        .setIsMonotonic(true)
                        .setAggregationTemporality(CUMULATIVE)
                        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsInt(7)))
                .build());

    IngestResponse r = handler.handle(req.toByteArray(), PROTO, null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers()).containsEntry("Content-Type", PROTO);
    assertThat(storage.committed())
        .contains(
            new Appended(labels("__name__", "memory_usage_bytes", "state", "used"), T_MS, 512),
            new Appended(labels("__name__", "cpu_utilization_ratio"), T_MS, 0.25),
            new Appended(
                labels("__name__", "http_server_requests_total", "http_method", "GET"), T_MS, 10),
            new Appended(labels("__name__", "queue_size"), T_MS, 3),
            new Appended(labels("__name__", "jobs_done_total"), T_MS, 7));
    assertThat(stats.requests(200)).isEqualTo(1);
  }

  @Test
  void targetInfoCarriesTheOtherResourceAttributes() throws Exception {
    IngestResponse r =
        handler.handle(request(SERVICE, gauge("g", "", point(1))).toByteArray(), PROTO, null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(ExportMetricsServiceResponse.parseFrom(r.body()).hasPartialSuccess()).isFalse();
    assertThat(storage.named("target_info"))
        .containsExactly(
            new Appended(
                labels(
                    "__name__", "target_info",
                    "host_name", "node-7",
                    "deployment_environment", "prod"),
                T_MS,
                1));
  }

  @Test
  void noTargetInfoWithoutIdentifyingOrWithoutOtherAttributes() {
    handler.handle(
        request(resource(kv("service.name", "a")), gauge("g", "", point(1))).toByteArray(),
        PROTO,
        null);
    handler.handle(
        request(resource(kv("host.name", "h")), gauge("g", "", point(1))).toByteArray(),
        PROTO,
        null);

    assertThat(storage.named("target_info")).isEmpty();
    assertThat(storage.named("g"))
        .extracting(Appended::labels)
        .containsExactly(Labels.of("__name__", "g", "job", "a"), Labels.of("__name__", "g"));
  }

  @Test
  void promotedResourceAttributesLandOnEverySeries() {
    OtlpHandler h =
        new OtlpHandler(storage, IngestLimits.DEFAULT, stats, Set.of("deployment.environment"));

    h.handle(request(SERVICE, gauge("g", "", point(1))).toByteArray(), PROTO, null);

    assertThat(storage.named("g").get(0).labels())
        .isEqualTo(labels("__name__", "g", "deployment_environment", "prod"));
  }

  @Test
  void explicitBucketHistogramsBecomeClassicHistograms() {
    Metric histogram =
        Metric.newBuilder()
            .setName("http.server.request.duration")
            .setUnit("s")
            .setHistogram(
                Histogram.newBuilder()
                    .setAggregationTemporality(CUMULATIVE)
                    .addDataPoints(
                        HistogramDataPoint.newBuilder()
                            .setTimeUnixNano(T)
                            .addAttributes(kv("http.route", "/cart"))
                            .setCount(10)
                            .setSum(2.5)
                            .addAllExplicitBounds(List.of(0.1, 0.5, 1.0))
                            .addAllBucketCounts(List.of(4L, 3L, 2L, 1L))))
            .build();

    IngestResponse r = handler.handle(request(SERVICE, histogram).toByteArray(), PROTO, null);

    assertThat(r.status()).isEqualTo(200);
    String name = "http_server_request_duration_seconds";
    assertThat(storage.committed())
        .contains(
            new Appended(labels("__name__", name + "_sum", "http_route", "/cart"), T_MS, 2.5),
            new Appended(labels("__name__", name + "_count", "http_route", "/cart"), T_MS, 10),
            new Appended(
                labels("__name__", name + "_bucket", "http_route", "/cart", "le", "0.1"), T_MS, 4),
            new Appended(
                labels("__name__", name + "_bucket", "http_route", "/cart", "le", "0.5"), T_MS, 7),
            new Appended(
                labels("__name__", name + "_bucket", "http_route", "/cart", "le", "1"), T_MS, 9),
            new Appended(
                labels("__name__", name + "_bucket", "http_route", "/cart", "le", "+Inf"),
                T_MS,
                10));
    assertThat(storage.named(name + "_bucket")).hasSize(4);
  }

  @Test
  void summariesBecomeQuantilesSumAndCount() {
    Metric summary =
        Metric.newBuilder()
            .setName("rpc.latency")
            .setUnit("ms")
            .setSummary(
                io.opentelemetry.proto.metrics.v1.Summary.newBuilder()
                    .addDataPoints(
                        SummaryDataPoint.newBuilder()
                            .setTimeUnixNano(T)
                            .setCount(100)
                            .setSum(1234.5)
                            .addQuantileValues(
                                SummaryDataPoint.ValueAtQuantile.newBuilder()
                                    .setQuantile(0.5)
                                    .setValue(11))
                            .addQuantileValues(
                                SummaryDataPoint.ValueAtQuantile.newBuilder()
                                    .setQuantile(0.99)
                                    .setValue(40))))
            .build();

    handler.handle(request(SERVICE, summary).toByteArray(), PROTO, null);

    assertThat(storage.committed())
        .contains(
            new Appended(labels("__name__", "rpc_latency_milliseconds_sum"), T_MS, 1234.5),
            new Appended(labels("__name__", "rpc_latency_milliseconds_count"), T_MS, 100),
            new Appended(
                labels("__name__", "rpc_latency_milliseconds", "quantile", "0.5"), T_MS, 11),
            new Appended(
                labels("__name__", "rpc_latency_milliseconds", "quantile", "0.99"), T_MS, 40));
  }

  @Test
  void deltaAloneIs400NamingTheMetric() {
    IngestResponse r =
        handler.handle(
            request(SERVICE, sum("orders.placed", "", true, DELTA, point(1), point(2)))
                .toByteArray(),
            PROTO,
            null);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message())
        .contains("metric \"orders.placed\" (sum): delta temporality is not supported");
    assertThat(storage.committed()).isEmpty();
    assertThat(stats.refused(RefusalReason.DELTA_TEMPORALITY)).isEqualTo(2);
  }

  @Test
  void someRefusedIsPartialSuccess() throws Exception {
    Metric exp =
        Metric.newBuilder()
            .setName("latency.exp")
            .setExponentialHistogram(
                ExponentialHistogram.newBuilder()
                    .setAggregationTemporality(CUMULATIVE)
                    .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(T)))
            .build();
    Metric deltaHistogram =
        Metric.newBuilder()
            .setName("latency.delta")
            .setHistogram(
                Histogram.newBuilder()
                    .setAggregationTemporality(DELTA)
                    .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(T)))
            .build();

    IngestResponse r =
        handler.handle(
            request(SERVICE, gauge("ok", "", point(1)), exp, deltaHistogram).toByteArray(),
            PROTO,
            null);

    assertThat(r.status()).isEqualTo(200);
    ExportMetricsServiceResponse resp = ExportMetricsServiceResponse.parseFrom(r.body());
    assertThat(resp.getPartialSuccess().getRejectedDataPoints()).isEqualTo(2);
    assertThat(resp.getPartialSuccess().getErrorMessage())
        .contains("metric \"latency.exp\" (exponential_histogram): exponential histograms")
        .contains("metric \"latency.delta\" (histogram): delta temporality");
    assertThat(storage.named("ok")).hasSize(1);
  }

  @Test
  void storageRefusalsCountOncePerDataPoint() throws Exception {
    storage.refusing(l -> "b".equals(l.get("k")) ? AppendException.Reason.OUT_OF_ORDER : null);
    Metric histogram =
        Metric.newBuilder()
            .setName("h")
            .setHistogram(
                Histogram.newBuilder()
                    .setAggregationTemporality(CUMULATIVE)
                    .addDataPoints(
                        HistogramDataPoint.newBuilder()
                            .setTimeUnixNano(T)
                            .addAttributes(kv("k", "b"))
                            .setCount(1)
                            .addExplicitBounds(1)
                            .addAllBucketCounts(List.of(1L, 0L))))
            .build();

    IngestResponse r =
        handler.handle(
            request(SERVICE, histogram, gauge("g", "", point(1, kv("k", "a")))).toByteArray(),
            PROTO,
            null);

    assertThat(r.status()).isEqualTo(200);
    ExportMetricsServiceResponse resp = ExportMetricsServiceResponse.parseFrom(r.body());
    assertThat(resp.getPartialSuccess().getRejectedDataPoints()).isEqualTo(1);
    assertThat(resp.getPartialSuccess().getErrorMessage()).contains("out of order sample");
  }

  @Test
  void jsonBodiesAreDecodedAndAnsweredInJson() {
    String json =
        """
        {"resourceMetrics":[{"resource":{"attributes":[
          {"key":"service.name","value":{"stringValue":"api"}}]},
         "scopeMetrics":[{"scope":{"name":"lib"},"metrics":[
          {"name":"http.requests","unit":"1","sum":{"aggregationTemporality":2,"isMonotonic":true,
           "dataPoints":[{"timeUnixNano":"1700000000123456789","asInt":"5",
             "attributes":[{"key":"code","value":{"intValue":"200"}}],
             "exemplars":[{"timeUnixNano":"1700000000000000000","asDouble":1.5,
               "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"}]}]}}]}]}]}
        """;

    IngestResponse r =
        handler.handle(
            json.getBytes(StandardCharsets.UTF_8), "application/json; charset=utf-8", null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers()).containsEntry("Content-Type", "application/json");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\n}");
    assertThat(storage.committed())
        .containsExactly(
            new Appended(
                Labels.of("__name__", "http_requests_total", "code", "200", "job", "api"),
                T_MS,
                5));
    assertThat(stats.exemplarsDropped()).isEqualTo(1);
  }

  @Test
  void jsonPartialSuccessAndErrorsAreJson() throws Exception {
    String json =
        JsonFormat.printer()
            .print(
                request(SERVICE, gauge("ok", "", point(1)), sum("d", "", true, DELTA, point(1))));
    IngestResponse partial =
        handler.handle(json.getBytes(StandardCharsets.UTF_8), "application/json", null);
    IngestResponse bad =
        handler.handle("{not json".getBytes(StandardCharsets.UTF_8), "application/json", null);

    assertThat(partial.status()).isEqualTo(200);
    assertThat(new String(partial.body(), StandardCharsets.UTF_8))
        .contains("\"rejectedDataPoints\": \"1\"");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(new String(bad.body(), StandardCharsets.UTF_8))
        .startsWith("{\"code\":3,\"message\":");
  }

  @Test
  void badProtobufIs400WithAStatusBody() throws Exception {
    IngestResponse r = handler.handle(new byte[] {0x0a, (byte) 0xff, 0x01}, PROTO, null);

    assertThat(r.status()).isEqualTo(400);
    // google.rpc.Status: field 1 = code 3, field 2 = message.
    com.google.protobuf.CodedInputStream in =
        com.google.protobuf.CodedInputStream.newInstance(r.body());
    assertThat(in.readTag()).isEqualTo(8);
    assertThat(in.readInt32()).isEqualTo(3);
    assertThat(in.readTag()).isEqualTo(18);
    assertThat(in.readString()).contains("ExportMetricsServiceRequest");
  }

  @Test
  void gzipIsAcceptedAndOtherEncodingsAndTypesAre415() throws IOException {
    byte[] raw = request(SERVICE, gauge("g", "", point(1))).toByteArray();
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(raw);
    }

    assertThat(handler.handle(gz.toByteArray(), PROTO, "gzip").status()).isEqualTo(200);
    assertThat(handler.handle(raw, PROTO, "br").status()).isEqualTo(415);
    assertThat(handler.handle(raw, "text/plain", null).status()).isEqualTo(415);
    assertThat(storage.named("g")).hasSize(1);
  }

  @Test
  void limitsAndStorageFailureAnswerAsOtlpClientsExpect() {
    byte[] raw = request(SERVICE, gauge("g", "", point(1))).toByteArray();
    OtlpHandler small =
        new OtlpHandler(
            storage, IngestLimits.DEFAULT.withBodyLimits(raw.length - 1, 1 << 20), stats, Set.of());
    OtlpHandler limited =
        new OtlpHandler(storage, IngestLimits.DEFAULT.withRate(1, 1), stats, Set.of());
    OtlpHandler broken =
        new OtlpHandler(
            new RecordingAppendable().failingCommit(), IngestLimits.DEFAULT, stats, Set.of());

    assertThat(small.handle(raw, PROTO, null).status()).isEqualTo(413);
    assertThat(limited.handle(raw, PROTO, null).status()).isEqualTo(200);
    IngestResponse tooFast = limited.handle(raw, PROTO, null);
    assertThat(tooFast.status()).isEqualTo(429);
    assertThat(tooFast.headers()).containsKey("Retry-After");
    IngestResponse failed = broken.handle(raw, PROTO, null);
    assertThat(failed.status()).isEqualTo(503);
    assertThat(failed.message()).contains("disk full");
  }

  @Test
  void collidingLabelsJoinAndOddValuesAreStringified() {
    NumberDataPoint p =
        NumberDataPoint.newBuilder()
            .setTimeUnixNano(T)
            .setAsDouble(1)
            .addAttributes(kv("a_b", "2"))
            .addAttributes(kv("a.b", "1"))
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("flag")
                    .setValue(AnyValue.newBuilder().setBoolValue(true)))
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("list")
                    .setValue(
                        AnyValue.newBuilder()
                            .setArrayValue(
                                ArrayValue.newBuilder()
                                    .addValues(AnyValue.newBuilder().setStringValue("x"))
                                    .addValues(AnyValue.newBuilder().setIntValue(2)))))
            .setFlags(0)
            .build();

    handler.handle(request(resource(), gauge("g", "", p)).toByteArray(), PROTO, null);

    assertThat(storage.named("g").get(0).labels())
        .isEqualTo(Labels.of("__name__", "g", "a_b", "1;2", "flag", "true", "list", "[\"x\",2]"));
  }

  @Test
  void noRecordedValueBecomesAStaleMarker() {
    NumberDataPoint p =
        NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsDouble(5).setFlags(1).build();

    handler.handle(request(SERVICE, gauge("g", "", p)).toByteArray(), PROTO, null);

    assertThat(Double.doubleToRawLongBits(storage.named("g").get(0).v()))
        .isEqualTo(0x7ff0000000000002L);
  }
}
