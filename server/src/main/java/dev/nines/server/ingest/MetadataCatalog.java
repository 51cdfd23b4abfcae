package dev.nines.server.ingest;

import dev.nines.ingest.remotewrite.MetadataSink;
import dev.nines.server.api.MetadataSource;
import dev.nines.server.api.MetricMetadata;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metric metadata (type, help, unit) that pushers and scrapes reported, per metric family, as
 * {@code /api/v1/metadata} serves it. The newest report of a family replaces the older one.
 * Bounded: past {@code maxFamilies} new families are dropped and counted.
 */
public final class MetadataCatalog implements MetadataSink, MetadataSource {
  private final Map<String, MetricMetadata> families = new ConcurrentHashMap<>();
  private final int maxFamilies;
  private volatile long dropped;

  /** A catalog holding at most {@code maxFamilies} families. */
  public MetadataCatalog(int maxFamilies) {
    this.maxFamilies = maxFamilies;
  }

  @Override
  public void accept(String metricFamily, String type, String help, String unit) {
    MetricMetadata entry = new MetricMetadata(type, help, unit);
    if (families.size() >= maxFamilies && !families.containsKey(metricFamily)) {
      dropped++;
      return;
    }
    families.put(metricFamily, entry);
  }

  /** Every family with its metadata, sorted by name. */
  @Override
  public Map<String, List<MetricMetadata>> metadata() {
    Map<String, List<MetricMetadata>> out = new TreeMap<>();
    families.forEach((name, e) -> out.put(name, List.of(e)));
    return out;
  }

  /** Families refused because the catalog was full. */
  public long dropped() {
    return dropped;
  }
}
