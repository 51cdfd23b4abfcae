package dev.nines.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nines version}: prints the version, revision, build date and Java runtime. */
@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    description = "Print the Nines version, source revision, build date and Java runtime.")
final class VersionCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    for (String line : new NinesCommand.Version().getVersion()) {
      spec.commandLine().getOut().println(line);
    }
    return 0;
  }
}
