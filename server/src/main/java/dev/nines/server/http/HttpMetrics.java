package dev.nines.server.http;

import io.javalin.http.Context;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Request counts and latencies by route pattern, method and status code. The route is the
 * registered pattern (e.g. {@code /api/v1/label/{name}/values}), never the raw path, so that a
 * client cannot create series by inventing URLs; unmatched paths count as {@code not_found}.
 */
final class HttpMetrics {
  private final Counter requests;
  private final Histogram duration;

  HttpMetrics(PrometheusRegistry registry) {
    requests =
        Counter.builder()
            .name("nines_http_requests_total")
            .help("HTTP requests served, by route, method and status code.")
            .labelNames("handler", "method", "code")
            .register(registry);
    duration =
        Histogram.builder()
            .name("nines_http_request_duration_seconds")
            .help("HTTP request latency, by route and method.")
            .labelNames("handler", "method")
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
            .classicOnly()
            .register(registry);
  }

  /** Records one finished request; called by Javalin's request logger. */
  void observe(Context ctx, float millis) {
    String handler = route(ctx);
    String method = ctx.method().name();
    requests.labelValues(handler, method, Integer.toString(ctx.statusCode())).inc();
    duration.labelValues(handler, method).observe(millis / 1000.0);
  }

  private static String route(Context ctx) {
    try {
      return ctx.endpoint().path;
    } catch (RuntimeException noEndpoint) {
      return "not_found";
    }
  }
}
