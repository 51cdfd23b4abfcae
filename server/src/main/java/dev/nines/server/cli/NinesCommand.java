package dev.nines.server.cli;

import dev.nines.rules.cli.RulesCommand;
import dev.nines.server.BuildInfo;
import dev.nines.slo.cli.SloCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code nines} command, which only dispatches to its subcommands. */
@Command(
    name = "nines",
    mixinStandardHelpOptions = true,
    versionProvider = NinesCommand.Version.class,
    description = {
      "Nines: metrics, PromQL, SLOs, alerting and on-call in one process.",
      "",
      "Run a subcommand; `nines <command> --help` explains each."
    },
    subcommands = {
      ServerCommand.class,
      ImportCommand.class,
      SloCommand.class,
      RulesCommand.class,
      dev.nines.notify.cli.NotifyCommand.class,
      VersionCommand.class
    })
public final class NinesCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** A command line for {@code nines} with every subcommand registered. */
  public static CommandLine commandLine() {
    return new CommandLine(new NinesCommand()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version lines printed by {@code --version} and {@code nines version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      BuildInfo b = BuildInfo.current();
      return new String[] {
        "nines, version "
            + b.version()
            + " (revision: "
            + b.revision()
            + ", branch: "
            + b.branch()
            + ")",
        "  build date: " + b.buildDate(),
        "  java:       " + b.javaVersion()
      };
    }
  }
}
