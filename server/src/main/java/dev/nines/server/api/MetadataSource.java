package dev.nines.server.api;

import java.util.List;
import java.util.Map;

/**
 * Where {@code /api/v1/metadata} reads metric metadata from: by metric family name, each with its
 * distinct metadata (a family scraped from several targets can have more than one).
 */
@FunctionalInterface
public interface MetadataSource {
  /** No metadata at all: the answer until scraping records some. */
  MetadataSource EMPTY = Map::of;

  /** The metadata known now, by metric family name. */
  Map<String, List<MetricMetadata>> metadata();
}
