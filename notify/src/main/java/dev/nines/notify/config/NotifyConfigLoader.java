package dev.nines.notify.config;

import dev.nines.common.LabelMatcher;
import dev.nines.common.gotemplate.TemplateException;
import dev.nines.common.yaml.YamlNode;
import dev.nines.common.yaml.YamlNode.YMap;
import dev.nines.notify.template.NotifyTemplates;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Reads Alertmanager's YAML configuration into a {@link NotifyConfig}, strictly, reporting every
 * problem with file, line and field path ({@code alertmanager.yml:12: route.routes[0].group_wait:
 * "5x" is not a duration}).
 *
 * <p>Design notes. The checks are those of Alertmanager's {@code config.Load} ({@code amtool
 * check-config}): the root route has a receiver and no matchers or time intervals, every receiver
 * and time interval a route names exists, receiver and interval names are unique, receivers get the
 * global defaults they need (SMTP, Slack URL, PagerDuty URL) or the config is refused. Keys that
 * are Alertmanager's but outside Nines's subset (other receiver kinds, {@code *_file} secrets,
 * OAuth2, TLS files) are refused by name, as are keys Alertmanager does not know. Route options are
 * inherited as Alertmanager's {@code dispatch.NewRoute} does: receiver, grouping and the three
 * intervals come from the parent when unset; time intervals are not inherited. Route keys are built
 * as Alertmanager builds them: parent key, {@code /}, the route's matchers sorted by name, value
 * and type in braces.
 */
public final class NotifyConfigLoader {
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern TIME_OF_DAY =
      Pattern.compile("^(([01][0-9])|(2[0-3])):[0-5][0-9]$|^24:00$");

  private static final Set<String> TOP =
      Set.of(
          "global",
          "route",
          "inhibit_rules",
          "receivers",
          "templates",
          "time_intervals",
          "mute_time_intervals");
  private static final Set<String> TOP_UNSUPPORTED = Set.of("tracing");
  private static final Set<String> GLOBAL =
      Set.of(
          "resolve_timeout",
          "smtp_from",
          "smtp_smarthost",
          "smtp_hello",
          "smtp_auth_username",
          "smtp_auth_password",
          "smtp_auth_identity",
          "smtp_auth_secret",
          "smtp_require_tls",
          "slack_api_url",
          "pagerduty_url",
          "http_config");
  private static final Set<String> GLOBAL_UNSUPPORTED =
      Set.of(
          "smtp_auth_password_file",
          "smtp_tls_config",
          "slack_api_url_file",
          "opsgenie_api_url",
          "opsgenie_api_key",
          "opsgenie_api_key_file",
          "wechat_api_url",
          "wechat_api_secret",
          "wechat_api_corp_id",
          "victorops_api_url",
          "victorops_api_key",
          "victorops_api_key_file",
          "telegram_api_url",
          "webex_api_url",
          "jira_api_url",
          "rocketchat_api_url",
          "rocketchat_token",
          "rocketchat_token_file",
          "rocketchat_token_id",
          "rocketchat_token_id_file");
  private static final Set<String> HTTP =
      Set.of(
          "basic_auth",
          "authorization",
          "bearer_token",
          "follow_redirects",
          "proxy_url",
          "tls_config");
  private static final Set<String> HTTP_UNSUPPORTED =
      Set.of(
          "oauth2",
          "bearer_token_file",
          "enable_http2",
          "proxy_from_environment",
          "no_proxy",
          "proxy_connect_header",
          "http_headers");
  private static final Set<String> TLS = Set.of("insecure_skip_verify");
  private static final Set<String> TLS_UNSUPPORTED =
      Set.of(
          "ca",
          "ca_file",
          "cert",
          "cert_file",
          "key",
          "key_file",
          "server_name",
          "min_version",
          "max_version");
  private static final Set<String> ROUTE =
      Set.of(
          "receiver",
          "group_by",
          "continue",
          "matchers",
          "match",
          "match_re",
          "group_wait",
          "group_interval",
          "repeat_interval",
          "mute_time_intervals",
          "active_time_intervals",
          "routes");
  private static final Set<String> INHIBIT =
      Set.of(
          "source_matchers",
          "target_matchers",
          "source_match",
          "source_match_re",
          "target_match",
          "target_match_re",
          "equal");
  private static final Set<String> RECEIVER =
      Set.of("name", "webhook_configs", "slack_configs", "email_configs", "pagerduty_configs");
  private static final Set<String> RECEIVER_UNSUPPORTED =
      Set.of(
          "opsgenie_configs",
          "wechat_configs",
          "pushover_configs",
          "victorops_configs",
          "sns_configs",
          "telegram_configs",
          "webex_configs",
          "discord_configs",
          "msteams_configs",
          "msteamsv2_configs",
          "jira_configs",
          "rocketchat_configs",
          "incidentio_configs");
  private static final Set<String> WEBHOOK =
      Set.of("send_resolved", "http_config", "url", "max_alerts");
  private static final Set<String> WEBHOOK_UNSUPPORTED = Set.of("url_file", "timeout");
  private static final Set<String> SLACK =
      Set.of(
          "send_resolved",
          "http_config",
          "api_url",
          "channel",
          "username",
          "color",
          "title",
          "title_link",
          "pretext",
          "text",
          "fields",
          "short_fields",
          "footer",
          "fallback",
          "callback_id",
          "icon_emoji",
          "icon_url",
          "image_url",
          "thumb_url",
          "link_names",
          "mrkdwn_in",
          "actions");
  private static final Set<String> SLACK_UNSUPPORTED =
      Set.of("api_url_file", "app_token", "app_url");
  private static final Set<String> EMAIL =
      Set.of(
          "send_resolved",
          "to",
          "from",
          "hello",
          "smarthost",
          "auth_username",
          "auth_password",
          "auth_secret",
          "auth_identity",
          "headers",
          "html",
          "text",
          "require_tls",
          "tls_config");
  private static final Set<String> EMAIL_UNSUPPORTED = Set.of("auth_password_file");
  private static final Set<String> PAGERDUTY =
      Set.of(
          "send_resolved",
          "http_config",
          "routing_key",
          "url",
          "client",
          "client_url",
          "description",
          "details",
          "images",
          "links",
          "source",
          "severity",
          "class",
          "component",
          "group");
  private static final Set<String> PAGERDUTY_UNSUPPORTED =
      Set.of("service_key", "service_key_file", "routing_key_file");
  private static final List<String> WEEKDAYS =
      List.of("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday");
  private static final List<String> MONTHS =
      List.of(
          "january",
          "february",
          "march",
          "april",
          "may",
          "june",
          "july",
          "august",
          "september",
          "october",
          "november",
          "december");

