package dev.nines.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.re2j.Pattern;
import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.notify.Alert;
import dev.nines.notify.Fingerprint;
import dev.nines.notify.Notifier;
import dev.nines.notify.alert.IncomingAlert;
import dev.nines.notify.config.Matchers;
import dev.nines.notify.silence.Silences;
import dev.nines.store.Matcher;
import dev.nines.store.Silence;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Alertmanager's API v2 at its own paths and in its own JSON shapes (its OpenAPI spec): alerts,
 * alert groups, silences, status and receivers, so that Prometheus can send alerts here and {@code
 * amtool} can manage silences and query alerts.
 */
public final class AlertmanagerApiRoutes implements Consumer<RoutesConfig> {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /**
   * What {@code /api/v2/status} reports about the running process.
   *
   * @param version the build version
   * @param revision the source revision
   * @param branch the source branch
   * @param buildDate when it was built
   * @param javaVersion the Java runtime (reported as {@code goVersion})
   */
  public record VersionInfo(
      String version, String revision, String branch, String buildDate, String javaVersion) {}

  private final Supplier<@Nullable Notifier> notifier;
  private final VersionInfo version;

  /** Routes over the pipeline that {@code notifier} returns (null while starting: 503). */
  public AlertmanagerApiRoutes(Supplier<@Nullable Notifier> notifier, VersionInfo version) {
    this.notifier = notifier;
    this.version = version;
  }

  @Override
  public void accept(RoutesConfig routes) {
    routes.post("/api/v2/alerts", this::postAlerts);
    routes.get("/api/v2/alerts", this::getAlerts);
    routes.get("/api/v2/alerts/groups", this::getGroups);
    routes.get("/api/v2/silences", this::getSilences);
    routes.post("/api/v2/silences", this::postSilence);
    routes.get("/api/v2/silence/{id}", this::getSilence);
    routes.delete("/api/v2/silence/{id}", this::deleteSilence);
    routes.get("/api/v2/status", this::status);
    routes.get("/api/v2/receivers", this::receivers);
  }

  private @Nullable Notifier notifier(Context ctx) {
    Notifier n = notifier.get();
    if (n == null) {
      error(ctx, 503, "the notification pipeline is starting");
    }
    return n;
  }

  private static void badRequest(Context ctx, String message) {
    error(ctx, 400, message);
  }

