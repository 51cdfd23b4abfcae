package dev.nines.rules.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nines rules}: works with Prometheus rule files. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = {
      "Work with Prometheus rule files.",
      "",
      "Run a subcommand; `nines rules <command> --help` explains each."
    },
    subcommands = {RulesCheckCommand.class})
public final class RulesCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