  /** Alertmanager's default Slack templates, by field. */
  static final Map<String, String> SLACK_DEFAULTS =
      Map.ofEntries(
          Map.entry("username", "{{ template \"slack.default.username\" . }}"),
          Map.entry("color", "{{ if eq .Status \"firing\" }}danger{{ else }}good{{ end }}"),
          Map.entry("title", "{{ template \"slack.default.title\" . }}"),
          Map.entry("title_link", "{{ template \"slack.default.titlelink\" . }}"),
          Map.entry("pretext", "{{ template \"slack.default.pretext\" . }}"),
          Map.entry("text", "{{ template \"slack.default.text\" . }}"),
          Map.entry("fallback", "{{ template \"slack.default.fallback\" . }}"),
          Map.entry("callback_id", "{{ template \"slack.default.callbackid\" . }}"),
          Map.entry("icon_emoji", "{{ template \"slack.default.iconemoji\" . }}"),
          Map.entry("icon_url", "{{ template \"slack.default.iconurl\" . }}"),
          Map.entry("footer", "{{ template \"slack.default.footer\" . }}"));

  private NotifyConfigLoader() {}

  /**
   * Loads and validates a configuration file; {@code templates} globs are relative to its folder.
   *
   * @throws NotifyConfigException with every problem found
   */
  public static NotifyConfig load(Path file) throws NotifyConfigException {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new NotifyConfigException(List.of(new ConfigProblem(name, 0, "", "no such file")));
    } catch (IOException e) {
      throw new NotifyConfigException(
          List.of(new ConfigProblem(name, 0, "", "cannot read: " + e.getMessage())));
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(text, name, dir == null ? Path.of("") : dir);
  }

  /**
   * Parses and validates configuration text; {@code templates} globs are relative to the working
   * folder.
   *
   * @param sourceName the name used in problems, e.g. {@code alertmanager.yml}
   * @throws NotifyConfigException with every problem found
   */
  public static NotifyConfig parse(String yaml, String sourceName) throws NotifyConfigException {
    return parse(yaml, sourceName, Path.of("").toAbsolutePath());
  }

  /**
   * Parses and validates configuration text, resolving {@code templates} globs against {@code
   * baseDir}.
   *
   * @throws NotifyConfigException with every problem found
   */
  public static NotifyConfig parse(String yaml, String sourceName, Path baseDir)
      throws NotifyConfigException {
    Node.Problems problems = new Node.Problems(sourceName);
    List<YamlTree.Duplicate> duplicates = new ArrayList<>();
    List<YamlNode> docs;
    try {
      docs = YamlTree.parse(yaml, duplicates);
    } catch (YamlTree.SyntaxException e) {
      throw new NotifyConfigException(
          List.of(new ConfigProblem(sourceName, e.line(), "", e.getMessage())));
    }
    for (YamlTree.Duplicate d : duplicates) {
      problems.add(d.line(), d.key(), "duplicate key");
    }
    if (docs.size() > 1) {
      problems.add(docs.get(1).line(), "", "a configuration holds one YAML document; found more");
    }
    YamlNode rootNode = docs.isEmpty() ? new YMap(1, Map.of()) : docs.get(0);
    if (Node.isNull(rootNode)) {
      rootNode = new YMap(rootNode.line(), Map.of());
    }
    Node root = Node.of(problems, "", rootNode, TOP, TOP_UNSUPPORTED);
    if (root == null) {
      throw new NotifyConfigException(problems.list);
    }
    Reader r = new Reader(problems, baseDir);
    NotifyConfig config = r.read(root, yaml, sourceName);
    if (!problems.list.isEmpty() || config == null) {
      throw new NotifyConfigException(problems.list);
    }
    return config;
  }

  private static final class Reader {
    private final Node.Problems problems;
    private final Path baseDir;
    private GlobalConfig global = GlobalConfig.defaults();
    private final Map<String, TimeIntervalSpec> intervals = new LinkedHashMap<>();
    private final Map<String, ReceiverConfig> receivers = new LinkedHashMap<>();

    Reader(Node.Problems problems, Path baseDir) {
      this.problems = problems;
      this.baseDir = baseDir;
    }

