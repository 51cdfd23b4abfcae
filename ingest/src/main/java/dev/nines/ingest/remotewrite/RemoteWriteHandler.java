package dev.nines.ingest.remotewrite;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.nines.common.Labels;
import dev.nines.ingest.remotewrite.prompb.Label;
import dev.nines.ingest.remotewrite.prompb.MetricMetadata;
import dev.nines.ingest.remotewrite.prompb.Sample;
import dev.nines.ingest.remotewrite.prompb.TimeSeries;
import dev.nines.ingest.remotewrite.prompb.WriteRequest;
import dev.nines.ingest.remotewrite.writev2.Metadata;
import dev.nines.ingest.remotewrite.writev2.Request;
import dev.nines.tsdb.storage.AppendException;
import dev.nines.tsdb.storage.Appendable;
import dev.nines.tsdb.storage.Appender;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.xerial.snappy.Snappy;

/**
 * The remote-write receiver ({@code POST /api/v1/write}): decodes a snappy-compressed protobuf
 * request, remote-write 1.0 or 2.0, writes its samples through an {@link Appendable}, and answers
 * with the status the specification prescribes. Thread-safe; one instance serves all requests.
 *
 * <p>The pipeline, top to bottom, in {@link #handle}: size limit (413) → content negotiation (415)
 * → snappy block decompression with a decompressed-size limit (400, 413) → protobuf decoding (400)
 * → samples/s limit (429) → validate and append each series, one appender per request → commit.
 *
 * <p>Design notes:
 *
 * <ul>
 *   <li><b>Partial writes.</b> A request is not all-or-nothing: valid series are written and
 *       committed, invalid ones (no {@code __name__}, duplicate or empty label names, native
 *       histograms, bad 2.0 symbol references) and samples storage refuses (out of order,
 *       duplicate, too old, invalid labels, series limit) are counted by reason and named in a 400
 *       message. 400 tells the sender not to retry, which is right: a retry would fail the same
 *       way, and the valid part is already stored. This is what Prometheus's own 2.0 receiver does.
 *   <li><b>Retryable failures.</b> Only a storage failure (a runtime exception from append or
 *       commit) answers 5xx (500); the batch is rolled back so that a retry does not duplicate.
 *   <li><b>Unsorted labels</b> are accepted and sorted (as Prometheus does): the label set is
 *       identity, order on the wire is not. Labels with empty values are dropped, as an empty label
 *       equals an absent one.
 *   <li><b>Exemplars</b> are decoded, counted and dropped (storage keeps none yet); <b>metadata</b>
 *       goes to the {@link MetadataSink}.
 *   <li><b>Allocation.</b> One {@link Labels} per series (the storage key) and the decoded message;
 *       nothing per sample. The label builder is reused across series.
 * </ul>
 */
public final class RemoteWriteHandler {
  /** Content type of a remote-write 2.0 body. */
  public static final String PROTO_V2 = "io.prometheus.write.v2.Request";

  /** Content type parameter value of a remote-write 1.0 body. */
  public static final String PROTO_V1 = "prometheus.WriteRequest";

  /** Response header: float samples written (2.0). */
  public static final String SAMPLES_WRITTEN = "X-Prometheus-Remote-Write-Samples-Written";

  /** Response header: histogram samples written (2.0). */
  public static final String HISTOGRAMS_WRITTEN = "X-Prometheus-Remote-Write-Histograms-Written";

  /** Response header: exemplars written (2.0). */
  public static final String EXEMPLARS_WRITTEN = "X-Prometheus-Remote-Write-Exemplars-Written";

  private static final String[] V2_TYPES = {
    "unknown", "counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset"
  };

  private final Appendable storage;
  private final IngestLimits limits;
  private final IngestStats stats;
  private final MetadataSink metadata;
  private final @Nullable SampleRateLimiter rateLimiter;

  /**
   * A receiver writing to {@code storage}.
   *
   * @param limits body size and rate limits, validated
   * @param stats where counters go; the server exports them
   * @param metadata where decoded metadata goes
   */
  public RemoteWriteHandler(
      Appendable storage, IngestLimits limits, IngestStats stats, MetadataSink metadata) {
    this.storage = storage;
    this.limits = limits.validate();
    this.stats = stats;
    this.metadata = metadata;
    this.rateLimiter = SampleRateLimiter.of(limits);
  }

  /** The protocol version a request was negotiated to. */
  enum Version {
    V1,
    V2
  }

  /**
   * Handles one request.
   *
   * @param body the request body as received
   * @param contentType the Content-Type header, or null
   * @param contentEncoding the Content-Encoding header, or null (taken as snappy)
   * @param remoteWriteVersion the X-Prometheus-Remote-Write-Version header, or null; informational,
   *     the Content-Type decides the message (as the 2.0 specification says)
   * @return the response to send; never throws
   */
  public IngestResponse handle(
      byte[] body,
      @Nullable String contentType,
      @Nullable String contentEncoding,
      @Nullable String remoteWriteVersion) {
    IngestResponse r = process(body, contentType, contentEncoding, remoteWriteVersion);
    stats.request(r.status());
    return r;
  }

