package dev.nines.server.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.nines.server.NinesServer;
import dev.nines.server.config.ConfigLoader;
import dev.nines.server.config.NinesConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A local webhook receiver, and helpers to start Nines with an Alertmanager configuration. */
public final class NotifyTestSupport {
  static final ObjectMapper JSON = new ObjectMapper();

  private NotifyTestSupport() {}

  /** A real HTTP receiver on loopback that keeps every JSON payload POSTed to it. */
  static final class Webhook implements AutoCloseable {
    final List<JsonNode> payloads = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    Webhook() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/hook",
          exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            payloads.add(JSON.readTree(body));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /** Writes an Alertmanager config sending everything to {@code hook}, group_wait 0s. */
  static Path alertmanagerConfig(Path dir, Webhook hook, String repeatInterval) throws IOException {
    Path file = dir.resolve("alertmanager.yml");
    Files.writeString(
        file,
        """
        route:
          receiver: hook
          group_by: [alertname]
          group_wait: 0s
          group_interval: 1s
          repeat_interval: %s
        receivers:
          - name: hook
            webhook_configs:
              - url: %s
                send_resolved: true
        """
            .formatted(repeatInterval, hook.url()));
    return file;
  }

  /** Starts Nines on a free port with its data in {@code data} and this Alertmanager config. */
  static NinesServer start(Path data, Path amConfig) throws Exception {
    String yaml =
        "server:\n  listen: 127.0.0.1:0\n  data_dir: "
            + data
            + "\nnotify:\n  config_file: "
            + amConfig
            + "\nscrape_configs: []\n";
    NinesConfig config = ConfigLoader.parse("nines.yml", yaml);
    return NinesServer.start(config, () -> config);
  }

  /** Sends a request to a server on loopback; a null body sends none. */
  public static HttpResponse<String> send(int port, String method, String path, String body)
      throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .header("Content-Type", "application/json")
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  static JsonNode getJson(int port, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = send(port, "GET", path, null);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + ": " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }
}
