package dev.nines.ingest.scrape;

import dev.nines.common.Labels;
import dev.nines.tsdb.storage.Appendable;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Runs the scrape pools of a {@link ScrapeConfigs}: one pool per job, one {@link ScrapeLoop} per
 * target, each on a virtual thread of its own once {@link #start()} is called. Targets come from
 * {@code static_configs} and {@code file_sd_configs}; a poller re-reads the files when they change
 * and every {@code refresh_interval}, and reconciles: new targets start, vanished targets stop with
 * stale markers for all their series.
 *
 * <p>Without {@link #start()}, nothing runs by itself: {@link #sync()} re-reads discovery and
 * {@link #scrapeAll()} scrapes every target once, which is how tests drive it.
 */
public final class ScrapeManager implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ScrapeManager.class.getName());
  private static final Duration POLL = Duration.ofSeconds(1);

  private final Appendable storage;
  private final HttpClient client;
  private final LongSupplier clockMillis;
  private final Map<String, Pool> pools = new LinkedHashMap<>();
  private boolean started;
  private boolean closed;
  private @Nullable Thread poller;

  /** A manager writing to {@code storage}, with its own HTTP client and the system clock. */
  public ScrapeManager(Appendable storage) {
    this(
        storage,
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(10))
            .build(),
        System::currentTimeMillis);
  }

  /** A manager with a given HTTP client and clock (milliseconds since the epoch). */
  public ScrapeManager(Appendable storage, HttpClient client, LongSupplier clockMillis) {
    this.storage = storage;
    this.client = client;
    this.clockMillis = clockMillis;
  }

  /**
   * Applies a new configuration: pools of removed jobs stop with stale markers; targets that
   * survive keep their series (no staleness); discovery is re-read.
   */
  public synchronized void apply(ScrapeConfigs configs) {
    Map<String, Pool> old = new LinkedHashMap<>(pools);
    pools.clear();
    for (ScrapeConfig c : configs.scrapeConfigs()) {
      Pool p = new Pool(c);
      Pool before = old.remove(c.jobName());
      p.reconcile(true, before);
      if (before != null) {
        long now = clockMillis.getAsLong();
        before.loops.forEach((key, loop) -> loop.stop(!p.loops.containsKey(key), now));
      }
      pools.put(c.jobName(), p);
    }
    for (Pool p : old.values()) {
      p.stopAll(true);
    }
  }

  /** Starts every loop on its schedule, and the file discovery poller. */
  public synchronized void start() {
    if (started || closed) {
      return;
    }
    started = true;
    for (Pool p : pools.values()) {
      p.loops.values().forEach(ScrapeLoop::start);
    }
    poller = Thread.ofVirtual().name("scrape-discovery").start(this::poll);
  }

  private void poll() {
    while (true) {
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        return;
      }
      try {
        refresh(false);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "target discovery failed", e);
      }
    }
  }

  /** Re-reads every file SD source now and reconciles the targets. */
  public void sync() {
    refresh(true);
  }

  private synchronized void refresh(boolean force) {
    if (closed) {
      return;
    }
    for (Pool p : pools.values()) {
      p.reconcile(force, null);
    }
  }

  /** Scrapes every active target once, now; for tests and one-shot use. */
  public void scrapeAll() {
    List<ScrapeLoop> loops = new ArrayList<>();
    synchronized (this) {
      pools.values().forEach(p -> loops.addAll(p.loops.values()));
    }
    long now = clockMillis.getAsLong();
    for (ScrapeLoop l : loops) {
      l.scrapeOnce(now);
    }
  }

  /** The active targets with their health, pool by pool, for {@code /api/v1/targets}. */
  public synchronized List<TargetHealth> activeTargets() {
    List<TargetHealth> out = new ArrayList<>();
    for (Pool p : pools.values()) {
      p.loops.values().forEach(l -> out.add(l.health()));
    }
    return out;
  }

  /** The metadata of every active target's last successful scrape, pool by pool. */
  public synchronized List<TargetMetadata> targetMetadata() {
    List<TargetMetadata> out = new ArrayList<>();
    for (Pool p : pools.values()) {
      for (ScrapeLoop l : p.loops.values()) {
        out.add(new TargetMetadata(p.config.jobName(), l.target().labels(), l.metadata()));
      }
    }
    return out;
  }

  /** The targets that relabelling dropped, for {@code droppedTargets}. */
  public synchronized List<DroppedTarget> droppedTargets() {
    List<DroppedTarget> out = new ArrayList<>();
    for (Pool p : pools.values()) {
      out.addAll(p.dropped);
    }
    return out;
  }

  /** Stops every loop, writing stale markers for all their series. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (poller != null) {
      poller.interrupt();
    }
    for (Pool p : pools.values()) {
      p.stopAll(true);
    }
    pools.clear();
  }

  /** The targets of one job. */
  private final class Pool {
    final ScrapeConfig config;
    final List<FileDiscovery> files = new ArrayList<>();
    final Map<String, ScrapeLoop> loops = new LinkedHashMap<>();
    List<DroppedTarget> dropped = List.of();

    final HttpClient poolClient;

    Pool(ScrapeConfig config) {
      this.config = config;
      TlsConfig tls = config.tlsConfig();
      if (tls == null) {
        this.poolClient = client;
      } else {
        SSLContext ctx = TlsContexts.create(tls, config.jobName() + ".tls_config");
        this.poolClient =
            HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10))
                .sslContext(ctx)
                .sslParameters(TlsContexts.parameters(ctx, tls))
                .build();
      }
      config.fileSdConfigs().forEach(f -> files.add(new FileDiscovery(f)));
    }

    void reconcile(boolean force, @Nullable Pool before) {
      long now = clockMillis.getAsLong();
      boolean changed = force;
      for (FileDiscovery f : files) {
        changed |= f.refresh(now, force);
      }
      if (!changed) {
        return;
      }
      List<TargetGroup> groups = new ArrayList<>(config.staticConfigs());
      files.forEach(f -> groups.addAll(f.groups()));
      Map<String, Target> wanted = new LinkedHashMap<>();
      List<DroppedTarget> drops = new ArrayList<>();
      for (TargetGroup g : groups) {
        for (String address : g.targets()) {
          Labels discovered = Target.discovered(config, g, address);
          try {
            Target t = Target.populate(config, discovered);
            if (t == null) {
              drops.add(new DroppedTarget(config.jobName(), discovered));
            } else {
              wanted.putIfAbsent(t.key(), t);
            }
          } catch (ConfigException e) {
            LOG.log(System.Logger.Level.WARNING, "dropping target: " + e.getMessage());
            drops.add(new DroppedTarget(config.jobName(), discovered));
          }
        }
      }
      dropped = List.copyOf(drops);
      for (var it = loops.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        if (!wanted.containsKey(e.getKey())) {
          e.getValue().stop(true, now);
          it.remove();
        }
      }
      for (Map.Entry<String, Target> e : wanted.entrySet()) {
        if (loops.containsKey(e.getKey())) {
          continue;
        }
        ScrapeLoop loop = new ScrapeLoop(e.getValue(), config, storage, poolClient, clockMillis);
        if (before != null && before.loops.containsKey(e.getKey())) {
          loop.takeOver(before.loops.get(e.getKey()));
        }
        loops.put(e.getKey(), loop);
        if (started) {
          loop.start();
        }
      }
    }

    void stopAll(boolean staleness) {
      long now = clockMillis.getAsLong();
      for (ScrapeLoop l : loops.values()) {
        l.stop(staleness, now);
      }
    }
  }
}
