package dev.nines.server.notify;

import dev.nines.common.Labels;
import dev.nines.notify.Integration;
import dev.nines.notify.Notifier;
import dev.nines.notify.NotifyOptions;
import dev.nines.notify.PipelineConfig;
import dev.nines.notify.alert.IncomingAlert;
import dev.nines.notify.config.NotifyConfig;
import dev.nines.notify.config.NotifyConfigException;
import dev.nines.notify.config.NotifyConfigLoader;
import dev.nines.notify.config.TimeInterval;
import dev.nines.notify.receiver.Integrations;
import dev.nines.rules.AlertSink;
import dev.nines.rules.OutgoingAlert;
import dev.nines.server.config.NinesConfig;
import dev.nines.store.Store;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notify pipeline inside the server: reads the Alertmanager configuration named by {@code
 * notify.config_file} (none: {@link PipelineConfig#defaults()}), turns its receivers into
 * integrations, starts the {@link Notifier}, feeds it the rule engine's alerts, and reloads.
 */
public final class NotifyWiring implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NotifyWiring.class);

  /** The name the built-in configuration goes by when there is no {@code notify.config_file}. */
  public static final String BUILT_IN = "(no notify.config_file)";

  /**
   * An Alertmanager configuration read and checked, not yet applied.
   *
   * @param file the configuration as read ({@link #BUILT_IN}'s when there is no file), for the
   *     route-hygiene lint
   * @param pipeline what the pipeline runs, with its integrations built
   */
  public record Loaded(NotifyConfig file, PipelineConfig pipeline) {}

  private final Notifier notifier;
  private volatile NotifyConfig file;

  private NotifyWiring(Notifier notifier, NotifyConfig file) {
    this.notifier = notifier;
    this.file = file;
  }

  /**
   * Loads the configuration and starts the pipeline.
   *
   * @throws NotifyConfigException naming the file, line and field at fault
   */
  public static NotifyWiring start(Store store, NinesConfig.Notify config, String externalUrl)
      throws NotifyConfigException {
    Loaded loaded = load(config);
    NotifyOptions options =
        NotifyOptions.DEFAULTS
            .withExternalUrl(config.externalUrl().isEmpty() ? externalUrl : config.externalUrl())
            .withHistoryRetention(config.historyRetention())
            .withMaxConcurrentSends(config.maxConcurrentSends());
    Notifier notifier = Notifier.start(store, loaded.pipeline(), options, InstantSource.system());
    return new NotifyWiring(notifier, loaded.file());
  }

  /** Reads the Alertmanager configuration named by {@code config}, or the default one. */
  public static Loaded load(NinesConfig.Notify config) throws NotifyConfigException {
    if (config.configFile() == null) {
      PipelineConfig defaults = PipelineConfig.defaults();
      return new Loaded(NotifyConfigLoader.parse(defaults.original(), BUILT_IN), defaults);
    }
    NotifyConfig file = NotifyConfigLoader.load(Path.of(config.configFile()));
    return new Loaded(file, pipelineConfig(file));
  }

  /** Validates the file {@code config} names without applying it (for reload's first pass). */
  public Loaded check(NinesConfig.Notify config) throws NotifyConfigException {
    return load(config);
  }

  /** Applies a configuration {@link #check} returned. */
  public void apply(Loaded config) {
    notifier.apply(config.pipeline());
    file = config.file();
    log.atInfo().log("notify configuration applied");
  }

  /** The Alertmanager configuration in force, as read. */
  public NotifyConfig file() {
    return file;
  }

  /** The pipeline's view of a loaded Alertmanager configuration; builds its integrations. */
  static PipelineConfig pipelineConfig(NotifyConfig c) throws NotifyConfigException {
    Map<String, List<Integration>> receivers = Integrations.build(c);
    Map<String, TimeInterval> intervals = new LinkedHashMap<>(c.timeIntervals());
    return new PipelineConfig(
        c.route(),
        c.inhibitRules(),
        intervals,
        receivers,
        c.global().resolveTimeout(),
        c.original());
  }

  /** The rule engine's alerts, taken as alerts with source {@code rules}. */
  public AlertSink alertSink() {
    return (expr, alerts) -> {
      List<IncomingAlert> in = new ArrayList<>(alerts.size());
      for (OutgoingAlert a : alerts) {
        Labels.Builder b = Labels.builder();
        a.labels().forEach(b::set);
        in.add(
            new IncomingAlert(
                b.build(), a.annotations(), a.startsAt(), a.endsAt(), a.generatorUrl()));
      }
      notifier.put(in, Notifier.SOURCE_RULES);
    };
  }

  /** The running pipeline. */
  public Notifier notifier() {
    return notifier;
  }

  @Override
  public void close() {
    notifier.close();
  }
}