    @Nullable NotifyConfig read(Node root, String original, String source) {
      Node g = root.child("global", GLOBAL, GLOBAL_UNSUPPORTED);
      if (g != null) {
        global = global(g);
      }
      readIntervals(root, "time_intervals");
      readIntervals(root, "mute_time_intervals");
      List<YamlNode> recv = root.items("receivers");
      for (int i = 0; i < recv.size(); i++) {
        receiver("receivers[" + i + "]", recv.get(i));
      }
      Route route = null;
      YamlNode routeNode = root.value("route");
      if (routeNode == null) {
        root.add("route", "no route provided in config");
      } else {
        Node rn = Node.of(problems, "route", routeNode, ROUTE, Set.of());
        if (rn != null) {
          route = rootRoute(rn);
        }
      }
      List<InhibitRule> inhibit = new ArrayList<>();
      List<YamlNode> inh = root.items("inhibit_rules");
      for (int i = 0; i < inh.size(); i++) {
        Node n = Node.of(problems, "inhibit_rules[" + i + "]", inh.get(i), INHIBIT, Set.of());
        if (n != null) {
          inhibit.add(inhibitRule(n));
        }
      }
      List<Path> templates = templates(root);
      checkTemplates(templates);
      if (route == null) {
        return null;
      }
      return new NotifyConfig(
          source, original, global, route, inhibit, intervals, receivers, templates);
    }

    // ---- global and http_config

    private GlobalConfig global(Node g) {
      GlobalConfig d = GlobalConfig.defaults();
      Duration resolve = g.duration("resolve_timeout");
      String smarthost = g.string("smtp_smarthost");
      if (smarthost != null) {
        hostPort(g, "smtp_smarthost", smarthost);
      }
      String slack = g.string("slack_api_url");
      if (slack != null) {
        url(g, "slack_api_url", slack);
      }
      String pd = g.string("pagerduty_url");
      if (pd != null) {
        url(g, "pagerduty_url", pd);
      }
      Node hc = g.child("http_config", HTTP, HTTP_UNSUPPORTED);
      return new GlobalConfig(
          resolve == null ? d.resolveTimeout() : resolve,
          g.string("smtp_from"),
          smarthost,
          g.string("smtp_hello", d.smtpHello()),
          g.string("smtp_auth_username"),
          g.string("smtp_auth_password"),
          g.string("smtp_auth_identity"),
          g.string("smtp_auth_secret"),
          g.bool("smtp_require_tls", d.smtpRequireTls()),
          slack,
          pd == null ? d.pagerdutyUrl() : pd,
          hc == null ? d.httpConfig() : httpConfig(hc));
    }

