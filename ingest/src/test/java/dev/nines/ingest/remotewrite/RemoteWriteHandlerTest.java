package dev.nines.ingest.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.common.Labels;
import dev.nines.ingest.remotewrite.RecordingAppendable.Appended;
import dev.nines.ingest.remotewrite.prompb.Exemplar;
import dev.nines.ingest.remotewrite.prompb.Histogram;
import dev.nines.ingest.remotewrite.prompb.Label;
import dev.nines.ingest.remotewrite.prompb.MetricMetadata;
import dev.nines.ingest.remotewrite.prompb.Sample;
import dev.nines.ingest.remotewrite.prompb.TimeSeries;
import dev.nines.ingest.remotewrite.prompb.WriteRequest;
import dev.nines.tsdb.storage.AppendException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xerial.snappy.Snappy;

class RemoteWriteHandlerTest {
  static final String V1 = "application/x-protobuf";

  final RecordingAppendable storage = new RecordingAppendable();
  final IngestStats stats = new IngestStats();
  final List<String> metadata = new ArrayList<>();

  RemoteWriteHandler handler(IngestLimits limits) {
    return new RemoteWriteHandler(
        storage,
        limits,
        stats,
        (family, type, help, unit) -> metadata.add(family + "|" + type + "|" + help + "|" + unit));
  }

  RemoteWriteHandler handler() {
    return handler(IngestLimits.DEFAULT);
  }

  static Label l(String name, String value) {
    return Label.newBuilder().setName(name).setValue(value).build();
  }

  static Sample s(double v, long t) {
    return Sample.newBuilder().setValue(v).setTimestamp(t).build();
  }

  static TimeSeries ts(List<Label> labels, Sample... samples) {
    return TimeSeries.newBuilder().addAllLabels(labels).addAllSamples(List.of(samples)).build();
  }

  static byte[] snappy(byte[] raw) {
    try {
      return Snappy.compress(raw);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] body(TimeSeries... series) {
    return snappy(
        WriteRequest.newBuilder().addAllTimeseries(List.of(series)).build().toByteArray());
  }

  @Test
  void writesEverySampleAndAnswers204() {
    byte[] body =
        body(
            ts(List.of(l("__name__", "up"), l("job", "node")), s(1, 1000), s(1, 2000)),
            ts(List.of(l("__name__", "http_requests_total"), l("code", "200")), s(42, 1000)));

    IngestResponse r = handler().handle(body, V1, "snappy", "0.1.0");

    assertThat(r.status()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    assertThat(storage.committed())
        .containsExactly(
            new Appended(Labels.of("__name__", "up", "job", "node"), 1000, 1),
            new Appended(Labels.of("__name__", "up", "job", "node"), 2000, 1),
            new Appended(Labels.of("__name__", "http_requests_total", "code", "200"), 1000, 42));
    assertThat(stats.samplesReceived()).isEqualTo(3);
    assertThat(stats.samplesWritten()).isEqualTo(3);
    assertThat(stats.seriesReceived()).isEqualTo(2);
    assertThat(stats.requests(204)).isEqualTo(1);
    assertThat(stats.bytesReceived()).isEqualTo(body.length);
  }

  @Test
  void staleMarkerIsWrittenBitForBit() {
    double stale = Double.longBitsToDouble(0x7ff0000000000002L);
    IngestResponse r =
        handler().handle(body(ts(List.of(l("__name__", "up")), s(stale, 5))), V1, null, null);

    assertThat(r.status()).isEqualTo(204);
    assertThat(Double.doubleToRawLongBits(storage.committed().get(0).v()))
        .isEqualTo(0x7ff0000000000002L);
  }

  @Test
  void unsortedLabelsAreAcceptedAndSorted() {
    IngestResponse r =
        handler()
            .handle(
                body(ts(List.of(l("zone", "a"), l("__name__", "up"), l("job", "x")), s(1, 1))),
                V1,
                "snappy",
                null);

    assertThat(r.status()).isEqualTo(204);
    assertThat(storage.committed().get(0).labels())
        .isEqualTo(Labels.of("__name__", "up", "job", "x", "zone", "a"));
  }

  @Test
  void emptyLabelValuesAreDropped() {
    handler().handle(body(ts(List.of(l("__name__", "up"), l("job", "")), s(1, 1))), V1, null, null);

    assertThat(storage.committed().get(0).labels()).isEqualTo(Labels.of("__name__", "up"));
  }

  @Test
  void badSnappyIs400() {
    IngestResponse r =
        handler().handle("not snappy at all".getBytes(StandardCharsets.UTF_8), V1, "snappy", null);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).contains("snappy");
    assertThat(storage.committed()).isEmpty();
    assertThat(stats.requests(400)).isEqualTo(1);
  }

  @Test
  void framedSnappyIsRefused() throws IOException {
    // The framed (stream) format starts with a stream identifier chunk; block decoding refuses it.
    byte[] raw = WriteRequest.newBuilder().build().toByteArray();
    java.io.ByteArrayOutputStream framed = new java.io.ByteArrayOutputStream();
    try (org.xerial.snappy.SnappyFramedOutputStream out =
        new org.xerial.snappy.SnappyFramedOutputStream(framed)) {
      out.write(ts(List.of(l("__name__", "up")), s(1, 1)).toByteArray());
      out.write(raw);
    }

    IngestResponse r = handler().handle(framed.toByteArray(), V1, "snappy", null);

    assertThat(r.status()).isEqualTo(400);
  }

  @Test
  void badProtobufIs400() {
    byte[] garbage = {(byte) 0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02};

    IngestResponse r = handler().handle(snappy(garbage), V1, "snappy", null);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).contains("prometheus.WriteRequest");
    assertThat(storage.committed()).isEmpty();
  }

