package dev.nines.ingest.scrape;

import dev.nines.common.Labels;
import dev.nines.common.PromDuration;
import dev.nines.ingest.relabel.Relabeler;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A scrape target after relabelling: its final labels (no {@code __} labels), the labels it was
 * discovered with, the URL, and its interval and timeout (which {@code __scrape_interval__} and
 * {@code __scrape_timeout__} may override, as in Prometheus).
 *
 * @param scrapePool the job name of the scrape config
 * @param labels the labels added to every sample: {@code job}, {@code instance}, group labels
 * @param discoveredLabels the labels before relabelling, meta labels included
 */
public record Target(
    String scrapePool,
    Labels labels,
    Labels discoveredLabels,
    URI url,
    Duration interval,
    Duration timeout) {

  static final String ADDRESS = "__address__";
  static final String SCHEME = "__scheme__";
  static final String METRICS_PATH = "__metrics_path__";
  static final String PARAM_PREFIX = "__param_";
  static final String INTERVAL = "__scrape_interval__";
  static final String TIMEOUT = "__scrape_timeout__";

  /** A key that identifies the target within its pool: labels and URL, as Prometheus hashes it. */
  String key() {
    return labels + " " + url;
  }

  /** A stable 64-bit hash of the target, for spreading scrape start times over the interval. */
  long hash() {
    long h = labels.hash64();
    String u = url.toString();
    for (int i = 0; i < u.length(); i++) {
      h = (h ^ u.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }

  /** The discovered labels of one address in a group, with the scrape config's meta labels. */
  static Labels discovered(ScrapeConfig cfg, TargetGroup group, String address) {
    Labels.Builder b = group.labels().toBuilder();
    b.set(ADDRESS, address);
    if (!group.source().isEmpty()) {
      b.set("__meta_filepath", group.source());
    }
    setIfAbsent(b, "job", cfg.jobName());
    setIfAbsent(b, INTERVAL, PromDuration.format(cfg.scrapeInterval()));
    setIfAbsent(b, TIMEOUT, PromDuration.format(cfg.scrapeTimeout()));
    setIfAbsent(b, METRICS_PATH, cfg.metricsPath());
    setIfAbsent(b, SCHEME, cfg.scheme());
    for (Map.Entry<String, List<String>> p : cfg.params().entrySet()) {
      if (!p.getValue().isEmpty()) {
        setIfAbsent(b, PARAM_PREFIX + p.getKey(), p.getValue().get(0));
      }
    }
    return b.build();
  }

  /**
   * The target for {@code discovered} after {@code relabel_configs}, or {@code null} when
   * relabelling dropped it.
   *
   * @throws ConfigException when the result has no address or an unusable interval or timeout
   */
  static @Nullable Target populate(ScrapeConfig cfg, Labels discovered) {
    Labels relabelled = Relabeler.process(discovered, cfg.relabelConfigs());
    if (relabelled == null) {
      return null;
    }
    String address = relabelled.get(ADDRESS);
    if (address == null) {
      throw new ConfigException(cfg.jobName(), "no address after relabelling: " + discovered);
    }
    if (address.contains("/")) {
      throw new ConfigException(cfg.jobName(), "invalid address \"" + address + "\"");
    }
    Duration interval = duration(cfg, relabelled, INTERVAL, cfg.scrapeInterval());
    Duration timeout = duration(cfg, relabelled, TIMEOUT, cfg.scrapeTimeout());
    if (interval.isZero() || timeout.isZero() || timeout.compareTo(interval) > 0) {
      throw new ConfigException(
          cfg.jobName(), "scrape timeout must be positive and at most the scrape interval");
    }
    Labels.Builder b = Labels.builder();
    boolean hasInstance = false;
    for (int i = 0; i < relabelled.size(); i++) {
      String name = relabelled.name(i);
      if (!name.startsWith("__")) {
        b.set(name, relabelled.value(i));
        hasInstance |= name.equals("instance");
      }
    }
    if (!hasInstance) {
      b.set("instance", address);
    }
    return new Target(
        cfg.jobName(), b.build(), discovered, url(cfg, relabelled, address), interval, timeout);
  }

  private static Duration duration(ScrapeConfig cfg, Labels labels, String name, Duration dflt) {
    String v = labels.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      return PromDuration.parse(v);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(cfg.jobName(), name + ": " + e.getMessage());
    }
  }

  private static URI url(ScrapeConfig cfg, Labels labels, String address) {
    Map<String, List<String>> params = new TreeMap<>();
    cfg.params().forEach((k, v) -> params.put(k, new ArrayList<>(v)));
    for (int i = 0; i < labels.size(); i++) {
      String name = labels.name(i);
      if (name.startsWith(PARAM_PREFIX)) {
        List<String> values =
            params.computeIfAbsent(name.substring(PARAM_PREFIX.length()), k -> new ArrayList<>());
        if (values.isEmpty()) {
          values.add(labels.value(i));
        } else {
          values.set(0, labels.value(i));
        }
      }
    }
    String scheme = labels.get(SCHEME) == null ? cfg.scheme() : labels.get(SCHEME);
    String path = labels.get(METRICS_PATH) == null ? "" : labels.get(METRICS_PATH);
    StringBuilder sb = new StringBuilder().append(scheme).append("://").append(address);
    if (!path.startsWith("/")) {
      sb.append('/');
    }
    sb.append(path);
    char sep = '?';
    for (Map.Entry<String, List<String>> p : params.entrySet()) {
      for (String v : p.getValue()) {
        sb.append(sep)
            .append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8))
            .append('=')
            .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        sep = '&';
      }
    }
    try {
      return URI.create(sb.toString());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(cfg.jobName(), "invalid scrape URL \"" + sb + "\"");
    }
  }

  private static void setIfAbsent(Labels.Builder b, String name, String value) {
    if (b.get(name) == null) {
      b.set(name, value);
    }
  }
}
