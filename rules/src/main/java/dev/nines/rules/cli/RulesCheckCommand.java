package dev.nines.rules.cli;

import dev.nines.rules.file.RuleFileLoader;
import dev.nines.rules.file.RuleProblem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code nines rules check FILE...}: checks rule files as {@code promtool check rules} does and
 * prints the same lines ({@code Checking FILE}, {@code SUCCESS: N rules found}), or every problem
 * as {@code file:line: field: message}. Exits 1 when any file has a problem.
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

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean failed = false;
    for (Path f : files) {
      out.println("Checking " + f);
      out.flush();
      RuleFileLoader.Result r = RuleFileLoader.load(f);
      if (r.ok()) {
        int n = r.ruleCount();
        out.println("  SUCCESS: " + n + " rules found");
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
