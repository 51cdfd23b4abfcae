package dev.nines.ingest.scrape;

import org.jspecify.annotations.Nullable;

/**
 * {@code tls_config}: PEM files for the CA bundle and the client certificate, the name expected on
 * the server's certificate, and whether to skip verification.
 *
 * @param caFile PEM certificates to trust instead of the JVM's default trust store
 * @param certFile PEM client certificate chain, with {@code keyFile}
 * @param keyFile PEM PKCS#8 private key ({@code BEGIN PRIVATE KEY}), RSA or EC
 * @param serverName the name the server certificate must carry, instead of the target's host
 * @param insecureSkipVerify accept any server certificate
 */
public record TlsConfig(
    @Nullable String caFile,
    @Nullable String certFile,
    @Nullable String keyFile,
    @Nullable String serverName,
    boolean insecureSkipVerify) {}