  @Test
  void invalidSeriesAreNamedAndTheValidOnesWritten() {
    byte[] body =
        body(
            ts(List.of(l("__name__", "good")), s(1, 1)),
            ts(List.of(l("job", "no-name")), s(2, 1)),
            ts(List.of(l("__name__", "dup"), l("a", "1"), l("a", "2")), s(3, 1)),
            ts(List.of(l("__name__", ""), l("job", "empty-name")), s(4, 1)),
            ts(List.of(l("__name__", "good2"), l("", "x")), s(5, 1)),
            ts(List.of(l("__name__", "good3")), s(6, 1)));

    IngestResponse r = handler().handle(body, V1, "snappy", null);

    assertThat(r.status()).isEqualTo(400);
    assertThat(storage.committed())
        .extracting(a -> a.labels().metricName())
        .containsExactly("good", "good3");
    assertThat(r.message())
        .contains("2 samples written, 4 refused")
        .contains("series #1 {job=\"no-name\"}: missing or empty metric name")
        .contains("series #2 {__name__=\"dup\", a=\"1\", a=\"2\"}: duplicate label name")
        .contains("series #3")
        .contains("series #4")
        .contains("empty label name");
    assertThat(stats.refused(RefusalReason.MISSING_METRIC_NAME)).isEqualTo(2);
    assertThat(stats.refused(RefusalReason.DUPLICATE_LABEL_NAME)).isEqualTo(1);
    assertThat(stats.refused(RefusalReason.EMPTY_LABEL_NAME)).isEqualTo(1);
    assertThat(stats.samplesWritten()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(AppendException.Reason.class)
  void storageRefusalsArePartial400s(AppendException.Reason reason) {
    storage.refusing(l -> "bad".equals(l.get("job")) ? reason : null);
    byte[] body =
        body(
            ts(List.of(l("__name__", "up"), l("job", "good")), s(1, 1)),
            ts(List.of(l("__name__", "up"), l("job", "bad")), s(1, 1), s(1, 2)));

    IngestResponse r = handler().handle(body, V1, "snappy", null);

    RefusalReason expected = RefusalReason.of(reason);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message())
        .contains("1 samples written, 2 refused (" + expected.label() + ": 2)")
        .contains("{__name__=\"up\", job=\"bad\"}: " + expected.description());
    // The same series refused twice in a row is named once.
    assertThat(r.message().split(expected.description(), -1)).hasSize(2);
    assertThat(storage.committed()).hasSize(1);
    assertThat(stats.refused(expected)).isEqualTo(2);
  }

  @Test
  void manyRefusedSeriesAreCutShort() {
    TimeSeries[] series = new TimeSeries[25];
    for (int i = 0; i < series.length; i++) {
      series[i] = ts(List.of(l("job", "j" + i)), s(i, 1));
    }

    IngestResponse r = handler().handle(body(series), V1, "snappy", null);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message())
        .contains("series #9 ")
        .doesNotContain("series #10 ")
        .endsWith("and 15 more");
  }