    private HttpConfig httpConfig(Node h) {
      String user = null;
      String pass = null;
      Node ba =
          h.child(
              "basic_auth",
              Set.of("username", "password"),
              Set.of("password_file", "username_file"));
      if (ba != null) {
        user = ba.string("username", "");
        pass = ba.string("password");
      }
      String type = null;
      String creds = null;
      Node az = h.child("authorization", Set.of("type", "credentials"), Set.of("credentials_file"));
      if (az != null) {
        type = az.string("type", "Bearer");
        creds = az.string("credentials");
        if (type.equalsIgnoreCase("basic")) {
          az.add(
              "type", "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
        }
      }
      String bearer = h.string("bearer_token");
      int auths = (ba != null ? 1 : 0) + (az != null ? 1 : 0) + (bearer != null ? 1 : 0);
      if (auths > 1) {
        problems.add(
            h.map.line(),
            h.path,
            "at most one of basic_auth, authorization and bearer_token must be configured");
      }
      if (bearer != null) {
        type = "Bearer";
        creds = bearer;
      }
      String proxy = h.string("proxy_url");
      if (proxy != null) {
        url(h, "proxy_url", proxy);
      }
      Node tls = h.child("tls_config", TLS, TLS_UNSUPPORTED);
      return new HttpConfig(
          user,
          pass,
          type,
          creds,
          h.bool("follow_redirects", true),
          proxy,
          tls != null && tls.bool("insecure_skip_verify", false));
    }

    private HttpConfig httpConfigOf(Node n) {
      Node hc = n.child("http_config", HTTP, HTTP_UNSUPPORTED);
      return hc == null ? global.httpConfig() : httpConfig(hc);
    }

    private void url(Node n, String key, String value) {
      try {
        URI u = new URI(value);
        String scheme = u.getScheme();
        if (scheme == null || u.getHost() == null) {
          n.add(key, "\"" + value + "\" is not an absolute URL");
        } else if (!scheme.equals("http") && !scheme.equals("https")) {
          n.add(key, "unsupported scheme \"" + scheme + "\" for URL");
        }
      } catch (URISyntaxException e) {
        n.add(key, "\"" + value + "\" is not a URL: " + e.getReason());
      }
    }

    private @Nullable HostPort hostPort(Node n, String key, String value) {
      int colon = value.lastIndexOf(':');
      if (colon <= 0 || colon == value.length() - 1) {
        n.add(key, "address " + value + ": missing port in address");
        return null;
      }
      String host = value.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      try {
        int port = Integer.parseInt(value.substring(colon + 1));
        if (port < 0 || port > 65535) {
          throw new NumberFormatException();
        }
        return new HostPort(host, port);
      } catch (NumberFormatException e) {
        n.add(key, "address " + value + ": invalid port");
        return null;
      }
    }

    private record HostPort(String host, int port) {}

    // ---- time intervals

    private void readIntervals(Node root, String key) {
      List<YamlNode> items = root.items(key);
      for (int i = 0; i < items.size(); i++) {
        String path = key + "[" + i + "]";
        Node n = Node.of(problems, path, items.get(i), Set.of("name", "time_intervals"), Set.of());
        if (n == null) {
          continue;
        }
        String name = n.string("name");
        if (name == null || name.isEmpty()) {
          n.add("name", "missing name in time interval");
        }
        List<TimeIntervalSpec.Period> periods = new ArrayList<>();
        List<YamlNode> ps = n.items("time_intervals");
        for (int j = 0; j < ps.size(); j++) {
          Node p =
              Node.of(
                  problems,
                  n.path("time_intervals") + "[" + j + "]",
                  ps.get(j),
                  Set.of("times", "weekdays", "days_of_month", "months", "years", "location"),
                  Set.of());
          if (p != null) {
            periods.add(period(p));
          }
        }
        if (name != null && !name.isEmpty()) {
          if (intervals.containsKey(name)) {
            n.add("name", "time interval \"" + name + "\" is not unique");
          } else {
            intervals.put(name, new TimeIntervalSpec(name, periods));
          }
        }
      }
    }

    private TimeIntervalSpec.Period period(Node p) {
      List<TimeIntervalSpec.Range> times = new ArrayList<>();
      List<YamlNode> ts = p.items("times");
      for (int i = 0; i < ts.size(); i++) {
        Node t =
            Node.of(
                problems,
                p.path("times") + "[" + i + "]",
                ts.get(i),
                Set.of("start_time", "end_time"),
                Set.of());
        if (t == null) {
          continue;
        }
        Integer start = timeOfDay(t, "start_time");
        Integer end = timeOfDay(t, "end_time");
        if (start != null && end != null) {
          if (start >= end) {
            problems.add(
                t.map.line(), t.path, "start time cannot be equal or greater than end time");
          } else {
            times.add(new TimeIntervalSpec.Range(start, end));
          }
        }
      }
      List<TimeIntervalSpec.Range> weekdays =
          ranges(p, "weekdays", s -> named(s, WEEKDAYS, 0), 0, 6, "weekday");
      List<TimeIntervalSpec.Range> days = daysOfMonth(p);
      List<TimeIntervalSpec.Range> months = ranges(p, "months", s -> monthOf(s), 1, 12, "month");
      List<TimeIntervalSpec.Range> years =
          ranges(p, "years", s -> Integer.parseInt(s), 0, 9999, "year");
      ZoneId zone = ZoneOffset.UTC;
      String loc = p.string("location");
      if (loc != null) {
        try {
          zone = loc.equals("Local") ? ZoneId.systemDefault() : ZoneId.of(loc);
        } catch (DateTimeException e) {
          p.add("location", "unknown time zone " + loc);
        }
      }
      return new TimeIntervalSpec.Period(times, weekdays, days, months, years, zone);
    }

    private @Nullable Integer timeOfDay(Node t, String key) {
      String s = t.string(key);
      if (s == null) {
        t.add(key, "missing " + key);
        return null;
      }
      if (!TIME_OF_DAY.matcher(s).matches()) {
        t.add(key, "invalid time of day: " + s);
        return null;
      }
      return Integer.parseInt(s.substring(0, 2)) * 60 + Integer.parseInt(s.substring(3, 5));
    }

    private static int named(String s, List<String> names, int first) {
      int i = names.indexOf(s.toLowerCase(Locale.ROOT));
      if (i < 0) {
        throw new IllegalArgumentException();
      }
      return i + first;
    }

    private static int monthOf(String s) {
      try {
        return named(s, MONTHS, 1);
      } catch (IllegalArgumentException e) {
        return Integer.parseInt(s);
      }
    }

    private List<TimeIntervalSpec.Range> ranges(
        Node p, String key, Function<String, Integer> parse, int min, int max, String what) {
      List<TimeIntervalSpec.Range> out = new ArrayList<>();
      List<Integer> lines = new ArrayList<>();
      List<String> items = p.strings(key, lines);
      for (int i = 0; i < items.size(); i++) {
        String s = items.get(i).strip();
        String field = p.path(key) + "[" + i + "]";
        String[] parts = s.split(":", -1);
        try {
          if (parts.length > 2) {
            throw new IllegalArgumentException();
          }
          int begin = parse.apply(parts[0].strip());
          int end = parts.length == 2 ? parse.apply(parts[1].strip()) : begin;
          if (begin < min || begin > max || end < min || end > max) {
            problems.add(lines.get(i), field, what + " out of range: " + s);
          } else if (begin > end) {
            problems.add(
                lines.get(i), field, "start " + what + " cannot be after end " + what + ": " + s);
          } else {
            out.add(new TimeIntervalSpec.Range(begin, end));
          }
        } catch (IllegalArgumentException e) {
          problems.add(lines.get(i), field, "invalid " + what + " range: " + s);
        }
      }
      return out;
    }

    private List<TimeIntervalSpec.Range> daysOfMonth(Node p) {
      List<TimeIntervalSpec.Range> out = new ArrayList<>();
      List<Integer> lines = new ArrayList<>();
      List<String> items = p.strings("days_of_month", lines);
      for (int i = 0; i < items.size(); i++) {
        String s = items.get(i).strip();
        String field = p.path("days_of_month") + "[" + i + "]";
        String[] parts = s.split("(?<=\\d):", -1);
        try {
          if (parts.length > 2) {
            throw new IllegalArgumentException();
          }
          int begin = Integer.parseInt(parts[0].strip());
          int end = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : begin;
          if (begin == 0 || end == 0 || Math.abs(begin) > 31 || Math.abs(end) > 31) {
            problems.add(lines.get(i), field, "day of month out of range (1..31 or -31..-1): " + s);
          } else if ((begin > 0) == (end > 0) && begin > end) {
            problems.add(lines.get(i), field, "start day cannot be after end day: " + s);
          } else if (begin < 0 && end > 0) {
            problems.add(
                lines.get(i), field, "a negative start day needs a negative end day: " + s);
          } else {
            out.add(new TimeIntervalSpec.Range(begin, end));
          }
        } catch (IllegalArgumentException e) {
          problems.add(lines.get(i), field, "invalid day of month range: " + s);
        }
      }
      return out;
    }

    // ---- receivers

    private void receiver(String path, YamlNode node) {
      Node n = Node.of(problems, path, node, RECEIVER, RECEIVER_UNSUPPORTED);
      if (n == null) {
        return;
      }
      String name = n.string("name");
      if (name == null || name.isEmpty()) {
        n.add("name", "missing name in receiver");
      }
      List<WebhookConfig> webhooks = new ArrayList<>();
      List<YamlNode> items = n.items("webhook_configs");
      for (int i = 0; i < items.size(); i++) {
        Node c =
            Node.of(
                problems,
                n.path("webhook_configs") + "[" + i + "]",
                items.get(i),
                WEBHOOK,
                WEBHOOK_UNSUPPORTED);
        if (c != null) {
          webhooks.add(webhook(c));
        }
      }
      List<SlackConfig> slacks = new ArrayList<>();
      items = n.items("slack_configs");
      for (int i = 0; i < items.size(); i++) {
        Node c =
            Node.of(
                problems,
                n.path("slack_configs") + "[" + i + "]",
                items.get(i),
                SLACK,
                SLACK_UNSUPPORTED);
        if (c != null) {
          slacks.add(slack(c));
        }
      }
      List<EmailConfig> emails = new ArrayList<>();
      items = n.items("email_configs");
      for (int i = 0; i < items.size(); i++) {
        Node c =
            Node.of(
                problems,
                n.path("email_configs") + "[" + i + "]",
                items.get(i),
                EMAIL,
                EMAIL_UNSUPPORTED);
        if (c != null) {
          EmailConfig e = email(c);
          if (e != null) {
            emails.add(e);
          }
        }
      }
      List<PagerdutyConfig> pds = new ArrayList<>();
      items = n.items("pagerduty_configs");
      for (int i = 0; i < items.size(); i++) {
        Node c =
            Node.of(
                problems,
                n.path("pagerduty_configs") + "[" + i + "]",
                items.get(i),
                PAGERDUTY,
                PAGERDUTY_UNSUPPORTED);
        if (c != null) {
          pds.add(pagerduty(c));
        }
      }
      if (name != null && !name.isEmpty()) {
        if (receivers.containsKey(name)) {
          n.add("name", "notification config name \"" + name + "\" is not unique");
        } else {
          receivers.put(name, new ReceiverConfig(name, webhooks, slacks, emails, pds));
        }
      }
    }

    private WebhookConfig webhook(Node c) {
      String url = c.string("url");
      if (url == null) {
        problems.add(c.map.line(), c.path, "one of url or url_file must be configured");
        url = "";
      } else {
        url(c, "url", url);
      }
      return new WebhookConfig(
          c.bool("send_resolved", true), url, c.nonNegativeLong("max_alerts", 0), httpConfigOf(c));
    }

    private SlackConfig slack(Node c) {
      String api = c.string("api_url");
      if (api == null) {
        if (global.slackApiUrl() == null) {
          problems.add(c.map.line(), c.path, "no global Slack API URL set");
        }
        api = global.slackApiUrl() == null ? "" : global.slackApiUrl();
      } else {
        url(c, "api_url", api);
      }
      List<SlackConfig.Field> fields = new ArrayList<>();
      List<YamlNode> fs = c.items("fields");
      for (int i = 0; i < fs.size(); i++) {
        Node f =
            Node.of(
                problems,
                c.path("fields") + "[" + i + "]",
                fs.get(i),
                Set.of("title", "value", "short"),
                Set.of());
        if (f == null) {
          continue;
        }
        String title = f.string("title");
        String value = f.string("value");
        if (title == null || title.isEmpty()) {
          f.add("title", "missing title in Slack field configuration");
        }
        if (value == null || value.isEmpty()) {
          f.add("value", "missing value in Slack field configuration");
        }
        f.tpl("title", "");
        f.tpl("value", "");
        fields.add(new SlackConfig.Field(nz(title), nz(value), f.bool("short")));
      }
      List<SlackConfig.Action> actions = new ArrayList<>();
      List<YamlNode> as = c.items("actions");
      for (int i = 0; i < as.size(); i++) {
        Node a =
            Node.of(
                problems,
                c.path("actions") + "[" + i + "]",
                as.get(i),
                Set.of("type", "text", "url", "style", "name", "value", "confirm"),
                Set.of());
        if (a == null) {
          continue;
        }
        String type = a.string("type");
        String text = a.string("text");
        String url = a.string("url");
        String name = a.string("name");
        if (type == null || type.isEmpty()) {
          a.add("type", "missing type in Slack action configuration");
        }
        if (text == null || text.isEmpty()) {
          a.add("text", "missing text in Slack action configuration");
        }
        if ((url == null || url.isEmpty()) && (name == null || name.isEmpty())) {
          problems.add(a.map.line(), a.path, "missing name or url in Slack action configuration");
        }
        SlackConfig.Confirm confirm = null;
        Node cf = a.child("confirm", Set.of("title", "text", "ok_text", "dismiss_text"), Set.of());
        if (cf != null) {
          String ct = cf.string("text");
          if (ct == null || ct.isEmpty()) {
            cf.add("text", "missing text in Slack confirm configuration");
          }
          confirm =
              new SlackConfig.Confirm(
                  cf.string("title", ""),
                  nz(ct),
                  cf.string("ok_text", ""),
                  cf.string("dismiss_text", ""));
        }
        for (String k : List.of("text", "url", "name", "value", "style")) {
          a.tpl(k, "");
        }
        actions.add(
            new SlackConfig.Action(
                nz(type),
                nz(text),
                nz(url),
                a.string("style", ""),
                nz(name),
                a.string("value", ""),
                confirm));
      }
      List<String> mrkdwn = c.strings("mrkdwn_in", null);
      return new SlackConfig(
          c.bool("send_resolved", false),
          httpConfigOf(c),
          api,
          c.tpl("channel", ""),
          slackText(c, "username"),
          slackText(c, "color"),
          slackText(c, "title"),
          slackText(c, "title_link"),
          slackText(c, "pretext"),
          slackText(c, "text"),
          fields,
          c.bool("short_fields", false),
          slackText(c, "footer"),
          slackText(c, "fallback"),
          slackText(c, "callback_id"),
          slackText(c, "icon_emoji"),
          slackText(c, "icon_url"),
          c.tpl("image_url", ""),
          c.tpl("thumb_url", ""),
          c.bool("link_names", false),
          mrkdwn.isEmpty() ? List.of("fallback", "pretext", "text") : mrkdwn,
          actions);
    }

    private static String slackText(Node c, String key) {
      return c.tpl(key, SLACK_DEFAULTS.get(key));
    }

    private @Nullable EmailConfig email(Node c) {
      String to = c.string("to");
      if (to == null || to.isEmpty()) {
        problems.add(c.map.line(), c.path, "missing to address in email config");
        to = "";
      }
      String from = c.string("from", nz(global.smtpFrom()));
      if (from.isEmpty()) {
        problems.add(c.map.line(), c.path, "no global SMTP from set");
      }
      String smarthost = c.string("smarthost");
      HostPort hp = null;
      if (smarthost != null) {
        hp = hostPort(c, "smarthost", smarthost);
      } else if (global.smtpSmarthost() != null) {
        hp = hostPort(c, "smarthost", global.smtpSmarthost());
      } else {
        problems.add(c.map.line(), c.path, "no global SMTP smarthost set");
      }
      c.tpl("to", "");
      c.tpl("from", "");
      Map<String, Integer> lines = new LinkedHashMap<>();
      Map<String, String> raw = c.stringMap("headers", lines);
      for (Map.Entry<String, String> h : raw.entrySet()) {
        problems.templates.add(
            new Node.TemplateField(
                lines.get(h.getKey()), c.path("headers") + "." + h.getKey(), h.getValue()));
      }
      Map<String, String> headers = new LinkedHashMap<>();
      for (Map.Entry<String, String> h : raw.entrySet()) {
        String canonical = canonicalHeader(h.getKey());
        if (headers.containsKey(canonical)) {
          problems.add(
              lines.get(h.getKey()),
              c.path("headers") + "." + h.getKey(),
              "duplicate header \"" + canonical + "\" in email config");
        }
        headers.put(canonical, h.getValue());
      }
      headers.putIfAbsent("Subject", "{{ template \"email.default.subject\" . }}");
      headers.putIfAbsent("To", to);
      headers.putIfAbsent("From", from);
      Node tls = c.child("tls_config", TLS, TLS_UNSUPPORTED);
      if (hp == null) {
        return null;
      }
      return new EmailConfig(
          c.bool("send_resolved", false),
          to,
          from,
          c.string("hello", global.smtpHello()),
          hp.host(),
          hp.port(),
          c.string("auth_username", global.smtpAuthUsername()),
          c.string("auth_password", global.smtpAuthPassword()),
          c.string("auth_secret", global.smtpAuthSecret()),
          c.string("auth_identity", global.smtpAuthIdentity()),
          headers,
          c.has("html") ? c.tpl("html", "") : "{{ template \"email.default.html\" . }}",
          c.has("text") ? c.tpl("text", "") : null,
          c.bool("require_tls", global.smtpRequireTls()),
          tls != null && tls.bool("insecure_skip_verify", false));
    }

    private PagerdutyConfig pagerduty(Node c) {
      String key = c.string("routing_key");
      if (key == null || key.isEmpty()) {
        problems.add(c.map.line(), c.path, "missing service or routing key in PagerDuty config");
      }
      String url = c.string("url");
      if (url != null) {
        url(c, "url", url);
      }
      Map<String, Integer> dlines = new LinkedHashMap<>();
      Map<String, String> details = c.stringMap("details", dlines);
      for (Map.Entry<String, String> d : details.entrySet()) {
        problems.templates.add(
            new Node.TemplateField(
                dlines.get(d.getKey()), c.path("details") + "." + d.getKey(), d.getValue()));
      }
      Map<String, String> merged = new LinkedHashMap<>(details);
      merged.putIfAbsent("firing", "{{ template \"pagerduty.default.instances\" .Alerts.Firing }}");
      merged.putIfAbsent(
          "resolved", "{{ template \"pagerduty.default.instances\" .Alerts.Resolved }}");
      merged.putIfAbsent("num_firing", "{{ .Alerts.Firing | len }}");
      merged.putIfAbsent("num_resolved", "{{ .Alerts.Resolved | len }}");
      List<PagerdutyConfig.Image> images = new ArrayList<>();
      List<YamlNode> is = c.items("images");
      for (int i = 0; i < is.size(); i++) {
        Node im =
            Node.of(
                problems,
                c.path("images") + "[" + i + "]",
                is.get(i),
                Set.of("src", "alt", "href"),
                Set.of());
        if (im != null) {
          images.add(
              new PagerdutyConfig.Image(
                  im.string("src", ""), im.string("alt", ""), im.string("href", "")));
        }
      }
      List<PagerdutyConfig.Link> links = new ArrayList<>();
      List<YamlNode> ls = c.items("links");
      for (int i = 0; i < ls.size(); i++) {
        Node l =
            Node.of(
                problems,
                c.path("links") + "[" + i + "]",
                ls.get(i),
                Set.of("href", "text"),
                Set.of());
        if (l != null) {
          links.add(new PagerdutyConfig.Link(l.tpl("href", ""), l.tpl("text", "")));
        }
      }
      String client = c.tpl("client", "{{ template \"pagerduty.default.client\" . }}");
      return new PagerdutyConfig(
          c.bool("send_resolved", true),
          httpConfigOf(c),
          nz(key),
          url == null ? global.pagerdutyUrl() : url,
          client,
          c.tpl("client_url", "{{ template \"pagerduty.default.clientURL\" . }}"),
          c.tpl("description", "{{ template \"pagerduty.default.description\" .}}"),
          merged,
          images,
          links,
          c.tpl("source", client),
          c.tpl("severity", "error"),
          c.tpl("class", ""),
          c.tpl("component", ""),
          c.tpl("group", ""));
    }

    private static String canonicalHeader(String h) {
      StringBuilder out = new StringBuilder(h.length());
      boolean upper = true;
      for (char ch : h.toCharArray()) {
        out.append(upper ? Character.toUpperCase(ch) : Character.toLowerCase(ch));
        upper = ch == '-';
      }
      return out.toString();
    }

    // ---- routes

    private @Nullable Route rootRoute(Node n) {
      String receiver = n.string("receiver");
      if (receiver == null || receiver.isEmpty()) {
        problems.add(n.map.line(), n.path, "root route must specify a default receiver");
      }
      for (String k : List.of("match", "match_re", "matchers")) {
        if (n.has(k)) {
          n.add(k, "root route must not have any matchers");
        }
      }
      if (n.has("mute_time_intervals")) {
        n.add("mute_time_intervals", "root route must not have any mute time intervals");
      }
      if (n.has("active_time_intervals")) {
        n.add("active_time_intervals", "root route must not have any active time intervals");
      }
      if (n.has("continue")) {
        n.add("continue", "cannot have continue in root route");
      }
      RouteOptions defaults =
          new RouteOptions(
              nz(receiver),
              List.of(),
              false,
              Duration.ofSeconds(30),
              Duration.ofMinutes(5),
              Duration.ofHours(4),
              List.of(),
              List.of());
      return route(n, null, defaults);
    }

    private Route route(Node n, @Nullable String parentKey, RouteOptions parent) {
      List<LabelMatcher> matchers = new ArrayList<>();
      Map<String, Integer> lines = new LinkedHashMap<>();
      Map<String, String> match = n.stringMap("match", lines);
      for (Map.Entry<String, String> e : match.entrySet()) {
        if (!LABEL_NAME.matcher(e.getKey()).matches()) {
          problems.add(
              lines.get(e.getKey()),
              n.path("match") + "." + e.getKey(),
              "invalid label name \"" + e.getKey() + "\"");
          continue;
        }
        matchers.add(LabelMatcher.of(LabelMatcher.Type.EQUAL, e.getKey(), e.getValue()));
      }
      lines.clear();
      Map<String, String> matchRe = n.stringMap("match_re", lines);
      for (Map.Entry<String, String> e : matchRe.entrySet()) {
        String field = n.path("match_re") + "." + e.getKey();
        if (!LABEL_NAME.matcher(e.getKey()).matches()) {
          problems.add(lines.get(e.getKey()), field, "invalid label name \"" + e.getKey() + "\"");
          continue;
        }
        try {
          matchers.add(Matchers.of(LabelMatcher.Type.REGEX, e.getKey(), e.getValue()));
        } catch (IllegalArgumentException ex) {
          problems.add(lines.get(e.getKey()), field, ex.getMessage());
        }
      }
      matchers.addAll(matcherList(n, "matchers"));
      String key = (parentKey == null ? "" : parentKey + "/") + Matchers.formatSet(matchers);

      String receiver = n.string("receiver");
      if (receiver != null && !receiver.isEmpty() && !receivers.containsKey(receiver)) {
        n.add("receiver", "undefined receiver \"" + receiver + "\" used in route");
      }
      List<String> groupBy = parent.groupBy();
      boolean groupByAll = parent.groupByAll();
      if (n.has("group_by")) {
        List<Integer> gl = new ArrayList<>();
        List<String> raw = n.strings("group_by", gl);
        groupBy = new ArrayList<>();
        groupByAll = false;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
          String l = raw.get(i);
          String field = n.path("group_by") + "[" + i + "]";
          if (l.equals("...")) {
            groupByAll = true;
          } else if (!LABEL_NAME.matcher(l).matches()) {
            problems.add(gl.get(i), field, "invalid label name \"" + l + "\" in group_by list");
          } else if (!seen.add(l)) {
            problems.add(gl.get(i), field, "duplicated label \"" + l + "\" in group_by");
          } else {
            groupBy.add(l);
          }
        }
        if (groupByAll && raw.size() > 1) {
          n.add(
              "group_by",
              "cannot have wildcard group_by (`...`) and other labels at the same time");
        }
      }
      Duration groupWait = n.duration("group_wait");
      Duration groupInterval = n.duration("group_interval");
      Duration repeatInterval = n.duration("repeat_interval");
      if (groupInterval != null && groupInterval.isZero()) {
        n.add("group_interval", "group_interval cannot be zero");
      }
      if (repeatInterval != null && repeatInterval.isZero()) {
        n.add("repeat_interval", "repeat_interval cannot be zero");
      }
      List<String> mute = intervalNames(n, "mute_time_intervals");
      List<String> active = intervalNames(n, "active_time_intervals");
      RouteOptions opts =
          new RouteOptions(
              receiver == null || receiver.isEmpty() ? parent.receiver() : receiver,
              groupBy,
              groupByAll,
              groupWait == null ? parent.groupWait() : groupWait,
              groupInterval == null ? parent.groupInterval() : groupInterval,
              repeatInterval == null ? parent.repeatInterval() : repeatInterval,
              mute,
              active);
      List<Route> children = new ArrayList<>();
      List<YamlNode> items = n.items("routes");
      for (int i = 0; i < items.size(); i++) {
        Node c = Node.of(problems, n.path("routes") + "[" + i + "]", items.get(i), ROUTE, Set.of());
        if (c != null) {
          children.add(route(c, key, opts));
        }
      }
      return new Route(key, matchers, n.bool("continue", false), opts, children);
    }

