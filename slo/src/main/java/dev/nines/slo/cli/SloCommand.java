package dev.nines.slo.cli;

import dev.nines.rules.file.RuleFile;
import dev.nines.slo.AlertTiers;
import dev.nines.slo.BudgetPolicy;
import dev.nines.slo.SloDefaults;
import dev.nines.slo.SpecProblem;
import dev.nines.slo.rules.RuleFileWriter;
import dev.nines.slo.rules.RuleGenerator;
import dev.nines.slo.spec.SpecLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nines slo}: checks SLO specification files and turns them into Prometheus rules. */
@Command(
    name = "slo",
    mixinStandardHelpOptions = true,
    description = {
      "Work with SLO specifications (OpenSLO v1 and Sloth prometheus/v1).",
      "",
      "Run a subcommand; `nines slo <command> --help` explains each."
    },
    subcommands = {SloCommand.Validate.class, SloCommand.Generate.class})
public final class SloCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options both subcommands share: the settings the spec formats do not carry. */
  static final class Settings {
    @Option(
        names = "--min-events",
        paramLabel = "N",
        defaultValue = "0",
        description =
            "Events the long window of a burn-rate alert must hold before it may fire"
                + " (0: no guard; default: ${DEFAULT-VALUE}).")
    long minEvents;

    @Option(
        names = "--budget-policy",
        paramLabel = "STEPS",
        defaultValue = "25%:notify,0%:freeze",
        description = "Budget policy steps (default: ${DEFAULT-VALUE}).")
    String budgetPolicy = "25%:notify,0%:freeze";

    @Option(
        names = "--sloth-window",
        paramLabel = "DAYS",
        defaultValue = "30",
        description = "Window of Sloth SLOs in days (default: ${DEFAULT-VALUE}).")
    int slothWindowDays;

    SloDefaults defaults(CommandLine cmd) {
      if (minEvents < 0) {
        throw new CommandLine.ParameterException(cmd, "--min-events must not be negative");
      }
      if (slothWindowDays < 1) {
        throw new CommandLine.ParameterException(cmd, "--sloth-window must be at least 1 day");
      }
      BudgetPolicy policy;
      try {
        policy = BudgetPolicy.parse(budgetPolicy);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cmd, "--budget-policy: " + e.getMessage(), e);
      }
      return new SloDefaults(
          AlertTiers.DEFAULTS, minEvents, policy, Duration.ofDays(slothWindowDays));
    }
  }

  private static SpecLoader.Result load(
      List<Path> files, Settings settings, CommandLine.Model.CommandSpec spec) {
    SpecLoader.Result r = SpecLoader.load(files, settings.defaults(spec.commandLine()));
    PrintWriter err = spec.commandLine().getErr();
    for (SpecProblem p : r.problems()) {
      err.println(p);
    }
    if (!r.ok()) {
      err.println(
          r.problems().size() + (r.problems().size() == 1 ? " problem" : " problems") + " found");
    }
    err.flush();
    return r;
  }

  /** {@code nines slo validate FILE...}. */
  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = {
        "Check SLO files; print every problem as file:line: field: message.",
        "Exits 1 when there is any problem, 0 (printing `OK: N SLOs`) otherwise."
      })
  static final class Validate implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin Settings settings = new Settings();

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "SLO specification files.")
    List<Path> files = List.of();

    @Override
    public Integer call() {
      SpecLoader.Result r = load(files, settings, spec);
      if (!r.ok()) {
        return 1;
      }
      spec.commandLine().getOut().println("OK: " + r.slos().size() + " SLOs");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  /** {@code nines slo generate FILE... [-o rules.yml]}. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Write the Prometheus recording and alerting rules of SLO files.",
        "Writes to standard output unless -o is given; exits 1 on any problem."
      })
  static final class Generate implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin Settings settings = new Settings();

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "Write the rule file here (replaced atomically).")
    Path output;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "SLO specification files.")
    List<Path> files = List.of();

    @Override
    public Integer call() {
      SpecLoader.Result r = load(files, settings, spec);
      if (!r.ok()) {
        return 1;
      }
      RuleFile rules = RuleGenerator.generate(r.slos());
      String text = RuleFileWriter.write(rules);
      if (output == null) {
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return 0;
      }
      try {
        Path target = output.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), ".nines-rules", ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
          Files.move(
              tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        spec.commandLine().getErr().println(output + ": cannot write: " + e.getMessage());
        return 1;
      }
      int count = rules.groups().stream().mapToInt(g -> g.rules().size()).sum();
      spec.commandLine()
          .getOut()
          .println("OK: " + r.slos().size() + " SLOs, " + count + " rules written to " + output);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
