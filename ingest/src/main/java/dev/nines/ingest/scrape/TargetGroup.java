package dev.nines.ingest.scrape;

import dev.nines.common.Labels;
import java.util.List;

/**
 * A group of targets sharing labels: one entry of {@code static_configs}, or one group of a file
 * read by {@code file_sd_configs}.
 *
 * @param targets {@code host:port} addresses
 * @param labels labels for every target of the group
 * @param source where the group came from (for file SD the file path), used for {@code
 *     __meta_filepath}; empty for static configs
 */
public record TargetGroup(List<String> targets, Labels labels, String source) {
  /** Copies the list. */
  public TargetGroup {
    targets = List.copyOf(targets);
  }
}
