package dev.nines.ingest.scrape;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@link SSLContext} of a {@link TlsConfig} from PEM files.
 *
 * <p>Design note: the server certificate is checked by a trust manager of our own that first runs
 * the standard PKIX chain validation (against {@code ca_file} or the JVM's trust store) and then
 * matches the leaf's subject alternative names (DNS with a leftmost {@code *} wildcard, or IP)
 * against {@code server_name} or else the target host, as Go's {@code crypto/tls} does; the common
 * name is not consulted. This is how {@code server_name} can differ from the URL's host, which the
 * JDK's built-in endpoint identification cannot express.
 */
final class TlsContexts {
  private TlsContexts() {}

  /** The context for {@code tls}; {@code path} names the config field in errors. */
  static SSLContext create(TlsConfig tls, String path) {
    try {
      KeyManager[] keyManagers = null;
      if (tls.certFile() != null || tls.keyFile() != null) {
        if (tls.certFile() == null || tls.keyFile() == null) {
          throw new ConfigException(path, "cert_file and key_file must be configured together");
        }
        List<X509Certificate> chain = certificates(tls.certFile(), path + ".cert_file");
        PrivateKey key = privateKey(tls.keyFile(), path + ".key_file");
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setKeyEntry("client", key, new char[0], chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        keyManagers = kmf.getKeyManagers();
      }
      KeyStore trust = null;
      if (tls.caFile() != null) {
        trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        for (X509Certificate c : certificates(tls.caFile(), path + ".ca_file")) {
          trust.setCertificateEntry("ca" + i++, c);
        }
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      X509TrustManager delegate = null;
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          delegate = x;
        }
      }
      if (delegate == null) {
        throw new ConfigException(path, "no X.509 trust manager available");
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(
          keyManagers,
          new TrustManager[] {new Verifier(delegate, tls.serverName(), tls.insecureSkipVerify())},
          null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException(path, "cannot set up TLS: " + e.getMessage());
    }
  }

  /** SSL parameters sending {@code server_name} as SNI when it is set. */
  static SSLParameters parameters(SSLContext ctx, TlsConfig tls) {
    SSLParameters p = ctx.getDefaultSSLParameters();
    String name = tls.serverName();
    if (name != null && !name.isEmpty() && literalAddress(name) == null) {
      p.setServerNames(List.of(new SNIHostName(name)));
    }
    return p;
  }

  private static List<byte[]> pemBlocks(String file, String field, String kind) {
    String text;
    try {
      text = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new ConfigException(field, "cannot read " + file + ": " + e.getMessage());
    }
    List<byte[]> out = new ArrayList<>();
    String begin = "-----BEGIN " + kind + "-----";
    String end = "-----END " + kind + "-----";
    int at = 0;
    while ((at = text.indexOf(begin, at)) >= 0) {
      int stop = text.indexOf(end, at);
      if (stop < 0) {
        throw new ConfigException(field, file + ": unterminated PEM block " + kind);
      }
      out.add(Base64.getMimeDecoder().decode(text.substring(at + begin.length(), stop)));
      at = stop + end.length();
    }
    return out;
  }

  private static List<X509Certificate> certificates(String file, String field)
      throws CertificateException {
    List<byte[]> blocks = pemBlocks(file, field, "CERTIFICATE");
    if (blocks.isEmpty()) {
      throw new ConfigException(field, file + ": no PEM CERTIFICATE found");
    }
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    List<X509Certificate> out = new ArrayList<>();
    for (byte[] b : blocks) {
      out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b)));
    }
    return out;
  }

  private static PrivateKey privateKey(String file, String field) {
    List<byte[]> blocks = pemBlocks(file, field, "PRIVATE KEY");
    if (blocks.isEmpty()) {
      throw new ConfigException(
          field, file + ": no PKCS#8 'BEGIN PRIVATE KEY' block (convert with openssl pkcs8)");
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(blocks.get(0));
    for (String alg : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new ConfigException(field, file + ": unsupported private key algorithm");
  }

  /** Chain validation by the delegate, then the host name against the leaf's SANs. */
  private static final class Verifier extends X509ExtendedTrustManager {
    private final X509TrustManager delegate;
    private final @Nullable String serverName;
    private final boolean insecure;

    Verifier(X509TrustManager delegate, @Nullable String serverName, boolean insecure) {
      this.delegate = delegate;
      this.serverName = serverName;
      this.insecure = insecure;
    }

    private void verify(X509Certificate[] chain, String authType, @Nullable String peerHost)
        throws CertificateException {
      if (insecure) {
        return;
      }
      delegate.checkServerTrusted(chain, authType);
      String host = serverName != null && !serverName.isEmpty() ? serverName : peerHost;
      if (host == null || !matches(chain[0], host)) {
        throw new CertificateException(
            "x509: certificate is not valid for " + (host == null ? "an unknown host" : host));
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      verify(chain, authType, engine == null ? null : engine.getPeerHost());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      verify(chain, authType, socket == null ? null : socket.getInetAddress().getHostName());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      verify(chain, authType, null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("client certificates are not accepted here");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("client certificates are not accepted here");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("client certificates are not accepted here");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }
  }

  /** Whether the certificate's subject alternative names cover {@code host}. */
  static boolean matches(X509Certificate cert, String host) throws CertificateException {
    Collection<List<?>> sans = cert.getSubjectAlternativeNames();
    if (sans == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    InetAddress ip = literalAddress(h);
    for (List<?> san : sans) {
      int type = (Integer) san.get(0);
      String value = String.valueOf(san.get(1)).toLowerCase(Locale.ROOT);
      if (ip != null && type == 7) {
        InetAddress other = literalAddress(value);
        if (ip.equals(other)) {
          return true;
        }
      } else if (ip == null && type == 2 && dnsMatches(value, h)) {
        return true;
      }
    }
    return false;
  }

  private static boolean dnsMatches(String pattern, String host) {
    if (pattern.startsWith("*.")) {
      int dot = host.indexOf('.');
      return dot > 0 && host.substring(dot).equals(pattern.substring(1));
    }
    return pattern.equals(host);
  }

  private static @Nullable InetAddress literalAddress(String s) {
    boolean v4 = s.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
    boolean v6 =
        s.indexOf(':') >= 0
            && s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
    if (!v4 && !v6) {
      return null;
    }
    try {
      return InetAddress.getByName(s); // a literal: no lookup
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