  private IngestResponse process(
      byte[] body,
      @Nullable String contentType,
      @Nullable String contentEncoding,
      @Nullable String remoteWriteVersion) {
    stats.bytes(body.length);
    if (body.length > limits.maxBodyBytes()) {
      return error(
          413,
          "request body of "
              + body.length
              + " bytes exceeds the limit of "
              + limits.maxBodyBytes()
              + " bytes");
    }
    Version version;
    try {
      version = negotiate(contentType);
    } catch (UnsupportedContentException e) {
      return error(
          415,
          e.getMessage()
              + (remoteWriteVersion == null
                  ? ""
                  : " (X-Prometheus-Remote-Write-Version: " + remoteWriteVersion + ")"));
    }
    if (contentEncoding != null
        && !contentEncoding.isBlank()
        && !contentEncoding.trim().equalsIgnoreCase("snappy")) {
      return error(
          415, "unsupported Content-Encoding \"" + contentEncoding + "\": only snappy is accepted");
    }
    byte[] raw;
    try {
      long length = Snappy.uncompressedLength(body);
      if (length > limits.maxDecompressedBytes()) {
        return error(
            413,
            "decompressed body of "
                + length
                + " bytes exceeds the limit of "
                + limits.maxDecompressedBytes()
                + " bytes");
      }
      raw = Snappy.uncompress(body);
    } catch (IOException | RuntimeException e) {
      return error(400, "snappy block decompression failed: " + e.getMessage());
    }
    return switch (version) {
      case V1 -> {
        WriteRequest req;
        try {
          req = WriteRequest.parseFrom(raw);
        } catch (InvalidProtocolBufferException e) {
          yield error(400, "decoding prometheus.WriteRequest failed: " + e.getMessage());
        }
        yield writeV1(req);
      }
      case V2 -> {
        Request req;
        try {
          req = Request.parseFrom(raw);
        } catch (InvalidProtocolBufferException e) {
          yield error(400, "decoding io.prometheus.write.v2.Request failed: " + e.getMessage());
        }
        yield writeV2(req);
      }
    };
  }

  /**
   * The message a Content-Type names, per the 2.0 specification: {@code application/x-protobuf}
   * without {@code proto} (or no Content-Type at all) is 1.0; {@code proto=} names the message.
   */
  static Version negotiate(@Nullable String contentType) throws UnsupportedContentException {
    if (contentType == null || contentType.isBlank()) {
      return Version.V1;
    }
    int semi = contentType.indexOf(';');
    String media =
        (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    if (!media.equals("application/x-protobuf")) {
      throw new UnsupportedContentException(
          "unsupported Content-Type \"" + contentType + "\": expected application/x-protobuf");
    }
    String proto = null;
    while (semi >= 0) {
      int next = contentType.indexOf(';', semi + 1);
      String p =
          (next < 0 ? contentType.substring(semi + 1) : contentType.substring(semi + 1, next));
      semi = next;
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("proto")) {
        proto = p.substring(eq + 1).trim();
        if (proto.length() >= 2 && proto.startsWith("\"") && proto.endsWith("\"")) {
          proto = proto.substring(1, proto.length() - 1);
        }
      }
    }
    if (proto == null || proto.equals(PROTO_V1)) {
      return Version.V1;
    }
    if (proto.equals(PROTO_V2)) {
      return Version.V2;
    }
    throw new UnsupportedContentException(
        "unsupported proto message \""
            + proto
            + "\" in Content-Type: expected "
            + PROTO_V1
            + " or "
            + PROTO_V2);
  }

  /** A Content-Type this receiver cannot decode (415). */
  static final class UnsupportedContentException extends Exception {
    private static final long serialVersionUID = 1L;

    UnsupportedContentException(String message) {
      super(message);
    }
  }

