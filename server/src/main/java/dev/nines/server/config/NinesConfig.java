package dev.nines.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nines.common.HygieneMode;
import dev.nines.common.PromDuration;
import dev.nines.ingest.scrape.ScrapeConfigParser;
import dev.nines.ingest.scrape.ScrapeConfigs;
import dev.nines.slo.AlertTiers;
import dev.nines.slo.BudgetPolicy;
import dev.nines.slo.SloDefaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The whole Nines configuration, as read from the YAML file and the command-line flags; frozen once
 * validated. Every section is optional and every field has a default, so no file at all is a valid
 * setup.
 */
public record NinesConfig(
    Server server,
    Log log,
    Store store,
    Storage storage,
    Ingest ingest,
    Query query,
    JsonNode global,
    JsonNode scrapeConfigs,
    List<String> ruleFiles,
    List<String> sloFiles,
    SloSettings slo,
    @com.fasterxml.jackson.annotation.JsonProperty("notify") Notify notifyConfig,
    String alertHygiene) {

  public NinesConfig {
    server = server == null ? new Server(null, null, null, null) : server;
    log = log == null ? new Log(null, null) : log;
    store = store == null ? new Store(null, null, null) : store;
    storage = storage == null ? Storage.DEFAULT : storage;
    ingest = ingest == null ? Ingest.DEFAULT : ingest;
    query = query == null ? Query.DEFAULT : query;
    global = global == null || global.isNull() ? null : global;
    scrapeConfigs = scrapeConfigs == null || scrapeConfigs.isNull() ? null : scrapeConfigs;
    ruleFiles = ruleFiles == null ? List.of() : List.copyOf(ruleFiles);
    sloFiles = sloFiles == null ? List.of() : List.copyOf(sloFiles);
    slo = slo == null ? SloSettings.DEFAULT : slo;
    notifyConfig = notifyConfig == null ? Notify.DEFAULT : notifyConfig;
    alertHygiene = alertHygiene == null ? "warn" : alertHygiene.toLowerCase(Locale.ROOT);
  }

  /**
   * What an alert-hygiene finding in {@code rule_files}, {@code slo_files} or the Alertmanager file
   * does: {@code warn} (the default: listed at {@code /api/nines/v1/hygiene} and in the console),
   * {@code refuse} (start-up and reload refuse the files), or {@code off}.
   */
  public HygieneMode hygieneMode() {
    return HygieneMode.parse(alertHygiene);
  }

  /**
   * This configuration with relative {@code rule_files}, {@code slo_files} and {@code
   * notify.config_file} resolved against {@code dir}, the configuration file's folder, as
   * Prometheus resolves the paths in its configuration.
   */
  public NinesConfig withPathsRelativeTo(java.nio.file.Path dir) {
    Notify n = notifyConfig;
    Notify resolved =
        n.configFile() == null
            ? n
            : new Notify(
                dir.resolve(n.configFile()).toString(),
                n.externalUrl(),
                n.historyRetention(),
                n.maxConcurrentSends());
    return new NinesConfig(
        server,
        log,
        store,
        storage,
        ingest,
        query,
        global,
        scrapeConfigs,
        ConfigPaths.resolve(dir, ruleFiles),
        ConfigPaths.resolve(dir, sloFiles),
        slo,
        resolved,
        alertHygiene);
  }

  /** The configuration used when there is no file: every default. */
  public static NinesConfig defaults() {
    return new NinesConfig(
        null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * Checks every field, throwing {@link FieldException} with the dotted path of the first bad one.
   */
  public NinesConfig validate() {
    server.validate();
    log.validate();
    store.validate();
    storage.validate();
    ingest.validate();
    query.validate();
    slo.validate();
    notifyConfig.validate();
    try {
      hygieneMode();
    } catch (IllegalArgumentException e) {
      throw new FieldException("alert_hygiene", e.getMessage());
    }
    try {
      scrapes();
    } catch (dev.nines.ingest.scrape.ConfigException e) {
      throw new FieldException(e.field(), e.problem());
    }
    return this;
  }

  /**
   * This configuration with command-line flags laid over it; a null flag keeps the file's value.
   */
  public NinesConfig withFlags(String listen, Path dataDir, String logLevel, String logFormat) {
    return new NinesConfig(
        new Server(
            listen != null ? listen : server.listen(),
            dataDir != null ? dataDir.toString() : server.dataDir(),
            server.shutdownTimeout(),
            server.enableAdminApi()),
        new Log(
            logLevel != null ? logLevel : log.level(),
            logFormat != null ? logFormat : log.format()),
        store,
        storage,
        ingest,
        query,
        global,
        scrapeConfigs,
        ruleFiles,
        sloFiles,
        slo,
        notifyConfig,
        alertHygiene);
  }

  /**
   * The Prometheus-format {@code global} and {@code scrape_configs} sections, parsed. Null when the
   * configuration has no {@code scrape_configs} at all: then Nines scrapes itself.
   *
   * @throws dev.nines.ingest.scrape.ConfigException naming the field at fault
   */
  public ScrapeConfigs scrapes() {
    if (scrapeConfigs == null || scrapeConfigs.isNull()) {
      return null;
    }
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    if (global != null && !global.isNull()) {
      root.set("global", global);
    }
    root.set("scrape_configs", scrapeConfigs);
    return ScrapeConfigParser.parse(root);
  }

  /**
   * The HTTP listener, the data folder, shutdown, and whether the admin API ({@code
   * /api/v1/admin/tsdb/*}) is on; off by default, as Prometheus's is.
   */
  public record Server(
      String listen, String dataDir, Duration shutdownTimeout, Boolean enableAdminApi) {
    static final String DEFAULT_LISTEN = "127.0.0.1:9595";

    public Server {
      listen = listen == null ? DEFAULT_LISTEN : listen;
      dataDir = dataDir == null ? "./data" : dataDir;
      shutdownTimeout = shutdownTimeout == null ? Duration.ofSeconds(30) : shutdownTimeout;
      enableAdminApi = enableAdminApi != null && enableAdminApi;
    }

    void validate() {
      try {
        ListenAddress.parse(listen);
      } catch (IllegalArgumentException e) {
        throw new FieldException("server.listen", e.getMessage());
      }
      if (dataDir.isBlank()) {
        throw new FieldException("server.data_dir", "must not be empty");
      }
      if (shutdownTimeout.isNegative() || shutdownTimeout.isZero()) {
        throw new FieldException(
            "server.shutdown_timeout",
            "must be positive, got " + PromDuration.format(shutdownTimeout));
      }
    }

    /** The parsed listen address. */
    public ListenAddress listenAddress() {
      return ListenAddress.parse(listen);
    }

    /** The data folder as a path. */
    public Path dataPath() {
      return Path.of(dataDir);
    }
  }

  /** Log verbosity and line format. */
  public record Log(String level, String format) {
    static final Set<String> LEVELS = Set.of("debug", "info", "warn", "error");
    static final Set<String> FORMATS = Set.of("logfmt", "json");

    public Log {
      level = level == null ? "info" : level.toLowerCase(Locale.ROOT);
      format = format == null ? "logfmt" : format.toLowerCase(Locale.ROOT);
    }

    void validate() {
      if (!LEVELS.contains(level)) {
        throw new FieldException(
            "log.level", "\"" + level + "\" is not one of debug, info, warn, error");
      }
      if (!FORMATS.contains(format)) {
        throw new FieldException("log.format", "\"" + format + "\" is not one of logfmt, json");
      }
    }
  }

  /**
   * The relational state store: an empty URL means SQLite in the data folder; a {@code
   * jdbc:postgresql:} URL selects PostgreSQL.
   */
  public record Store(String url, Integer maxPoolSize, Duration connectTimeout) {
    public Store {
      maxPoolSize = maxPoolSize == null ? 10 : maxPoolSize;
      connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
    }

    void validate() {
      if (url != null
          && !url.isBlank()
          && !url.startsWith("jdbc:postgresql:")
          && !url.startsWith("jdbc:sqlite:")) {
        throw new FieldException(
            "store.url", "\"" + url + "\" is neither a jdbc:postgresql: nor a jdbc:sqlite: URL");
      }
      if (maxPoolSize < 1) {
        throw new FieldException("store.max_pool_size", "must be at least 1, got " + maxPoolSize);
      }
      if (connectTimeout.isNegative() || connectTimeout.isZero()) {
        throw new FieldException("store.connect_timeout", "must be positive");
      }
    }
  }

  /**
   * The embedded time-series storage: WAL durability, late samples, and the limits on what a series
   * may look like. Every limit of 0 means none.
   */
  public record Storage(
      String walFsync,
      Duration walBatchInterval,
      Duration outOfOrderWindow,
      Integer maxLabelNameLength,
      Integer maxLabelValueLength,
      Integer maxLabelsPerSeries,
      Long maxSeries,
      Long maxSeriesPerMetric,
      Duration retention,
      Long retentionBytes,
      Duration compactionInterval) {
    static final Storage DEFAULT =
        new Storage(null, null, null, null, null, null, null, null, null, null, null);
    static final Set<String> FSYNC_POLICIES = Set.of("always", "batch", "none");

    public Storage {
      walFsync = walFsync == null ? "batch" : walFsync.toLowerCase(Locale.ROOT);
      walBatchInterval = walBatchInterval == null ? Duration.ofMillis(10) : walBatchInterval;
      outOfOrderWindow = outOfOrderWindow == null ? Duration.ZERO : outOfOrderWindow;
      maxLabelNameLength = maxLabelNameLength == null ? 1024 : maxLabelNameLength;
      maxLabelValueLength = maxLabelValueLength == null ? 4096 : maxLabelValueLength;
      maxLabelsPerSeries = maxLabelsPerSeries == null ? 64 : maxLabelsPerSeries;
      maxSeries = maxSeries == null ? 0L : maxSeries;
      maxSeriesPerMetric = maxSeriesPerMetric == null ? 0L : maxSeriesPerMetric;
      retention = retention == null ? Duration.ofDays(15) : retention;
      retentionBytes = retentionBytes == null ? 0L : retentionBytes;
      compactionInterval = compactionInterval == null ? Duration.ofMinutes(1) : compactionInterval;
    }

    void validate() {
      if (!FSYNC_POLICIES.contains(walFsync)) {
        throw new FieldException(
            "storage.wal_fsync", "\"" + walFsync + "\" is not one of always, batch, none");
      }
      if (walBatchInterval.isNegative() || walBatchInterval.isZero()) {
        throw new FieldException("storage.wal_batch_interval", "must be positive");
      }
      if (outOfOrderWindow.isNegative()) {
        throw new FieldException("storage.out_of_order_window", "must not be negative");
      }
      positive("storage.max_label_name_length", maxLabelNameLength);
      positive("storage.max_label_value_length", maxLabelValueLength);
      positive("storage.max_labels_per_series", maxLabelsPerSeries);
      if (maxSeries < 0) {
        throw new FieldException("storage.max_series", "must be 0 (no limit) or positive");
      }
      if (maxSeriesPerMetric < 0) {
        throw new FieldException(
            "storage.max_series_per_metric", "must be 0 (no limit) or positive");
      }
      if (retention.isNegative() || retention.isZero()) {
        throw new FieldException("storage.retention", "must be positive");
      }
      if (compactionInterval.isNegative()) {
        throw new FieldException("storage.compaction_interval", "must not be negative");
      }
      if (retentionBytes < 0) {
        throw new FieldException("storage.retention_bytes", "must be 0 (no limit) or positive");
      }
    }

    private static void positive(String field, int value) {
      if (value < 1) {
        throw new FieldException(field, "must be at least 1, got " + value);
      }
    }
  }

  /**
   * The push receivers (remote-write, OTLP): request size limits, an optional samples/s rate limit
   * (0 = none; over it, senders get 429), the resource attributes OTLP copies onto every series,
   * and how many metric families of metadata are kept.
   */
  public record Ingest(
      Long maxBodyBytes,
      Long maxDecompressedBytes,
      Long samplesPerSecond,
      Long burstSamples,
      List<String> otlpPromoteResourceAttributes,
      Integer maxMetadataFamilies) {
    static final Ingest DEFAULT = new Ingest(null, null, null, null, null, null);

    public Ingest {
      maxBodyBytes = maxBodyBytes == null ? 32L << 20 : maxBodyBytes;
      maxDecompressedBytes = maxDecompressedBytes == null ? 128L << 20 : maxDecompressedBytes;
      samplesPerSecond = samplesPerSecond == null ? 0L : samplesPerSecond;
      burstSamples = burstSamples == null ? Math.max(samplesPerSecond, 1L) : burstSamples;
      otlpPromoteResourceAttributes =
          otlpPromoteResourceAttributes == null
              ? List.of()
              : List.copyOf(otlpPromoteResourceAttributes);
      maxMetadataFamilies = maxMetadataFamilies == null ? 100_000 : maxMetadataFamilies;
    }

    void validate() {
      if (maxBodyBytes < 1) {
        throw new FieldException("ingest.max_body_bytes", "must be positive");
      }
      if (maxDecompressedBytes < 1 || maxDecompressedBytes > Integer.MAX_VALUE - 8) {
        throw new FieldException("ingest.max_decompressed_bytes", "must be between 1 and 2 GiB");
      }
      if (samplesPerSecond < 0) {
        throw new FieldException("ingest.samples_per_second", "must be 0 (no limit) or positive");
      }
      if (burstSamples < 1) {
        throw new FieldException("ingest.burst_samples", "must be positive");
      }
      if (maxMetadataFamilies < 1) {
        throw new FieldException("ingest.max_metadata_families", "must be positive");
      }
    }
  }

  /**
   * PromQL queries: limits (each counted, each with Prometheus's error text when hit), the lookback
   * delta, and Prometheus's feature switches, off by default as there.
   */
  public record Query(
      Duration timeout,
      Long maxSamples,
      Integer maxConcurrent,
      Duration lookbackDelta,
      Duration defaultEvaluationInterval,
      Boolean experimentalFunctions,
      Boolean delayedNameRemoval,
      Integer maxWarnings,
      Integer maxInfos) {
    static final Query DEFAULT = new Query(null, null, null, null, null, null, null, null, null);

    public Query {
      timeout = timeout == null ? Duration.ofMinutes(2) : timeout;
      maxSamples = maxSamples == null ? 50_000_000L : maxSamples;
      maxConcurrent = maxConcurrent == null ? 20 : maxConcurrent;
      lookbackDelta = lookbackDelta == null ? Duration.ofMinutes(5) : lookbackDelta;
      defaultEvaluationInterval =
          defaultEvaluationInterval == null ? Duration.ofMinutes(1) : defaultEvaluationInterval;
      experimentalFunctions = experimentalFunctions != null && experimentalFunctions;
      delayedNameRemoval = delayedNameRemoval != null && delayedNameRemoval;
      maxWarnings = maxWarnings == null ? 10 : maxWarnings;
      maxInfos = maxInfos == null ? 10 : maxInfos;
    }

    void validate() {
      if (timeout.toMillis() < 1) {
        throw new FieldException("query.timeout", "must be positive");
      }
      if (maxSamples < 1) {
        throw new FieldException("query.max_samples", "must be positive");
      }
      if (maxConcurrent < 1) {
        throw new FieldException("query.max_concurrent", "must be positive");
      }
      if (lookbackDelta.toMillis() < 1) {
        throw new FieldException("query.lookback_delta", "must be positive");
      }
      if (defaultEvaluationInterval.toMillis() < 1) {
        throw new FieldException("query.default_evaluation_interval", "must be positive");
      }
      if (maxWarnings < 0) {
        throw new FieldException("query.max_warnings", "must be 0 (no limit) or positive");
      }
      if (maxInfos < 0) {
        throw new FieldException("query.max_infos", "must be 0 (no limit) or positive");
      }
    }
  }

  /**
   * Settings of the SLOs in {@code slo_files} that the spec formats do not carry: the
   * minimum-events guard, the budget policy (per service, and the default), and the window of Sloth
   * SLOs.
   */
  public record SloSettings(
      Long minEvents,
      String budgetPolicy,
      Map<String, String> servicePolicies,
      Duration slothWindow) {
    static final SloSettings DEFAULT = new SloSettings(null, null, null, null);

    public SloSettings {
      minEvents = minEvents == null ? 0L : minEvents;
      budgetPolicy = budgetPolicy == null ? "25%:notify,0%:freeze" : budgetPolicy;
      servicePolicies =
          servicePolicies == null ? Map.of() : Map.copyOf(new TreeMap<>(servicePolicies));
      slothWindow = slothWindow == null ? Duration.ofDays(30) : slothWindow;
    }

    void validate() {
      toDefaults();
    }

    /**
     * These settings as the slo module's defaults.
     *
     * @throws FieldException naming the field at fault
     */
    public SloDefaults toDefaults() {
      if (minEvents < 0) {
        throw new FieldException("slo.min_events", "must not be negative");
      }
      if (slothWindow.toMillis() < 60_000) {
        throw new FieldException("slo.sloth_window", "must be at least 1m");
      }
      BudgetPolicy policy;
      try {
        policy = BudgetPolicy.parse(budgetPolicy);
      } catch (IllegalArgumentException e) {
        throw new FieldException("slo.budget_policy", e.getMessage());
      }
      Map<String, BudgetPolicy> perService = new TreeMap<>();
      for (Map.Entry<String, String> e : servicePolicies.entrySet()) {
        try {
          perService.put(e.getKey(), BudgetPolicy.parse(e.getValue()));
        } catch (IllegalArgumentException ex) {
          throw new FieldException("slo.service_policies." + e.getKey(), ex.getMessage());
        }
      }
      return new SloDefaults(AlertTiers.DEFAULTS, minEvents, policy, slothWindow, perService);
    }
  }

  /**
   * The notification pipeline: the Alertmanager configuration file (none: one receiver that sends
   * nothing, so alerts are still visible through the API), the URL users reach Nines at (for links
   * in notifications), how long alert history is kept, and the most sends in flight at once through
   * one integration (default 64).
   */
  public record Notify(
      String configFile,
      String externalUrl,
      Duration historyRetention,
      Integer maxConcurrentSends) {
    static final Notify DEFAULT = new Notify(null, null, null, null);

    public Notify {
      configFile = configFile == null || configFile.isBlank() ? null : configFile;
      externalUrl = externalUrl == null ? "" : externalUrl;
      historyRetention = historyRetention == null ? Duration.ofDays(30) : historyRetention;
      maxConcurrentSends =
          maxConcurrentSends == null
              ? dev.nines.notify.NotifyOptions.DEFAULT_MAX_CONCURRENT_SENDS
              : maxConcurrentSends;
    }

    void validate() {
      if (historyRetention.toMillis() < 1) {
        throw new FieldException("notify.history_retention", "must be positive");
      }
      if (maxConcurrentSends < 1) {
        throw new FieldException(
            "notify.max_concurrent_sends", "must be at least 1, got " + maxConcurrentSends);
      }
      if (!externalUrl.isEmpty()
          && !externalUrl.startsWith("http://")
          && !externalUrl.startsWith("https://")) {
        throw new FieldException(
            "notify.external_url", "\"" + externalUrl + "\" is not an http(s) URL");
      }
    }
  }
}
