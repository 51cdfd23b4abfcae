package dev.nines.ingest.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.nines.ingest.remotewrite.RecordingAppendable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrapes over HTTPS from a JDK {@code HttpsServer} whose self-signed certificate (SANs {@code
 * 127.0.0.1} and {@code example.test}) is made by {@code keytool} at test time.
 */
class TlsScrapeTest {
  @TempDir Path dir;
  private HttpsServer server;
  private Path caPem;
  private String address;
  private final RecordingAppendable storage = new RecordingAppendable();
  private final AtomicLong clock = new AtomicLong(1_000_000);

  @BeforeEach
  void start() throws Exception {
    Path p12 = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=nines-test",
                "-ext",
                "SAN=ip:127.0.0.1,dns:example.test",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                p12.toString(),
                "-storepass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    try (InputStream out = keytool.getInputStream()) {
      out.readAllBytes();
    }
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, "changeit".toCharArray());
    }
    Certificate cert = ks.getCertificate("server");
    caPem = dir.resolve("ca.pem");
    Files.writeString(
        caPem,
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder().encodeToString(cert.getEncoded())
            + "\n-----END CERTIFICATE-----\n",
        StandardCharsets.US_ASCII);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx));
    server.createContext(
        "/",
        ex -> {
          byte[] body = "foo 1\n".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
          }
        });
    server.start();
    address = "127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private TargetHealth scrape(String tls) throws IOException {
    try (ScrapeManager m =
        new ScrapeManager(storage, java.net.http.HttpClient.newHttpClient(), clock::get)) {
      m.apply(
          ScrapeConfigParser.parseYaml(
              "scrape_configs:\n  - job_name: tls\n    scheme: https\n"
                  + (tls.isEmpty() ? "" : "    tls_config: " + tls + "\n")
                  + "    static_configs: [{targets: ['"
                  + address
                  + "']}]\n"));
      m.scrapeAll();
      List<TargetHealth> t = m.activeTargets();
      return t.get(0);
    }
  }

  @Test
  void caFileTrustsTheServer() throws IOException {
    TargetHealth h = scrape("{ca_file: '" + caPem + "'}");
    assertThat(h.lastError()).isEmpty();
    assertThat(h.health()).isEqualTo(TargetHealth.Health.UP);
    assertThat(storage.named("foo")).hasSize(2); // the sample, then its stale marker on close
  }

  @Test
  void unknownCaFailsTheScrape() throws IOException {
    TargetHealth h = scrape("");
    assertThat(h.health()).isEqualTo(TargetHealth.Health.DOWN);
    assertThat(h.lastError()).isNotEmpty();
    assertThat(storage.named("foo")).isEmpty();
  }

  @Test
  void serverNameIsCheckedAgainstTheCertificate() throws IOException {
    assertThat(scrape("{ca_file: '" + caPem + "', server_name: example.test}").health())
        .isEqualTo(TargetHealth.Health.UP);
    TargetHealth wrong = scrape("{ca_file: '" + caPem + "', server_name: other.test}");
    assertThat(wrong.health()).isEqualTo(TargetHealth.Health.DOWN);
    assertThat(wrong.lastError()).contains("not valid for other.test");
  }

  @Test
  void insecureSkipVerifyAcceptsAnyCertificate() throws IOException {
    assertThat(scrape("{insecure_skip_verify: true}").health()).isEqualTo(TargetHealth.Health.UP);
  }
}
