package dev.nines.rules;

import dev.nines.common.Labels;
import dev.nines.common.gotemplate.TemplateException;
import dev.nines.promql.engine.QueryException;
import dev.nines.promql.engine.Sample;
import dev.nines.rules.template.Template;
import dev.nines.rules.template.TemplateData;
import dev.nines.rules.template.TemplateSample;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An alerting rule and the state of its alerts, following Prometheus's {@code AlertingRule.Eval}:
 *
 * <ul>
 *   <li>each result sample becomes an alert keyed by its labels (metric name dropped, rule labels
 *       expanded and set, {@code alertname} added); a new one is pending, active since now;
 *   <li>pending turns firing once it has been active for {@code for};
 *   <li>an alert missing from the result resolves (pending ones are dropped), unless it is firing
 *       and {@code keep_firing_for} has not elapsed since it went missing;
 *   <li>resolved alerts are kept (and re-sent) for {@code resolvedRetention}, then dropped;
 *   <li>{@code ALERTS} (1) and {@code ALERTS_FOR_STATE} (activeAt in seconds) are written for every
 *       pending and firing alert, once the rule's state has been restored.
 * </ul>
 */
public final class AlertingRule extends Rule {
  private static final Logger LOG = LoggerFactory.getLogger(AlertingRule.class);

  private final Duration holdDuration;
  private final Duration keepFiringFor;
  private final Map<String, String> annotations;
  private final Map<String, Template> labelTemplates;
  private final Map<String, Template> annotationTemplates;

  // Guarded by this.
  private Map<Labels, Alert> active = new LinkedHashMap<>();
  private boolean restored;

  /** Mutable per-alert state. */
  static final class Alert {
    Labels labels;
    Map<String, String> annotations;
    AlertState state = AlertState.PENDING;
    long activeAt;
    long firedAt;
    long resolvedAt;
    long lastSentAt;
    long validUntil;
    long keepFiringSince;
    double value;
    // The labels of this alert's ALERTS and ALERTS_FOR_STATE series, built once (and again when
    // the state changes) instead of at every evaluation: the same instances, with their hash
    // cached, go to storage each time.
    private @Nullable Labels alertsSeries;
    private @Nullable AlertState alertsSeriesState;
    private @Nullable Labels forStateSeries;

    Alert(Labels labels, Map<String, String> annotations, long activeAt, double value) {
      this.labels = labels;
      this.annotations = annotations;
      this.activeAt = activeAt;
      this.value = value;
    }

    Labels alertsSeries() {
      if (alertsSeries == null || alertsSeriesState != state) {
        alertsSeries =
            labels.toBuilder()
                .set(Labels.METRIC_NAME, "ALERTS")
                .set("alertstate", state.apiName())
                .build();
        alertsSeriesState = state;
      }
      return alertsSeries;
    }

    Labels forStateSeries() {
      if (forStateSeries == null) {
        forStateSeries = labels.toBuilder().set(Labels.METRIC_NAME, "ALERTS_FOR_STATE").build();
      }
      return forStateSeries;
    }

    Alert copy() {
      Alert a = new Alert(labels, annotations, activeAt, value);
      a.state = state;
      a.firedAt = firedAt;
      a.resolvedAt = resolvedAt;
      a.lastSentAt = lastSentAt;
      a.validUntil = validUntil;
      a.keepFiringSince = keepFiringSince;
      return a;
    }
  }

  AlertingRule(
      String name,
      String expr,
      Duration holdDuration,
      Duration keepFiringFor,
      Map<String, String> labels,
      Map<String, String> annotations)
      throws TemplateException {
    super(name, expr, labels);
    this.holdDuration = holdDuration;
    this.keepFiringFor = keepFiringFor;
    this.annotations = Map.copyOf(annotations);
    this.labelTemplates = templates(name, labels);
    this.annotationTemplates = templates(name, annotations);
  }

