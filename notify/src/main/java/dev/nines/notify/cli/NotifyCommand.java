package dev.nines.notify.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nines notify}: works with Alertmanager configuration files. */
@Command(
    name = "notify",
    mixinStandardHelpOptions = true,
    description = {
      "Work with Alertmanager configuration files.",
      "",
      "Run a subcommand; `nines notify <command> --help` explains each."
    },
    subcommands = {NotifyCheckCommand.class})
public final class NotifyCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