    private List<String> intervalNames(Node n, String key) {
      List<Integer> lines = new ArrayList<>();
      List<String> names = n.strings(key, lines);
      for (int i = 0; i < names.size(); i++) {
        if (!intervals.containsKey(names.get(i))) {
          problems.add(
              lines.get(i),
              n.path(key) + "[" + i + "]",
              "undefined time interval \"" + names.get(i) + "\" used in route");
        }
      }
      return names;
    }

    private List<LabelMatcher> matcherList(Node n, String key) {
      List<LabelMatcher> out = new ArrayList<>();
      List<Integer> lines = new ArrayList<>();
      List<String> items = n.strings(key, lines);
      for (int i = 0; i < items.size(); i++) {
        try {
          out.addAll(Matchers.parse(items.get(i)));
        } catch (IllegalArgumentException e) {
          problems.add(lines.get(i), n.path(key) + "[" + i + "]", e.getMessage());
        }
      }
      return out;
    }

    private List<LabelMatcher> oldMatchers(Node n, String eqKey, String reKey) {
      List<LabelMatcher> out = new ArrayList<>();
      Map<String, Integer> lines = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : n.stringMap(eqKey, lines).entrySet()) {
        if (!LABEL_NAME.matcher(e.getKey()).matches()) {
          problems.add(
              lines.get(e.getKey()),
              n.path(eqKey) + "." + e.getKey(),
              "invalid label name \"" + e.getKey() + "\"");
        } else {
          out.add(LabelMatcher.of(LabelMatcher.Type.EQUAL, e.getKey(), e.getValue()));
        }
      }
      lines.clear();
      for (Map.Entry<String, String> e : n.stringMap(reKey, lines).entrySet()) {
        String field = n.path(reKey) + "." + e.getKey();
        if (!LABEL_NAME.matcher(e.getKey()).matches()) {
          problems.add(lines.get(e.getKey()), field, "invalid label name \"" + e.getKey() + "\"");
          continue;
        }
        try {
          out.add(Matchers.of(LabelMatcher.Type.REGEX, e.getKey(), e.getValue()));
        } catch (IllegalArgumentException ex) {
          problems.add(lines.get(e.getKey()), field, ex.getMessage());
        }
      }
      return out;
    }