  /** Alertmanager answers errors with a JSON string. */
  private static void error(Context ctx, int status, String message) {
    try {
      ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(message));
    } catch (IOException e) {
      ctx.status(status).result(message);
    }
  }

  // ---- alerts ----

  private void postAlerts(Context ctx) throws InterruptedException {
    Notifier n = notifier(ctx);
    if (n == null) {
      return;
    }
    JsonNode body;
    try {
      body = JSON.readTree(ctx.bodyAsBytes());
    } catch (IOException e) {
      badRequest(ctx, "body is not JSON: " + e.getMessage());
      return;
    }
    if (body == null || !body.isArray()) {
      badRequest(ctx, "body must be a JSON array of alerts");
      return;
    }
    List<IncomingAlert> alerts = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < body.size(); i++) {
      try {
        alerts.add(incoming(body.get(i)));
      } catch (IllegalArgumentException e) {
        errors.add("alerts[" + i + "]: " + e.getMessage());
      }
    }
    Notifier.Accepted accepted = n.put(alerts, Notifier.SOURCE_API);
    errors.addAll(accepted.errors());
    try {
      accepted.persisted().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      error(ctx, 500, "alerts taken but not yet persisted: " + e.getMessage());
      return;
    }
    if (!errors.isEmpty()) {
      badRequest(ctx, String.join("; ", errors));
      return;
    }
    ctx.status(200);
  }

  private static IncomingAlert incoming(JsonNode a) {
    if (!a.isObject()) {
      throw new IllegalArgumentException("not an object");
    }
    return new IncomingAlert(
        labels(a.path("labels"), "labels"),
        stringMap(a.path("annotations"), "annotations"),
        time(a.path("startsAt"), "startsAt"),
        time(a.path("endsAt"), "endsAt"),
        a.path("generatorURL").asText(""));
  }

  private static Labels labels(JsonNode node, String field) {
    Labels.Builder b = Labels.builder();
    stringMap(node, field).forEach(b::set);
    return b.build();
  }

  private static Map<String, String> stringMap(JsonNode node, String field) {
    Map<String, String> out = new TreeMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(field + ": must be an object of strings");
    }
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new IllegalArgumentException(field + "." + e.getKey() + ": must be a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  private static @Nullable Instant time(JsonNode node, String field) {
    if (node.isMissingNode() || node.isNull() || node.asText().isEmpty()) {
      return null;
    }
    try {
      Instant t = OffsetDateTime.parse(node.asText()).toInstant();
      return t.getEpochSecond() <= -62135596800L ? null : t; // Go's zero time means "not set"
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          field + ": \"" + node.asText() + "\" is not an RFC 3339 time", e);
    }
  }

  private record AlertFilter(
      List<LabelMatcher> matchers,
      boolean active,
      boolean silenced,
      boolean inhibited,
      boolean unprocessed,
      @Nullable Pattern receiver) {

    boolean test(Notifier.AlertView v) {
      Alert a = v.alert();
      for (LabelMatcher m : matchers) {
        String value = a.labels().get(m.name());
        if (!m.matches(value == null ? "" : value)) {
          return false;
        }
      }
      if (receiver != null && v.receivers().stream().noneMatch(r -> receiver.matches(r))) {
        return false;
      }
      if (!silenced && !v.silencedBy().isEmpty()) {
        return false;
      }
      if (!inhibited && !v.inhibitedBy().isEmpty()) {
        return false;
      }
      return active || v.state().equals("suppressed");
    }
  }

  private static @Nullable AlertFilter filter(Context ctx) {
    List<LabelMatcher> matchers = new ArrayList<>();
    for (String f : ctx.queryParams("filter")) {
      try {
        matchers.addAll(Matchers.parse(f));
      } catch (IllegalArgumentException e) {
        badRequest(ctx, "filter: " + e.getMessage());
        return null;
      }
    }
    Pattern receiver = null;
    String r = ctx.queryParam("receiver");
    if (r != null && !r.isEmpty()) {
      try {
        receiver = Pattern.compile("^(?:" + r + ")$");
      } catch (RuntimeException e) {
        badRequest(ctx, "receiver: " + e.getMessage());
        return null;
      }
    }
    return new AlertFilter(
        matchers,
        flag(ctx, "active"),
        flag(ctx, "silenced"),
        flag(ctx, "inhibited"),
        flag(ctx, "unprocessed"),
        receiver);
  }

  private static boolean flag(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null || !v.equalsIgnoreCase("false");
  }

  private void getAlerts(Context ctx) {
    Notifier n = notifier(ctx);
    AlertFilter f = n == null ? null : filter(ctx);
    if (n == null || f == null) {
      return;
    }
    Instant now = Instant.now();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Notifier.AlertView v : n.alerts()) {
      if (!v.alert().resolvedAt(now) && f.test(v)) {
        out.add(gettableAlert(v));
      }
    }
    ctx.json(out);
  }

  private void getGroups(Context ctx) {
    Notifier n = notifier(ctx);
    AlertFilter f = n == null ? null : filter(ctx);
    if (n == null || f == null) {
      return;
    }
    Instant now = Instant.now();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Notifier.GroupView g : n.groups()) {
      if (f.receiver() != null && !f.receiver().matches(g.receiver())) {
        continue;
      }
      List<Map<String, Object>> alerts = new ArrayList<>();
      for (Notifier.AlertView v : g.alerts()) {
        if (!v.alert().resolvedAt(now) && f.test(v)) {
          alerts.add(gettableAlert(v));
        }
      }
      if (alerts.isEmpty()) {
        continue;
      }
      Map<String, Object> group = new LinkedHashMap<>();
      group.put("labels", labelMap(g.labels()));
      group.put("receiver", Map.of("name", g.receiver()));
      group.put("alerts", alerts);
      out.add(group);
    }
    ctx.json(out);
  }

  static Map<String, Object> gettableAlert(Notifier.AlertView v) {
    Alert a = v.alert();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("annotations", a.annotations());
    m.put("endsAt", a.endsAt().toString());
    m.put("fingerprint", Fingerprint.hex(a.fingerprint()));
    m.put("receivers", v.receivers().stream().map(r -> Map.of("name", r)).toList());
    m.put("startsAt", a.startsAt().toString());
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("inhibitedBy", v.inhibitedBy().stream().map(Fingerprint::hex).toList());
    status.put("silencedBy", v.silencedBy());
    status.put("state", v.state());
    m.put("status", status);
    m.put("updatedAt", a.updatedAt().toString());
    if (!a.generatorUrl().isEmpty()) {
      m.put("generatorURL", a.generatorUrl());
    }
    m.put("labels", labelMap(a.labels()));
    return m;
  }

  static Map<String, String> labelMap(Labels labels) {
    Map<String, String> m = new TreeMap<>();
    labels.forEach(m::put);
    return m;
  }

  // ---- silences ----

  private void getSilences(Context ctx) {
    Notifier n = notifier(ctx);
    if (n == null) {
      return;
    }
    List<LabelMatcher> filter = new ArrayList<>();
    for (String f : ctx.queryParams("filter")) {
      try {
        filter.addAll(Matchers.parse(f));
      } catch (IllegalArgumentException e) {
        badRequest(ctx, "filter: " + e.getMessage());
        return;
      }
    }
    Instant now = Instant.now();
    List<Silence> silences = new ArrayList<>(n.silences().list());
    // Alertmanager's order: active, then pending, then expired.
    silences.sort(
        java.util.Comparator.comparing((Silence s) -> order(Silences.state(s, now)))
            .thenComparing(Silence::endsAt));
    List<Map<String, Object>> out = new ArrayList<>();
    for (Silence s : silences) {
      if (filterMatches(filter, s)) {
        out.add(gettableSilence(s, now));
      }
    }
    ctx.json(out);
  }

  private static int order(Silences.State state) {
    return switch (state) {
      case ACTIVE -> 0;
      case PENDING -> 1;
      case EXPIRED -> 2;
    };
  }

  /** A silence passes a filter when every filter matcher matches one of its equality matchers. */
  private static boolean filterMatches(List<LabelMatcher> filter, Silence s) {
    for (LabelMatcher f : filter) {
      boolean any = false;
      for (Matcher m : s.matchers()) {
        if (m.name().equals(f.name()) && f.matches(m.value())) {
          any = true;
          break;
        }
      }
      if (!any) {
        return false;
      }
    }
    return true;
  }

  static Map<String, Object> gettableSilence(Silence s, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("status", Map.of("state", Silences.state(s, now).apiName()));
    m.put("updatedAt", s.updatedAt().toString());
    List<Map<String, Object>> matchers = new ArrayList<>();
    for (Matcher x : s.matchers()) {
      Map<String, Object> mm = new LinkedHashMap<>();
      mm.put("name", x.name());
      mm.put("value", x.value());
      mm.put("isRegex", x.type() == Matcher.Type.REGEX || x.type() == Matcher.Type.NOT_REGEX);
      mm.put("isEqual", x.type() == Matcher.Type.EQUAL || x.type() == Matcher.Type.REGEX);
      matchers.add(mm);
    }
    m.put("comment", s.comment());
    m.put("createdBy", s.createdBy());
    m.put("endsAt", s.endsAt().toString());
    m.put("matchers", matchers);
    m.put("startsAt", s.startsAt().toString());
    return m;
  }

  private void postSilence(Context ctx) {
    Notifier n = notifier(ctx);
    if (n == null) {
      return;
    }
    Instant now = Instant.now();
    Silence s;
    try {
      JsonNode body = JSON.readTree(ctx.bodyAsBytes());
      s = postableSilence(body, now);
      Silences.matchers(s); // the regular expressions compile
    } catch (IOException e) {
      badRequest(ctx, "body is not JSON: " + e.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      badRequest(ctx, e.getMessage());
      return;
    }
    if (updatesId(ctx) && n.silences().get(s.id()).isEmpty()) {
      error(ctx, 404, "silence " + s.id() + " not found");
      return;
    }
    String id;
    try {
      id = n.silences().upsert(s, now);
    } catch (IllegalArgumentException e) {
      badRequest(ctx, e.getMessage());
      return;
    }
    ctx.json(Map.of("silenceID", id));
  }

  /** Whether the posted silence names an id (an update). */
  private static boolean updatesId(Context ctx) {
    try {
      return !JSON.readTree(ctx.bodyAsBytes()).path("id").asText("").isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private static Silence postableSilence(JsonNode b, Instant now) {
    if (b == null || !b.isObject()) {
      throw new IllegalArgumentException("body must be a silence object");
    }
    JsonNode ms = b.path("matchers");
    if (!ms.isArray() || ms.isEmpty()) {
      throw new IllegalArgumentException("matchers: at least one matcher is required");
    }
    List<Matcher> matchers = new ArrayList<>();
    for (int i = 0; i < ms.size(); i++) {
      JsonNode m = ms.get(i);
      String name = m.path("name").asText("");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("matchers[" + i + "].name: must not be empty");
      }
      boolean regex = m.path("isRegex").asBoolean(false);
      boolean equal = !m.has("isEqual") || m.path("isEqual").asBoolean(true);
      Matcher.Type type =
          regex
              ? (equal ? Matcher.Type.REGEX : Matcher.Type.NOT_REGEX)
              : (equal ? Matcher.Type.EQUAL : Matcher.Type.NOT_EQUAL);
      matchers.add(new Matcher(name, m.path("value").asText(""), type));
    }
    Instant startsAt = time(b.path("startsAt"), "startsAt");
    Instant endsAt = time(b.path("endsAt"), "endsAt");
    if (startsAt == null || endsAt == null) {
      throw new IllegalArgumentException("startsAt and endsAt are required");
    }
    if (endsAt.isBefore(startsAt)) {
      throw new IllegalArgumentException("endsAt: must not be before startsAt");
    }
    String id = b.path("id").asText("");
    String createdBy = b.path("createdBy").asText("");
    if (createdBy.isEmpty()) {
      throw new IllegalArgumentException("createdBy: must not be empty");
    }
    return new Silence(
        id.isEmpty() ? Silence.newId() : id,
        matchers,
        startsAt,
        endsAt,
        createdBy,
        b.path("comment").asText(""),
        now);
  }

  private void getSilence(Context ctx) {
    Notifier n = notifier(ctx);
    if (n == null) {
      return;
    }
    Optional<Silence> s = n.silences().get(ctx.pathParam("id"));
    if (s.isEmpty()) {
      error(ctx, 404, "silence " + ctx.pathParam("id") + " not found");
      return;
    }
    ctx.json(gettableSilence(s.get(), Instant.now()));
  }

  private void deleteSilence(Context ctx) {
    Notifier n = notifier(ctx);
    if (n == null) {
      return;
    }
    if (!n.silences().expire(ctx.pathParam("id"), Instant.now())) {
      error(ctx, 404, "silence " + ctx.pathParam("id") + " not found");
      return;
    }
    ctx.status(200);
  }

  // ---- status and receivers ----

  private void status(Context ctx) {
    Notifier n = notifier(ctx);
    if (n == null) {
      return;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> cluster = new LinkedHashMap<>();
    cluster.put("status", "disabled");
    cluster.put("peers", List.of());
    out.put("cluster", cluster);
    Map<String, Object> vi = new LinkedHashMap<>();
    vi.put("branch", version.branch());
    vi.put("buildDate", version.buildDate());
    vi.put("buildUser", "nines");
    vi.put("goVersion", "java" + version.javaVersion());
    vi.put("revision", version.revision());
    vi.put("version", version.version());
    out.put("versionInfo", vi);
    out.put("config", Map.of("original", n.config().original()));
    out.put("uptime", n.startedAt().toString());
    ctx.json(out);
  }

  private void receivers(Context ctx) {
    Notifier n = notifier(ctx);
    if (n == null) {
      return;
    }
    ctx.json(
        n.config().receivers().keySet().stream().sorted().map(r -> Map.of("name", r)).toList());
  }
}
