package dev.nines.server.config;

/**
 * A {@code HOST:PORT} pair to listen on; an empty host means every interface, and port 0 asks the
 * operating system for a free port.
 */
public record ListenAddress(String host, int port) {

  /**
   * Parses {@code HOST:PORT}, {@code [IPv6]:PORT} or {@code :PORT}.
   *
   * @throws IllegalArgumentException saying what is wrong with the text
   */
  public static ListenAddress parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("\"" + text + "\" is not HOST:PORT");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not HOST:PORT (write IPv6 hosts in brackets, [::1]:9595)");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + text + "\" has no numeric port", e);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("\"" + text + "\": port must be 0 to 65535");
    }
    return new ListenAddress(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
