package dev.nines.server.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.promql.engine.Engine;
import dev.nines.promql.engine.QueryException;
import dev.nines.promql.engine.QueryStats;
import dev.nines.promql.engine.Result;
import dev.nines.promql.engine.Sample;
import dev.nines.promql.engine.SeriesPoints;
import dev.nines.promql.parser.Expr;
import dev.nines.promql.parser.ParseException;
import dev.nines.promql.parser.Parser;
import dev.nines.promql.parser.Printer;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.Queryable;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.SeriesSet;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design notes.
 *
 * Every handler reads its parameters in the order Prometheus's web/api/v1 reads them, so that a
 * request with several bad parameters gets the same error as from Prometheus. Errors are ApiError
 * (or the engine's QueryException) and are turned into Prometheus's envelope in one place, with the
 * HTTP status of their errorType.
 *
 * Queries: the deadline starts when the request is read; the request's `timeout` can only shorten
 * QueryLimits.timeout. The query then waits for a slot (QueryGate), and runs on an Engine made for
 * it from the shared engine's options with the time left and the sample limit, so that queue time
 * counts towards the timeout as in Prometheus. The slot is given back before the result is written.
 * QueryLimits, not the shared engine's own timeout and sample limit, decide for API queries.
 *
 * Results are streamed with Jackson's JsonGenerator straight to the response (PromJson formats
 * numbers into a reused buffer), so a large matrix never becomes one big String or byte[].
 */

/**
 * The Prometheus HTTP query API as a route set: {@code /api/v1/query}, {@code query_range}, {@code
 * query_exemplars}, {@code series}, {@code labels}, {@code label/<name>/values}, {@code metadata},
 * {@code parse_query}, {@code format_query} and {@code status/runtimeinfo|flags|tsdb|config}, at
 * Prometheus's paths with its JSON shapes, errors and HTTP statuses. {@code status/buildinfo} is
 * served by the management routes.
 */
public final class PromApiRoutes implements Consumer<RoutesConfig> {
  private static final Logger log = LoggerFactory.getLogger(PromApiRoutes.class);
  private static final String PREFIX = "/api/v1";
  private static final String JSON_TYPE = "application/json";
  private static final String TRUNCATED = "results truncated due to limit";
  private static final String TOO_MANY_POINTS =
      "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query"
          + " resolution (?step=XX)";

  private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();

  private final Engine engine;
  private final Queryable queryable;
  private final QueryLimits limits;
  private final Supplier<RuntimeInfo> runtimeInfo;
  private final MetadataSource metadata;
  private final @Nullable TsdbAdmin admin;
  private final QueryGate gate;
  private final Parser.Options parserOptions;
  private final String hostname;

  /**
   * A route set over an engine and storage.
   *
   * @param engine supplies lookback delta, evaluation interval and feature switches; timeout and
   *     sample limit come from {@code limits}
   * @param queryable the storage queries and metadata endpoints read
   * @param limits the query limits (validated here)
   * @param runtimeInfo what {@code status/runtimeinfo}, {@code flags} and {@code config} report
   * @param metadata what {@code /api/v1/metadata} reports
   * @param registry where the query metrics are registered
   * @param admin the admin operations, or null when the admin API is disabled
   */
  public PromApiRoutes(
      Engine engine,
      Queryable queryable,
      QueryLimits limits,
      Supplier<RuntimeInfo> runtimeInfo,
      MetadataSource metadata,
      PrometheusRegistry registry,
      @Nullable TsdbAdmin admin) {
    this.admin = admin;
    this.engine = engine;
    this.queryable = queryable;
    this.limits = limits.validate();
    this.runtimeInfo = runtimeInfo;
    this.metadata = metadata;
    this.gate = new QueryGate(limits.maxConcurrent(), registry);
    this.parserOptions = new Parser.Options(engine.options().experimentalFunctions());
    this.hostname = hostname();
  }

