package dev.nines.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Nines server in a child JVM, as a user starts it, for tests that signal or kill it. */
public final class NinesProcess implements AutoCloseable {
  private static final Pattern URL = Pattern.compile("url=\"?http://127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private NinesProcess(Process process) {
    this.process = process;
    this.reader =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(
                              process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                      log.add(line);
                    }
                  } catch (IOException e) {
                    log.add("(reader stopped: " + e + ")");
                  }
                });
  }

  /** Starts {@code nines <args>} with the test classpath; output and errors are merged. */
  public static NinesProcess start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    return new NinesProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  /** Waits until the server logs that it is ready, and returns the port it listens on. */
  public int awaitReady(long timeoutSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (System.nanoTime() < deadline) {
      if (log.stream().anyMatch(l -> l.contains("Nines is ready"))) {
        for (String line : log) {
          Matcher m = URL.matcher(line);
          if (m.find()) {
            return Integer.parseInt(m.group(1));
          }
        }
      }
      if (!process.isAlive()) {
        throw new AssertionError("nines exited with " + process.exitValue() + ":\n" + output());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("nines did not become ready:\n" + output());
  }

  /** Waits for the process to end and returns its exit status. */
  public int awaitExit(long timeoutSeconds) throws InterruptedException {
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("nines did not exit in time:\n" + output());
    }
    reader.join(TimeUnit.SECONDS.toMillis(5));
    return process.exitValue();
  }

  /** Sends a signal by name (TERM, HUP, KILL) with the system's {@code kill}. */
  public void signal(String name) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
        .inheritIO()
        .start()
        .waitFor();
  }

  /** Everything the process printed so far. */
  public String output() {
    return String.join("\n", log);
  }

  /** GET on the child's HTTP port. */
  public static HttpResponse<String> get(int port, String path)
      throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
