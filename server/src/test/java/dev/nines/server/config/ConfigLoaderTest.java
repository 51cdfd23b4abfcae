package dev.nines.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @Test
  void noFileMeansEveryDefault() throws Exception {
    NinesConfig config = ConfigLoader.validateFlags(NinesConfig.defaults());
    assertThat(config.server().listen()).isEqualTo("127.0.0.1:9595");
    assertThat(config.server().dataDir()).isEqualTo("./data");
    assertThat(config.server().shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.log().format()).isEqualTo("logfmt");
    assertThat(config.store().url()).isNull();
  }

  @Test
  void emptyFileIsValid() throws Exception {
    assertThat(ConfigLoader.parse("nines.yml", "")).isEqualTo(NinesConfig.defaults());
    assertThat(ConfigLoader.parse("nines.yml", "# only a comment\n"))
        .isEqualTo(NinesConfig.defaults());
  }

  @Test
  void readsEverySection(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("nines.yml");
    Files.writeString(
        file,
        """
        server:
          listen: 0.0.0.0:9999
          data_dir: /var/lib/nines
          shutdown_timeout: 1m30s
        log:
          level: DEBUG
          format: json
        store:
          url: jdbc:postgresql://db:5432/nines
          max_pool_size: 4
          connect_timeout: 5s
        """);
    NinesConfig config = ConfigLoader.load(file);
    assertThat(config.server().listenAddress()).isEqualTo(new ListenAddress("0.0.0.0", 9999));
    assertThat(config.server().dataPath()).isEqualTo(Path.of("/var/lib/nines"));
    assertThat(config.server().shutdownTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.log().level()).isEqualTo("debug");
    assertThat(config.log().format()).isEqualTo("json");
    assertThat(config.store().url()).isEqualTo("jdbc:postgresql://db:5432/nines");
    assertThat(config.store().maxPoolSize()).isEqualTo(4);
    assertThat(config.store().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void badDurationNamesFileLineAndField() {
    String yaml =
        """
        # Nines
        log:
          level: info

        server:
          listen: 127.0.0.1:9595
          shutdown_timeout: 10x
        """;
    assertThatThrownBy(() -> ConfigLoader.parse("nines.yml", yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessage("nines.yml:7: server.shutdown_timeout: \"10x\" is not a duration")
        .satisfies(
            e -> {
              ConfigException ce = (ConfigException) e;
              assertThat(ce.line()).isEqualTo(7);
              assertThat(ce.field()).isEqualTo("server.shutdown_timeout");
            });
  }

  @Test
  void unknownFieldIsAnErrorNotIgnored() {
    String yaml = "server:\n  listen: 127.0.0.1:1\n  lisen: 127.0.0.1:2\n";
    assertThatThrownBy(() -> ConfigLoader.parse("nines.yml", yaml))
        .hasMessageStartingWith("nines.yml:3: server.lisen: unknown field")
        .hasMessageContaining("listen");
  }

  @Test
  void unknownSectionIsAnError() {
    assertThatThrownBy(() -> ConfigLoader.parse("x.yml", "retention:\n  time: 15d\n"))
        .hasMessageStartingWith("x.yml:1: retention: unknown field");
  }

  @Test
  void wrongTypeSaysWhatWasExpected() {
    assertThatThrownBy(() -> ConfigLoader.parse("x.yml", "store:\n  max_pool_size: lots\n"))
        .hasMessageStartingWith("x.yml:2: store.max_pool_size:");
    assertThatThrownBy(() -> ConfigLoader.parse("x.yml", "server: 5\n"))
        .hasMessageStartingWith("x.yml:1: server: expected a mapping");
  }

  @Test
  void validationErrorsPointAtTheFieldsLine() {
    String yaml = "server:\n  listen: 127.0.0.1:9595\nlog:\n  level: info\n  format: xml\n";
    assertThatThrownBy(() -> ConfigLoader.parse("x.yml", yaml))
        .hasMessage("x.yml:5: log.format: \"xml\" is not one of logfmt, json");
    assertThatThrownBy(() -> ConfigLoader.parse("x.yml", "server:\n  listen: nowhere\n"))
        .hasMessage("x.yml:2: server.listen: \"nowhere\" is not HOST:PORT");
    assertThatThrownBy(() -> ConfigLoader.parse("x.yml", "store:\n  url: mysql://x\n"))
        .hasMessageStartingWith("x.yml:2: store.url:");
    assertThatThrownBy(() -> ConfigLoader.parse("x.yml", "server:\n  shutdown_timeout: 0\n"))
        .hasMessageStartingWith("x.yml:2: server.shutdown_timeout: must be positive");
  }

  @Test
  void alertHygieneWarnsByDefaultAndTakesOffWarnOrRefuse() throws Exception {
    assertThat(NinesConfig.defaults().hygieneMode()).isEqualTo(dev.nines.common.HygieneMode.WARN);
    assertThat(ConfigLoader.parse("x.yml", "alert_hygiene: Refuse\n").hygieneMode())
        .isEqualTo(dev.nines.common.HygieneMode.REFUSE);
    assertThatThrownBy(
            () -> ConfigLoader.parse("x.yml", "log:\n  level: info\nalert_hygiene: loud\n"))
        .hasMessage(
            "x.yml:3: alert_hygiene: \"loud\" is not a hygiene mode (one of off, warn, refuse)");
  }

  @Test
  void notifyMaxConcurrentSendsDefaultsTo64AndMustBePositive() throws Exception {
    assertThat(ConfigLoader.parse("x.yml", "notify: {}\n").notifyConfig().maxConcurrentSends())
        .isEqualTo(64);
    assertThat(
            ConfigLoader.parse("x.yml", "notify:\n  max_concurrent_sends: 8\n")
                .notifyConfig()
                .maxConcurrentSends())
        .isEqualTo(8);
    assertThatThrownBy(() -> ConfigLoader.parse("x.yml", "notify:\n  max_concurrent_sends: 0\n"))
        .hasMessageStartingWith("x.yml:2: notify.max_concurrent_sends: must be at least 1");
  }

  @Test
  void yamlSyntaxErrorHasALine() {
    assertThatThrownBy(() -> ConfigLoader.parse("x.yml", "server:\n  listen: [oops\nlog: {}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("YAML syntax error")
        .satisfies(e -> assertThat(((ConfigException) e).line()).isGreaterThan(0));
  }

  @Test
  void missingFileSaysSo(@TempDir Path dir) {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("absent.yml")))
        .hasMessageEndingWith("absent.yml: no such file");
  }

  @Test
  void flagsOverrideTheFile() throws Exception {
    NinesConfig file =
        ConfigLoader.parse("x.yml", "server:\n  listen: 0.0.0.0:1\n  data_dir: /a\n");
    NinesConfig merged =
        ConfigLoader.validateFlags(file.withFlags("127.0.0.1:2", Path.of("/b"), null, "json"));
    assertThat(merged.server().listen()).isEqualTo("127.0.0.1:2");
    assertThat(merged.server().dataDir()).isEqualTo("/b");
    assertThat(merged.log().format()).isEqualTo("json");
    assertThat(merged.log().level()).isEqualTo("info");
  }

  @Test
  void badFlagIsNamedAsTheFlag() {
    NinesConfig merged = NinesConfig.defaults().withFlags("127.0.0.1:99999", null, null, null);
    assertThatThrownBy(() -> ConfigLoader.validateFlags(merged))
        .hasMessage("command line: --listen: \"127.0.0.1:99999\": port must be 0 to 65535");
  }

  @Test
  void listenAddressForms() {
    assertThat(ListenAddress.parse(":9595")).isEqualTo(new ListenAddress("", 9595));
    assertThat(ListenAddress.parse("[::1]:80")).isEqualTo(new ListenAddress("::1", 80));
    assertThat(ListenAddress.parse("[::1]:80").toString()).isEqualTo("[::1]:80");
    assertThatThrownBy(() -> ListenAddress.parse("::1:80")).hasMessageContaining("brackets");
  }

  @Test
  void storageSectionSetsDurabilityLateSamplesAndLimits() throws Exception {
    NinesConfig config =
        ConfigLoader.parse(
            "x.yml",
            """
            storage:
              wal_fsync: always
              out_of_order_window: 10m
              max_series: 100000
              max_series_per_metric: 5000
              max_label_value_length: 256
              retention: 30d
              retention_bytes: 10000000000
            """);
    assertThat(config.storage().retention()).isEqualTo(Duration.ofDays(30));
    assertThat(config.storage().retentionBytes()).isEqualTo(10_000_000_000L);
    assertThat(config.storage().walFsync()).isEqualTo("always");
    assertThat(config.storage().outOfOrderWindow()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.storage().maxSeries()).isEqualTo(100_000);
    assertThat(config.storage().maxSeriesPerMetric()).isEqualTo(5_000);
    assertThat(config.storage().maxLabelValueLength()).isEqualTo(256);
    assertThat(config.storage().maxLabelsPerSeries()).isEqualTo(64);
  }

  @Test
  void storageErrorsNameTheField() {
    assertThatThrownBy(() -> ConfigLoader.parse("x.yml", "storage:\n  wal_fsync: sometimes\n"))
        .hasMessage("x.yml:2: storage.wal_fsync: \"sometimes\" is not one of always, batch, none");
    assertThatThrownBy(() -> ConfigLoader.parse("x.yml", "storage:\n  max_series: -1\n"))
        .hasMessageStartingWith("x.yml:2: storage.max_series: must be 0 (no limit) or positive");
  }

  @Test
  void querySectionAndYamlRoundTrip() throws Exception {
    NinesConfig config =
        ConfigLoader.parse(
            "x.yml",
            """
            query:
              timeout: 30s
              max_samples: 1000000
              max_concurrent: 4
              lookback_delta: 2m
              experimental_functions: true
            storage:
              retention: 1d12h
            """);
    assertThat(config.query().timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.query().maxConcurrent()).isEqualTo(4);
    assertThat(config.query().experimentalFunctions()).isTrue();
    assertThat(config.query().delayedNameRemoval()).isFalse();
    String yaml = ConfigLoader.toYaml(config);
    assertThat(yaml).contains("retention: \"1d12h\"", "lookback_delta: \"2m\"");
    assertThat(ConfigLoader.parse("again.yml", yaml)).isEqualTo(config);
  }

  @Test
  void pathsInTheFileAreRelativeToItsFolderAndRuleFilesMayBeGlobs(@TempDir Path dir)
      throws Exception {
    Path conf = Files.createDirectories(dir.resolve("etc"));
    Path rules = Files.createDirectories(conf.resolve("rules"));
    Files.writeString(rules.resolve("b.yml"), "groups: []\n");
    Files.writeString(rules.resolve("a.yml"), "groups: []\n");
    Files.writeString(rules.resolve("notes.txt"), "not a rule file\n");
    Path file = conf.resolve("nines.yml");
    Files.writeString(
        file,
        """
        rule_files: ['rules/*.yml', '/abs/other.yml']
        slo_files: [slos/checkout.yml]
        notify:
          config_file: alertmanager.yml
        """);

    NinesConfig c = ConfigLoader.load(file);
    assertThat(c.ruleFiles())
        .containsExactly(conf.resolve("rules/*.yml").toString(), "/abs/other.yml");
    assertThat(c.sloFiles()).containsExactly(conf.resolve("slos/checkout.yml").toString());
    assertThat(c.notifyConfig().configFile())
        .isEqualTo(conf.resolve("alertmanager.yml").toString());
    assertThat(ConfigPaths.expand(c.ruleFiles()))
        .containsExactly(rules.resolve("a.yml"), rules.resolve("b.yml"), Path.of("/abs/other.yml"));
    assertThat(ConfigPaths.expand(java.util.List.of(dir.resolve("none/*.yml").toString())))
        .isEmpty();
  }
}
