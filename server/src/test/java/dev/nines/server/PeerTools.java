package dev.nines.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finding the real peers (Prometheus, promtool, node_exporter) that compatibility tests run. */
public final class PeerTools {
  private PeerTools() {}

  /**
   * Whether {@code name} is on the PATH. In CI (env {@code CI} set) a missing peer is an error,
   * since .ci/run installs them; elsewhere the caller skips.
   */
  public static boolean installed(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    if (System.getenv("CI") != null) {
      throw new AssertionError(name + " is required in CI: .ci/run installs it from Debian");
    }
    return false;
  }

  /** A loopback port that was free a moment ago. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
