package dev.nines.ingest.scrape;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.nines.common.Labels;
import dev.nines.common.PromDuration;
import dev.nines.ingest.relabel.RelabelConfig;
import dev.nines.ingest.relabel.RelabelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads Prometheus's {@code global} and {@code scrape_configs} sections from a Jackson tree or a
 * YAML string, strictly: every key this class does not know is a {@link ConfigException} naming it
 * ({@code scrape_configs[0].kubernetes_sd_configs: not supported}), never ignored.
 *
 * <p>Design note: the tree is walked by hand rather than bound to records so that every error
 * carries the full field path, and so that Prometheus's defaults (global interval and timeout,
 * {@code honor_timestamps: true}) and its cross-field checks stay in one readable place.
 */
public final class ScrapeConfigParser {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SIZE = Pattern.compile("([0-9]+)\\s*([A-Za-z]*)");

  private ScrapeConfigParser() {}

  /** Parses a YAML document with top-level {@code global} and {@code scrape_configs}. */
  public static ScrapeConfigs parseYaml(String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new ConfigException(where, "invalid YAML: " + e.getOriginalMessage());
    }
    return parse(root == null ? MissingNode.getInstance() : root);
  }

  /** Parses a tree with top-level {@code global} and {@code scrape_configs}. */
  public static ScrapeConfigs parse(JsonNode root) {
    if (root.isMissingNode() || root.isNull()) {
      return new ScrapeConfigs(GlobalConfig.DEFAULT, List.of());
    }
    Obj top = new Obj(root, "");
    GlobalConfig global = parseGlobal(top.get("global"), "global");
    JsonNode scrapes = top.get("scrape_configs");
    top.rejectUnknown();
    return new ScrapeConfigs(global, parseScrapeConfigs(scrapes, global, "scrape_configs"));
  }

  /** Parses a {@code global} section (missing: Prometheus's defaults). */
  public static GlobalConfig parseGlobal(JsonNode node, String path) {
    if (node.isMissingNode() || node.isNull()) {
      return GlobalConfig.DEFAULT;
    }
    Obj o = new Obj(node, path);
    Duration interval = o.duration("scrape_interval", GlobalConfig.DEFAULT.scrapeInterval());
    Duration timeout = o.duration("scrape_timeout", GlobalConfig.DEFAULT.scrapeTimeout());
    Labels external = o.labels("external_labels");
    // Belongs to rules (the server reads it for the rule manager); checked here so one section
    // parses.
    o.duration("evaluation_interval", Duration.ofMinutes(1));
    o.rejectUnknown();
    if (timeout.compareTo(interval) > 0) {
      throw new ConfigException(
          path + ".scrape_timeout", "global scrape timeout greater than scrape interval");
    }
    return new GlobalConfig(interval, timeout, external);
  }

  /** Parses a {@code scrape_configs} list against {@code global}. */
  public static List<ScrapeConfig> parseScrapeConfigs(
      JsonNode node, GlobalConfig global, String path) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new ConfigException(path, "expected a list");
    }
    List<ScrapeConfig> out = new ArrayList<>();
    Set<String> jobs = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String p = path + "[" + i + "]";
      ScrapeConfig c = parseScrapeConfig(node.get(i), global, p);
      if (!jobs.add(c.jobName())) {
        throw new ConfigException(p + ".job_name", "duplicate job name \"" + c.jobName() + "\"");
      }
      out.add(c);
    }
    return out;
  }

  private static ScrapeConfig parseScrapeConfig(JsonNode node, GlobalConfig global, String path) {
    Obj o = new Obj(node, path);
    String job = o.string("job_name", "");
    if (job.isEmpty()) {
      throw new ConfigException(path + ".job_name", "required");
    }
    Duration interval = o.duration("scrape_interval", global.scrapeInterval());
    boolean timeoutSet = !o.peek("scrape_timeout").isMissingNode();
    Duration timeout = o.duration("scrape_timeout", global.scrapeTimeout());
    if (timeout.compareTo(interval) > 0) {
      if (timeoutSet) {
        throw new ConfigException(
            path + ".scrape_timeout",
            "scrape timeout "
                + PromDuration.format(timeout)
                + " greater than scrape interval "
                + PromDuration.format(interval));
      }
      timeout = interval;
    }
    if (interval.isZero() || interval.isNegative()) {
      throw new ConfigException(path + ".scrape_interval", "must be positive");
    }
    String metricsPath = o.string("metrics_path", "/metrics");
    String scheme = o.string("scheme", "http");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new ConfigException(path + ".scheme", "must be http or https, got \"" + scheme + "\"");
    }
    Map<String, List<String>> params = o.params("params");
    boolean honorLabels = o.bool("honor_labels", false);
    boolean honorTimestamps = o.bool("honor_timestamps", true);
    List<TargetGroup> statics = new ArrayList<>();
    o.list(
        "static_configs",
        (n, p) -> {
          Obj s = new Obj(n, p);
          List<String> targets = s.strings("targets");
          Labels labels = s.labels("labels");
          s.rejectUnknown();
          statics.add(new TargetGroup(targets, labels, ""));
        });
    List<FileSdConfig> files = new ArrayList<>();
    o.list(
        "file_sd_configs",
        (n, p) -> {
          Obj f = new Obj(n, p);
          List<String> names = f.strings("files");
          if (names.isEmpty()) {
            throw new ConfigException(p + ".files", "at least one file is required");
          }
          Duration refresh = f.duration("refresh_interval", Duration.ofMinutes(5));
          f.rejectUnknown();
          files.add(new FileSdConfig(names, refresh));
        });
    BasicAuth basic = null;
    JsonNode ba = o.get("basic_auth");
    if (!ba.isMissingNode() && !ba.isNull()) {
      Obj b = new Obj(ba, path + ".basic_auth");
      basic =
          new BasicAuth(
              b.string("username", ""),
              b.optionalString("password"),
              b.optionalString("password_file"));
      b.rejectUnknown();
      if (basic.password() != null && basic.passwordFile() != null) {
        throw new ConfigException(
            path + ".basic_auth", "at most one of password and password_file must be configured");
      }
    }
    Authorization auth = null;
    JsonNode au = o.get("authorization");
    if (!au.isMissingNode() && !au.isNull()) {
      Obj a = new Obj(au, path + ".authorization");
      auth =
          new Authorization(
              a.string("type", "Bearer"),
              a.optionalString("credentials"),
              a.optionalString("credentials_file"));
      a.rejectUnknown();
      if (auth.type().equalsIgnoreCase("basic")) {
        throw new ConfigException(
            path + ".authorization.type",
            "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
      }
      if (auth.credentials() != null && auth.credentialsFile() != null) {
        throw new ConfigException(
            path + ".authorization",
            "at most one of credentials and credentials_file must be configured");
      }
    }
    if (basic != null && auth != null) {
      throw new ConfigException(
          path, "at most one of basic_auth and authorization must be configured");
    }
    TlsConfig tlsConfig = null;
    JsonNode tls = o.get("tls_config");
    if (!tls.isMissingNode() && !tls.isNull()) {
      Obj t = new Obj(tls, path + ".tls_config");
      tlsConfig =
          new TlsConfig(
              t.optionalString("ca_file"),
              t.optionalString("cert_file"),
              t.optionalString("key_file"),
              t.optionalString("server_name"),
              t.bool("insecure_skip_verify", false));
      t.rejectUnknown();
      TlsContexts.create(tlsConfig, path + ".tls_config"); // fail at load on bad files
    }
    List<RelabelConfig> relabel = relabelConfigs(o, "relabel_configs");
    List<RelabelConfig> metricRelabel = relabelConfigs(o, "metric_relabel_configs");
    long sampleLimit = o.count("sample_limit");
    long labelLimit = o.count("label_limit");
    long nameLimit = o.count("label_name_length_limit");
    long valueLimit = o.count("label_value_length_limit");
    long bodyLimit = o.size("body_size_limit");
    o.rejectUnknown();
    return new ScrapeConfig(
        job,
        interval,
        timeout,
        metricsPath,
        scheme,
        params,
        honorLabels,
        honorTimestamps,
        statics,
        files,
        basic,
        auth,
        tlsConfig,
        relabel,
        metricRelabel,
        sampleLimit,
        labelLimit,
        nameLimit,
        valueLimit,
        bodyLimit);
  }

  private static List<RelabelConfig> relabelConfigs(Obj o, String key) {
    List<RelabelConfig> out = new ArrayList<>();
    o.list(key, (n, p) -> out.add(parseRelabel(n, p)));
    return out;
  }

  /** Parses one {@code relabel_config} object at {@code path}. */
  public static RelabelConfig parseRelabel(JsonNode node, String path) {
    Obj r = new Obj(node, path);
    try {
      RelabelConfig.Builder b = RelabelConfig.builder();
      b.sourceLabels(r.strings("source_labels"));
      b.separator(r.string("separator", RelabelConfig.DEFAULT_SEPARATOR));
      b.regex(r.string("regex", RelabelConfig.DEFAULT_REGEX));
      b.modulus(r.count("modulus"));
      b.targetLabel(r.string("target_label", ""));
      b.replacement(r.string("replacement", RelabelConfig.DEFAULT_REPLACEMENT));
      String action = r.string("action", "replace");
      r.rejectUnknown();
      b.action(RelabelConfig.Action.parse(action));
      return b.build();
    } catch (RelabelException e) {
      throw new ConfigException(
          path + "." + e.field(), e.getMessage().substring(e.field().length() + 2));
    }
  }

  /** Parses a Go-style size ({@code 10MB}, {@code 512KiB}, {@code 1024}); units are powers of 2. */
  static long parseSize(String text, String path) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new ConfigException(path, "not a size: \"" + text + "\"");
    }
    long n = Long.parseLong(m.group(1));
    long unit =
        switch (m.group(2).toUpperCase(Locale.ROOT)) {
          case "", "B" -> 1L;
          case "KB", "KIB", "K" -> 1L << 10;
          case "MB", "MIB", "M" -> 1L << 20;
          case "GB", "GIB", "G" -> 1L << 30;
          case "TB", "TIB", "T" -> 1L << 40;
          default -> throw new ConfigException(path, "unknown size unit in \"" + text + "\"");
        };
    return Math.multiplyExact(n, unit);
  }

  /** Reads a JSON or YAML target-group file body. */
  static List<TargetGroup> parseTargetGroups(String body, boolean yaml, String source) {
    JsonNode root;
    try {
      root = (yaml ? YAML : JSON).readTree(body);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr();
      throw new ConfigException(source + where, "invalid target groups: " + e.getOriginalMessage());
    }
    List<TargetGroup> out = new ArrayList<>();
    if (root == null || root.isNull() || root.isMissingNode()) {
      return out;
    }
    if (!root.isArray()) {
      throw new ConfigException(source, "expected a list of target groups");
    }
    for (int i = 0; i < root.size(); i++) {
      Obj g = new Obj(root.get(i), source + "[" + i + "]");
      List<String> targets = g.strings("targets");
      Labels labels = g.labels("labels");
      g.rejectUnknown();
      out.add(new TargetGroup(targets, labels, source));
    }
    return out;
  }

  /** A JSON object being read, remembering which keys were consumed. */
  private static final class Obj {
    private final JsonNode node;
    private final String path;
    private final Set<String> seen = new HashSet<>();

    Obj(JsonNode node, String path) {
      if (!node.isObject()) {
        throw new ConfigException(path, "expected a mapping");
      }
      this.node = node;
      this.path = path;
    }

    private String at(String key) {
      return path.isEmpty() ? key : path + "." + key;
    }

    JsonNode peek(String key) {
      return node.path(key);
    }

    JsonNode get(String key) {
      seen.add(key);
      return node.path(key);
    }

    void optional(String key) {
      seen.add(key);
    }

    void rejectUnknown() {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String name = e.getKey();
        if (!seen.contains(name)) {
          throw new ConfigException(at(name), "not supported");
        }
      }
    }

    @Nullable String optionalString(String key) {
      JsonNode n = get(key);
      if (n.isMissingNode() || n.isNull()) {
        return null;
      }
      if (!n.isValueNode() || n.isBinary()) {
        throw new ConfigException(at(key), "expected a string");
      }
      return n.asText();
    }

    String string(String key, String dflt) {
      String s = optionalString(key);
      return s == null ? dflt : s;
    }

    boolean bool(String key, boolean dflt) {
      JsonNode n = get(key);
      if (n.isMissingNode() || n.isNull()) {
        return dflt;
      }
      if (!n.isBoolean()) {
        throw new ConfigException(at(key), "expected true or false");
      }
      return n.booleanValue();
    }

    long count(String key) {
      JsonNode n = get(key);
      if (n.isMissingNode() || n.isNull()) {
        return 0;
      }
      if (!n.canConvertToExactIntegral() || n.asLong() < 0) {
        throw new ConfigException(at(key), "expected a non-negative integer");
      }
      return n.asLong();
    }

    long size(String key) {
      JsonNode n = get(key);
      if (n.isMissingNode() || n.isNull()) {
        return 0;
      }
      if (n.canConvertToExactIntegral()) {
        return n.asLong();
      }
      return parseSize(n.asText(), at(key));
    }

    Duration duration(String key, Duration dflt) {
      String s = optionalString(key);
      if (s == null) {
        return dflt;
      }
      try {
        return PromDuration.parse(s);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(at(key), e.getMessage());
      }
    }

    List<String> strings(String key) {
      JsonNode n = get(key);
      if (n.isMissingNode() || n.isNull()) {
        return List.of();
      }
      if (!n.isArray()) {
        throw new ConfigException(at(key), "expected a list of strings");
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < n.size(); i++) {
        JsonNode e = n.get(i);
        if (!e.isValueNode() || e.isNull()) {
          throw new ConfigException(at(key) + "[" + i + "]", "expected a string");
        }
        out.add(e.asText());
      }
      return out;
    }

    Labels labels(String key) {
      JsonNode n = get(key);
      if (n.isMissingNode() || n.isNull()) {
        return Labels.EMPTY;
      }
      if (!n.isObject()) {
        throw new ConfigException(at(key), "expected a mapping of label names to values");
      }
      Labels.Builder b = Labels.builder();
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        if (!RelabelConfig.isValidLabelName(e.getKey())) {
          throw new ConfigException(at(key) + "." + e.getKey(), "invalid label name");
        }
        if (!e.getValue().isValueNode() || e.getValue().isNull()) {
          throw new ConfigException(at(key) + "." + e.getKey(), "expected a string");
        }
        b.set(e.getKey(), e.getValue().asText());
      }
      return b.build();
    }

    Map<String, List<String>> params(String key) {
      JsonNode n = get(key);
      if (n.isMissingNode() || n.isNull()) {
        return Map.of();
      }
      if (!n.isObject()) {
        throw new ConfigException(at(key), "expected a mapping of names to lists of values");
      }
      Map<String, List<String>> out = new LinkedHashMap<>();
      Obj holder = new Obj(n, at(key));
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        out.put(e.getKey(), holder.strings(e.getKey()));
      }
      return out;
    }

    interface Item {
      void read(JsonNode node, String path);
    }

    void list(String key, Item item) {
      JsonNode n = get(key);
      if (n.isMissingNode() || n.isNull()) {
        return;
      }
      if (!n.isArray()) {
        throw new ConfigException(at(key), "expected a list");
      }
      for (int i = 0; i < n.size(); i++) {
        item.read(n.get(i), at(key) + "[" + i + "]");
      }
    }
  }
}
