package dev.nines.notify.receiver;

import com.icegreen.greenmail.util.DummySSLServerSocketFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An SMTP front for GreenMail (whose SMTP server has no STARTTLS) that speaks STARTTLS: it greets,
 * offers only STARTTLS in its EHLO answer, upgrades the connection with GreenMail's test
 * certificate, then relays the encrypted session to GreenMail's plain SMTP port (swallowing
 * GreenMail's greeting, since the client already had one). A client that never says STARTTLS gets
 * no further. {@link #upgrades} counts the TLS sessions.
 */
final class StartTlsRelay implements AutoCloseable {
  final AtomicInteger upgrades = new AtomicInteger();
  private final ServerSocket server;
  private final int backendPort;
  private final SSLContext tls;

  StartTlsRelay(int backendPort) throws Exception {
    this.backendPort = backendPort;
    KeyStore ks = new DummySSLServerSocketFactory().getKeyStore();
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread.ofVirtual().start(() -> handle(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket client) {
    try (client) {
      OutputStream out = client.getOutputStream();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
      write(out, "220 relay ESMTP\r\n");
      String line;
      while ((line = in.readLine()) != null) {
        String cmd = line.toUpperCase(java.util.Locale.ROOT);
        if (cmd.startsWith("EHLO")) {
          write(out, "250-relay\r\n250 STARTTLS\r\n");
        } else if (cmd.startsWith("HELO")) {
          write(out, "250 relay\r\n");
        } else if (cmd.equals("STARTTLS")) {
          write(out, "220 go ahead\r\n");
          SSLSocket secure =
              (SSLSocket)
                  tls.getSocketFactory().createSocket(client, "localhost", client.getPort(), false);
          secure.setUseClientMode(false);
          secure.startHandshake();
          upgrades.incrementAndGet();
          relay(secure);
          return;
        } else if (cmd.equals("QUIT")) {
          write(out, "221 bye\r\n");
          return;
        } else {
          write(out, "530 must issue STARTTLS first\r\n");
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private void relay(SSLSocket secure) throws IOException {
    try (Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
      InputStream bin = backend.getInputStream();
      // Swallow GreenMail's greeting line.
      int c;
      while ((c = bin.read()) != -1 && c != '\n') {
        // skip
      }
      Thread up =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      secure.getInputStream().transferTo(backend.getOutputStream());
                      backend.shutdownOutput();
                    } catch (IOException e) {
                      // closed
                    }
                  });
      bin.transferTo(secure.getOutputStream());
      secure.close(); // GreenMail closed after QUIT; so does the relay, which ends the other copy.
      up.interrupt();
    }
  }

  private static void write(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