  @Override
  public void accept(RoutesConfig routes) {
    Handler query = api(this::instantQuery);
    Handler queryRange = api(this::rangeQuery);
    Handler exemplars = api(this::queryExemplars);
    Handler series = api(this::series);
    Handler labels = api(this::labelNames);
    Handler parse = api(this::parseQuery);
    Handler format = api(this::formatQuery);
    routes.get(PREFIX + "/query", query);
    routes.post(PREFIX + "/query", query);
    routes.get(PREFIX + "/query_range", queryRange);
    routes.post(PREFIX + "/query_range", queryRange);
    routes.get(PREFIX + "/query_exemplars", exemplars);
    routes.post(PREFIX + "/query_exemplars", exemplars);
    routes.get(PREFIX + "/series", series);
    routes.post(PREFIX + "/series", series);
    routes.get(PREFIX + "/labels", labels);
    routes.post(PREFIX + "/labels", labels);
    routes.get(PREFIX + "/label/{name}/values", api(this::labelValues));
    routes.get(PREFIX + "/metadata", api(this::metricMetadata));
    routes.get(PREFIX + "/parse_query", parse);
    routes.post(PREFIX + "/parse_query", parse);
    routes.get(PREFIX + "/format_query", format);
    routes.post(PREFIX + "/format_query", format);
    routes.get(PREFIX + "/status/runtimeinfo", api(this::runtimeInfo));
    routes.get(
        PREFIX + "/status/flags",
        api((ctx, p) -> respond(ctx, new TreeMap<>(runtimeInfo.get().flags()))));
    routes.get(PREFIX + "/status/config", api(this::config));
    routes.get(PREFIX + "/status/tsdb", api(this::tsdbStatus));
    Handler snapshot = api(this::snapshot);
    Handler deleteSeries = api(this::deleteSeries);
    routes.post(PREFIX + "/admin/tsdb/snapshot", snapshot);
    routes.put(PREFIX + "/admin/tsdb/snapshot", snapshot);
    routes.post(PREFIX + "/admin/tsdb/delete_series", deleteSeries);
    routes.put(PREFIX + "/admin/tsdb/delete_series", deleteSeries);
    routes.error(404, this::notFound);
  }

  // ---- admin ----

  private TsdbAdmin admin() {
    if (admin == null) {
      throw new ApiError(ApiError.Type.UNAVAILABLE, "admin APIs disabled");
    }
    return admin;
  }

  private void snapshot(Context ctx, Params p) throws IOException {
    TsdbAdmin a = admin();
    String skip = p.get("skip_head");
    boolean skipHead = skip != null && Boolean.parseBoolean(skip);
    String name = a.snapshot(skipHead);
    respond(ctx, java.util.Map.of("name", name));
  }

  private void deleteSeries(Context ctx, Params p) throws IOException {
    TsdbAdmin a = admin();
    if (p.all("match[]").isEmpty()) {
      throw ApiError.badData("no match[] parameter provided");
    }
    long start = p.optionalTime("start", Params.MIN_TIME);
    long end = p.optionalTime("end", Params.MAX_TIME);
    for (List<LabelMatcher> matchers : p.matcherSets()) {
      a.deleteSeries(start, end, matchers);
    }
    ctx.status(204);
  }

  // ---- queries ----

  private void instantQuery(Context ctx, Params p) throws IOException {
    long started = System.nanoTime();
    int limit = p.limit();
    long time = p.optionalTime("time", System.currentTimeMillis());
    Duration timeout = timeout(p);
    Duration lookback = lookbackDelta(p);
    String query = p.query();
    QueryStats stats = wantsStats(p) ? new QueryStats() : null;
    long[] queued = new long[1];
    Result result =
        run(started, timeout, queued, e -> e.instantQuery(queryable, query, time, lookback, stats));
    writeResult(ctx, result, limit, started, stats, queued[0]);
  }