  private static Map<String, Template> templates(String name, Map<String, String> texts)
      throws TemplateException {
    Map<String, Template> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(texts).entrySet()) {
      out.put(e.getKey(), Template.parse("__alert_" + name, e.getValue()));
    }
    return out;
  }

  /** How long the condition must hold before the alert fires ({@code for}). */
  public Duration holdDuration() {
    return holdDuration;
  }

  /** How long the alert keeps firing after the condition clears ({@code keep_firing_for}). */
  public Duration keepFiringFor() {
    return keepFiringFor;
  }

  /** The annotation templates. */
  public Map<String, String> annotations() {
    return annotations;
  }

  /** The rule's state: the highest state among its alerts. */
  public synchronized AlertState state() {
    AlertState max = AlertState.INACTIVE;
    for (Alert a : active.values()) {
      if (a.state == AlertState.FIRING) {
        return AlertState.FIRING;
      }
      if (a.state == AlertState.PENDING) {
        max = AlertState.PENDING;
      }
    }
    return max;
  }

  /** Snapshots of the rule's alerts: pending, firing and recently resolved. */
  public synchronized List<ActiveAlert> alerts() {
    List<ActiveAlert> out = new ArrayList<>(active.size());
    for (Alert a : active.values()) {
      out.add(
          new ActiveAlert(
              a.labels,
              a.annotations,
              a.state,
              Instant.ofEpochMilli(a.activeAt),
              a.firedAt == 0 ? null : Instant.ofEpochMilli(a.firedAt),
              a.resolvedAt == 0 ? null : Instant.ofEpochMilli(a.resolvedAt),
              a.keepFiringSince == 0 ? null : Instant.ofEpochMilli(a.keepFiringSince),
              a.value));
    }
    return out;
  }

  synchronized boolean restored() {
    return restored;
  }

  synchronized void setRestored() {
    restored = true;
  }

  /** Takes over the alerts of the same rule in a group being replaced by a reload. */
  synchronized void copyState(AlertingRule from) {
    copyOutcome(from);
    synchronized (from) {
      Map<Labels, Alert> copy = new LinkedHashMap<>();
      from.active.forEach((k, v) -> copy.put(k, v.copy()));
      active = copy;
      restored = from.restored;
    }
  }

  /** The active alerts by labels, for restoring; callers hold the lock. */
  synchronized void forEachActive(java.util.function.Consumer<Alert> action) {
    active.values().forEach(action);
  }

  @Override
  synchronized List<Sample> eval(long ts, EvalContext ctx) throws RuleEvaluationException {
    long queryTime = ts - ctx.queryOffsetMillis();
    List<Sample> result;
    try {
      result = ctx.query().query(expr(), queryTime);
    } catch (QueryException e) {
      throw new RuleEvaluationException(e.getMessage());
    }
    ManagerOptions opts = ctx.options();
    Map<Labels, Alert> current = new LinkedHashMap<>();
    boolean templated = !labelTemplates.isEmpty() || !annotationTemplates.isEmpty();
    Template.QueryFunc tq = templated ? templateQuery(ctx.query(), queryTime) : null;
    for (Sample s : result) {
      TemplateData data = null;
      if (templated) {
        Map<String, String> sampleLabels = new HashMap<>();
        s.labels().forEach(sampleLabels::put);
        data = new TemplateData(sampleLabels, opts.externalLabels(), opts.externalUrl(), s.value());
      }
      Labels.Builder b = s.labels().toBuilder().delete(Labels.METRIC_NAME);
      for (Map.Entry<String, Template> e : labelTemplates.entrySet()) {
        b.set(e.getKey(), expand(e.getValue(), data, tq));
      }
      b.set("alertname", name());
      Labels l = b.build();
      Map<String, String> ann = annotationTemplates.isEmpty() ? Map.of() : new LinkedHashMap<>();
      for (Map.Entry<String, Template> e : annotationTemplates.entrySet()) {
        ann.put(e.getKey(), expand(e.getValue(), data, tq));
      }
      if (current.containsKey(l)) {
        throw new RuleEvaluationException(
            "vector contains metrics with the same labelset after applying alert labels");
      }
      current.put(l, new Alert(l, ann, ts, s.value()));
    }
    for (Map.Entry<Labels, Alert> e : current.entrySet()) {
      Alert existing = active.get(e.getKey());
      if (existing != null && existing.state != AlertState.INACTIVE) {
        existing.value = e.getValue().value;
        existing.annotations = e.getValue().annotations;
        continue;
      }
      active.put(e.getKey(), e.getValue());
    }
    List<Sample> out = new ArrayList<>();
    int numActivePending = 0;
    var it = active.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Labels, Alert> e = it.next();
      Alert a = e.getValue();
      if (!current.containsKey(e.getKey())) {
        boolean keepFiring = false;
        if (a.state == AlertState.FIRING && !keepFiringFor.isZero()) {
          if (a.keepFiringSince == 0) {
            a.keepFiringSince = ts;
          }
          if (ts - a.keepFiringSince < keepFiringFor.toMillis()) {
            keepFiring = true;
          }
        }
        if (a.state == AlertState.PENDING
            || (a.resolvedAt != 0 && ts - a.resolvedAt > opts.resolvedRetention().toMillis())) {
          it.remove();
        }
        if (a.state != AlertState.INACTIVE && !keepFiring) {
          a.state = AlertState.INACTIVE;
          a.resolvedAt = ts;
        }
        if (!keepFiring) {
          continue;
        }
      } else {
        a.keepFiringSince = 0;
      }
      numActivePending++;
      if (a.state == AlertState.PENDING && ts - a.activeAt >= holdDuration.toMillis()) {
        a.state = AlertState.FIRING;
        a.firedAt = ts;
      }
      if (restored) {
        out.add(new Sample(a.alertsSeries(), queryTime, 1));
        out.add(new Sample(a.forStateSeries(), queryTime, Math.floorDiv(a.activeAt, 1000L)));
      }
    }
    if (ctx.limit() > 0 && numActivePending > ctx.limit()) {
      active = new LinkedHashMap<>();
      throw new RuleEvaluationException(
          "exceeded limit of " + ctx.limit() + " with " + numActivePending + " alerts");
    }
    return out;
  }

  private String expand(Template t, TemplateData data, Template.QueryFunc tq) {
    try {
      return t.execute(data, tq);
    } catch (TemplateException e) {
      // As Prometheus: the expansion error becomes the text, and evaluation goes on.
      LOG.warn("expanding alert template failed: rule={} error={}", name(), e.getMessage());
      return "<error expanding template: " + e.getMessage() + ">";
    }
  }

  private static Template.QueryFunc templateQuery(QueryFunc q, long time) {
    return expr -> {
      List<TemplateSample> out = new ArrayList<>();
      for (Sample s : q.query(expr, time)) {
        Map<String, String> m = new HashMap<>();
        s.labels().forEach(m::put);
        out.add(new TemplateSample(m, s.value()));
      }
      return out;
    };
  }

  /** The alerts to send now, as Prometheus's {@code sendAlerts}; marks them sent. */
  synchronized List<OutgoingAlert> alertsToSend(long ts, Duration interval, ManagerOptions opts) {
    long resendDelay = opts.resendDelay().toMillis();
    List<OutgoingAlert> out = new ArrayList<>();
    for (Alert a : active.values()) {
      if (!needsSending(a, ts, resendDelay)) {
        continue;
      }
      a.lastSentAt = ts;
      long delta = Math.max(resendDelay, interval.toMillis());
      a.validUntil = ts + 4 * delta;
      Map<String, String> labels = new LinkedHashMap<>();
      a.labels.forEach(labels::put);
      opts.externalLabels().forEach(labels::putIfAbsent);
      out.add(
          new OutgoingAlert(
              labels,
              a.annotations,
              Instant.ofEpochMilli(a.firedAt),
              Instant.ofEpochMilli(a.resolvedAt != 0 ? a.resolvedAt : a.validUntil),
              generatorUrl(opts.externalUrl())));
    }
    return out;
  }

  private static boolean needsSending(Alert a, long ts, long resendDelay) {
    if (a.state == AlertState.PENDING) {
      return false;
    }
    if (a.resolvedAt > a.lastSentAt) {
      return true;
    }
    return a.lastSentAt + resendDelay < ts;
  }

  /** Prometheus's table link: {@code <external URL>/graph?g0.expr=...&g0.tab=1}. */
  String generatorUrl(String externalUrl) {
    String base =
        externalUrl.endsWith("/")
            ? externalUrl.substring(0, externalUrl.length() - 1)
            : externalUrl;
    return base
        + "/graph?g0.expr="
        + URLEncoder.encode(expr(), StandardCharsets.UTF_8)
        + "&g0.tab=1";
  }

  /** Sets an alert's activeAt during restore. */
  static void restoreActiveAt(Alert a, long activeAt) {
    a.activeAt = activeAt;
  }
}
