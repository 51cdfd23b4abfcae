package dev.nines.server.api;

import java.time.Instant;
import java.util.Map;

/**
 * What the server knows about itself for the status endpoints: the fields of Prometheus's {@code
 * /api/v1/status/runtimeinfo} that are not JVM facts, the flags for {@code status/flags} and the
 * configuration for {@code status/config}.
 *
 * @param startTime when the server started
 * @param cwd the working directory
 * @param reloadConfigSuccess whether the last configuration reload succeeded
 * @param lastConfigTime when the configuration was last loaded
 * @param corruptionCount storage corruptions found and repaired since start
 * @param storageRetention the retention, as Prometheus words it ({@code 15d} or {@code 0s})
 * @param flags the command-line flags and their values, for {@code status/flags}
 * @param configYaml the configuration in force, as YAML, for {@code status/config}
 */
public record RuntimeInfo(
    Instant startTime,
    String cwd,
    boolean reloadConfigSuccess,
    Instant lastConfigTime,
    long corruptionCount,
    String storageRetention,
    Map<String, String> flags,
    String configYaml) {

  public RuntimeInfo {
    flags = Map.copyOf(flags);
  }
}