  private void rangeQuery(Context ctx, Params p) throws IOException {
    long started = System.nanoTime();
    int limit = p.limit();
    long start = p.requiredTime("start");
    long end = p.requiredTime("end");
    if (end < start) {
      throw ApiError.invalidParam("end", "end timestamp must not be before start time");
    }
    Duration step = p.requiredDuration("step");
    if (step.isNegative() || step.isZero()) {
      throw ApiError.invalidParam(
          "step",
          "zero or negative query resolution step widths are not accepted. Try a positive"
              + " integer");
    }
    // Prometheus divides Go durations (nanoseconds): (end - start) / step > 11000.
    BigInteger span = BigInteger.valueOf(end).subtract(BigInteger.valueOf(start));
    BigInteger points = span.multiply(BigInteger.valueOf(1_000_000)).divide(nanos(step));
    if (points.compareTo(BigInteger.valueOf(Engine.MAX_POINTS_PER_SERIES)) > 0) {
      gate.limitHit("max_points");
      throw ApiError.badData(TOO_MANY_POINTS);
    }
    Duration timeout = timeout(p);
    Duration lookback = lookbackDelta(p);
    String query = p.query();
    long stepMillis = Math.max(1, step.toMillis());
    QueryStats stats = wantsStats(p) ? new QueryStats() : null;
    long[] queued = new long[1];
    Result result =
        run(
            started,
            timeout,
            queued,
            e -> e.rangeQuery(queryable, query, start, end, stepMillis, lookback, stats));
    writeResult(ctx, result, limit, started, stats, queued[0]);
  }

  private static BigInteger nanos(Duration d) {
    return BigInteger.valueOf(d.getSeconds())
        .multiply(BigInteger.valueOf(1_000_000_000))
        .add(BigInteger.valueOf(d.getNano()));
  }

  /** The query's timeout: the configured one, shortened by the request's {@code timeout}. */
  private Duration timeout(Params p) {
    Duration requested = p.optionalDuration("timeout");
    if (requested == null || requested.compareTo(limits.timeout()) > 0) {
      return limits.timeout();
    }
    return requested;
  }

  /** The request's lookback delta, or null for the engine's (zero or less means the default). */
  private static @Nullable Duration lookbackDelta(Params p) {
    String v = p.get("lookback_delta");
    if (v == null) {
      return null;
    }
    Duration d;
    try {
      d = Params.parseDuration(v);
    } catch (IllegalArgumentException e) {
      throw ApiError.badData("error parsing lookback delta duration: " + e.getMessage());
    }
    return d.isNegative() || d.isZero() ? null : d;
  }

  /** Prometheus answers with {@code stats} whenever the parameter is not empty. */
  private static boolean wantsStats(Params p) {
    String v = p.get("stats");
    return v != null && !v.isEmpty();
  }

  /**
   * Waits for a slot, then evaluates with the time left; maps failures to API errors. {@code
   * queued[0]} receives the nanoseconds spent waiting for the slot.
   */
  private Result run(
      long started, Duration timeout, long[] queued, Function<Engine, Result> query) {
    long deadline = started + Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
    try {
      gate.enter(deadline);
      long admitted = System.nanoTime();
      queued[0] = admitted - started;
      gate.observe("queue_time", admitted - started);
      try {
        long left = deadline - admitted;
        if (left < 1_000_000) {
          throw new QueryException(QueryException.Kind.TIMEOUT, QueryGate.QUEUE_TIMEOUT);
        }
        Engine forQuery =
            new Engine(
                engine
                    .options()
                    .withTimeout(Duration.ofMillis(left / 1_000_000))
                    .withMaxSamples(limits.maxSamples()));
        Result result = query.apply(forQuery);
        gate.observe("inner_eval", System.nanoTime() - admitted);
        return result;
      } finally {
        gate.exit();
      }
    } catch (QueryException e) {
      throw toApiError(e);
    }
  }

  private ApiError toApiError(QueryException e) {
    String message = e.getMessage() == null ? e.kind().errorType() : e.getMessage();
    switch (e.kind()) {
      case TIMEOUT -> gate.limitHit("timeout");
      case EXECUTION -> {
        if (message.equals(QueryException.TOO_MANY_SAMPLES)) {
          gate.limitHit("max_samples");
        }
      }
      case BAD_DATA -> {
        if (message.startsWith("exceeded maximum resolution")) {
          gate.limitHit("max_points");
          return ApiError.badData(message);
        }
        // Prometheus reports what NewInstantQuery/NewRangeQuery refuse as a bad "query".
        return ApiError.invalidParam("query", message);
      }
      case CANCELED -> {}
    }
    return new ApiError(ApiError.Type.of(e.kind()), message);
  }

