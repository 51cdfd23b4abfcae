package dev.nines.ingest.remotewrite;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a receiver answers: the HTTP status, a human-readable message (empty on success), the
 * response headers to set (Content-Type among them when there is a body) and the body bytes. The
 * server module copies these onto its HTTP response as they are. Immutable.
 */
public final class IngestResponse {
  private final int status;
  private final String message;
  private final Map<String, String> headers;
  private final byte[] body;

  /** A response; {@code body} is copied. */
  public IngestResponse(int status, String message, Map<String, String> headers, byte[] body) {
    this.status = status;
    this.message = message;
    this.headers = Map.copyOf(headers);
    this.body = body.clone();
  }

  /** A response whose body is {@code message} as UTF-8 plain text (none when empty). */
  public static IngestResponse text(int status, String message, Map<String, String> headers) {
    if (message.isEmpty()) {
      return new IngestResponse(status, message, headers, new byte[0]);
    }
    Map<String, String> all = new java.util.LinkedHashMap<>(headers);
    all.put("Content-Type", "text/plain; charset=utf-8");
    return new IngestResponse(status, message, all, message.getBytes(StandardCharsets.UTF_8));
  }

  /** The HTTP status code. */
  public int status() {
    return status;
  }

  /** The human-readable outcome; empty on full success. */
  public String message() {
    return message;
  }

  /** Headers to set on the HTTP response (never null; possibly empty). */
  public Map<String, String> headers() {
    return headers;
  }

  /** The response body (a copy); empty when there is none. */
  public byte[] body() {
    return body.clone();
  }

  @Override
  public String toString() {
    return "IngestResponse[" + status + (message.isEmpty() ? "" : ": " + message) + "]";
  }
}