  private IngestResponse writeV1(WriteRequest req) {
    long samples = 0;
    long histograms = 0;
    long exemplars = 0;
    int seriesCount = req.getTimeseriesCount();
    for (int i = 0; i < seriesCount; i++) {
      TimeSeries ts = req.getTimeseries(i);
      samples += ts.getSamplesCount();
      histograms += ts.getHistogramsCount();
      exemplars += ts.getExemplarsCount();
    }
    IngestResponse limited = rateLimit(samples + histograms);
    if (limited != null) {
      return limited;
    }
    stats.series(seriesCount);
    stats.samples(samples);
    stats.histograms(histograms);
    stats.exemplars(exemplars, exemplars);
    for (MetricMetadata md : req.getMetadataList()) {
      stats.metadata(1);
      publishMetadata(
          md.getMetricFamilyName(), typeWord(md.getTypeValue()), md.getHelp(), md.getUnit());
    }

    Refusals refusals = new Refusals(stats);
    Labels.Builder b = Labels.builder();
    long written = 0;
    Appender app = storage.appender();
    try {
      for (int i = 0; i < seriesCount; i++) {
        TimeSeries ts = req.getTimeseries(i);
        RefusalReason invalid = buildLabels(ts.getLabelsList(), b);
        if (invalid != null) {
          refusals.refuse(
              invalid,
              new SeriesRef(i, ts.getLabelsList()),
              (long) ts.getSamplesCount() + ts.getHistogramsCount());
          continue;
        }
        Labels labels = b.build();
        if (ts.getHistogramsCount() > 0) {
          refusals.refuse(RefusalReason.NATIVE_HISTOGRAM, labels, ts.getHistogramsCount());
        }
        long ref = 0;
        for (int j = 0, n = ts.getSamplesCount(); j < n; j++) {
          Sample s = ts.getSamples(j);
          try {
            ref = app.append(ref, labels, s.getTimestamp(), s.getValue());
            written++;
          } catch (AppendException e) {
            refusals.refuse(RefusalReason.of(e.reason()), labels, 1);
          }
        }
      }
      app.commit();
    } catch (RuntimeException e) {
      return storageFailure(app, e);
    }
    stats.written(written);
    if (!refusals.isEmpty()) {
      return error(400, refusals.message("samples", written));
    }
    return IngestResponse.text(204, "", Map.of());
  }

  private IngestResponse writeV2(Request req) {
    List<String> symbols = req.getSymbolsList();
    long samples = 0;
    long histograms = 0;
    long exemplars = 0;
    int seriesCount = req.getTimeseriesCount();
    for (int i = 0; i < seriesCount; i++) {
      dev.nines.ingest.remotewrite.writev2.TimeSeries ts = req.getTimeseries(i);
      samples += ts.getSamplesCount();
      histograms += ts.getHistogramsCount();
      exemplars += ts.getExemplarsCount();
    }
    IngestResponse limited = rateLimit(samples + histograms);
    if (limited != null) {
      return limited;
    }
    stats.series(seriesCount);
    stats.samples(samples);
    stats.histograms(histograms);
    stats.exemplars(exemplars, exemplars);

    Refusals refusals = new Refusals(stats);
    Labels.Builder b = Labels.builder();
    long written = 0;
    Appender app = storage.appender();
    try {
      for (int i = 0; i < seriesCount; i++) {
        dev.nines.ingest.remotewrite.writev2.TimeSeries ts = req.getTimeseries(i);
        long count = (long) ts.getSamplesCount() + ts.getHistogramsCount();
        RefusalReason invalid = buildLabels(ts.getLabelsRefsList(), symbols, b);
        if (invalid != null) {
          refusals.refuse(invalid, new SeriesRef(i, List.of()), count);
          continue;
        }
        Labels labels = b.build();
        if (ts.hasMetadata()) {
          publishMetadataV2(labels, ts.getMetadata(), symbols);
        }
        if (ts.getSamplesCount() > 0 && ts.getHistogramsCount() > 0) {
          refusals.refuse(RefusalReason.SAMPLES_AND_HISTOGRAMS, labels, count);
          continue;
        }
        if (ts.getHistogramsCount() > 0) {
          refusals.refuse(RefusalReason.NATIVE_HISTOGRAM, labels, ts.getHistogramsCount());
          continue;
        }
        long ref = 0;
        for (int j = 0, n = ts.getSamplesCount(); j < n; j++) {
          dev.nines.ingest.remotewrite.writev2.Sample s = ts.getSamples(j);
          try {
            ref = app.append(ref, labels, s.getTimestamp(), s.getValue());
            written++;
          } catch (AppendException e) {
            refusals.refuse(RefusalReason.of(e.reason()), labels, 1);
          }
        }
      }
      app.commit();
    } catch (RuntimeException e) {
      return storageFailure(app, e);
    }
    stats.written(written);
    Map<String, String> headers =
        Map.of(
            SAMPLES_WRITTEN, Long.toString(written),
            HISTOGRAMS_WRITTEN, "0",
            EXEMPLARS_WRITTEN, "0");
    if (!refusals.isEmpty()) {
      return IngestResponse.text(400, refusals.message("samples", written), headers);
    }
    return IngestResponse.text(204, "", headers);
  }

  private @Nullable IngestResponse rateLimit(long samples) {
    if (rateLimiter == null) {
      return null;
    }
    long wait = rateLimiter.tryAcquire(samples);
    if (wait == 0) {
      return null;
    }
    stats.rateLimited(samples);
    return IngestResponse.text(
        429,
        "rate limit of "
            + limits.samplesPerSecond()
            + " samples/s (burst "
            + limits.burstSamples()
            + ") exceeded by a request of "
            + samples
            + " samples; retry later",
        Map.of("Retry-After", Long.toString(wait)));
  }

