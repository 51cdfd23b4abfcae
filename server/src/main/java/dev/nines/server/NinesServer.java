package dev.nines.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nines.common.LabelMatcher;
import dev.nines.common.PromDuration;
import dev.nines.ingest.remotewrite.IngestLimits;
import dev.nines.ingest.remotewrite.IngestStats;
import dev.nines.ingest.scrape.ScrapeConfigParser;
import dev.nines.ingest.scrape.ScrapeConfigs;
import dev.nines.ingest.scrape.ScrapeManager;
import dev.nines.notify.Notifier;
import dev.nines.notify.config.NotifyConfig;
import dev.nines.notify.config.NotifyConfigException;
import dev.nines.promql.engine.Engine;
import dev.nines.promql.engine.EngineOptions;
import dev.nines.rules.ManagerOptions;
import dev.nines.rules.QueryFunc;
import dev.nines.rules.RuleManager;
import dev.nines.rules.file.RuleFile;
import dev.nines.rules.file.RuleFileException;
import dev.nines.rules.file.RuleFileLoader;
import dev.nines.server.api.AlertmanagerApiRoutes;
import dev.nines.server.api.HygieneRoutes;
import dev.nines.server.api.NotifyRoutes;
import dev.nines.server.api.PromApiRoutes;
import dev.nines.server.api.QueryLimits;
import dev.nines.server.api.RuntimeInfo;
import dev.nines.server.api.SloRoutes;
import dev.nines.server.api.TsdbAdmin;
import dev.nines.server.config.ConfigException;
import dev.nines.server.config.ConfigLoader;
import dev.nines.server.config.ConfigPaths;
import dev.nines.server.config.NinesConfig;
import dev.nines.server.console.ConsoleRoutes;
import dev.nines.server.http.HttpServer;
import dev.nines.server.http.RulesRoutes;
import dev.nines.server.http.StatusRoutes;
import dev.nines.server.hygiene.HygieneReport;
import dev.nines.server.ingest.IngestRoutes;
import dev.nines.server.ingest.MergedMetadata;
import dev.nines.server.ingest.MetadataCatalog;
import dev.nines.server.ingest.TargetsRoutes;
import dev.nines.server.log.Logging;
import dev.nines.server.metrics.IngestMetrics;
import dev.nines.server.metrics.NotifyMetrics;
import dev.nines.server.metrics.SelfMetrics;
import dev.nines.server.metrics.TsdbMetrics;
import dev.nines.server.notify.NotifyWiring;
import dev.nines.slo.Slo;
import dev.nines.slo.service.SloService;
import dev.nines.slo.spec.SpecLoader;
import dev.nines.store.Store;
import dev.nines.store.StoreConfig;
import dev.nines.tsdb.Tsdb;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Nines: the data-folder lock, self metrics, the HTTP listener and the state store,
 * wired together and started in order.
 *
 * <p>Start order: lock the data folder, open the HTTP listener (so {@code /-/healthy} answers while
 * storage recovers, and {@code /-/ready} says 503), open the state store (migrations) and the
 * time-series storage (WAL replay, in {@code data/tsdb}), then mark ready. {@link #close()} goes
 * the other way: unready, drain HTTP, close storage, release the lock. A reload re-reads the
 * configuration through its {@link ConfigSource}; a refused configuration leaves the running one in
 * place.
 */
public final class NinesServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NinesServer.class);

  /** Where the configuration comes from: the file and flags, read again on every reload. */
  @FunctionalInterface
  public interface ConfigSource {
    NinesConfig load() throws ConfigException;
  }

  /** The folder inside the data folder that holds the time-series storage. */
  public static final String TSDB_DIR = "tsdb";

  private final ConfigSource source;
  private final SelfMetrics metrics;
  private final AtomicBoolean ready = new AtomicBoolean();
  private final StorageHandle storage = new StorageHandle();
  private final MetadataCatalog metadata;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile NinesConfig config;
  private final Instant startTime = Instant.now();
  private volatile Instant lastConfigTime = Instant.now();
  private DataDirLock lock;
  private HttpServer http;
  private Store store;
  private Tsdb tsdb;
  private volatile ScrapeManager scrapes;
  private volatile RuleManager rules;
  private volatile SloService slos;
  private volatile NotifyWiring notify;
  private volatile HygieneReport hygiene;
  private final Engine engine;

  private NinesServer(ConfigSource source, NinesConfig config) {
    this.source = source;
    this.config = config;
    this.metrics = new SelfMetrics(BuildInfo.current());
    this.metadata = new MetadataCatalog(config.ingest().maxMetadataFamilies());
    this.engine = new Engine(engineOptions(config.query()));
  }

  private static EngineOptions engineOptions(NinesConfig.Query q) {
    return EngineOptions.DEFAULTS
        .withTimeout(q.timeout())
        .withMaxSamples(q.maxSamples())
        .withLookbackDelta(q.lookbackDelta())
        .withEvaluationInterval(q.defaultEvaluationInterval())
        .withExperimentalFunctions(q.experimentalFunctions())
        .withDelayedNameRemoval(q.delayedNameRemoval());
  }

  private static List<Path> rulePaths(NinesConfig c) {
    return ConfigPaths.expand(c.ruleFiles());
  }

  /**
   * The rule manager's options from {@code global} (as Prometheus: {@code evaluation_interval} for
   * groups without their own, {@code external_labels} on alerts) and the URL alerts link back to.
   * Read at start; a change needs a restart.
   */
  private ManagerOptions ruleOptions(NinesConfig c) {
    ManagerOptions d = ManagerOptions.DEFAULTS;
    JsonNode g = c.global() == null ? MissingNode.getInstance() : c.global();
    Duration interval =
        g.hasNonNull("evaluation_interval")
            ? PromDuration.parse(g.get("evaluation_interval").asText())
            : d.evaluationInterval();
    Map<String, String> external = new TreeMap<>();
    ScrapeConfigParser.parseGlobal(g, "global").externalLabels().forEach(external::put);
    String url =
        c.notifyConfig().externalUrl().isEmpty()
            ? "http://" + selfAddress()
            : c.notifyConfig().externalUrl();
    return new ManagerOptions(
        interval,
        d.queryOffset(),
        d.outageTolerance(),
        d.forGracePeriod(),
        d.resendDelay(),
        d.resolvedRetention(),
        external,
        url);
  }

  /** The name the rules generated from {@code slo_files} go by in the rules API. */
  static final String SLO_RULES = "slo_files";

  /**
   * Loads {@code rule_files} and {@code slo_files} and hands every group to the rule manager, the
   * SLOs' generated groups beside the files' own; any problem in any file changes nothing. The
   * alert-hygiene lint runs over those rules and the Alertmanager configuration {@code notifyFile}
   * before anything is applied, so that {@code alert_hygiene: refuse} refuses them too. SLOs new to
   * this process get their past buckets backfilled on a background thread.
   *
   * @return the hygiene findings of what was applied
   */
  private HygieneReport updateRules(RuleManager ruleManager, NinesConfig c, NotifyConfig notifyFile)
      throws ConfigException {
    List<RuleFile> files;
    try {
      files = new ArrayList<>(RuleFileLoader.loadAll(rulePaths(c)));
    } catch (RuleFileException e) {
      throw ruleError(e);
    }
    SpecLoader.Result specs =
        SpecLoader.load(ConfigPaths.expand(c.sloFiles()), c.slo().toDefaults());
    if (!specs.ok()) {
      throw new ConfigException(
          "slo_files",
          0,
          "",
          specs.problems().stream().map(Object::toString).collect(Collectors.joining("; ")));
    }
    SloService service = slos;
    List<Slo> previous = service.slos();
    files.add(service.apply(SLO_RULES, specs.slos()));
    HygieneReport report =
        HygieneReport.check(
            c.hygieneMode(),
            files,
            notifyFile,
            notifyFile.source().equals(NotifyWiring.BUILT_IN),
            Instant.now());
    Optional<ConfigException> refused = report.refusal();
    if (refused.isPresent()) {
      service.apply(SLO_RULES, previous);
      throw refused.get();
    }
    try {
      ruleManager.updateFiles(files);
    } catch (RuleFileException e) {
      service.apply(SLO_RULES, previous);
      throw ruleError(e);
    }
    Set<String> added = new HashSet<>();
    specs.slos().forEach(s -> added.add(s.id()));
    previous.forEach(s -> added.remove(s.id()));
    if (!added.isEmpty()) {
      Thread.ofVirtual()
          .name("slo-backfill")
          .start(
              () ->
                  service.backfill(
                      engine,
                      series ->
                          storage
                              .tsdb()
                              .importSeries(
                                  series.stream()
                                      .map(
                                          x ->
                                              new Tsdb.ImportSeries(
                                                  x.labels(), x.times(), x.values()))
                                      .toList()),
                      ruleManager.groups(),
                      added));
    }
    if (report.count() > 0) {
      log.atWarn()
          .addKeyValue("findings", report.count())
          .addKeyValue("mode", report.mode().name().toLowerCase(java.util.Locale.ROOT))
          .log("alert hygiene findings; see /console/hygiene or /api/nines/v1/hygiene");
    }
    return report;
  }

  private static ConfigException ruleError(RuleFileException e) {
    return new ConfigException(
        "rule_files",
        0,
        "",
        e.problems().stream().map(Object::toString).collect(Collectors.joining("; ")));
  }

  /**
   * Starts a server with a validated configuration; on failure, whatever was opened is closed again
   * and the exception says what failed.
   */
  public static NinesServer start(NinesConfig config, ConfigSource source) throws IOException {
    NinesServer server = new NinesServer(source, config);
    try {
      server.open();
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void open() throws IOException {
    NinesConfig.Server serverConfig = config.server();
    lock = DataDirLock.acquire(serverConfig.dataPath());
    metrics.recordReload(true);
    http =
        HttpServer.start(
            serverConfig.listenAddress(),
            serverConfig.shutdownTimeout(),
            metrics.registry(),
            List.of(
                new StatusRoutes(ready::get, this::reload, metrics, BuildInfo.current()),
                ingestRoutes(),
                queryRoutes(),
                new TargetsRoutes(() -> scrapes),
                new RulesRoutes(() -> rules),
                new SloRoutes(() -> slos),
                new AlertmanagerApiRoutes(this::notifier, amVersion()),
                new NotifyRoutes(this::notifier),
                new HygieneRoutes(() -> hygiene),
                new ConsoleRoutes(
                    this::notifier, () -> slos, () -> hygiene, BuildInfo.current().version())));
    log.atInfo()
        .addKeyValue("url", "http://" + displayHost() + ":" + http.port())
        .addKeyValue("data", serverConfig.dataPath().toAbsolutePath().normalize())
        .log("Nines is listening");

    NinesConfig.Store storeConfig = config.store();
    String url =
        storeConfig.url() == null || storeConfig.url().isBlank() ? null : storeConfig.url();
    store =
        Store.open(
            new StoreConfig(
                url,
                serverConfig.dataPath(),
                storeConfig.maxPoolSize(),
                storeConfig.connectTimeout()));
    log.atInfo().addKeyValue("dialect", store.dialect()).log("state store opened");

    long replayStart = System.nanoTime();
    tsdb =
        Tsdb.open(serverConfig.dataPath().resolve(TSDB_DIR), StorageOptions.of(config.storage()));
    storage.set(tsdb);
    TsdbMetrics.register(metrics.registry(), tsdb);
    log.atInfo()
        .addKeyValue("series", tsdb.numSeries())
        .addKeyValue("replay_ms", (System.nanoTime() - replayStart) / 1_000_000)
        .log("time-series storage opened");

    try {
      notify = NotifyWiring.start(store, config.notifyConfig(), "http://" + selfAddress());
    } catch (NotifyConfigException e) {
      throw new IOException("notify.config_file: " + e.getMessage(), e);
    }
    NotifyMetrics.register(metrics.registry(), notify.notifier());

    RuleManager ruleManager =
        new RuleManager(
            QueryFunc.engine(engine, storage),
            storage,
            storage,
            notify.alertSink(),
            ruleOptions(config),
            InstantSource.system());
    slos = new SloService(storage, QueryFunc.engine(engine, storage), InstantSource.system());
    try {
      hygiene = updateRules(ruleManager, config, notify.file());
    } catch (ConfigException e) {
      throw new IOException(e.getMessage(), e);
    }
    ruleManager.start();
    rules = ruleManager;

    ScrapeManager manager = new ScrapeManager(storage);
    manager.apply(effectiveScrapes(config));
    manager.start();
    scrapes = manager;

    ready.set(true);
    log.info("Nines is ready");
  }

  private Notifier notifier() {
    NotifyWiring n = notify;
    return n == null ? null : n.notifier();
  }

  private static AlertmanagerApiRoutes.VersionInfo amVersion() {
    BuildInfo b = BuildInfo.current();
    return new AlertmanagerApiRoutes.VersionInfo(
        b.version(), b.revision(), b.branch(), b.buildDate(), b.javaVersion());
  }

  private IngestRoutes ingestRoutes() {
    NinesConfig.Ingest in = config.ingest();
    IngestLimits limits =
        IngestLimits.DEFAULT
            .withBodyLimits(in.maxBodyBytes(), in.maxDecompressedBytes())
            .withRate(in.samplesPerSecond(), in.burstSamples());
    IngestStats remoteWrite = new IngestStats();
    IngestStats otlp = new IngestStats();
    IngestMetrics.register(metrics.registry(), Map.of("remote_write", remoteWrite, "otlp", otlp));
    return new IngestRoutes(
        storage,
        limits,
        remoteWrite,
        otlp,
        metadata,
        Set.copyOf(in.otlpPromoteResourceAttributes()));
  }

  /**
   * The scrape configuration in force: the file's {@code scrape_configs}, or, when the file has
   * none at all, Nines scraping its own {@code /metrics} every 15 s.
   */
  private ScrapeConfigs effectiveScrapes(NinesConfig c) {
    ScrapeConfigs configured = c.scrapes();
    if (configured != null) {
      return configured;
    }
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    if (c.global() != null && !c.global().isNull()) {
      root.set("global", c.global()); // its interval, timeout and external labels apply
    } else {
      root.putObject("global").put("scrape_interval", "15s");
    }
    ObjectNode job = root.putArray("scrape_configs").addObject().put("job_name", "nines");
    job.putArray("static_configs").addObject().putArray("targets").add(selfAddress());
    return ScrapeConfigParser.parse(root);
  }

  private String selfAddress() {
    String host = config.server().listenAddress().host();
    if (host.isEmpty() || host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    } else if (host.equals("::")) {
      host = "::1";
    }
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + http.port();
  }

  private PromApiRoutes queryRoutes() {
    NinesConfig.Query q = config.query();
    return new PromApiRoutes(
        engine,
        storage,
        new QueryLimits(
            q.timeout(), q.maxSamples(), q.maxConcurrent(), q.maxWarnings(), q.maxInfos()),
        this::runtimeInfo,
        new MergedMetadata(metadata, () -> scrapes),
        metrics.registry(),
        config.server().enableAdminApi() ? tsdbAdmin() : null);
  }

  private TsdbAdmin tsdbAdmin() {
    Path snapshots = config.server().dataPath().resolve(TSDB_DIR).resolve("snapshots");
    return new TsdbAdmin() {
      @Override
      public String snapshot(boolean skipHead) throws IOException {
        return storage.tsdb().snapshot(snapshots, !skipHead);
      }

      @Override
      public void deleteSeries(long mint, long maxt, List<LabelMatcher> matchers)
          throws IOException {
        storage.tsdb().deleteSeries(mint, maxt, matchers);
      }
    };
  }

  private RuntimeInfo runtimeInfo() {
    NinesConfig c = config;
    long corruptions = 0;
    Tsdb t = tsdb;
    if (t != null && t.stats().lastReplay() != null) {
      corruptions =
          t.stats().lastReplay().corruptionsRepaired() + t.stats().lastReplay().tailTruncations();
    }
    return new RuntimeInfo(
        startTime,
        System.getProperty("user.dir"),
        metrics.lastReloadSuccessful(),
        lastConfigTime,
        corruptions,
        PromDuration.format(c.storage().retention()),
        Map.of(
            "listen", c.server().listen(),
            "data", c.server().dataDir(),
            "log.level", c.log().level(),
            "log.format", c.log().format()),
        ConfigLoader.toYaml(c));
  }

  private String displayHost() {
    String host = config.server().listenAddress().host();
    if (host.isEmpty()) {
      return "0.0.0.0";
    }
    return host.contains(":") ? "[" + host + "]" : host;
  }

  /** The port the HTTP listener bound. */
  public int port() {
    return http.port();
  }

  /** Whether storage has finished recovery and the server takes traffic. */
  public boolean ready() {
    return ready.get();
  }

  /** The configuration in force. */
  public NinesConfig config() {
    return config;
  }

  /** The embedded time-series storage. */
  public Tsdb tsdb() {
    return tsdb;
  }

  /** The relational state store. */
  public Store store() {
    return store;
  }

  /**
   * Reads the configuration again and applies it. A refused configuration is logged and counted,
   * and the running one stays; changes that only a restart can apply are logged as such.
   */
  public synchronized void reload() throws ConfigException {
    NinesConfig next;
    try {
      next = source.load();
    } catch (ConfigException e) {
      metrics.recordReload(false);
      log.atError().addKeyValue("err", e.getMessage()).log("configuration reload refused");
      throw e;
    }
    NotifyWiring notifyWiring = notify;
    NotifyWiring.Loaded nextNotify = null;
    if (notifyWiring != null) {
      try {
        nextNotify = notifyWiring.check(next.notifyConfig());
      } catch (NotifyConfigException e) {
        metrics.recordReload(false);
        ConfigException refused = new ConfigException("notify.config_file", 0, "", e.getMessage());
        log.atError().addKeyValue("err", refused.getMessage()).log("configuration reload refused");
        throw refused;
      }
    }
    RuleManager ruleManager = rules;
    HygieneReport nextHygiene = null;
    if (ruleManager != null && nextNotify != null) {
      try {
        nextHygiene = updateRules(ruleManager, next, nextNotify.file());
      } catch (ConfigException refused) {
        metrics.recordReload(false);
        log.atError().addKeyValue("err", refused.getMessage()).log("configuration reload refused");
        throw refused;
      }
    }
    List<String> needRestart = new ArrayList<>();
    if (!next.server().equals(config.server())) {
      needRestart.add("server");
    }
    if (!next.store().equals(config.store())) {
      needRestart.add("store");
    }
    if (!needRestart.isEmpty()) {
      log.atWarn()
          .addKeyValue("sections", String.join(",", needRestart))
          .log("these sections changed and take effect only after a restart");
    }
    if (notifyWiring != null && nextNotify != null) {
      notifyWiring.apply(nextNotify);
    }
    if (nextHygiene != null) {
      hygiene = nextHygiene;
    }
    Logging.apply(next.log().level(), next.log().format());
    if (!next.storage().equals(config.storage())) {
      log.warn("storage settings changed and take effect only after a restart");
    }
    // Restart-only sections keep their running values.
    if (!next.query().equals(config.query())) {
      log.warn("query settings changed and take effect only after a restart");
    }
    if (!next.ingest().equals(config.ingest())) {
      log.warn("ingest settings changed and take effect only after a restart");
    }
    config =
        new NinesConfig(
            config.server(),
            next.log(),
            config.store(),
            config.storage(),
            config.ingest(),
            config.query(),
            next.global(),
            next.scrapeConfigs(),
            next.ruleFiles(),
            next.sloFiles(),
            next.slo(),
            next.notifyConfig(),
            next.alertHygiene());
    ScrapeManager running = scrapes;
    if (running != null) {
      running.apply(effectiveScrapes(config));
    }
    metrics.recordReload(true);
    lastConfigTime = Instant.now();
    log.info("configuration reloaded");
  }

  /** Stops in reverse order of start; safe to call more than once. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ready.set(false);
    log.info("shutting down");
    if (http != null) {
      http.close();
    }
    if (scrapes != null) {
      scrapes.close();
    }
    if (rules != null) {
      rules.close();
    }
    if (notify != null) {
      notify.close();
    }
    if (tsdb != null) {
      try {
        tsdb.close();
      } catch (IOException e) {
        log.atError()
            .addKeyValue("err", e.toString())
            .log("closing the time-series storage failed");
      }
    }
    if (store != null) {
      store.close();
    }
    if (lock != null) {
      try {
        lock.close();
      } catch (IOException e) {
        log.atWarn().addKeyValue("err", e.toString()).log("could not release the data lock");
      }
    }
    log.info("shutdown complete");
  }

  @Override
  public String toString() {
    return "NinesServer[" + Objects.requireNonNullElse(http, "not listening") + "]";
  }
}
