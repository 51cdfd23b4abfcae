package dev.nines.server.cli;

import dev.nines.server.NinesServer;
import dev.nines.server.config.ConfigException;
import dev.nines.server.config.NinesConfig;
import dev.nines.server.log.Logging;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs one {@link NinesServer} until SIGTERM or SIGINT, reloading on SIGHUP: the life cycle that
 * {@code nines server} and {@code nines demo} share.
 *
 * <p>Exit status: 0 after a clean shutdown, 1 when the server could not start, 2 for a bad
 * configuration. A second SIGTERM/SIGINT during shutdown exits at once with status 1.
 */
final class ServerRunner {
  private static final Logger log = LoggerFactory.getLogger(ServerRunner.class);

  private ServerRunner() {}

  /**
   * Loads the configuration, starts the server, calls {@code onStarted} with it, and waits for a
   * stop signal.
   */
  static int run(
      NinesServer.ConfigSource source, PrintWriter err, Consumer<NinesServer> onStarted) {
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
    onStarted.accept(server);

    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
    return 0;
  }
}
