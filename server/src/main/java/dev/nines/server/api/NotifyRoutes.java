package dev.nines.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.nines.common.LabelMatcher;
import dev.nines.notify.Fingerprint;
import dev.nines.notify.Notifier;
import dev.nines.notify.config.Matchers;
import dev.nines.notify.history.AlertHistory;
import dev.nines.store.AlertAck;
import dev.nines.store.AlertHistoryEvent;
import dev.nines.store.AlertIncidentLink;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Nines's own alert API, {@code /api/nines/v1/alerts/...}: acknowledgements (one alert, or every
 * alert firing in a group), each optionally carrying the incident the page led to; incident links
 * made later; the alert history, and the noise report. Answers are {@code {"status": "success",
 * "data": ...}} or {@code {"status": "error", "error": ...}} with a 4xx/5xx code.
 */
public final class NotifyRoutes implements Consumer<RoutesConfig> {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final Supplier<@Nullable Notifier> notifier;

  /** Routes over the pipeline {@code notifier} returns (null while starting: 503). */
  public NotifyRoutes(Supplier<@Nullable Notifier> notifier) {
    this.notifier = notifier;
  }

  @Override
  public void accept(RoutesConfig routes) {
    routes.post("/api/nines/v1/alerts/groups/ack", this::ackGroup);
    routes.post("/api/nines/v1/alerts/{fingerprint}/ack", this::ack);
    routes.post("/api/nines/v1/alerts/{fingerprint}/incident", this::linkIncident);
    routes.get("/api/nines/v1/alerts/history", this::history);
    routes.get("/api/nines/v1/alerts/report", this::report);
  }

