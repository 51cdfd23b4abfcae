package dev.nines.notify.receiver;

import dev.nines.notify.SendResult;
import dev.nines.notify.config.HttpConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * POSTs JSON for the HTTP receivers with one {@link HttpClient} per {@link HttpConfig}, and turns
 * the answer into a {@link SendResult}: 2xx is success; 429 and 5xx, and network errors, are worth
 * retrying; any other status is not.
 */
final class HttpSender {
  private static final int MAX_BODY_IN_ERROR = 512;

  private final HttpClient client;
  private final HttpConfig config;
  private final Duration timeout;

  HttpSender(HttpConfig config, Duration timeout) {
    this.config = config;
    this.timeout = timeout;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(
                config.followRedirects() ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER);
    if (config.proxyUrl() != null) {
      URI p = URI.create(config.proxyUrl());
      int port = p.getPort() > 0 ? p.getPort() : p.getScheme().equals("https") ? 443 : 80;
      b.proxy(ProxySelector.of(new InetSocketAddress(p.getHost(), port)));
    }
    if (config.insecureSkipVerify()) {
      b.sslContext(trustAll());
    }
    this.client = b.build();
  }

  /** POSTs {@code json} to {@code url}; {@code what} names the integration in errors. */
  SendResult postJson(String url, String json, String what) throws InterruptedException {
    URI uri = URI.create(url);
    HttpRequest.Builder r =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "Nines")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    if ("http".equalsIgnoreCase(uri.getScheme())) {
      // Plain HTTP/1.1, as Alertmanager sends it. The client's default would add h2c upgrade
      // headers (Connection: Upgrade, HTTP2-Settings) to every request; HTTP/2 is still
      // negotiated over TLS for https URLs.
      r.version(HttpClient.Version.HTTP_1_1);
    }
    String auth = config.authorizationHeader();
    if (auth != null) {
      r.header("Authorization", auth);
    }
    HttpResponse<String> resp;
    try {
      resp = client.send(r.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      return SendResult.retry(what + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    int status = resp.statusCode();
    if (status / 100 == 2) {
      return SendResult.success();
    }
    String body = resp.body() == null ? "" : resp.body().strip();
    if (body.length() > MAX_BODY_IN_ERROR) {
      body = body.substring(0, MAX_BODY_IN_ERROR) + "...";
    }
    String error =
        what + ": unexpected status code " + status + (body.isEmpty() ? "" : ": " + body);
    return status == 429 || status / 100 == 5 ? SendResult.retry(error) : SendResult.fail(error);
  }

  private static SSLContext trustAll() {
    TrustManager tm =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {tm}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available", e);
    }
  }
}
