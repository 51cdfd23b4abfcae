package dev.nines.ingest.otlp;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.nines.ingest.remotewrite.IngestLimits;
import dev.nines.ingest.remotewrite.IngestResponse;
import dev.nines.ingest.remotewrite.IngestStats;
import dev.nines.ingest.remotewrite.Refusals;
import dev.nines.ingest.remotewrite.SampleRateLimiter;
import dev.nines.tsdb.storage.Appendable;
import dev.nines.tsdb.storage.Appender;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * The OTLP/HTTP metrics receiver ({@code POST /api/v1/otlp/v1/metrics}): decodes an {@code
 * ExportMetricsServiceRequest} in binary protobuf ({@code application/x-protobuf}) or the proto3
 * JSON mapping ({@code application/json}), optionally gzip-compressed, translates it with {@link
 * OtlpTranslator}, and answers as the OTLP/HTTP specification says. Thread-safe; one instance
 * serves all requests.
 *
 * <p>Responses, in the request's content type:
 *
 * <ul>
 *   <li>200 with an {@code ExportMetricsServiceResponse}: everything written, or some data points
 *       refused ({@code partial_success} with {@code rejected_data_points} and a message naming the
 *       metrics and series). The sender must not retry a partial success.
 *   <li>400 with a {@code google.rpc.Status} (code 3, INVALID_ARGUMENT): undecodable body, or every
 *       data point refused (for instance only delta sums), the message naming the metrics.
 *   <li>413 (body over the limit), 415 (content type or encoding not supported), 429 with
 *       Retry-After (over the samples/s limit), 503 with Retry-After (storage failure; OTLP clients
 *       retry 429, 502, 503 and 504 only, so storage failure is 503, not 500).
 * </ul>
 */
public final class OtlpHandler {
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";
  private static final int INVALID_ARGUMENT = 3;
  private static final int RESOURCE_EXHAUSTED = 8;
  private static final int UNAVAILABLE = 14;

  private final Appendable storage;
  private final IngestLimits limits;
  private final IngestStats stats;
  private final Set<String> promoteResourceAttributes;
  private final @Nullable SampleRateLimiter rateLimiter;

  /**
   * A receiver writing to {@code storage}.
   *
   * @param limits body size and rate limits (the rate counts translated Prometheus samples)
   * @param stats where counters go; the server exports them
   * @param promoteResourceAttributes resource attribute keys copied onto every series as labels
   *     (Prometheus's {@code otlp.promote_resource_attributes}); usually empty
   */
  public OtlpHandler(
      Appendable storage,
      IngestLimits limits,
      IngestStats stats,
      Set<String> promoteResourceAttributes) {
    this.storage = storage;
    this.limits = limits.validate();
    this.stats = stats;
    this.promoteResourceAttributes = Set.copyOf(promoteResourceAttributes);
    this.rateLimiter = SampleRateLimiter.of(limits);
  }

  /**
   * Handles one request.
   *
   * @param body the request body as received
   * @param contentType the Content-Type header, or null
   * @param contentEncoding the Content-Encoding header, or null ({@code gzip} and {@code identity}
   *     are accepted)
   * @return the response to send; never throws
   */
  public IngestResponse handle(
      byte[] body, @Nullable String contentType, @Nullable String contentEncoding) {
    IngestResponse r = process(body, contentType, contentEncoding);
    stats.request(r.status());
    return r;
  }

