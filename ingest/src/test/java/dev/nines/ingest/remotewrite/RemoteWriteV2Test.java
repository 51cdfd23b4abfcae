package dev.nines.ingest.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.common.Labels;
import dev.nines.ingest.remotewrite.RecordingAppendable.Appended;
import dev.nines.ingest.remotewrite.writev2.Exemplar;
import dev.nines.ingest.remotewrite.writev2.Histogram;
import dev.nines.ingest.remotewrite.writev2.Metadata;
import dev.nines.ingest.remotewrite.writev2.Request;
import dev.nines.ingest.remotewrite.writev2.Sample;
import dev.nines.ingest.remotewrite.writev2.TimeSeries;
import dev.nines.tsdb.storage.AppendException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class RemoteWriteV2Test {
  static final String V2 = "application/x-protobuf;proto=io.prometheus.write.v2.Request";

  final RecordingAppendable storage = new RecordingAppendable();
  final IngestStats stats = new IngestStats();
  final List<String> metadata = new ArrayList<>();
  final RemoteWriteHandler handler =
      new RemoteWriteHandler(
          storage,
          IngestLimits.DEFAULT,
          stats,
          (family, type, help, unit) ->
              metadata.add(family + "|" + type + "|" + help + "|" + unit));

  // symbols: 0 "", 1 __name__, 2 http_requests_total, 3 job, 4 api, 5 help, 6 code, 7 200,
  // 8 trace_id, 9 abc, 10 up
  static final List<String> SYMBOLS =
      List.of(
          "",
          "__name__",
          "http_requests_total",
          "job",
          "api",
          "Requests.",
          "code",
          "200",
          "trace_id",
          "abc",
          "up");

  static byte[] body(Request req) {
    try {
      return Snappy.compress(req.toByteArray());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static Sample s(double v, long t) {
    return Sample.newBuilder().setValue(v).setTimestamp(t).build();
  }

  @Test
  void symbolsResolveAndWrittenCountsComeBackInHeaders() {
    Request req =
        Request.newBuilder()
            .addAllSymbols(SYMBOLS)
            .addTimeseries(
                TimeSeries.newBuilder()
                    .addAllLabelsRefs(List.of(1, 2, 6, 7, 3, 4))
                    .addSamples(s(10, 1000))
                    .addSamples(s(11, 2000))
                    .addExemplars(Exemplar.newBuilder().addAllLabelsRefs(List.of(8, 9)).setValue(1))
                    .setMetadata(
                        Metadata.newBuilder()
                            .setType(Metadata.MetricType.METRIC_TYPE_COUNTER)
                            .setHelpRef(5))
                    .setCreatedTimestamp(500))
            .addTimeseries(
                TimeSeries.newBuilder()
                    .addAllLabelsRefs(List.of(1, 10, 3, 4))
                    .addSamples(s(1, 1000)))
            .build();

    IngestResponse r = handler.handle(body(req), V2, "snappy", "2.0.0");

    assertThat(r.status()).isEqualTo(204);
    assertThat(storage.committed())
        .containsExactly(
            new Appended(
                Labels.of("__name__", "http_requests_total", "code", "200", "job", "api"),
                1000,
                10),
            new Appended(
                Labels.of("__name__", "http_requests_total", "code", "200", "job", "api"),
                2000,
                11),
            new Appended(Labels.of("__name__", "up", "job", "api"), 1000, 1));
    assertThat(r.headers())
        .containsEntry(RemoteWriteHandler.SAMPLES_WRITTEN, "3")
        .containsEntry(RemoteWriteHandler.HISTOGRAMS_WRITTEN, "0")
        .containsEntry(RemoteWriteHandler.EXEMPLARS_WRITTEN, "0");
    assertThat(metadata).containsExactly("http_requests|counter|Requests.|");
    assertThat(stats.exemplarsDropped()).isEqualTo(1);
  }

  @Test
  void badReferencesAndMixedSeriesArePartial400sWithHeaders() {
    Request req =
        Request.newBuilder()
            .addAllSymbols(SYMBOLS)
            .addTimeseries(
                TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 10)).addSamples(s(1, 1)))
            .addTimeseries(
                TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 99)).addSamples(s(1, 1)))
            .addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1)).addSamples(s(1, 1)))
            .addTimeseries(
                TimeSeries.newBuilder()
                    .addAllLabelsRefs(List.of(1, 2))
                    .addSamples(s(1, 1))
                    .addHistograms(Histogram.newBuilder().setCountInt(1)))
            .addTimeseries(
                TimeSeries.newBuilder()
                    .addAllLabelsRefs(List.of(1, 2, 3, 4))
                    .addHistograms(Histogram.newBuilder().setCountInt(1)))
            .build();

    IngestResponse r = handler.handle(body(req), V2, "snappy", "2.0.0");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.headers()).containsEntry(RemoteWriteHandler.SAMPLES_WRITTEN, "1");
    assertThat(r.message())
        .contains("series #1: invalid symbol reference")
        .contains("series #2: invalid symbol reference")
        .contains("{__name__=\"http_requests_total\"}: series has both samples and histograms")
        .contains("native histograms are not supported");
    assertThat(storage.committed()).hasSize(1);
  }

  @Test
  void storageRefusalsAreReportedForV2Too() {
    storage.refusing(l -> AppendException.Reason.OUT_OF_ORDER);
    Request req =
        Request.newBuilder()
            .addAllSymbols(SYMBOLS)
            .addTimeseries(
                TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 10)).addSamples(s(1, 1)))
            .build();

    IngestResponse r = handler.handle(body(req), V2, "snappy", "2.0.0");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.headers()).containsEntry(RemoteWriteHandler.SAMPLES_WRITTEN, "0");
    assertThat(r.message()).contains("out of order sample");
  }

  @Test
  void aV1BodyUnderTheV2ContentTypeDecodesAsEmpty() {
    // Fields 1-3 are reserved in v2, so a 1.0 WriteRequest parses as an empty 2.0 Request.
    byte[] v1 =
        RemoteWriteHandlerTest.body(
            RemoteWriteHandlerTest.ts(
                List.of(RemoteWriteHandlerTest.l("__name__", "up")),
                RemoteWriteHandlerTest.s(1, 1)));

    IngestResponse r = handler.handle(v1, V2, "snappy", "2.0.0");

    assertThat(r.status()).isEqualTo(204);
    assertThat(r.headers()).containsEntry(RemoteWriteHandler.SAMPLES_WRITTEN, "0");
    assertThat(storage.committed()).isEmpty();
  }
}
