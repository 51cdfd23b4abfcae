package dev.nines.ingest.scrape;

import java.time.Duration;
import java.util.List;

/**
 * One {@code file_sd_configs} entry: files (JSON {@code .json} or YAML {@code .yml}/{@code .yaml};
 * a glob is allowed in the last path element) holding lists of target groups.
 *
 * @param files file paths or patterns
 * @param refreshInterval how often the files are re-read; default {@code 5m}. Files are also
 *     re-read as soon as their modification time changes.
 */
public record FileSdConfig(List<String> files, Duration refreshInterval) {
  /** Copies the list. */
  public FileSdConfig {
    files = List.copyOf(files);
  }
}
