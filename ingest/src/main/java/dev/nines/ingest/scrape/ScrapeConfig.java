package dev.nines.ingest.scrape;

import dev.nines.ingest.relabel.RelabelConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code scrape_configs}, with the global defaults applied. A limit of 0 means no
 * limit.
 *
 * @param jobName {@code job_name}, required and unique
 * @param params URL query parameters; the first value of each is also the {@code __param_<name>}
 *     meta label
 * @param bodySizeLimit bytes of (uncompressed) body, 0 for none
 */
public record ScrapeConfig(
    String jobName,
    Duration scrapeInterval,
    Duration scrapeTimeout,
    String metricsPath,
    String scheme,
    Map<String, List<String>> params,
    boolean honorLabels,
    boolean honorTimestamps,
    List<TargetGroup> staticConfigs,
    List<FileSdConfig> fileSdConfigs,
    @Nullable BasicAuth basicAuth,
    @Nullable Authorization authorization,
    @Nullable TlsConfig tlsConfig,
    List<RelabelConfig> relabelConfigs,
    List<RelabelConfig> metricRelabelConfigs,
    long sampleLimit,
    long labelLimit,
    long labelNameLengthLimit,
    long labelValueLengthLimit,
    long bodySizeLimit) {

  /** Copies the collections. */
  public ScrapeConfig {
    params = Map.copyOf(params);
    staticConfigs = List.copyOf(staticConfigs);
    fileSdConfigs = List.copyOf(fileSdConfigs);
    relabelConfigs = List.copyOf(relabelConfigs);
    metricRelabelConfigs = List.copyOf(metricRelabelConfigs);
  }
}
