package dev.nines.server.console;

import dev.nines.notify.Alert;
import dev.nines.notify.Fingerprint;
import dev.nines.notify.Notifier;
import dev.nines.notify.config.ConfigProblem;
import dev.nines.notify.config.RouteHygiene;
import dev.nines.notify.incident.IncidentLinks;
import dev.nines.rules.file.RuleProblem;
import dev.nines.rules.lint.AlertHygiene;
import dev.nines.server.hygiene.HygieneReport;
import dev.nines.slo.BudgetPolicy;
import dev.nines.slo.Slo;
import dev.nines.slo.TimeWindow;
import dev.nines.slo.rules.RuleGenerator;
import dev.nines.slo.service.ErrorBudgets;
import dev.nines.slo.service.SloStatus;
import dev.nines.store.AlertAck;
import dev.nines.store.AlertIncidentLink;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The console's routes: {@code GET /} redirects to {@code /console}, the overview (firing alerts
 * with their ack and incident, SLO budgets and policy state, the hygiene count), and {@code
 * /console/hygiene} (every alert-hygiene finding of the configuration in force).
 *
 * <p>Design notes. Pages are built as display records ({@link OverviewPage}, {@link HygienePage})
 * and laid out by jte templates ({@code server/src/main/jte}) compiled to Java classes at build
 * time, in HTML mode: every {@code ${...}} is escaped for the place it appears in, so rule names,
 * labels, annotations and incident references, which come from users, cannot inject markup. The
 * console is read-only (acks and links go through the JSON API), so it has no forms to protect
 * against cross-site requests, and it uses no JavaScript: the Content-Security-Policy allows
 * nothing but the page's own inline style. Incident references become links only when they are
 * http(s) URLs.
 */
public final class ConsoleRoutes implements Consumer<RoutesConfig> {
  /** The overview's path. */
  public static final String OVERVIEW = "/console";

  /** The hygiene page's path. */
  public static final String HYGIENE = "/console/hygiene";

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none';"
          + " frame-ancestors 'none'";

  private static final String TEMPLATE_PACKAGE = "dev.nines.server.console.jte";

  private final Supplier<@Nullable Notifier> notifier;
  private final Supplier<@Nullable ErrorBudgets> budgets;
  private final Supplier<@Nullable HygieneReport> hygiene;
  private final String version;
  private final TemplateEngine templates;

  /**
   * Pages over these parts; each supplier returns null while the server starts.
   *
   * @param version the Nines version shown in the footer
   */
  public ConsoleRoutes(
      Supplier<@Nullable Notifier> notifier,
      Supplier<@Nullable ErrorBudgets> budgets,
      Supplier<@Nullable HygieneReport> hygiene,
      String version) {
    this.notifier = notifier;
    this.budgets = budgets;
    this.hygiene = hygiene;
    this.version = version;
    this.templates =
        TemplateEngine.createPrecompiled(
            null, ContentType.Html, ConsoleRoutes.class.getClassLoader(), TEMPLATE_PACKAGE);
    // Fail at start, not at the first request, if a template class is missing from the jar.
    templates.prepareForRendering("overview.jte");
    templates.prepareForRendering("hygiene.jte");
  }

  @Override
  public void accept(RoutesConfig routes) {
    routes.get("/", ctx -> ctx.redirect(OVERVIEW));
    routes.get(OVERVIEW, ctx -> render(ctx, "overview.jte", overview(Instant.now())));
    routes.get(HYGIENE, ctx -> render(ctx, "hygiene.jte", hygienePage()));
  }

