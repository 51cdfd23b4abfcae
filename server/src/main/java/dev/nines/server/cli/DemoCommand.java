package dev.nines.server.cli;

import dev.nines.server.NinesServer;
import dev.nines.server.config.ConfigLoader;
import dev.nines.server.config.ListenAddress;
import dev.nines.server.demo.DemoService;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nines demo}: the real server, plus a synthetic {@code checkout} service for it to scrape,
 * alerting rules on that service, and an error burst a few minutes in, so that a newcomer watches
 * metrics arrive, rules record, and alerts go from pending to firing. The configuration it runs is
 * written to {@code DATA/demo/} first, as files the user can read and copy.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run Nines with a synthetic service to watch: scraping, PromQL, recording and alerting"
          + " rules, and an error burst that fires alerts.",
      "",
      "The configuration it uses is written to DATA/demo/ (nines.yml, rules.yml, slos.yml); run"
          + " `nines server --config DATA/demo/nines.yml` to start from it later."
    })
final class DemoCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "./data-demo",
      description = "Data folder (default: ./data-demo, kept apart from ./data).")
  Path dataDir;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:9595",
      description = "Address to serve HTTP on (default: 127.0.0.1:9595).")
  String listen;

  @Option(
      names = "--burst-after",
      paramLabel = "DURATION",
      defaultValue = "2m",
      converter = DurationConverter.class,
      description = "When the error burst starts (default: 2m).")
  Duration burstAfter;

  @Option(
      names = "--burst-for",
      paramLabel = "DURATION",
      defaultValue = "20m",
      converter = DurationConverter.class,
      description = "How long it lasts (default: 20m).")
  Duration burstFor;

  @Option(
      names = "--burst-error-ratio",
      paramLabel = "RATIO",
      defaultValue = "0.1",
      description = "Share of failing requests during the burst (default: 0.1; normal: 0.0005).")
  double burstErrorRatio;

  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return dev.nines.common.PromDuration.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    ListenAddress address;
    try {
      address = ListenAddress.parse(listen);
    } catch (IllegalArgumentException e) {
      err.println("nines: --listen: " + e.getMessage());
      return 2;
    }
    if (!(burstErrorRatio >= 0 && burstErrorRatio <= 1)) {
      err.println("nines: --burst-error-ratio: " + burstErrorRatio + " is not between 0 and 1");
      return 2;
    }
    DemoService.Profile profile =
        new DemoService.Profile(20, 0.0005, burstAfter, burstFor, burstErrorRatio);
    try (DemoService service = DemoService.start(profile, Clock.systemUTC())) {
      Path config = writeFiles(dataDir.toAbsolutePath().normalize(), address, service.target());
      NinesServer.ConfigSource source = () -> ConfigLoader.load(config);
      return ServerRunner.run(source, err, server -> greet(server, address, config));
    }
  }

  private void greet(NinesServer server, ListenAddress address, Path config) {
    PrintWriter out = spec.commandLine().getOut();
    String base = "http://" + address.host() + ":" + server.port();
    out.printf(
        """

        Nines demo is running at %s (configuration: %s).
        A synthetic service, checkout, is scraped every 5s. Its error ratio jumps from 0.05%%
        to %s%% %s from now, for %s; the alert CheckoutErrorBudgetBurn goes pending, then fires.
        The console, %s/console, shows it with the SLO's error budget.

          curl '%s/api/v1/query?query=checkout:request_error_ratio:rate5m'
          curl '%s/api/v1/alerts'
          curl '%s/api/nines/v1/slos'
          curl '%s/api/v1/targets'

        Ctrl-C stops it; the data stays in %s.
        %n""",
        base,
        config,
        burstErrorRatio * 100,
        format(burstAfter),
        format(burstFor),
        base,
        base,
        base,
        base,
        base,
        dataDir);
    out.flush();
  }

  private static String format(Duration d) {
    return dev.nines.common.PromDuration.format(d);
  }

  /** Writes the demo's configuration and rules into {@code DATA/demo}; returns the config path. */
  static Path writeFiles(Path data, ListenAddress address, String serviceTarget) {
    try {
      Path dir = Files.createDirectories(data.resolve("demo"));
      Path rules = dir.resolve("rules.yml");
      Files.writeString(rules, RULES, StandardCharsets.UTF_8);
      Path slos = dir.resolve("slos.yml");
      Files.writeString(slos, SLOS, StandardCharsets.UTF_8);
      String self = address.port() == 0 ? "" : selfJob(address);
      Path config = dir.resolve("nines.yml");
      Files.writeString(
          config,
          CONFIG
              .replace("@LISTEN@", address.host() + ":" + address.port())
              .replace("@DATA@", yamlString(data.toString()))
              .replace("@SELF@", self)
              .replace("@SERVICE@", serviceTarget)
              .replace("@RULES@", yamlString(rules.toString()))
              .replace("@SLOS@", yamlString(slos.toString())),
          StandardCharsets.UTF_8);
      return config;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo configuration: " + e.getMessage(), e);
    }
  }

  private static String selfJob(ListenAddress address) {
    return """
          - job_name: nines
            scrape_interval: 15s
            static_configs:
              - targets: ['%s:%d']
        """
        .formatted(address.host(), address.port());
  }

  private static String yamlString(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static final String CONFIG =
      """
      # Written by `nines demo`. Start from it with: nines server --config <this file>
      server:
        listen: @LISTEN@
        data_dir: @DATA@
      global:
        scrape_interval: 15s
        evaluation_interval: 15s
      scrape_configs:
      @SELF@  - job_name: checkout
          scrape_interval: 5s
          static_configs:
            - targets: ['@SERVICE@']
              labels:
                env: demo
      rule_files:
        - @RULES@
      slo_files:
        - @SLOS@
      """;

  private static final String SLOS =
      """
      # Written by `nines demo`: checkout's availability objective, in Sloth's format. Nines turns it
      # into bucket and burn-rate rules and serves its error budget at /api/nines/v1/slos.
      version: prometheus/v1
      service: checkout
      labels:
        team: checkout
      slos:
        - name: requests-availability
          objective: 99.9
          description: Checkout answers without a server error.
          sli:
            events:
              error_query: sum(rate(demo_http_requests_total{service="checkout",code=~"5.."}[{{.window}}]))
              total_query: sum(rate(demo_http_requests_total{service="checkout"}[{{.window}}]))
          alerting:
            name: CheckoutAvailability
            labels:
              team: checkout
            annotations:
              runbook_url: https://runbooks.example.com/checkout/availability
            page_alert:
              labels:
                severity: page
            ticket_alert:
              labels:
                severity: ticket
      """;

  private static final String RULES =
      """
      # Written by `nines demo`: recording rules for the synthetic checkout service and a
      # burn-rate alert on its 99.9% availability objective (error budget 0.1%).
      groups:
        - name: checkout
          interval: 15s
          rules:
            - record: checkout:request_error_ratio:rate5m
              expr: |
                sum(rate(demo_http_requests_total{service="checkout",code=~"5.."}[5m]))
                /
                sum(rate(demo_http_requests_total{service="checkout"}[5m]))
            - record: checkout:request_error_ratio:rate1h
              expr: |
                sum(rate(demo_http_requests_total{service="checkout",code=~"5.."}[1h]))
                /
                sum(rate(demo_http_requests_total{service="checkout"}[1h]))
            - record: checkout:request_duration_seconds:p99_5m
              expr: |
                histogram_quantile(0.99,
                  sum by (le) (rate(demo_http_request_duration_seconds_bucket{service="checkout"}[5m])))
            - alert: CheckoutErrorBudgetBurn
              # 14.4x the budget over 5m and (scaled for the demo) over 1h: the workbook's page tier.
              expr: |
                checkout:request_error_ratio:rate5m > 14.4 * 0.001
                and
                checkout:request_error_ratio:rate1h > 14.4 * 0.001
              for: 1m
              labels:
                severity: page
                team: checkout
              annotations:
                summary: 'checkout is burning its error budget: {{ $value | humanizePercentage }} of requests fail'
                runbook_url: https://runbooks.example.com/checkout/error-budget-burn
      """;
}
