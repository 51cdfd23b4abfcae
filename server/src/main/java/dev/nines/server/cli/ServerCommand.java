package dev.nines.server.cli;

import dev.nines.server.NinesServer;
import dev.nines.server.config.ConfigException;
import dev.nines.server.config.ConfigLoader;
import dev.nines.server.config.NinesConfig;
import dev.nines.server.log.Logging;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

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
  private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

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
    PrintWriter err = spec.commandLine().getErr();
    NinesServer.ConfigSource source = this::loadConfig;
    NinesConfig config;
    try {
      config = source.load();
    } catch (ConfigException e) {
      err.println("nines: invalid configuration: " + e.getMessage());
      return 2;
    }
    Logging.apply(config.log().level(), config.log().format());

    // Handlers go in before start-up, so that no signal finds the JVM's defaults.
    AtomicReference<NinesServer> current = new AtomicReference<>();
    CountDownLatch stop = new CountDownLatch(1);
    AtomicInteger stopSignals = new AtomicInteger();
    SignalHandler onStop =
        signal -> {
          if (stopSignals.incrementAndGet() > 1) {
            log.warn("second stop signal: exiting without waiting");
            Runtime.getRuntime().halt(1);
          }
          log.atInfo().addKeyValue("signal", signal.getName()).log("stop requested");
          stop.countDown();
        };
    Signal.handle(new Signal("TERM"), onStop);
    Signal.handle(new Signal("INT"), onStop);
    Signal.handle(
        new Signal("HUP"),
        signal ->
            Thread.ofVirtual()
                .start(
                    () -> {
                      NinesServer running = current.get();
                      if (running == null) {
                        log.warn("SIGHUP before start-up finished: ignored");
                        return;
                      }
                      try {
                        running.reload();
                      } catch (ConfigException e) {
                        // Logged and counted by reload(); the running configuration stays.
                      }
                    }));
    NinesServer server;
    try {
      server = NinesServer.start(config, source);
      current.set(server);
    } catch (Exception e) {
      log.atError().addKeyValue("err", e.getMessage()).log("Nines could not start");
      err.println("nines: could not start: " + e.getMessage());
      return 1;
    }

    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "nines-shutdown"));

    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
    return 0;
  }

  private NinesConfig loadConfig() throws ConfigException {
    NinesConfig base = configFile == null ? NinesConfig.defaults() : ConfigLoader.load(configFile);
    // The file alone was valid, so any error now comes from a flag.
    return ConfigLoader.validateFlags(base.withFlags(listen, dataDir, logLevel, logFormat));
  }
}
