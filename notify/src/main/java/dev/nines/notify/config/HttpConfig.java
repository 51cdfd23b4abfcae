package dev.nines.notify.config;

import org.jspecify.annotations.Nullable;

/**
 * The supported subset of Prometheus's {@code http_config}: basic auth, an {@code Authorization}
 * header (or the older {@code bearer_token}), redirects, a proxy, and skipping TLS verification.
 *
 * @param basicAuthUsername {@code basic_auth.username}
 * @param basicAuthPassword {@code basic_auth.password}
 * @param authorizationType {@code authorization.type} (default {@code Bearer} when credentials are
 *     set)
 * @param authorizationCredentials {@code authorization.credentials} or {@code bearer_token}
 * @param followRedirects {@code follow_redirects} (default true)
 * @param proxyUrl {@code proxy_url}
 * @param insecureSkipVerify {@code tls_config.insecure_skip_verify}
 */
public record HttpConfig(
    @Nullable String basicAuthUsername,
    @Nullable String basicAuthPassword,
    @Nullable String authorizationType,
    @Nullable String authorizationCredentials,
    boolean followRedirects,
    @Nullable String proxyUrl,
    boolean insecureSkipVerify) {

  /** No authentication, redirects followed, TLS verified. */
  public static final HttpConfig DEFAULT =
      new HttpConfig(null, null, null, null, true, null, false);

  /** The value of the {@code Authorization} header this config sends, or null for none. */
  public @Nullable String authorizationHeader() {
    if (basicAuthUsername != null) {
      String pair = basicAuthUsername + ":" + (basicAuthPassword == null ? "" : basicAuthPassword);
      return "Basic "
          + java.util.Base64.getEncoder()
              .encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    if (authorizationCredentials != null) {
      return (authorizationType == null ? "Bearer" : authorizationType)
          + " "
          + authorizationCredentials;
    }
    return null;
  }
}