  private static IngestResponse storageFailure(Appender app, RuntimeException e) {
    try {
      app.rollback();
    } catch (RuntimeException suppressed) {
      e.addSuppressed(suppressed);
    }
    return error(500, "storage failure, nothing written, retry: " + e);
  }

  private static IngestResponse error(int status, String message) {
    return IngestResponse.text(status, message, Map.of());
  }

  /** Fills {@code b} from 1.0 labels; the refusal reason, or null when the set is valid. */
  private static @Nullable RefusalReason buildLabels(List<Label> labels, Labels.Builder b) {
    b.reset();
    for (int i = 0, n = labels.size(); i < n; i++) {
      Label l = labels.get(i);
      String name = l.getName();
      if (name.isEmpty()) {
        return RefusalReason.EMPTY_LABEL_NAME;
      }
      if (b.get(name) != null) {
        return RefusalReason.DUPLICATE_LABEL_NAME;
      }
      b.set(name, l.getValue());
    }
    return b.get(Labels.METRIC_NAME) == null ? RefusalReason.MISSING_METRIC_NAME : null;
  }

  /** Fills {@code b} from 2.0 label references; the refusal reason, or null when valid. */
  private static @Nullable RefusalReason buildLabels(
      List<Integer> refs, List<String> symbols, Labels.Builder b) {
    b.reset();
    int n = refs.size();
    if (n % 2 != 0) {
      return RefusalReason.INVALID_SYMBOL_REFERENCE;
    }
    int size = symbols.size();
    for (int i = 0; i < n; i += 2) {
      int nameRef = refs.get(i);
      int valueRef = refs.get(i + 1);
      if (nameRef < 0 || nameRef >= size || valueRef < 0 || valueRef >= size) {
        return RefusalReason.INVALID_SYMBOL_REFERENCE;
      }
      String name = symbols.get(nameRef);
      if (name.isEmpty()) {
        return RefusalReason.EMPTY_LABEL_NAME;
      }
      if (b.get(name) != null) {
        return RefusalReason.DUPLICATE_LABEL_NAME;
      }
      b.set(name, symbols.get(valueRef));
    }
    return b.get(Labels.METRIC_NAME) == null ? RefusalReason.MISSING_METRIC_NAME : null;
  }

  private void publishMetadataV2(Labels labels, Metadata md, List<String> symbols) {
    int size = symbols.size();
    int helpRef = md.getHelpRef();
    int unitRef = md.getUnitRef();
    if (md.getTypeValue() == 0 && helpRef == 0 && unitRef == 0) {
      return;
    }
    stats.metadata(1);
    String help = helpRef >= 0 && helpRef < size ? symbols.get(helpRef) : "";
    String unit = unitRef >= 0 && unitRef < size ? symbols.get(unitRef) : "";
    String name = labels.metricName();
    publishMetadata(
        name == null ? "" : familyName(name, md.getTypeValue()),
        typeWord(md.getTypeValue()),
        help,
        unit);
  }

  /** The metric family of a 2.0 series name: the series name less its type's suffix. */
  private static String familyName(String name, int type) {
    String[] suffixes =
        switch (type) {
          case 1 -> new String[] {"_total"};
          case 3, 4 -> new String[] {"_bucket", "_count", "_sum"};
          case 5 -> new String[] {"_count", "_sum"};
          case 6 -> new String[] {"_info"};
          default -> new String[0];
        };
    for (String s : suffixes) {
      if (name.endsWith(s) && name.length() > s.length()) {
        return name.substring(0, name.length() - s.length());
      }
    }
    return name;
  }

  private void publishMetadata(String family, String type, String help, String unit) {
    try {
      metadata.accept(family, type, help, unit);
    } catch (RuntimeException e) {
      // A faulty sink must not fail the write: the entry is lost and counted, the samples are not.
      stats.metadataSinkError();
    }
  }

  private static String typeWord(int type) {
    return type >= 0 && type < V2_TYPES.length ? V2_TYPES[type] : "unknown";
  }

  /** Names an invalid series in a message: its index in the request and its raw labels. */
  private record SeriesRef(int index, List<Label> labels) {
    @Override
    public String toString() {
      StringBuilder out = new StringBuilder("series #").append(index);
      if (!labels.isEmpty()) {
        out.append(" {");
        for (int i = 0; i < labels.size(); i++) {
          if (i > 0) {
            out.append(", ");
          }
          out.append(labels.get(i).getName()).append("=\"");
          Labels.escapeValue(labels.get(i).getValue(), out);
          out.append('"');
        }
        out.append('}');
      }
      return out.toString();
    }
  }
}
