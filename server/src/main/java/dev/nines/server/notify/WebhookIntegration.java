package dev.nines.server.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.notify.Alert;
import dev.nines.notify.Fingerprint;
import dev.nines.notify.Integration;
import dev.nines.notify.Notification;
import dev.nines.notify.SendResult;
import dev.nines.notify.config.WebhookConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stand-in webhook integration (Alertmanager's payload version 4) used until the notify module's
 * own receivers are wired in: it lets the server deliver to {@code webhook_configs} end to end. A
 * 5xx or 429 answer or a network error is retryable, any other non-2xx is not.
 */
final class WebhookIntegration implements Integration {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private final WebhookConfig config;
  private final int index;
  private final HttpClient client;

  WebhookIntegration(WebhookConfig config, int index, HttpClient client) {
    this.config = config;
    this.index = index;
    this.client = client;
  }

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public int index() {
    return index;
  }

  @Override
  public boolean sendResolved() {
    return config.sendResolved();
  }

  @Override
  public SendResult send(Notification n) throws InterruptedException {
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(payload(n));
    } catch (IOException e) {
      return SendResult.fail("webhook: cannot encode the payload: " + e.getMessage());
    }
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(config.url()))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("User-Agent", "Nines")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    String auth = config.httpConfig().authorizationHeader();
    if (auth != null) {
      req.header("Authorization", auth);
    }
    HttpResponse<String> resp;
    try {
      resp = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return SendResult.retry("webhook " + config.url() + ": " + e);
    }
    int code = resp.statusCode();
    if (code / 100 == 2) {
      return SendResult.success();
    }
    String error = "webhook " + config.url() + ": unexpected status code " + code;
    return code >= 500 || code == 429 ? SendResult.retry(error) : SendResult.fail(error);
  }

  private Map<String, Object> payload(Notification n) {
    List<Alert> alerts = n.alerts();
    int truncated = 0;
    if (config.maxAlerts() > 0 && alerts.size() > config.maxAlerts()) {
      truncated = (int) (alerts.size() - config.maxAlerts());
      alerts = alerts.subList(0, (int) config.maxAlerts());
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("receiver", n.receiver());
    p.put("status", n.status());
    List<Map<String, Object>> list = new ArrayList<>();
    for (Alert a : alerts) {
      boolean resolved = a.resolvedAt(n.now());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", resolved ? "resolved" : "firing");
      Map<String, String> labels = new TreeMap<>();
      a.labels().forEach(labels::put);
      m.put("labels", labels);
      m.put("annotations", a.annotations());
      m.put("startsAt", a.startsAt().toString());
      m.put("endsAt", resolved ? a.endsAt().toString() : ZERO_TIME);
      m.put("generatorURL", a.generatorUrl());
      m.put("fingerprint", Fingerprint.hex(a.fingerprint()));
      list.add(m);
    }
    p.put("alerts", list);
    Map<String, String> groupLabels = new TreeMap<>();
    n.groupLabels().forEach(groupLabels::put);
    p.put("groupLabels", groupLabels);
    p.put("commonLabels", n.commonLabels());
    p.put("commonAnnotations", n.commonAnnotations());
    p.put("externalURL", n.externalUrl());
    p.put("version", "4");
    p.put("groupKey", n.groupKey());
    p.put("truncatedAlerts", truncated);
    return p;
  }
}
