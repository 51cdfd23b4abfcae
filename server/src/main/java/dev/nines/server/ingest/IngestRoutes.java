package dev.nines.server.ingest;

import dev.nines.ingest.otlp.OtlpHandler;
import dev.nines.ingest.remotewrite.IngestLimits;
import dev.nines.ingest.remotewrite.IngestResponse;
import dev.nines.ingest.remotewrite.IngestStats;
import dev.nines.ingest.remotewrite.RemoteWriteHandler;
import dev.nines.tsdb.storage.Appendable;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The push receivers at Prometheus's paths: remote-write at {@code POST /api/v1/write} and
 * OTLP/HTTP metrics at {@code POST /api/v1/otlp/v1/metrics}. Decoding, limits and status codes
 * belong to the ingest module's handlers; this class only moves bytes and headers between HTTP and
 * them, and stops reading a body at the configured limit so that an oversized request never fills
 * the heap.
 */
public final class IngestRoutes implements Consumer<RoutesConfig> {
  private final RemoteWriteHandler remoteWrite;
  private final OtlpHandler otlp;
  private final IngestLimits limits;

  /** Receivers writing to {@code storage}, counting into the two stats objects. */
  public IngestRoutes(
      Appendable storage,
      IngestLimits limits,
      IngestStats remoteWriteStats,
      IngestStats otlpStats,
      MetadataCatalog metadata,
      Set<String> otlpPromoteResourceAttributes) {
    this.limits = limits;
    this.remoteWrite = new RemoteWriteHandler(storage, limits, remoteWriteStats, metadata);
    this.otlp = new OtlpHandler(storage, limits, otlpStats, otlpPromoteResourceAttributes);
  }

  @Override
  public void accept(RoutesConfig routes) {
    routes.post("/api/v1/write", this::remoteWrite);
    routes.post("/api/v1/otlp/v1/metrics", this::otlp);
  }

  private void remoteWrite(Context ctx) throws IOException {
    byte[] body = readBody(ctx);
    IngestResponse response =
        body == null
            ? tooLarge()
            : remoteWrite.handle(
                body,
                ctx.header("Content-Type"),
                ctx.header("Content-Encoding"),
                ctx.header("X-Prometheus-Remote-Write-Version"));
    send(ctx, response);
  }

  private void otlp(Context ctx) throws IOException {
    byte[] body = readBody(ctx);
    IngestResponse response =
        body == null
            ? tooLarge()
            : otlp.handle(body, ctx.header("Content-Type"), ctx.header("Content-Encoding"));
    send(ctx, response);
  }

  /** The body, or null when it is longer than the limit (reading stops there). */
  private byte[] readBody(Context ctx) throws IOException {
    long max = limits.maxBodyBytes();
    long declared = ctx.req().getContentLengthLong();
    if (declared > max) {
      return null;
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
      return body.length > max ? null : body;
    }
  }

  private IngestResponse tooLarge() {
    return IngestResponse.text(
        413,
        "request body exceeds the limit of "
            + limits.maxBodyBytes()
            + " bytes (ingest.max_body_bytes)",
        Map.of());
  }

  private static void send(Context ctx, IngestResponse response) {
    ctx.status(response.status());
    response.headers().forEach(ctx::header);
    byte[] body = response.body();
    if (body != null && body.length > 0) {
      ctx.result(body);
    }
  }
}
