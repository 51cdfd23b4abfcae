package dev.nines.ingest.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.common.Labels;
import dev.nines.ingest.relabel.RelabelConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScrapeConfigParserTest {

  @Test
  void parsesEverySupportedKey() {
    ScrapeConfigs c =
        ScrapeConfigParser.parseYaml(
            """
            global:
              scrape_interval: 30s
              scrape_timeout: 5s
              external_labels: {region: eu}
            scrape_configs:
              - job_name: node
                scrape_interval: 15s
                metrics_path: /probe
                scheme: https
                params: {module: [http_2xx]}
                honor_labels: true
                honor_timestamps: false
                static_configs:
                  - targets: ['a:9100', 'b:9100']
                    labels: {env: prod}
                file_sd_configs:
                  - files: [/etc/targets/*.json]
                    refresh_interval: 1m
                basic_auth: {username: u, password_file: /run/pw}
                relabel_configs:
                  - source_labels: [__address__]
                    target_label: host
                    regex: '(.*):\\d+'
                metric_relabel_configs:
                  - action: hashmod
                    source_labels: [instance]
                    modulus: 4
                    target_label: shard
                sample_limit: 1000
                label_limit: 30
                label_name_length_limit: 100
                label_value_length_limit: 200
                body_size_limit: 10MB
              - job_name: other
                authorization: {credentials: secret}
            """);
    assertThat(c.global().scrapeInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.global().externalLabels()).isEqualTo(Labels.of("region", "eu"));
    ScrapeConfig node = c.scrapeConfigs().get(0);
    assertThat(node.jobName()).isEqualTo("node");
    assertThat(node.scrapeInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(node.scrapeTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(node.metricsPath()).isEqualTo("/probe");
    assertThat(node.scheme()).isEqualTo("https");
    assertThat(node.params()).containsEntry("module", List.of("http_2xx"));
    assertThat(node.honorLabels()).isTrue();
    assertThat(node.honorTimestamps()).isFalse();
    assertThat(node.staticConfigs().get(0).targets()).containsExactly("a:9100", "b:9100");
    assertThat(node.staticConfigs().get(0).labels()).isEqualTo(Labels.of("env", "prod"));
    assertThat(node.fileSdConfigs().get(0).refreshInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(node.basicAuth()).isEqualTo(new BasicAuth("u", null, "/run/pw"));
    assertThat(node.relabelConfigs().get(0).regex()).isEqualTo("(.*):\\d+");
    assertThat(node.metricRelabelConfigs().get(0).action()).isEqualTo(RelabelConfig.Action.HASHMOD);
    assertThat(node.sampleLimit()).isEqualTo(1000);
    assertThat(node.labelLimit()).isEqualTo(30);
    assertThat(node.labelNameLengthLimit()).isEqualTo(100);
    assertThat(node.labelValueLengthLimit()).isEqualTo(200);
    assertThat(node.bodySizeLimit()).isEqualTo(10L << 20);
    ScrapeConfig other = c.scrapeConfigs().get(1);
    assertThat(other.scrapeInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(other.metricsPath()).isEqualTo("/metrics");
    assertThat(other.honorTimestamps()).isTrue();
    assertThat(other.authorization()).isEqualTo(new Authorization("Bearer", "secret", null));
  }

  @Test
  void defaultsFollowPrometheus() {
    ScrapeConfigs c = ScrapeConfigParser.parseYaml("scrape_configs: [{job_name: a}]");
    assertThat(c.global()).isEqualTo(GlobalConfig.DEFAULT);
    assertThat(c.scrapeConfigs().get(0).scrapeInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.scrapeConfigs().get(0).scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
    ScrapeConfigs shortInterval =
        ScrapeConfigParser.parseYaml("scrape_configs: [{job_name: a, scrape_interval: 5s}]");
    assertThat(shortInterval.scrapeConfigs().get(0).scrapeTimeout())
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void unsupportedKeysAreNamed() {
    assertThatThrownBy(
            () ->
                ScrapeConfigParser.parseYaml(
                    "scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs: [{role: pod}]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("scrape_configs[0].kubernetes_sd_configs: not supported");
    assertThatThrownBy(
            () ->
                ScrapeConfigParser.parseYaml(
                    "scrape_configs: [{job_name: a, static_configs: [{targets: [x], lables: {}}]}]"))
        .hasMessage("scrape_configs[0].static_configs[0].lables: not supported");
    assertThatThrownBy(() -> ScrapeConfigParser.parseYaml("global: {query_log_file: x}"))
        .hasMessage("global.query_log_file: not supported");
    assertThatThrownBy(() -> ScrapeConfigParser.parseYaml("rule_files: [a]"))
        .hasMessage("rule_files: not supported");
  }

  @Test
  void tlsConfigWithUnreadableFilesIsRefusedAtLoad() {
    assertThatThrownBy(
            () ->
                ScrapeConfigParser.parseYaml(
                    "scrape_configs: [{job_name: a, tls_config: {ca_file: /nonexistent/ca.pem}}]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("scrape_configs[0].tls_config.ca_file: cannot read");
    assertThatThrownBy(
            () ->
                ScrapeConfigParser.parseYaml(
                    "scrape_configs: [{job_name: a, tls_config: {cert_file: /x.pem}}]"))
        .hasMessageStartingWith("scrape_configs[0].tls_config: cert_file and key_file");
    assertThatThrownBy(
            () ->
                ScrapeConfigParser.parseYaml(
                    "scrape_configs: [{job_name: a, tls_config: {min_version: TLS13}}]"))
        .hasMessage("scrape_configs[0].tls_config.min_version: not supported");
  }

  @Test
  void errorsCarryFieldPaths() {
    assertThatThrownBy(
            () ->
                ScrapeConfigParser.parseYaml(
                    "scrape_configs: [{job_name: a, relabel_configs: [{action: hashmod,"
                        + " source_labels: [x], target_label: y}]}]"))
        .hasMessageStartingWith("scrape_configs[0].relabel_configs[0].modulus:");
    assertThatThrownBy(
            () ->
                ScrapeConfigParser.parseYaml(
                    "scrape_configs: [{job_name: a, metric_relabel_configs: [{action: bogus}]}]"))
        .hasMessageStartingWith("scrape_configs[0].metric_relabel_configs[0].action:");
    assertThatThrownBy(
            () -> ScrapeConfigParser.parseYaml("scrape_configs: [{job_name: a}, {job_name: a}]"))
        .hasMessageStartingWith("scrape_configs[1].job_name: duplicate job name");
    assertThatThrownBy(() -> ScrapeConfigParser.parseYaml("scrape_configs: [{scheme: http}]"))
        .hasMessage("scrape_configs[0].job_name: required");
    assertThatThrownBy(
            () ->
                ScrapeConfigParser.parseYaml(
                    "scrape_configs: [{job_name: a, scrape_interval: 5s, scrape_timeout: 10s}]"))
        .hasMessageStartingWith("scrape_configs[0].scrape_timeout: scrape timeout 10s greater");
    assertThatThrownBy(
            () ->
                ScrapeConfigParser.parseYaml(
                    "scrape_configs: [{job_name: a, scrape_interval: 1x}]"))
        .hasMessageStartingWith("scrape_configs[0].scrape_interval:");
    assertThatThrownBy(
            () ->
                ScrapeConfigParser.parseYaml(
                    "scrape_configs: [{job_name: a, body_size_limit: 3XB}]"))
        .hasMessageStartingWith("scrape_configs[0].body_size_limit:");
    assertThatThrownBy(
            () -> ScrapeConfigParser.parseYaml("scrape_configs: [{job_name: a, sample_limit: -1}]"))
        .hasMessageStartingWith("scrape_configs[0].sample_limit:");
    assertThatThrownBy(
            () ->
                ScrapeConfigParser.parseYaml(
                    "scrape_configs: [{job_name: a, basic_auth: {username: u},"
                        + " authorization: {credentials: c}}]"))
        .hasMessageStartingWith("scrape_configs[0]: at most one of basic_auth and authorization");
  }

  @Test
  void invalidYamlNamesTheLine() {
    assertThatThrownBy(() -> ScrapeConfigParser.parseYaml("scrape_configs:\n  - job_name: [a\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line ");
  }

  @Test
  void sizesUseGoUnits() {
    assertThat(ScrapeConfigParser.parseSize("512", "x")).isEqualTo(512);
    assertThat(ScrapeConfigParser.parseSize("1KB", "x")).isEqualTo(1024);
    assertThat(ScrapeConfigParser.parseSize("2MiB", "x")).isEqualTo(2L << 20);
    assertThat(ScrapeConfigParser.parseSize("1GB", "x")).isEqualTo(1L << 30);
  }
}