  private void render(Context ctx, String template, Object page) {
    StringOutput out = new StringOutput(16 * 1024);
    templates.render(template, page, out);
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "same-origin");
    ctx.header("Cache-Control", "no-store");
    ctx.html(out.toString());
  }

  // ---- overview ----

  OverviewPage overview(Instant now) {
    Notifier n = notifier.get();
    List<OverviewPage.AlertRow> alerts = new ArrayList<>();
    if (n != null) {
      List<Notifier.AlertView> firing =
          new ArrayList<>(n.alerts().stream().filter(v -> !v.alert().resolvedAt(now)).toList());
      firing.sort(
          Comparator.comparing((Notifier.AlertView v) -> v.ack() != null)
              .thenComparing(v -> v.alert().startsAt()));
      for (Notifier.AlertView v : firing) {
        alerts.add(alertRow(v, now));
      }
    }
    List<OverviewPage.SloRow> slos = new ArrayList<>();
    ErrorBudgets b = budgets.get();
    if (b != null) {
      for (SloStatus s : b.statuses()) {
        slos.add(sloRow(s));
      }
    }
    HygieneReport h = hygiene.get();
    return new OverviewPage(
        version,
        time(now),
        n == null,
        alerts,
        slos,
        h == null ? "" : h.mode().name().toLowerCase(Locale.ROOT),
        h == null ? 0 : h.count());
  }

  private static OverviewPage.AlertRow alertRow(Notifier.AlertView v, Instant now) {
    Alert a = v.alert();
    List<String> labels = new ArrayList<>();
    a.labels()
        .forEach(
            (name, value) -> {
              if (!name.equals("alertname")) {
                labels.add(name + "=\"" + value + "\"");
              }
            });
    String state;
    if (!v.silencedBy().isEmpty()) {
      state = "silenced";
    } else if (!v.inhibitedBy().isEmpty()) {
      state = "inhibited";
    } else {
      state = "active";
    }
    AlertAck ack = v.ack();
    AlertIncidentLink link = v.incident();
    return new OverviewPage.AlertRow(
        a.label("alertname"),
        Fingerprint.hex(a.fingerprint()),
        labels,
        a.annotations().getOrDefault("summary", ""),
        time(a.startsAt()),
        age(Duration.between(a.startsAt(), now)),
        state,
        v.receivers(),
        ack == null
            ? null
            : ack.ackedBy() + ", " + age(Duration.between(ack.ackedAt(), now)) + " ago",
        ack == null ? "" : ack.comment(),
        link == null ? null : link.incident(),
        link != null && IncidentLinks.isHttpUrl(link.incident()) ? link.incident() : null);
  }

  private static OverviewPage.SloRow sloRow(SloStatus s) {
    Slo slo = s.slo();
    boolean noData = !Double.isFinite(s.remaining());
    String policy =
        s.policy().active().isEmpty()
            ? "none"
            : s.policy().active().stream()
                .map(BudgetPolicy.Action::specName)
                .sorted()
                .collect(Collectors.joining(", "));
    Double burn = s.currentBurnRate();
    return new OverviewPage.SloRow(
        slo.id(),
        slo.service(),
        slo.name(),
        percent(slo.objective()),
        window(slo.window()),
        noData ? "–" : String.format(Locale.ROOT, "%.2f%%", s.remaining() * 100),
        !noData && s.remaining() <= 0,
        burn == null || !Double.isFinite(burn)
            ? "–"
            : String.format(Locale.ROOT, "%.2fx", burn.doubleValue()),
        policy,
        s.policy().frozen());
  }

  private static String percent(double fraction) {
    if (!Double.isFinite(fraction)) {
      return "–";
    }
    return BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros().toPlainString()
        + "%";
  }

  private static String window(TimeWindow w) {
    return switch (w) {
      case TimeWindow.Rolling r -> RuleGenerator.format(r.length()) + " rolling";
      case TimeWindow.Calendar c ->
          c.count() + " " + c.unit().name().toLowerCase(Locale.ROOT) + " calendar";
    };
  }

  // ---- hygiene ----

  HygienePage hygienePage() {
    HygieneReport r = hygiene.get();
    if (r == null) {
      return new HygienePage(version, true, "", "", 0, List.of());
    }
    List<HygienePage.FindingRow> rows = new ArrayList<>();
    for (AlertHygiene.Finding f : r.rules()) {
      RuleProblem p = f.problem();
      rows.add(
          new HygienePage.FindingRow(
              "rule",
              location(p.file(), p.line()),
              "group " + f.group() + ", alert " + f.alert(),
              p.field(),
              p.message()));
    }
    for (RouteHygiene.Finding f : r.routes()) {
      ConfigProblem p = f.problem();
      rows.add(
          new HygienePage.FindingRow(
              "route",
              location(p.file(), p.line()),
              "route " + f.route() + ", receiver " + f.receiver(),
              p.field(),
              p.message()));
    }
    return new HygienePage(
        version,
        false,
        r.mode().name().toLowerCase(Locale.ROOT),
        time(r.checkedAt()),
        r.ruleFiles(),
        rows);
  }

  private static String location(String file, int line) {
    return line > 0 ? file + ":" + line : file;
  }

  // ---- formatting ----

  static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * A duration as its two largest units: {@code 45s}, {@code 12m 3s}, {@code 3h 12m}, {@code 2d
   * 4h}.
   */
  static String age(Duration d) {
    long s = Math.max(0, d.toSeconds());
    long days = s / 86_400;
    long hours = s % 86_400 / 3600;
    long minutes = s % 3600 / 60;
    long seconds = s % 60;
    if (days > 0) {
      return days + "d " + hours + "h";
    }
    if (hours > 0) {
      return hours + "h " + minutes + "m";
    }
    if (minutes > 0) {
      return minutes + "m " + seconds + "s";
    }
    return seconds + "s";
  }
}