    private InhibitRule inhibitRule(Node n) {
      List<LabelMatcher> source = oldMatchers(n, "source_match", "source_match_re");
      source.addAll(matcherList(n, "source_matchers"));
      List<LabelMatcher> target = oldMatchers(n, "target_match", "target_match_re");
      target.addAll(matcherList(n, "target_matchers"));
      List<Integer> lines = new ArrayList<>();
      List<String> equal = n.strings("equal", lines);
      for (int i = 0; i < equal.size(); i++) {
        if (!LABEL_NAME.matcher(equal.get(i)).matches()) {
          problems.add(
              lines.get(i),
              n.path("equal") + "[" + i + "]",
              "invalid label name \"" + equal.get(i) + "\"");
        }
      }
      return new InhibitRule(source, target, equal);
    }

    // ---- templates

    private List<Path> templates(Node root) {
      List<Path> out = new ArrayList<>();
      List<Integer> lines = new ArrayList<>();
      List<String> globs = root.strings("templates", lines);
      for (int i = 0; i < globs.size(); i++) {
        String glob = globs.get(i);
        String field = "templates[" + i + "]";
        Path pattern = baseDir.resolve(glob).normalize();
        Path dir = pattern.getParent();
        String last = pattern.getFileName() == null ? "" : pattern.getFileName().toString();
        if (dir == null || hasGlob(dir.toString())) {
          problems.add(
              lines.get(i),
              field,
              "only the file name of a template path may hold wildcards: " + glob);
          continue;
        }
        try {
          PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + last);
          if (!Files.isDirectory(dir)) {
            continue; // Alertmanager: a glob that matches nothing is not an error.
          }
          try (Stream<Path> files = Files.list(dir)) {
            files
                .filter(p -> matcher.matches(p.getFileName()) && Files.isRegularFile(p))
                .sorted()
                .forEach(out::add);
          }
        } catch (IllegalArgumentException | IOException e) {
          problems.add(
              lines.get(i), field, "bad template glob \"" + glob + "\": " + e.getMessage());
        }
      }
      return out;
    }

    private void checkTemplates(List<Path> files) {
      NotifyTemplates set;
      try {
        set = NotifyTemplates.load(files);
      } catch (TemplateException e) {
        String msg = e.getMessage();
        String file =
            files.stream()
                .map(Path::toString)
                .filter(f -> msg.startsWith("template: " + f + ":"))
                .findFirst()
                .orElse(problems.file);
        problems.list.add(new ConfigProblem(file, e.line(), "", msg));
        return;
      } catch (IOException e) {
        problems.add(0, "templates", "cannot read template file: " + e.getMessage());
        return;
      }
      for (Node.TemplateField f : problems.templates) {
        try {
          set.parse(f.path(), f.text());
        } catch (TemplateException e) {
          problems.add(f.line() + e.line() - 1, f.path(), e.getMessage());
        }
      }
    }

    private static boolean hasGlob(String s) {
      return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
    }

    private static String nz(@Nullable String s) {
      return s == null ? "" : s;
    }
  }
}
