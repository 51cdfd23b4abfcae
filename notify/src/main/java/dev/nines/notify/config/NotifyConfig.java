package dev.nines.notify.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated Alertmanager configuration, frozen: what {@link NotifyConfigLoader} returns.
 *
 * @param source the file name it was read from (as given), for messages
 * @param original the file's text as read, for {@code /api/v2/status}'s {@code config.original}
 * @param global the {@code global} section with defaults applied
 * @param route the routing tree, options inherited
 * @param inhibitRules {@code inhibit_rules}
 * @param timeIntervals {@code time_intervals} and {@code mute_time_intervals} by name
 * @param receivers {@code receivers} by name, in file order
 * @param templateFiles the files the {@code templates} globs matched, in order
 */
public record NotifyConfig(
    String source,
    String original,
    GlobalConfig global,
    Route route,
    List<InhibitRule> inhibitRules,
    Map<String, TimeIntervalSpec> timeIntervals,
    Map<String, ReceiverConfig> receivers,
    List<Path> templateFiles) {

  /** Checks and copies; maps keep their order. */
  public NotifyConfig {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(global, "global");
    Objects.requireNonNull(route, "route");
    inhibitRules = List.copyOf(inhibitRules);
    timeIntervals = Collections.unmodifiableMap(new LinkedHashMap<>(timeIntervals));
    receivers = Collections.unmodifiableMap(new LinkedHashMap<>(receivers));
    templateFiles = List.copyOf(templateFiles);
  }

  /** The receiver named {@code name}, or null. */
  public @org.jspecify.annotations.Nullable ReceiverConfig receiver(String name) {
    return receivers.get(name);
  }
}
