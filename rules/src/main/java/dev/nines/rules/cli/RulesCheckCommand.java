package dev.nines.rules.cli;

import dev.nines.common.HygieneMode;
import dev.nines.rules.file.RuleFileLoader;
import dev.nines.rules.file.RuleProblem;
import dev.nines.rules.lint.AlertHygiene;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nines rules check FILE...}: checks rule files as {@code promtool check rules} does and
 * prints the same lines ({@code Checking FILE}, {@code SUCCESS: N rules found}), or every problem
 * as {@code file:line: field: message}. Exits 1 when any file has a problem.
 *
 * <p>The alert-hygiene lint ({@link AlertHygiene}) runs too: by default its findings are printed as
 * warnings after the result line; with {@code --hygiene=refuse} they fail the file.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Check Prometheus rule files; print every problem as file:line: field: message.",
      "Exits 1 when any file has a problem, 0 otherwise."
    })
public final class RulesCheckCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Rule files.")
  List<Path> files = List.of();

  @Option(
      names = "--hygiene",
      paramLabel = "MODE",
      defaultValue = "warn",
      converter = ModeConverter.class,
      description = {
        "Alert hygiene lint: off, warn (default) or refuse.",
        "Every alert needs a severity label; paging ones (severity page or critical)",
        "also a team label and a runbook_url annotation."
      })
  HygieneMode hygiene = HygieneMode.WARN;

  static final class ModeConverter implements CommandLine.ITypeConverter<HygieneMode> {
    @Override
    public HygieneMode convert(String value) {
      try {
        return HygieneMode.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean failed = false;
    for (Path f : files) {
      out.println("Checking " + f);
      out.flush();
      RuleFileLoader.Result r = RuleFileLoader.load(f);
      List<RuleProblem> lint =
          r.file() == null
              ? List.of()
              : AlertHygiene.check(r.file(), AlertHygiene.Options.DEFAULTS.withMode(hygiene));
      if (r.ok() && hygiene == HygieneMode.REFUSE && !lint.isEmpty()) {
        failed = true;
        err.println("  FAILED (alert hygiene):");
        lint.forEach(err::println);
        err.flush();
      } else if (r.ok()) {
        int n = r.ruleCount();
        out.println("  SUCCESS: " + n + " rules found");
        for (RuleProblem p : lint) {
          out.println("  WARNING: " + p);
        }
      } else {
        failed = true;
        err.println("  FAILED:");
        for (RuleProblem p : r.problems()) {
          err.println(p);
        }
        err.flush();
      }
      out.println();
      out.flush();
    }
    return failed ? 1 : 0;
  }
}
