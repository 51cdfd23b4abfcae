package dev.nines.notify.cli;

import dev.nines.common.HygieneMode;
import dev.nines.notify.config.ConfigProblem;
import dev.nines.notify.config.NotifyConfig;
import dev.nines.notify.config.NotifyConfigException;
import dev.nines.notify.config.NotifyConfigLoader;
import dev.nines.notify.config.ReceiverConfig;
import dev.nines.notify.config.RouteHygiene;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nines notify check FILE...}: validates Alertmanager configuration files as {@code amtool
 * check-config} does and prints the same summary ({@code Checking 'FILE' SUCCESS}, {@code Found:},
 * global config, route, inhibit rules, receivers, templates), or every problem as {@code file:line:
 * field: message}. Exits 1 when any file has a problem.
 *
 * <p>The route half of the alert-hygiene lint ({@link RouteHygiene}: a paging alert must reach a
 * receiver that notifies someone) runs too: warnings by default, a failure with {@code
 * --hygiene=refuse}.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Check Alertmanager configuration files like `amtool check-config`;",
      "print every problem as file:line: field: message.",
      "Exits 1 when any file has a problem, 0 otherwise."
    })
public final class NotifyCheckCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      paramLabel = "FILE",
      arity = "1..*",
      description = "Alertmanager configuration files.")
  List<Path> files = List.of();

  private HygieneMode hygiene = HygieneMode.WARN;

  @Option(
      names = "--hygiene",
      paramLabel = "MODE",
      defaultValue = "warn",
      description = {
        "Alert hygiene lint: off, warn (default) or refuse.",
        "Alerts with severity page or critical must reach a receiver with an integration."
      })
  void hygiene(String mode) {
    try {
      hygiene = HygieneMode.parse(mode);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--hygiene: " + e.getMessage());
    }
  }

  private static final Set<String> PAGING_SEVERITIES = Set.of("page", "critical");

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int failed = 0;
    for (Path f : files) {
      try {
        NotifyConfig c = NotifyConfigLoader.load(f);
        List<ConfigProblem> lint =
            hygiene == HygieneMode.OFF ? List.of() : RouteHygiene.check(c, PAGING_SEVERITIES);
        if (hygiene == HygieneMode.REFUSE && !lint.isEmpty()) {
          failed++;
          out.println("Checking '" + f + "'  FAILED (alert hygiene):");
          out.flush();
          lint.forEach(err::println);
          err.flush();
          out.println();
          continue;
        }
        out.println("Checking '" + f + "'  SUCCESS");
        out.println("Found:");
        out.println(" - global config");
        out.println(" - route");
        out.println(" - " + c.inhibitRules().size() + " inhibit rules");
        out.println(" - " + c.receivers().size() + " receivers");
        for (ReceiverConfig r : c.receivers().values()) {
          out.println(
              "   - "
                  + r.name()
                  + ": "
                  + r.webhookConfigs().size()
                  + " webhook, "
                  + r.slackConfigs().size()
                  + " slack, "
                  + r.emailConfigs().size()
                  + " email, "
                  + r.pagerdutyConfigs().size()
                  + " pagerduty");
        }
        out.println(" - " + c.timeIntervals().size() + " time intervals");
        out.println(" - " + c.templateFiles().size() + " templates");
        for (Path t : c.templateFiles()) {
          out.println("  SUCCESS: " + t);
        }
        for (ConfigProblem p : lint) {
          out.println("  WARNING: " + p);
        }
      } catch (NotifyConfigException e) {
        failed++;
        out.println("Checking '" + f + "'  FAILED:");
        out.flush();
        for (ConfigProblem p : e.problems()) {
          err.println(p);
        }
        err.flush();
      }
      out.println();
      out.flush();
    }
    if (failed > 0) {
      err.println("nines: error: failed to validate " + failed + " file(s)");
      err.flush();
      return 1;
    }
    return 0;
  }
}
