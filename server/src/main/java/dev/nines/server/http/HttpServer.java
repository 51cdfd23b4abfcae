package dev.nines.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.nines.server.config.ListenAddress;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.RoutesConfig;
import io.javalin.json.JavalinJackson;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP listener: Javalin on Jetty 12, requests served on virtual threads, gzip for clients that
 * accept it, HTTP/1.1 keep-alive. Routes are registered explicitly by the route sets passed in;
 * nothing is found by scanning. {@link #close()} stops accepting connections and lets requests in
 * flight finish, up to the configured shutdown timeout.
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  /** The JSON mapper of every API response: records and maps, fields in declaration order. */
  static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();

  private final Javalin app;

  private HttpServer(Javalin app) {
    this.app = app;
  }

  /**
   * Starts listening.
   *
   * @param routeSets each registers its routes on the router; called once, in order
   */
  public static HttpServer start(
      ListenAddress address,
      Duration shutdownTimeout,
      PrometheusRegistry registry,
      List<Consumer<RoutesConfig>> routeSets) {
    HttpMetrics metrics = new HttpMetrics(registry);
    Javalin app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.concurrency.useVirtualThreads = true;
              config.http.compressionStrategy = CompressionStrategy.GZIP;
              config.jetty.modifyServer(
                  server -> {
                    server.setStopTimeout(shutdownTimeout.toMillis());
                    server.insertHandler(new GracefulHandler());
                  });
              config.jsonMapper(new JavalinJackson(JSON, false));
              config.requestLogger.http(metrics::observe);
              for (Consumer<RoutesConfig> routes : routeSets) {
                routes.accept(config.routes);
              }
            });
    try {
      app.start(address.host().isEmpty() ? "0.0.0.0" : address.host(), address.port());
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot listen on " + address + ": " + rootMessage(e), e);
    }
    return new HttpServer(app);
  }

  /** The port actually bound (useful when the configured port was 0). */
  public int port() {
    return app.port();
  }

  /** Stops accepting, waits for requests in flight (up to the shutdown timeout), and closes. */
  @Override
  public void close() {
    log.info("stopping HTTP listener; requests in flight may finish");
    app.stop();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }
}