  @Test
  void storageFailureIs500AndRollsBack() {
    storage.failingCommit();

    IngestResponse r =
        handler().handle(body(ts(List.of(l("__name__", "up")), s(1, 1))), V1, "snappy", null);

    assertThat(r.status()).isEqualTo(500);
    assertThat(r.message()).contains("disk full").contains("retry");
    assertThat(storage.committed()).isEmpty();
    assertThat(storage.rollbacks()).isEqualTo(1);
    assertThat(stats.requests(500)).isEqualTo(1);
  }

  @Test
  void overTheRateIs429WithRetryAfter() {
    RemoteWriteHandler h = handler(IngestLimits.DEFAULT.withRate(10, 10));
    TimeSeries[] series = new TimeSeries[8];
    for (int i = 0; i < series.length; i++) {
      series[i] = ts(List.of(l("__name__", "m" + i)), s(i, 1));
    }

    IngestResponse first = h.handle(body(series), V1, "snappy", null);
    IngestResponse second = h.handle(body(series), V1, "snappy", null);

    assertThat(first.status()).isEqualTo(204);
    assertThat(second.status()).isEqualTo(429);
    assertThat(second.headers()).containsKey("Retry-After");
    assertThat(Long.parseLong(second.headers().get("Retry-After"))).isBetween(1L, 2L);
    assertThat(second.message()).contains("10 samples/s");
    assertThat(storage.committed()).hasSize(8);
    assertThat(stats.samplesRateLimited()).isEqualTo(8);
    assertThat(stats.requests(429)).isEqualTo(1);
  }

  @Test
  void aRequestLargerThanTheBurstTakesTheWholeBucket() {
    RemoteWriteHandler h = handler(IngestLimits.DEFAULT.withRate(5, 5));
    TimeSeries[] series = new TimeSeries[20];
    for (int i = 0; i < series.length; i++) {
      series[i] = ts(List.of(l("__name__", "m" + i)), s(i, 1));
    }

    assertThat(h.handle(body(series), V1, "snappy", null).status()).isEqualTo(204);
    assertThat(h.handle(body(series), V1, "snappy", null).status()).isEqualTo(429);
  }

  @Test
  void bodyOverTheLimitIs413() {
    byte[] body = body(ts(List.of(l("__name__", "up"), l("job", "x".repeat(200))), s(1, 1)));
    RemoteWriteHandler h = handler(IngestLimits.DEFAULT.withBodyLimits(body.length - 1, 1 << 20));

    IngestResponse r = h.handle(body, V1, "snappy", null);

    assertThat(r.status()).isEqualTo(413);
    assertThat(r.message()).contains(body.length + " bytes exceeds the limit");
    assertThat(storage.committed()).isEmpty();
  }

