package dev.nines.ingest.scrape;

import dev.nines.common.Labels;
import dev.nines.common.PromDuration;
import dev.nines.ingest.exposition.Entry;
import dev.nines.ingest.exposition.ExpositionFormat;
import dev.nines.ingest.exposition.ExpositionParseException;
import dev.nines.ingest.exposition.ExpositionParser;
import dev.nines.ingest.exposition.MetricMetadata;
import dev.nines.ingest.exposition.MetricType;
import dev.nines.ingest.relabel.Relabeler;
import dev.nines.tsdb.storage.AppendException;
import dev.nines.tsdb.storage.Appendable;
import dev.nines.tsdb.storage.Appender;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Scrapes one target on its own schedule and writes each scrape through one {@link Appender}.
 *
 * <p>One scrape, top to bottom ({@link #scrapeOnce}):
 *
 * <ol>
 *   <li>fetch: HTTP GET with Prometheus's {@code Accept} header, {@code Accept-Encoding: gzip},
 *       {@code X-Prometheus-Scrape-Timeout-Seconds}, basic or {@code Authorization} credentials;
 *       the whole exchange bounded by {@code scrape_timeout} and the (uncompressed) body by {@code
 *       body_size_limit};
 *   <li>parse the whole body with the parser the {@code Content-Type} selects, into a buffer;
 *   <li>for each sample: target labels ({@code honor_labels}: the exposed value wins; otherwise the
 *       target's wins and the exposed one moves to {@code exported_<name>}), then {@code
 *       metric_relabel_configs}, then the label limits; then {@code sample_limit};
 *   <li>append: all samples (timestamps per {@code honor_timestamps}), stale markers for the series
 *       of the previous scrape that are gone, the synthetic series; one commit.
 * </ol>
 *
 * <p>Any failure in 1-3 writes nothing of the scrape: only stale markers for every series of the
 * previous scrape (the target is now empty, as Prometheus treats a failed scrape) and the synthetic
 * series with {@code up} = 0. Samples carrying their own timestamp are not tracked for staleness,
 * as in Prometheus. Storage refusals of single samples (out of order, duplicate) are skipped and do
 * not fail the scrape.
 *
 * <p>Allocation: a {@link SeriesCache} maps the raw bytes of each sample's name and labels to its
 * series (labels after target labels and relabelling, storage reference, staleness marks), as
 * Prometheus's scrape cache does. Only a series text not seen in the previous scrape is turned into
 * {@link Labels}, relabelled and checked against the label limits; a known one costs a hash and a
 * comparison of its bytes in place, and the batch, the staleness tracking and the synthetic series
 * reuse their arrays, so a steady-state scrape allocates per scrape, not per sample.
 *
 * <p>Metadata: the {@code # TYPE}, {@code # HELP} and {@code # UNIT} of the last successful scrape
 * are kept per target ({@link #metadata()}) for {@code /api/v1/metadata} and {@code
 * /api/v1/targets/metadata}.
 */
public final class ScrapeLoop {
  private static final System.Logger LOG = System.getLogger(ScrapeLoop.class.getName());

  /** The stale marker: a NaN with this exact bit pattern, as Prometheus writes. */
  public static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

  static final String UP = "up";
  static final String DURATION = "scrape_duration_seconds";
  static final String SCRAPED = "scrape_samples_scraped";
  static final String POST_RELABEL = "scrape_samples_post_metric_relabeling";
  static final String SERIES_ADDED = "scrape_series_added";

  private final Target target;
  private final ScrapeConfig config;
  private final Appendable storage;
  private final HttpClient client;
  private final LongSupplier clockMillis;
  private final ExpositionParser textParser = ExpositionParser.prometheusText();
  private final ExpositionParser openMetricsParser = ExpositionParser.openMetrics();

  /** Series of this target, by raw text and by labels; see the class comment. */
  private final SeriesCache cache = new SeriesCache();

  /**
   * The number of the last committed scrape: its series appended without an explicit timestamp
   * (those with {@code committedIter} equal to it) are the set that staleness compares against.
   */
  private long committed;

  private final Batch batch = new Batch();
  private volatile List<MetricMetadata> metadata = List.of();

  private final Labels[] reportLabels;
  private final long[] reportRefs;
  private boolean reported;

  private final AtomicBoolean stopped = new AtomicBoolean();
  private @Nullable Thread thread;

  private volatile String lastError = "";
  private volatile @Nullable Instant lastScrape;
  private volatile double lastDuration;
  private volatile TargetHealth.Health health = TargetHealth.Health.UNKNOWN;

  ScrapeLoop(
      Target target,
      ScrapeConfig config,
      Appendable storage,
      HttpClient client,
      LongSupplier clockMillis) {
    this.target = target;
    this.config = config;
    this.storage = storage;
    this.client = client;
    this.clockMillis = clockMillis;
    String[] names = {UP, DURATION, SCRAPED, POST_RELABEL, SERIES_ADDED};
    this.reportLabels = new Labels[names.length];
    this.reportRefs = new long[names.length];
    for (int i = 0; i < names.length; i++) {
      reportLabels[i] = target.labels().toBuilder().set(Labels.METRIC_NAME, names[i]).build();
    }
  }

  /** Raw series spellings the series cache holds, for tests. */
  synchronized int cachedSpellings() {
    return cache.entries();
  }

  /** The target this loop scrapes. */
  public Target target() {
    return target;
  }

  /**
   * The metadata ({@code # TYPE}, {@code # HELP}, {@code # UNIT}) of the families that the last
   * successful scrape declared, in order of appearance; families without any of those lines are
   * left out, as Prometheus leaves them out.
   */
  public List<MetricMetadata> metadata() {
    return metadata;
  }

  /** The target's health and last scrape, for {@code /api/v1/targets}. */
  public TargetHealth health() {
    return new TargetHealth(
        target.scrapePool(),
        target.url().toString(),
        target.url().toString(),
        target.labels(),
        target.discoveredLabels(),
        lastError,
        lastScrape,
        lastDuration,
        health,
        PromDuration.format(target.interval()),
        PromDuration.format(target.timeout()));
  }

  /** Starts the schedule on a virtual thread of its own. */
  synchronized void start() {
    if (thread == null && !stopped.get()) {
      thread = Thread.ofVirtual().name("scrape-" + target.scrapePool()).start(this::run);
    }
  }

  /**
   * The first scrape time at or after {@code now}: the instant whose offset within the interval is
   * the target's hash modulo the interval, so targets spread evenly and keep their slot.
   */
  long firstScrapeAt(long now) {
    long interval = target.interval().toMillis();
    long offset = Long.remainderUnsigned(target.hash(), interval);
    long next = now - Math.floorMod(now, interval) + offset;
    return next < now ? next + interval : next;
  }

  private void run() {
    long interval = target.interval().toMillis();
    long next = firstScrapeAt(clockMillis.getAsLong());
    while (!stopped.get()) {
      long wait = next - clockMillis.getAsLong();
      if (wait > 0) {
        try {
          Thread.sleep(wait);
        } catch (InterruptedException e) {
          return;
        }
      }
      if (stopped.get()) {
        return;
      }
      try {
        scrapeOnce(clockMillis.getAsLong());
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "scrape of " + target.url() + " failed", e);
      }
      next += interval;
      long now = clockMillis.getAsLong();
      if (next < now) {
        next += (now - next) / interval * interval + interval; // skip missed slots
      }
    }
  }

  /**
   * Stops the schedule. With {@code staleness}, writes stale markers at {@code nowMillis} for every
   * series of the last scrape and the synthetic series, as when a target goes away.
   */
  void stop(boolean staleness, long nowMillis) {
    stopped.set(true);
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
    }
    if (staleness) {
      synchronized (this) {
        Appender app = storage.appender();
        for (SeriesCache.Series s : cache.series()) {
          if (s.committedIter == committed) {
            appendQuietly(app, s.ref, s.labels, nowMillis, STALE_NAN);
          }
        }
        if (reported) {
          for (Labels l : reportLabels) {
            appendQuietly(app, 0, l, nowMillis, STALE_NAN);
          }
        }
        commitQuietly(app);
        committed = cache.begin(null); // nothing is previous now
      }
    }
  }

  /**
   * Carries the series of {@code old}'s last scrape over, so a config reload writes no staleness.
   */
  synchronized void takeOver(ScrapeLoop old) {
    synchronized (old) {
      for (SeriesCache.Series s : old.cache.series()) {
        if (s.committedIter == old.committed) {
          SeriesCache.Series mine = cache.adopt(s.labels);
          mine.ref = s.ref;
          mine.committedIter = committed;
        }
      }
      this.reported = old.reported;
      this.metadata = old.metadata;
    }
  }

  /**
   * Runs one scrape now, with {@code nowMillis} as the timestamp of its samples (the scrape's
   * start); the scheduled loop calls this, and tests call it directly.
   */
  public synchronized void scrapeOnce(long nowMillis) {
    scrape(nowMillis, null);
  }

  /**
   * Runs one scrape now over a body fetched elsewhere, as if the target had answered it with {@code
   * contentType}: parse, relabel, limits, append, staleness and the synthetic series, all as {@link
   * #scrapeOnce} does after its HTTP exchange. For benchmarks and embedding.
   */
  public synchronized void scrapeBody(long nowMillis, byte[] body, @Nullable String contentType) {
    scrape(nowMillis, new Fetched(body, contentType));
  }

  /**
   * A loop for the address {@code address} of {@code config}, as a static target with no group
   * labels, that is never scheduled: drive it with {@link #scrapeOnce} or {@link #scrapeBody}.
   *
   * @throws ConfigException when {@code relabel_configs} drop the target or make it invalid
   */
  public static ScrapeLoop unscheduled(
      ScrapeConfig config, String address, Appendable storage, LongSupplier clockMillis) {
    TargetGroup group = new TargetGroup(List.of(address), Labels.EMPTY, "");
    Target t = Target.populate(config, Target.discovered(config, group, address));
    if (t == null) {
      throw new ConfigException(config.jobName(), "relabel_configs drop the target " + address);
    }
    return new ScrapeLoop(t, config, storage, HttpClient.newHttpClient(), clockMillis);
  }

  private void scrape(long nowMillis, @Nullable Fetched given) {
    if (stopped.get()) {
      return; // stale markers are written; a late scrape must not revive the series
    }
    long start = System.nanoTime();
    batch.clear();
    String error = "";
    long before = cache.iteration();
    try {
      Fetched fetched = given != null ? given : fetch();
      parse(fetched, nowMillis);
    } catch (ScrapeException e) {
      error = e.getMessage();
    }
    long iter = cache.iteration();
    if (iter == before) {
      iter = cache.begin(null); // the fetch failed
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Appender app = storage.appender();
    int seriesAdded = 0;
    if (error.isEmpty()) {
      for (int i = 0; i < batch.size; i++) {
        SeriesCache.Series s = batch.series[i];
        s.ref = appendQuietly(app, s.ref, s.labels, batch.times[i], batch.values[i]);
        if (!batch.explicitTime[i] && s.seenIter != iter) {
          s.seenIter = iter;
          if (s.committedIter != committed) {
            seriesAdded++;
          }
        }
      }
    }
    for (SeriesCache.Series s : cache.series()) {
      if (s.committedIter == committed && s.seenIter != iter) {
        appendQuietly(app, s.ref, s.labels, nowMillis, STALE_NAN);
      }
    }
    boolean up = error.isEmpty();
    double[] report = {up ? 1 : 0, seconds, batch.scraped, batch.size, seriesAdded};
    for (int i = 0; i < reportLabels.length; i++) {
      reportRefs[i] = appendQuietly(app, reportRefs[i], reportLabels[i], nowMillis, report[i]);
    }
    boolean committedNow = false;
    try {
      app.commit();
      committedNow = true;
      reported = true;
    } catch (RuntimeException e) {
      app.rollback();
      error = "storage commit failed: " + e.getMessage();
      up = false;
    }
    if (committedNow) {
      for (SeriesCache.Series s : cache.series()) {
        if (s.seenIter == iter) {
          s.committedIter = iter;
        }
      }
      committed = iter;
    }
    cache.end(committedNow && up);
    if (up && batch.metadata != null && !batch.metadata.equals(metadata)) {
      metadata = batch.metadata;
    }
    batch.release();
    lastError = error;
    lastScrape = Instant.ofEpochMilli(nowMillis);
    lastDuration = seconds;
    health = up ? TargetHealth.Health.UP : TargetHealth.Health.DOWN;
  }

  private static long appendQuietly(Appender app, long ref, Labels l, long t, double v) {
    try {
      return app.append(ref, l, t, v);
    } catch (AppendException e) {
      return ref;
    }
  }

  private static void commitQuietly(Appender app) {
    try {
      app.commit();
    } catch (RuntimeException e) {
      app.rollback();
      LOG.log(System.Logger.Level.WARNING, "writing stale markers failed: " + e.getMessage());
    }
  }

  /** The samples of one scrape before they are appended; reused from scrape to scrape. */
  private static final class Batch {
    SeriesCache.Series[] series = new SeriesCache.Series[64];
    long[] times = new long[64];
    double[] values = new double[64];
    boolean[] explicitTime = new boolean[64];
    int size;
    int scraped;
    @Nullable List<MetricMetadata> metadata;

    void clear() {
      size = 0;
      scraped = 0;
      metadata = null;
    }

    /** Drops the references to series, so evicted ones are not kept alive by the arrays. */
    void release() {
      Arrays.fill(series, 0, size, null);
      metadata = null;
    }

    void add(SeriesCache.Series s, long t, double v, boolean explicit) {
      if (size == times.length) {
        series = Arrays.copyOf(series, size * 2);
        times = Arrays.copyOf(times, size * 2);
        values = Arrays.copyOf(values, size * 2);
        explicitTime = Arrays.copyOf(explicitTime, size * 2);
      }
      series[size] = s;
      times[size] = t;
      values[size] = v;
      explicitTime[size] = explicit;
      size++;
    }
  }

  /** A fetched body and its {@code Content-Type}. */
  private static final class Fetched {
    private final byte[] body;
    private final @Nullable String contentType;

    Fetched(byte[] body, @Nullable String contentType) {
      this.body = body;
      this.contentType = contentType;
    }

    byte[] body() {
      return body;
    }

    @Nullable String contentType() {
      return contentType;
    }
  }

  /** Parses the body into {@link #batch}, starting the next scrape in the series cache. */
  private void parse(Fetched fetched, long nowMillis) throws ScrapeException {
    ExpositionFormat format = ExpositionFormat.forContentType(fetched.contentType());
    ExpositionParser parser =
        format == ExpositionFormat.OPENMETRICS_1_0_0 ? openMetricsParser : textParser;
    cache.begin(format);
    byte[] body = fetched.body();
    parser.reset(body);
    Labels targetLabels = target.labels();
    try {
      while (true) {
        Entry e = parser.next();
        if (e == Entry.EOF) {
          break;
        }
        if (e != Entry.SERIES) {
          continue;
        }
        batch.scraped++;
        int from = parser.seriesStart();
        int to = parser.seriesEnd();
        SeriesCache.Entry known = cache.get(body, from, to);
        SeriesCache.Series s;
        if (known != null) {
          s = known.series();
        } else {
          Labels l =
              Relabeler.process(
                  mutate(parser.labels(), targetLabels), config.metricRelabelConfigs());
          if (l != null) {
            checkLabelLimits(l);
          }
          s = cache.put(body, from, to, l);
        }
        if (s == null) {
          continue; // dropped by metric_relabel_configs
        }
        boolean explicit = config.honorTimestamps() && parser.hasTimestamp();
        batch.add(s, explicit ? parser.timestampMillis() : nowMillis, parser.value(), explicit);
        if (config.sampleLimit() > 0 && batch.size > config.sampleLimit()) {
          throw new ScrapeException(
              ScrapeException.Kind.LIMIT,
              "sample_limit exceeded: more than " + config.sampleLimit() + " samples");
        }
      }
      batch.metadata = declared(parser.metadata());
    } catch (ExpositionParseException e) {
      throw new ScrapeException(ScrapeException.Kind.PARSE, e.getMessage(), e);
    }
  }

  /** The families that had a {@code # TYPE}, {@code # HELP} or {@code # UNIT} line. */
  private static List<MetricMetadata> declared(List<MetricMetadata> all) {
    List<MetricMetadata> out = new ArrayList<>(all.size());
    for (MetricMetadata m : all) {
      if (m.type() != MetricType.UNKNOWN || !m.help().isEmpty() || !m.unit().isEmpty()) {
        out.add(m);
      }
    }
    return List.copyOf(out);
  }

  private Labels mutate(Labels sample, Labels targetLabels) {
    Labels.Builder b = sample.toBuilder();
    if (config.honorLabels()) {
      for (int i = 0; i < targetLabels.size(); i++) {
        if (sample.get(targetLabels.name(i)) == null) {
          b.set(targetLabels.name(i), targetLabels.value(i));
        }
      }
      return b.build();
    }
    List<String> conflicts = null;
    for (int i = 0; i < targetLabels.size(); i++) {
      String name = targetLabels.name(i);
      String exposed = sample.get(name);
      if (exposed != null) {
        if (conflicts == null) {
          conflicts = new ArrayList<>();
        }
        conflicts.add(name);
        conflicts.add(exposed);
      }
      b.set(name, targetLabels.value(i));
    }
    if (conflicts != null) {
      for (int i = 0; i < conflicts.size(); i += 2) {
        String name = "exported_" + conflicts.get(i);
        while (b.get(name) != null) {
          name = "exported_" + name;
        }
        b.set(name, conflicts.get(i + 1));
      }
    }
    return b.build();
  }

  private void checkLabelLimits(Labels l) throws ScrapeException {
    if (config.labelLimit() > 0 && l.size() > config.labelLimit()) {
      throw new ScrapeException(
          ScrapeException.Kind.LIMIT,
          "label_limit exceeded (metric: "
              + l.metricName()
              + ", number of labels: "
              + l.size()
              + ", limit: "
              + config.labelLimit()
              + ")");
    }
    for (int i = 0; i < l.size(); i++) {
      if (config.labelNameLengthLimit() > 0 && l.name(i).length() > config.labelNameLengthLimit()) {
        throw new ScrapeException(
            ScrapeException.Kind.LIMIT,
            "label_name_length_limit exceeded (metric: "
                + l.metricName()
                + ", label name: "
                + l.name(i)
                + ", limit: "
                + config.labelNameLengthLimit()
                + ")");
      }
      if (config.labelValueLengthLimit() > 0
          && l.value(i).length() > config.labelValueLengthLimit()) {
        throw new ScrapeException(
            ScrapeException.Kind.LIMIT,
            "label_value_length_limit exceeded (metric: "
                + l.metricName()
                + ", label: "
                + l.name(i)
                + ", limit: "
                + config.labelValueLengthLimit()
                + ")");
      }
    }
  }

  private Fetched fetch() throws ScrapeException {
    Duration timeout = target.timeout();
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(target.url())
            .GET()
            .timeout(timeout)
            .header("Accept", ExpositionFormat.SCRAPE_ACCEPT_HEADER)
            .header("Accept-Encoding", "gzip")
            .header("User-Agent", "Nines")
            .header(
                "X-Prometheus-Scrape-Timeout-Seconds",
                BigDecimal.valueOf(timeout.toMillis(), 3).stripTrailingZeros().toPlainString());
    String auth = authorizationHeader();
    if (auth != null) {
      rb.header("Authorization", auth);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture<HttpResponse<InputStream>> pending =
        client.sendAsync(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<InputStream> response;
    try {
      response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw timedOut();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ScrapeException(ScrapeException.Kind.HTTP, "scrape interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw timedOut();
      }
      throw new ScrapeException(ScrapeException.Kind.HTTP, describe(cause), cause);
    }
    InputStream raw = response.body();
    AtomicBoolean done = new AtomicBoolean();
    long remaining = Math.max(1, deadline - System.nanoTime());
    CompletableFuture.delayedExecutor(remaining, TimeUnit.NANOSECONDS)
        .execute(
            () -> {
              if (!done.get()) {
                closeQuietly(raw);
              }
            });
    try (InputStream in = raw) {
      if (response.statusCode() != 200) {
        throw new ScrapeException(
            ScrapeException.Kind.HTTP, "server returned HTTP status " + response.statusCode());
      }
      boolean gzip =
          response
              .headers()
              .firstValue("Content-Encoding")
              .map(v -> v.strip().equalsIgnoreCase("gzip"))
              .orElse(false);
      InputStream body = gzip ? new GZIPInputStream(in) : in;
      long limit = config.bodySizeLimit();
      byte[] bytes;
      if (limit > 0) {
        bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (bytes.length > limit) {
          throw new ScrapeException(
              ScrapeException.Kind.BODY_SIZE_LIMIT,
              "body size limit exceeded (limit: " + limit + " bytes)");
        }
      } else {
        bytes = body.readAllBytes();
      }
      return new Fetched(bytes, response.headers().firstValue("Content-Type").orElse(null));
    } catch (IOException e) {
      if (System.nanoTime() - deadline >= 0) {
        throw timedOut();
      }
      throw new ScrapeException(ScrapeException.Kind.HTTP, describe(e), e);
    } finally {
      done.set(true);
    }
  }

  private ScrapeException timedOut() {
    return new ScrapeException(
        ScrapeException.Kind.HTTP,
        "scrape timed out after " + PromDuration.format(target.timeout()));
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // The scrape is timing out; the reader reports it.
    }
  }

  private @Nullable String authorizationHeader() throws ScrapeException {
    BasicAuth basic = config.basicAuth();
    if (basic != null) {
      String password =
          basic.passwordFile() != null
              ? readSecret(basic.passwordFile(), "password_file")
              : basic.password() == null ? "" : basic.password();
      String token = basic.username() + ":" + password;
      return "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }
    Authorization auth = config.authorization();
    if (auth != null) {
      String credentials =
          auth.credentialsFile() != null
              ? readSecret(auth.credentialsFile(), "credentials_file")
              : auth.credentials() == null ? "" : auth.credentials();
      return auth.type() + " " + credentials;
    }
    return null;
  }

  private static String readSecret(String file, String field) throws ScrapeException {
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    } catch (IOException | UncheckedIOException e) {
      throw new ScrapeException(
          ScrapeException.Kind.HTTP,
          "cannot read " + field + " " + file + ": " + e.getMessage().toLowerCase(Locale.ROOT));
    }
  }
}
