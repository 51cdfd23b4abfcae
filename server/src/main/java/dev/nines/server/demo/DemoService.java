package dev.nines.server.demo;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A synthetic HTTP service, {@code checkout}, that serves its own metrics on a loopback port: two
 * routes taking {@code requestsPerSecond} requests each, failing at {@code baseErrorRatio}, except
 * during a burst window when they fail at {@code burstErrorRatio}. Nines scrapes it like any
 * target.
 *
 * <p>Series: {@code demo_http_requests_total{service,route,code}} and the classic histogram {@code
 * demo_http_request_duration_seconds{service,route}}.
 */
public final class DemoService implements AutoCloseable {
  /** The routes the service answers. */
  public static final List<String> ROUTES = List.of("/api/cart", "/api/pay");

  /**
   * How the service behaves.
   *
   * @param requestsPerSecond requests per second on each route
   * @param baseErrorRatio the share of requests that fail outside the burst
   * @param burstAfter when the burst starts, after start-up
   * @param burstFor how long the burst lasts
   * @param burstErrorRatio the share of requests that fail during the burst
   */
  public record Profile(
      double requestsPerSecond,
      double baseErrorRatio,
      Duration burstAfter,
      Duration burstFor,
      double burstErrorRatio) {}

  private final Profile profile;
  private final Clock clock;
  private final Instant started;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests;
  private final Histogram latency;
  private final Random random = new Random();
  private final ScheduledExecutorService ticker;
  private final HttpServer http;

  private DemoService(Profile profile, Clock clock) throws IOException {
    this.profile = profile;
    this.clock = clock;
    this.started = clock.instant();
    requests =
        Counter.builder()
            .name("demo_http_requests_total")
            .help("Requests the synthetic checkout service answered.")
            .labelNames("service", "route", "code")
            .register(registry);
    latency =
        Histogram.builder()
            .name("demo_http_request_duration_seconds")
            .help("How long the synthetic checkout service took to answer.")
            .unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS)
            .labelNames("service", "route")
            .classicOnly()
            .classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
            .register(registry);
    for (String route : ROUTES) {
      // Both codes exist from the start, so that rate() has a series before the first error.
      requests.labelValues("checkout", route, "200");
      requests.labelValues("checkout", route, "500");
    }
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ExpositionFormats formats = ExpositionFormats.init();
    http.createContext(
        "/metrics",
        exchange -> {
          ByteArrayOutputStream body = new ByteArrayOutputStream();
          formats.getPrometheusTextFormatWriter().write(body, registry.scrape());
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, body.size());
          try (OutputStream out = exchange.getResponseBody()) {
            body.writeTo(out);
          }
        });
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("demo-service").unstarted(r));
  }

  /** Starts the service on a free loopback port. */
  public static DemoService start(Profile profile, Clock clock) throws IOException {
    DemoService s = new DemoService(profile, clock);
    s.http.start();
    s.ticker.scheduleAtFixedRate(s::tick, 0, 1, TimeUnit.SECONDS);
    return s;
  }

  /** The address Nines scrapes, {@code 127.0.0.1:PORT}. */
  public String target() {
    return "127.0.0.1:" + http.getAddress().getPort();
  }

  /** The error ratio in force at {@code t}. */
  public double errorRatioAt(Instant t) {
    Duration since = Duration.between(started, t);
    boolean burst =
        since.compareTo(profile.burstAfter()) >= 0
            && since.compareTo(profile.burstAfter().plus(profile.burstFor())) < 0;
    return burst ? profile.burstErrorRatio() : profile.baseErrorRatio();
  }

  /** Simulates one second of traffic. */
  void tick() {
    double errorRatio = errorRatioAt(clock.instant());
    for (String route : ROUTES) {
      long n = Math.round(profile.requestsPerSecond() * (0.8 + 0.4 * random.nextDouble()));
      long errors = 0;
      for (long i = 0; i < n; i++) {
        boolean failed = random.nextDouble() < errorRatio;
        errors += failed ? 1 : 0;
        // Failures are fast (they time out upstream of us less often than they refuse).
        double seconds = failed ? 0.005 : 0.02 + random.nextExponential() * 0.05;
        latency.labelValues("checkout", route).observe(seconds);
      }
      requests.labelValues("checkout", route, "200").inc(n - errors);
      requests.labelValues("checkout", route, "500").inc(errors);
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    http.stop(0);
  }
}