  private void writeResult(
      Context ctx,
      Result result,
      int limit,
      long started,
      @Nullable QueryStats stats,
      long queuedNanos)
      throws IOException {
    long writeStart = System.nanoTime();
    List<String> warnings = capAnnotations(result.warnings(), limits.maxWarnings(), "warning");
    List<String> infos = capAnnotations(result.infos(), limits.maxInfos(), "info");
    Result r = result;
    if (limit > 0) {
      switch (result) {
        case Result.Vector v when v.samples().size() > limit -> {
          r = new Result.Vector(v.samples().subList(0, limit), v.warnings(), v.infos());
          warnings.add(TRUNCATED);
        }
        case Result.Matrix m when m.series().size() > limit -> {
          r = new Result.Matrix(m.series().subList(0, limit), m.warnings(), m.infos());
          warnings.add(TRUNCATED);
        }
        default -> {}
      }
    }
    Result out = r;
    respond(ctx, json -> writeQueryData(json, out, stats, queuedNanos), warnings, infos);
    gate.observe("result_write", System.nanoTime() - writeStart);
    log.atDebug()
        .addKeyValue("ms", (System.nanoTime() - started) / 1_000_000)
        .log("query answered");
  }

  /**
   * The first {@code max} annotations (all when {@code max} is 0) and, when some are left out,
   * Prometheus's last entry {@code N more <kind> annotations omitted}; the omitted are counted.
   */
  private List<String> capAnnotations(List<String> all, int max, String kind) {
    if (max == 0 || all.size() <= max) {
      return new ArrayList<>(all);
    }
    int omitted = all.size() - max;
    gate.annotationsOmitted(kind, omitted);
    List<String> out = new ArrayList<>(all.subList(0, max));
    out.add(omitted + " more " + kind + " annotations omitted");
    return out;
  }

