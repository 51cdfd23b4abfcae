package dev.nines.server.http;

import dev.nines.server.BuildInfo;
import dev.nines.server.metrics.SelfMetrics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.ServiceUnavailableResponse;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The management endpoints at Prometheus's paths: {@code /-/healthy}, {@code /-/ready}, {@code
 * /-/reload}, {@code /metrics} and {@code /api/v1/status/buildinfo}.
 */
public final class StatusRoutes implements Consumer<RoutesConfig> {

  /** Reloads the configuration; throws when the new one is refused (the old one stays). */
  @FunctionalInterface
  public interface Reloader {
    void reload() throws Exception;
  }

  private final BooleanSupplier ready;
  private final Reloader reloader;
  private final SelfMetrics metrics;
  private final BuildInfo build;

  public StatusRoutes(
      BooleanSupplier ready, Reloader reloader, SelfMetrics metrics, BuildInfo build) {
    this.ready = ready;
    this.reloader = reloader;
    this.metrics = metrics;
    this.build = build;
  }

  @Override
  public void accept(RoutesConfig routes) {
    // Like Prometheus, the APIs answer 503 until storage has recovered.
    routes.before(
        "/api/*",
        ctx -> {
          if (!ready.getAsBoolean() && !ctx.path().equals("/api/v1/status/buildinfo")) {
            throw new ServiceUnavailableResponse("Service Unavailable");
          }
        });
    routes.get("/-/healthy", ctx -> ctx.result("Nines is Healthy.\n"));
    routes.head("/-/healthy", ctx -> ctx.status(HttpStatus.OK));
    routes.get("/-/ready", this::ready);
    routes.head("/-/ready", this::ready);
    routes.post("/-/reload", this::reload);
    routes.put("/-/reload", this::reload);
    routes.get("/metrics", this::metrics);
    routes.get("/api/v1/status/buildinfo", this::buildInfo);
  }

  private void ready(Context ctx) {
    if (ready.getAsBoolean()) {
      ctx.result("Nines is Ready.\n");
    } else {
      ctx.status(HttpStatus.SERVICE_UNAVAILABLE).result("Service Unavailable\n");
    }
  }

  private void reload(Context ctx) {
    try {
      reloader.reload();
      ctx.result("");
    } catch (Exception e) {
      ctx.status(HttpStatus.INTERNAL_SERVER_ERROR)
          .result("failed to reload config: " + e.getMessage() + "\n");
    }
  }

  private void metrics(Context ctx) throws IOException {
    ExpositionFormatWriter writer = metrics.writerFor(ctx.header("Accept"));
    ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
    metrics.write(writer, body);
    ctx.contentType(writer.getContentType()).result(body.toByteArray());
  }

  private void buildInfo(Context ctx) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("version", build.version());
    data.put("revision", build.revision());
    data.put("branch", build.branch());
    data.put("buildUser", "");
    data.put("buildDate", build.buildDate());
    data.put("goVersion", "java" + build.javaVersion());
    ctx.json(new Success(data));
  }

  /** Prometheus's envelope of a successful API answer. */
  record Success(String status, Object data) {
    Success(Object data) {
      this("success", data);
    }
  }
}