  private IngestResponse process(
      byte[] body, @Nullable String contentType, @Nullable String contentEncoding) {
    stats.bytes(body.length);
    String media = contentType == null ? "" : mediaType(contentType);
    boolean json = media.equals(JSON);
    if (!json && !media.equals(PROTOBUF)) {
      return status(
          415,
          false,
          INVALID_ARGUMENT,
          "unsupported Content-Type \""
              + contentType
              + "\": expected application/x-protobuf or application/json",
          Map.of());
    }
    if (body.length > limits.maxBodyBytes()) {
      return status(
          413,
          json,
          INVALID_ARGUMENT,
          "request body of "
              + body.length
              + " bytes exceeds the limit of "
              + limits.maxBodyBytes()
              + " bytes",
          Map.of());
    }
    String encoding =
        contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
    byte[] raw = body;
    if (encoding.equals("gzip")) {
      try {
        raw = gunzip(body, limits.maxDecompressedBytes());
      } catch (TooLargeException e) {
        return status(413, json, INVALID_ARGUMENT, e.getMessage(), Map.of());
      } catch (IOException e) {
        return status(
            400, json, INVALID_ARGUMENT, "gzip decompression failed: " + e.getMessage(), Map.of());
      }
    } else if (!encoding.isEmpty() && !encoding.equals("identity")) {
      return status(
          415,
          json,
          INVALID_ARGUMENT,
          "unsupported Content-Encoding \"" + contentEncoding + "\": expected gzip or none",
          Map.of());
    }

    ExportMetricsServiceRequest req;
    try {
      req = json ? parseJson(raw) : ExportMetricsServiceRequest.parseFrom(raw);
    } catch (IOException e) {
      return status(
          400,
          json,
          INVALID_ARGUMENT,
          "decoding ExportMetricsServiceRequest ("
              + (json ? "JSON" : "protobuf")
              + ") failed: "
              + e.getMessage(),
          Map.of());
    }

    long samples = OtlpTranslator.countSamples(req);
    if (rateLimiter != null) {
      long wait = rateLimiter.tryAcquire(samples);
      if (wait > 0) {
        stats.rateLimited(samples);
        return status(
            429,
            json,
            RESOURCE_EXHAUSTED,
            "rate limit of "
                + limits.samplesPerSecond()
                + " samples/s exceeded by a request of "
                + samples
                + " samples; retry later",
            Map.of("Retry-After", Long.toString(wait)));
      }
    }

    Refusals refusals = new Refusals(stats);
    Appender app = storage.appender();
    OtlpTranslator translator = new OtlpTranslator(app, refusals, stats, promoteResourceAttributes);
    try {
      translator.write(req);
      app.commit();
    } catch (RuntimeException e) {
      try {
        app.rollback();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      return status(
          503,
          json,
          UNAVAILABLE,
          "storage failure, nothing written, retry: " + e,
          Map.of("Retry-After", "1"));
    }
    translator.recordStats();
    stats.samples(translator.written() + refusals.total());
    stats.written(translator.written());

    if (refusals.isEmpty()) {
      return success(json, ExportMetricsServiceResponse.getDefaultInstance());
    }
    String message = refusals.message("samples", translator.written());
    if (translator.written() == 0) {
      return status(400, json, INVALID_ARGUMENT, "nothing written: " + message, Map.of());
    }
    ExportMetricsServiceResponse partial =
        ExportMetricsServiceResponse.newBuilder()
            .setPartialSuccess(
                ExportMetricsPartialSuccess.newBuilder()
                    .setRejectedDataPoints(refusals.total())
                    .setErrorMessage(message))
            .build();
    return success(json, partial);
  }

  private static ExportMetricsServiceRequest parseJson(byte[] raw) throws IOException {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(raw))
              .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidProtocolBufferException("body is not UTF-8: " + e);
    }
    ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(text, b);
    return b.build();
  }

  private static IngestResponse success(boolean json, ExportMetricsServiceResponse resp) {
    String message =
        resp.hasPartialSuccess()
            ? "partial success: " + resp.getPartialSuccess().getErrorMessage()
            : "";
    byte[] body;
    if (json) {
      try {
        body = JsonFormat.printer().print(resp).getBytes(StandardCharsets.UTF_8);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("printing a response cannot fail", e);
      }
    } else {
      body = resp.toByteArray();
    }
    return new IngestResponse(200, message, Map.of("Content-Type", json ? JSON : PROTOBUF), body);
  }

  /**
   * An error response whose body is a {@code google.rpc.Status} (code, message), as OTLP/HTTP
   * prescribes, encoded by hand: field 1 (int32 code) and field 2 (string message).
   */
  private static IngestResponse status(
      int http, boolean json, int code, String message, Map<String, String> extraHeaders) {
    byte[] body;
    if (json) {
      StringBuilder out = new StringBuilder("{\"code\":").append(code).append(",\"message\":");
      jsonString(message, out);
      body = out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    } else {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      try {
        out.writeInt32(1, code);
        out.writeString(2, message);
        out.flush();
      } catch (IOException e) {
        throw new IllegalStateException("writing to memory cannot fail", e);
      }
      body = bytes.toByteArray();
    }
    Map<String, String> headers = new java.util.LinkedHashMap<>(extraHeaders);
    headers.put("Content-Type", json ? JSON : PROTOBUF);
    return new IngestResponse(http, message, headers, body);
  }

  /** The media type of a Content-Type value, lower case, without parameters. */
  private static String mediaType(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi))
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  /** Appends {@code s} as a JSON string literal. */
  static void jsonString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static byte[] gunzip(byte[] body, long limit) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length * 4));
      byte[] buf = new byte[16 * 1024];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > limit) {
          throw new TooLargeException("decompressed body exceeds the limit of " + limit + " bytes");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }

  /** The decompressed body is over the limit (413). */
  private static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message);
    }
  }
}