  private static void writeQueryData(
      PromJson json, Result r, @Nullable QueryStats stats, long queuedNanos) throws IOException {
    JsonGenerator g = json.gen();
    g.writeStartObject();
    g.writeStringField("resultType", r.resultType());
    g.writeFieldName("result");
    switch (r) {
      case Result.Scalar s -> json.point(s.timestamp(), s.value());
      case Result.StringValue s -> json.stringPoint(s.timestamp(), s.value());
      case Result.Vector v -> {
        g.writeStartArray();
        for (Sample s : v.samples()) {
          g.writeStartObject();
          g.writeFieldName("metric");
          json.labels(s.labels());
          g.writeFieldName("value");
          json.point(s.timestamp(), s.value());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      case Result.Matrix m -> {
        g.writeStartArray();
        for (SeriesPoints s : m.series()) {
          g.writeStartObject();
          g.writeFieldName("metric");
          json.labels(s.labels());
          if (s.size() > 0) {
            g.writeFieldName("values");
            json.points(s.timestamps(), s.values(), s.size());
          }
          g.writeEndObject();
        }
        g.writeEndArray();
      }
    }
    if (stats != null) {
      writeStats(g, stats, queuedNanos);
    }
    g.writeEndObject();
  }

  /** Prometheus's {@code stats} object: {@code timings} in seconds and {@code samples}. */
  private static void writeStats(JsonGenerator g, QueryStats stats, long queuedNanos)
      throws IOException {
    g.writeFieldName("stats");
    g.writeStartObject();
    g.writeFieldName("timings");
    g.writeStartObject();
    g.writeNumberField("evalTotalTime", stats.evalTotalNanos() / 1e9);
    g.writeNumberField("resultSortTime", stats.resultSortNanos() / 1e9);
    g.writeNumberField("queryPreparationTime", stats.preparationNanos() / 1e9);
    g.writeNumberField("innerEvalTime", stats.innerEvalNanos() / 1e9);
    g.writeNumberField("execQueueTime", queuedNanos / 1e9);
    g.writeNumberField("execTotalTime", (queuedNanos + stats.evalTotalNanos()) / 1e9);
    g.writeEndObject();
    g.writeFieldName("samples");
    g.writeStartObject();
    g.writeNumberField("totalQueryableSamples", stats.totalQueryableSamples());
    g.writeNumberField("peakSamples", stats.peakSamples());
    g.writeEndObject();
    g.writeEndObject();
  }

  private void queryExemplars(Context ctx, Params p) throws IOException {
    long start = p.optionalTime("start", Params.MIN_TIME);
    long end = p.optionalTime("end", Params.MAX_TIME);
    if (end < start) {
      throw ApiError.badData("end timestamp must not be before start timestamp");
    }
    parse(p.query());
    // Exemplars are not stored yet: every selector has none.
    respond(ctx, List.of());
  }

  // ---- metadata about series ----

  private void series(Context ctx, Params p) throws IOException {
    if (p.all("match[]").isEmpty()) {
      throw ApiError.badData("no match[] parameter provided");
    }
    int limit = p.limit();
    long start = p.optionalTime("start", Params.MIN_TIME);
    long end = p.optionalTime("end", Params.MAX_TIME);
    List<List<LabelMatcher>> sets = p.matcherSets();
    TreeSet<Labels> found = new TreeSet<>();
    try (Querier q = queryable.querier(start, end)) {
      for (List<LabelMatcher> matchers : sets) {
        SeriesSet set = q.select(false, new SelectHints(start, end, 0, "series", 0), matchers);
        while (set.next()) {
          found.add(set.at().labels());
        }
        RuntimeException error = set.error();
        if (error != null) {
          throw new ApiError(ApiError.Type.EXECUTION, String.valueOf(error.getMessage()));
        }
      }
    }
    List<String> warnings = new ArrayList<>();
    List<Labels> result = new ArrayList<>(found);
    if (limit > 0 && result.size() > limit) {
      result = result.subList(0, limit);
      warnings.add(TRUNCATED);
    }
    List<Labels> out = result;
    respond(
        ctx,
        json -> {
          json.gen().writeStartArray();
          for (Labels l : out) {
            json.labels(l);
          }
          json.gen().writeEndArray();
        },
        warnings,
        List.of());
  }

  private void labelNames(Context ctx, Params p) throws IOException {
    int limit = p.limit();
    long start = p.optionalTime("start", Params.MIN_TIME);
    long end = p.optionalTime("end", Params.MAX_TIME);
    List<List<LabelMatcher>> sets = p.matcherSets();
    TreeSet<String> names = new TreeSet<>();
    try (Querier q = queryable.querier(start, end)) {
      if (sets.isEmpty()) {
        names.addAll(q.labelNames(List.of()));
      }
      for (List<LabelMatcher> matchers : sets) {
        names.addAll(q.labelNames(matchers));
      }
    }
    respondTruncated(ctx, new ArrayList<>(names), limit);
  }

  private void labelValues(Context ctx, Params p) throws IOException {
    String name = ctx.pathParam("name");
    if (name.startsWith("U__")) {
      name = unescapeName(name);
    }
    if (name.isEmpty()) {
      throw ApiError.badData("invalid label name: " + Params.goQuote(name));
    }
    int limit = p.limit();
    long start = p.optionalTime("start", Params.MIN_TIME);
    long end = p.optionalTime("end", Params.MAX_TIME);
    List<List<LabelMatcher>> sets = p.matcherSets();
    TreeSet<String> values = new TreeSet<>();
    try (Querier q = queryable.querier(start, end)) {
      if (sets.isEmpty()) {
        values.addAll(q.labelValues(name, List.of()));
      }
      for (List<LabelMatcher> matchers : sets) {
        values.addAll(q.labelValues(name, matchers));
      }
    }
    respondTruncated(ctx, new ArrayList<>(values), limit);
  }

  private void respondTruncated(Context ctx, List<String> values, int limit) throws IOException {
    List<String> warnings = new ArrayList<>();
    List<String> out = values;
    if (limit > 0 && values.size() > limit) {
      out = values.subList(0, limit);
      warnings.add(TRUNCATED);
    }
    List<String> data = out;
    respond(ctx, json -> json.strings(data), warnings, List.of());
  }

  /**
   * Undoes Prometheus's {@code U__} escaping of a label name in a URL path: {@code __} is {@code _}
   * and {@code _<hex>_} is the code point; a name that does not decode is kept as given.
   */
  static String unescapeName(String escaped) {
    String s = escaped.substring(3);
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '_') {
        if (!Character.isLetterOrDigit(c)) {
          return escaped;
        }
        out.append(c);
        i++;
        continue;
      }
      if (i + 1 < s.length() && s.charAt(i + 1) == '_') {
        out.append('_');
        i += 2;
        continue;
      }
      int close = s.indexOf('_', i + 1);
      if (close < 0) {
        return escaped;
      }
      try {
        out.appendCodePoint(Integer.parseInt(s.substring(i + 1, close), 16));
      } catch (IllegalArgumentException e) {
        return escaped;
      }
      i = close + 1;
    }
    return out.toString();
  }

