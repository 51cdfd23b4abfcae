package dev.nines.server.metrics;

import dev.nines.server.BuildInfo;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Nines's own metrics: one registry per server holding the JVM metrics, build info, configuration
 * reload outcome, and whatever the modules register. Written out in the text format the scraper
 * asks for ({@code Accept}): Prometheus 0.0.4 by default, OpenMetrics when requested.
 */
public final class SelfMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ExpositionFormats formats = ExpositionFormats.init();
  private final Gauge reloadSuccessful;
  private final Gauge reloadSuccessTime;
  private final Counter reloads;
  private volatile boolean lastReloadOk = true;

  /** Creates the registry with JVM and build metrics registered. */
  public SelfMetrics(BuildInfo build) {
    JvmMetrics.builder().register(registry);
    Gauge.builder()
        .name("nines_build_info")
        .help("A metric with a constant '1' value labeled by the version and revision of Nines.")
        .labelNames("version", "revision", "branch", "javaversion")
        .register(registry)
        .labelValues(build.version(), build.revision(), build.branch(), build.javaVersion())
        .set(1);
    reloadSuccessful =
        Gauge.builder()
            .name("nines_config_last_reload_successful")
            .help("Whether the last configuration reload attempt was successful.")
            .register(registry);
    reloadSuccessTime =
        Gauge.builder()
            .name("nines_config_last_reload_success_timestamp_seconds")
            .help("Timestamp of the last successful configuration reload.")
            .register(registry);
    reloads =
        Counter.builder()
            .name("nines_config_reloads_total")
            .help("Configuration reload attempts, by result.")
            .labelNames("result")
            .register(registry);
    reloads.initLabelValues("success");
    reloads.initLabelValues("failure");
  }

  /** The registry modules register their own metrics in. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** Whether the last configuration load or reload succeeded. */
  public boolean lastReloadSuccessful() {
    return lastReloadOk;
  }

  /** Records the outcome of a configuration load or reload. */
  public void recordReload(boolean success) {
    lastReloadOk = success;
    reloadSuccessful.set(success ? 1 : 0);
    reloads.labelValues(success ? "success" : "failure").inc();
    if (success) {
      reloadSuccessTime.set(System.currentTimeMillis() / 1000.0);
    }
  }

  /** The writer for a scraper's {@code Accept} header. */
  public ExpositionFormatWriter writerFor(String acceptHeader) {
    ExpositionFormatWriter writer = formats.findWriter(acceptHeader);
    // The protobuf format needs an extra library that Nines does not ship; fall back to text.
    return writer.isAvailable() ? writer : formats.getPrometheusTextFormatWriter();
  }

  /** Writes every metric in the format of {@code writer}. */
  public void write(ExpositionFormatWriter writer, OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }
}