  private static void error(Context ctx, int status, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "error");
    m.put("error", message);
    ctx.status(status).json(m);
  }

  private static void success(Context ctx, Object data) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "success");
    m.put("data", data);
    ctx.json(m);
  }

  private @Nullable Notifier notifier(Context ctx) {
    Notifier n = notifier.get();
    if (n == null) {
      error(ctx, 503, "the notification pipeline is starting");
    }
    return n;
  }

  private static JsonNode body(Context ctx) throws IOException {
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length == 0) {
      return JSON.createObjectNode();
    }
    JsonNode node = JSON.readTree(bytes);
    return node == null ? JSON.createObjectNode() : node;
  }

  /**
   * The optional {@code incident} of an ack body: null when absent, null or blank.
   *
   * @throws IllegalArgumentException when it is not a string
   */
  private static @Nullable String incident(JsonNode body) {
    JsonNode n = body.path("incident");
    if (n.isMissingNode() || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new IllegalArgumentException("incident: must be a string (an incident id or URL)");
    }
    return n.asText().isBlank() ? null : n.asText();
  }

  private static long fingerprint(Context ctx) {
    return Fingerprint.parse(ctx.pathParam("fingerprint"));
  }

  /** A write to the notifier from a JSON body, returning the answer's data. */
  @FunctionalInterface
  private interface BodyAction {
    Object apply(Notifier n, JsonNode body) throws IOException;
  }

  /**
   * Runs a write with the request's JSON body and answers: 400 for a body that is not JSON or a
   * field that is wrong, 404 for an alert or group that is not held.
   */
  private void write(Context ctx, BodyAction action) {
    Notifier n = notifier(ctx);
    if (n == null) {
      return;
    }
    try {
      success(ctx, action.apply(n, body(ctx)));
    } catch (IOException e) {
      error(ctx, 400, "body is not JSON: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      error(ctx, 400, e.getMessage());
    } catch (NoSuchElementException e) {
      error(ctx, 404, e.getMessage());
    }
  }

  private void ack(Context ctx) {
    write(
        ctx,
        (n, b) ->
            ackJson(
                n.ack(
                    fingerprint(ctx),
                    b.path("ackedBy").asText("anonymous"),
                    b.path("comment").asText(""),
                    incident(b))));
  }

  private void ackGroup(Context ctx) {
    write(
        ctx,
        (n, b) -> {
          String key = b.path("groupKey").asText("");
          if (key.isEmpty()) {
            throw new IllegalArgumentException("groupKey: required");
          }
          return n
              .ackGroup(
                  key,
                  b.path("ackedBy").asText("anonymous"),
                  b.path("comment").asText(""),
                  incident(b))
              .stream()
              .map(NotifyRoutes::ackJson)
              .toList();
        });
  }

  private void linkIncident(Context ctx) {
    write(
        ctx,
        (n, b) -> {
          String incident = incident(b);
          if (incident == null) {
            throw new IllegalArgumentException("incident: required (an incident id or URL)");
          }
          return linkJson(
              n.linkIncident(fingerprint(ctx), incident, b.path("linkedBy").asText("anonymous")));
        });
  }

  private static Map<String, Object> ackJson(Notifier.Acked acked) {
    AlertAck a = acked.ack();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fingerprint", Fingerprint.hex(a.fingerprint()));
    m.put("alertStartsAt", a.alertStartsAt().toString());
    m.put("ackedAt", a.ackedAt().toString());
    m.put("ackedBy", a.ackedBy());
    m.put("comment", a.comment());
    m.put("groupKey", a.groupKey());
    m.put("incident", acked.incident() == null ? null : linkJson(acked.incident()));
    return m;
  }

  private static Map<String, Object> linkJson(AlertIncidentLink l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fingerprint", Fingerprint.hex(l.fingerprint()));
    m.put("alertStartsAt", l.alertStartsAt().toString());
    m.put("alertname", l.alertname());
    m.put("incident", l.incident());
    m.put("linkedAt", l.linkedAt().toString());
    m.put("linkedBy", l.linkedBy());
    return m;
  }

  /** [from, to] from the query: RFC 3339 or Unix seconds; defaults to the last 24 hours. */
  private static Instant[] range(Context ctx) {
    Instant to = time(ctx.queryParam("to"), "to", Instant.now());
    Instant from = time(ctx.queryParam("from"), "from", to.minus(Duration.ofDays(1)));
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("from: must not be after to");
    }
    return new Instant[] {from, to};
  }

  private static Instant time(@Nullable String text, String name, Instant fallback) {
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        double seconds = Double.parseDouble(text);
        return Instant.ofEpochMilli((long) (seconds * 1000));
      } catch (NumberFormatException e2) {
        throw new IllegalArgumentException(
            name + ": \"" + text + "\" is neither RFC 3339 nor Unix seconds", e2);
      }
    }
  }

  private void history(Context ctx) {
    Notifier n = notifier(ctx);
    if (n == null) {
      return;
    }
    Instant[] range;
    List<LabelMatcher> matchers = new ArrayList<>();
    try {
      range = range(ctx);
      String m = ctx.queryParam("matchers");
      if (m != null && !m.isBlank()) {
        matchers.addAll(Matchers.parse(m));
      }
    } catch (IllegalArgumentException e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (AlertHistoryEvent e : n.history().query(matchers, range[0], range[1])) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("time", e.at().toString());
      m.put("fingerprint", Fingerprint.hex(e.fingerprint()));
      m.put("event", e.event().name().toLowerCase(java.util.Locale.ROOT));
      m.put("source", e.source());
      m.put("labels", new java.util.TreeMap<>(e.labels()));
      m.put("groupKey", e.groupKey());
      m.put("detail", e.detail());
      out.add(m);
    }
    success(ctx, out);
  }

  private void report(Context ctx) {
    Notifier n = notifier(ctx);
    if (n == null) {
      return;
    }
    Instant[] range;
    try {
      range = range(ctx);
    } catch (IllegalArgumentException e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    List<Map<String, Object>> rules = new ArrayList<>();
    for (AlertHistory.ReportLine l : n.report(range[0], range[1])) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("alertname", l.alertname());
      m.put("firing", l.firing());
      m.put("notifications", l.notifications());
      m.put("notificationsAcked", l.notificationsAcked());
      m.put("acks", l.acks());
      m.put("medianTimeToAckSeconds", l.medianTimeToAckSeconds());
      m.put("maxTimeToAckSeconds", l.maxTimeToAckSeconds());
      m.put("ledToIncident", l.ledToIncident());
      rules.add(m);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("from", range[0].toString());
    data.put("to", range[1].toString());
    data.put("alerts", rules);
    success(ctx, data);
  }
}