  @Test
  void decompressedBodyOverTheLimitIs413BeforeDecompressing() {
    // Highly compressible: small on the wire, large once decompressed.
    byte[] body = body(ts(List.of(l("__name__", "up"), l("job", "x".repeat(100_000))), s(1, 1)));
    RemoteWriteHandler h = handler(IngestLimits.DEFAULT.withBodyLimits(1 << 20, 50_000));

    IngestResponse r = h.handle(body, V1, "snappy", null);

    assertThat(body.length).isLessThan(50_000);
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.message()).contains("decompressed body");
  }

  @Test
  void unsupportedContentIs415() {
    byte[] body = body(ts(List.of(l("__name__", "up")), s(1, 1)));
    RemoteWriteHandler h = handler();

    assertThat(h.handle(body, "application/json", "snappy", null).status()).isEqualTo(415);
    assertThat(h.handle(body, "application/x-protobuf;proto=foo.Bar", "snappy", null).message())
        .contains("foo.Bar");
    assertThat(h.handle(body, V1, "gzip", null).status()).isEqualTo(415);
    assertThat(h.handle(body, "application/x-protobuf;proto=foo.Bar", null, "2.0.0").status())
        .isEqualTo(415);
    assertThat(storage.committed()).isEmpty();
    assertThat(stats.requests(415)).isEqualTo(4);
  }

  @Test
  void contentTypeNegotiation() throws Exception {
    assertThat(RemoteWriteHandler.negotiate(null)).isEqualTo(RemoteWriteHandler.Version.V1);
    assertThat(RemoteWriteHandler.negotiate("application/x-protobuf"))
        .isEqualTo(RemoteWriteHandler.Version.V1);
    assertThat(RemoteWriteHandler.negotiate("application/x-protobuf;proto=prometheus.WriteRequest"))
        .isEqualTo(RemoteWriteHandler.Version.V1);
    assertThat(
            RemoteWriteHandler.negotiate(
                "Application/X-Protobuf; charset=utf-8; proto=\"io.prometheus.write.v2.Request\""))
        .isEqualTo(RemoteWriteHandler.Version.V2);
  }

  @Test
  void metadataGoesToTheSinkAndExemplarsAreCountedAndDropped() {
    WriteRequest req =
        WriteRequest.newBuilder()
            .addTimeseries(
                TimeSeries.newBuilder()
                    .addLabels(l("__name__", "http_request_duration_seconds_count"))
                    .addSamples(s(7, 1000))
                    .addExemplars(
                        Exemplar.newBuilder()
                            .addLabels(l("trace_id", "abc"))
                            .setValue(0.3)
                            .setTimestamp(999)))
            .addMetadata(
                MetricMetadata.newBuilder()
                    .setType(MetricMetadata.MetricType.HISTOGRAM)
                    .setMetricFamilyName("http_request_duration_seconds")
                    .setHelp("Request latency.")
                    .setUnit("seconds"))
            .build();

    IngestResponse r = handler().handle(snappy(req.toByteArray()), V1, "snappy", null);

    assertThat(r.status()).isEqualTo(204);
    assertThat(storage.committed()).hasSize(1);
    assertThat(metadata)
        .containsExactly("http_request_duration_seconds|histogram|Request latency.|seconds");
    assertThat(stats.metadataReceived()).isEqualTo(1);
    assertThat(stats.exemplarsReceived()).isEqualTo(1);
    assertThat(stats.exemplarsDropped()).isEqualTo(1);
  }

  @Test
  void aThrowingMetadataSinkDoesNotFailTheWrite() {
    RemoteWriteHandler h =
        new RemoteWriteHandler(
            storage,
            IngestLimits.DEFAULT,
            stats,
            (f, t, hp, u) -> {
              throw new IllegalStateException("boom");
            });
    WriteRequest req =
        WriteRequest.newBuilder()
            .addTimeseries(ts(List.of(l("__name__", "up")), s(1, 1)))
            .addMetadata(MetricMetadata.newBuilder().setMetricFamilyName("up"))
            .build();

    assertThat(h.handle(snappy(req.toByteArray()), V1, null, null).status()).isEqualTo(204);
    assertThat(stats.metadataSinkErrors()).isEqualTo(1);
  }

  @Test
  void nativeHistogramsAreRefusedByName() {
    TimeSeries withHistogram =
        TimeSeries.newBuilder()
            .addLabels(l("__name__", "latency"))
            .addHistograms(Histogram.newBuilder().setCountInt(3).setSum(1.5).setTimestamp(1))
            .build();

    IngestResponse r =
        handler()
            .handle(body(withHistogram, ts(List.of(l("__name__", "up")), s(1, 1))), V1, null, null);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).contains("{__name__=\"latency\"}: native histograms are not supported");
    assertThat(storage.committed()).hasSize(1);
    assertThat(stats.histogramsReceived()).isEqualTo(1);
    assertThat(stats.refused(RefusalReason.NATIVE_HISTOGRAM)).isEqualTo(1);
  }

  @Test
  void emptyRequestIs204() {
    assertThat(handler().handle(body(), V1, "snappy", "0.1.0").status()).isEqualTo(204);
  }

  @Test
  void limitsNameTheFieldAtFault() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new IngestLimits(0, 1, 0, 0).validate())
        .hasMessageContaining("maxBodyBytes");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> IngestLimits.DEFAULT.withRate(10, 0))
        .hasMessageContaining("burstSamples");
  }
}
