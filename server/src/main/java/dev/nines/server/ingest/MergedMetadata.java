package dev.nines.server.ingest;

import dev.nines.ingest.scrape.ScrapeManager;
import dev.nines.ingest.scrape.TargetMetadata;
import dev.nines.server.api.MetadataSource;
import dev.nines.server.api.MetricMetadata;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What {@code /api/v1/metadata} serves: the metadata every active target declared in its last
 * successful scrape, then what pushers sent (remote-write metadata, in {@link MetadataCatalog}),
 * merged per metric family into the distinct {@code (type, help, unit)} entries, as Prometheus
 * merges its targets' metadata. Computed at each request; nothing is kept here.
 */
public final class MergedMetadata implements MetadataSource {
  private final MetadataSource pushed;
  private final Supplier<ScrapeManager> scrapes;

  /** Scrape metadata from the manager {@code scrapes} returns (null before start), then pushed. */
  public MergedMetadata(MetadataSource pushed, Supplier<ScrapeManager> scrapes) {
    this.pushed = pushed;
    this.scrapes = scrapes;
  }

  @Override
  public Map<String, List<MetricMetadata>> metadata() {
    Map<String, Set<MetricMetadata>> sets = new TreeMap<>();
    ScrapeManager manager = scrapes.get();
    if (manager != null) {
      for (TargetMetadata t : manager.targetMetadata()) {
        for (dev.nines.ingest.exposition.MetricMetadata m : t.metadata()) {
          sets.computeIfAbsent(m.family(), k -> new LinkedHashSet<>())
              .add(new MetricMetadata(m.type().apiName(), m.help(), m.unit()));
        }
      }
    }
    pushed
        .metadata()
        .forEach(
            (name, list) -> sets.computeIfAbsent(name, k -> new LinkedHashSet<>()).addAll(list));
    Map<String, List<MetricMetadata>> out = new TreeMap<>();
    sets.forEach((name, set) -> out.put(name, List.copyOf(new ArrayList<>(set))));
    return out;
  }
}