  private void metricMetadata(Context ctx, Params p) throws IOException {
    int limit = numberParam(p, "limit", "limit must be a number");
    int limitPerMetric = numberParam(p, "limit_per_metric", "limit_per_metric must be a number");
    String metric = p.get("metric");
    Map<String, List<MetricMetadata>> res = new TreeMap<>();
    for (Map.Entry<String, List<MetricMetadata>> e :
        new TreeMap<>(metadata.metadata()).entrySet()) {
      if (metric != null && !metric.equals(e.getKey())) {
        continue;
      }
      if (limit >= 0 && res.size() >= limit) {
        break;
      }
      List<MetricMetadata> list = new ArrayList<>();
      for (MetricMetadata m : e.getValue()) {
        if (limitPerMetric > 0 && list.size() >= limitPerMetric) {
          break;
        }
        list.add(m);
      }
      res.put(e.getKey(), list);
    }
    respond(ctx, res);
  }

  private static int numberParam(Params p, String name, String error) {
    String v = p.get(name);
    if (v == null) {
      return -1;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ApiError.badData(error);
    }
  }

  // ---- the language front end ----

  private Expr parse(String query) {
    try {
      return Parser.parse(query, parserOptions);
    } catch (ParseException e) {
      throw ApiError.badData(e.getMessage());
    }
  }

  private void parseQuery(Context ctx, Params p) throws IOException {
    respond(ctx, AstJson.of(parse(p.query())));
  }

  private void formatQuery(Context ctx, Params p) throws IOException {
    respond(ctx, Printer.prettify(parse(p.query())));
  }

  // ---- status ----

  private void runtimeInfo(Context ctx, Params p) throws IOException {
    RuntimeInfo info = runtimeInfo.get();
    Runtime rt = Runtime.getRuntime();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("startTime", goTime(info.startTime()));
    data.put("CWD", info.cwd());
    data.put("hostname", hostname);
    data.put("serverTime", goTime(Instant.now()));
    data.put("reloadConfigSuccess", info.reloadConfigSuccess());
    data.put("lastConfigTime", goTime(info.lastConfigTime()));
    data.put("corruptionCount", info.corruptionCount());
    // The Go runtime's fields, answered with the JVM's nearest equivalents.
    data.put("goroutineCount", Thread.activeCount());
    data.put("GOMAXPROCS", rt.availableProcessors());
    data.put("GOMEMLIMIT", rt.maxMemory());
    data.put("GOGC", "");
    data.put("GODEBUG", "");
    data.put("storageRetention", info.storageRetention());
    respond(ctx, data);
  }

  private void config(Context ctx, Params p) throws IOException {
    respond(ctx, Map.of("yaml", runtimeInfo.get().configYaml()));
  }

