package dev.nines.server.cli;

import dev.nines.server.config.ConfigException;
import dev.nines.server.config.ConfigLoader;
import dev.nines.server.config.NinesConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nines server}: runs Nines until SIGTERM or SIGINT, reloading its configuration on SIGHUP.
 *
 * <p>Exit status: 0 after a clean shutdown, 1 when the server could not start, 2 for a bad command
 * line or configuration. A second SIGTERM/SIGINT during shutdown exits at once with status 1.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Run the Nines server.",
      "",
      "With no configuration file every default applies: listen on 127.0.0.1:9595, keep data in"
          + " ./data, state in SQLite inside it. Flags override the file.",
      "Signals: SIGTERM/SIGINT shut down cleanly (requests in flight finish, files are closed);"
          + " SIGHUP reloads the configuration, as POST /-/reload does."
    })
final class ServerCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML configuration file. Optional: without one, every default applies.")
  Path configFile;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data folder (default: ./data). Overrides server.data_dir.")
  Path dataDir;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description =
          "Address to serve HTTP on (default: 127.0.0.1:9595; port 0 picks a free one)."
              + " Overrides server.listen.")
  String listen;

  @Option(
      names = "--log.level",
      paramLabel = "LEVEL",
      description = "debug, info, warn or error (default: info). Overrides log.level.")
  String logLevel;

  @Option(
      names = "--log.format",
      paramLabel = "FORMAT",
      description = "logfmt or json (default: logfmt). Overrides log.format.")
  String logFormat;

  @Override
  public Integer call() {
    return ServerRunner.run(this::loadConfig, spec.commandLine().getErr(), server -> {});
  }

  private NinesConfig loadConfig() throws ConfigException {
    NinesConfig base = configFile == null ? NinesConfig.defaults() : ConfigLoader.load(configFile);
    // The file alone was valid, so any error now comes from a flag.
    return ConfigLoader.validateFlags(base.withFlags(listen, dataDir, logLevel, logFormat));
  }
}