  private void tsdbStatus(Context ctx, Params p) throws IOException {
    int limit = 10;
    String v = p.get("limit");
    if (v != null) {
      try {
        limit = Integer.parseInt(v);
      } catch (NumberFormatException e) {
        limit = 0;
      }
      if (limit < 1) {
        throw ApiError.badData("limit must be a positive number");
      }
    }
    respond(ctx, TsdbStatus.compute(queryable, limit));
  }

  /** Go's time.Time in JSON: RFC 3339 with the fraction's trailing zeros dropped. */
  static String goTime(Instant t) {
    String s = t.toString();
    int dot = s.indexOf('.');
    if (dot < 0) {
      return s;
    }
    int end = s.length() - 1; // the 'Z'
    int last = end;
    while (last > dot + 1 && s.charAt(last - 1) == '0') {
      last--;
    }
    return last == dot + 1 ? s.substring(0, dot) + "Z" : s.substring(0, last) + "Z";
  }

  private static String hostname() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  // ---- responses ----

  private void notFound(Context ctx) throws IOException {
    if (!ctx.path().startsWith(PREFIX + "/") || hasEndpoint(ctx)) {
      return;
    }
    writeError(ctx, ApiError.Type.NOT_FOUND, "unknown API endpoint " + ctx.path());
  }

  private static boolean hasEndpoint(Context ctx) {
    try {
      return ctx.endpoint() != null;
    } catch (RuntimeException noEndpoint) {
      return false;
    }
  }

  /** Writes the data of a successful answer into the generator. */
  @FunctionalInterface
  private interface DataWriter {
    void write(PromJson json) throws IOException;
  }

  /** A handler given the request's parameters; throws ApiError to answer with an error. */
  @FunctionalInterface
  private interface ApiHandler {
    void handle(Context ctx, Params params) throws IOException;
  }

  private Handler api(ApiHandler handler) {
    return ctx -> {
      try {
        handler.handle(ctx, new Params(ctx));
      } catch (ApiError e) {
        fail(ctx, e.type(), String.valueOf(e.getMessage()));
      } catch (QueryException e) {
        ApiError err = toApiError(e);
        fail(ctx, err.type(), String.valueOf(err.getMessage()));
      } catch (RuntimeException e) {
        log.atError().setCause(e).addKeyValue("path", ctx.path()).log("API request failed");
        fail(ctx, ApiError.Type.INTERNAL, String.valueOf(e));
      }
    };
  }

  private void fail(Context ctx, ApiError.Type type, String message) throws IOException {
    if (isQuery(ctx.path())) {
      gate.error(type);
    }
    writeError(ctx, type, message);
  }

  private static boolean isQuery(String path) {
    return path.equals(PREFIX + "/query") || path.equals(PREFIX + "/query_range");
  }

  private static void writeError(Context ctx, ApiError.Type type, String message)
      throws IOException {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("status", "error");
    body.put("errorType", type.errorType());
    body.put("error", message);
    ctx.status(type.status()).contentType(JSON_TYPE).result(JSON.writeValueAsBytes(body));
  }

  private static void respond(Context ctx, @Nullable Object data) throws IOException {
    respond(ctx, json -> JSON.writeValue(json.gen(), data), List.of(), List.of());
  }

  /** Streams {@code {"status":"success","data":...,"warnings":[...],"infos":[...]}}. */
  private static void respond(
      Context ctx, DataWriter data, List<String> warnings, List<String> infos) throws IOException {
    ctx.status(200).contentType(JSON_TYPE);
    OutputStream out = ctx.outputStream();
    try (JsonGenerator g = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      PromJson json = new PromJson(g);
      g.writeStartObject();
      g.writeStringField("status", "success");
      g.writeFieldName("data");
      data.write(json);
      if (!warnings.isEmpty()) {
        g.writeFieldName("warnings");
        json.strings(warnings);
      }
      if (!infos.isEmpty()) {
        g.writeFieldName("infos");
        json.strings(infos);
      }
      g.writeEndObject();
    }
  }
}
