package dev.nines.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** What was built: version, source revision and branch, build date, and the Java runtime. */
public record BuildInfo(
    String version, String revision, String branch, String buildDate, String javaVersion) {

  /** The build info of this jar, read from the properties the build wrote into it. */
  public static BuildInfo current() {
    Properties props = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new BuildInfo(
        value(props, "version"),
        value(props, "revision"),
        value(props, "branch"),
        value(props, "build_date"),
        Runtime.version().toString());
  }

  private static String value(Properties props, String key) {
    String v = props.getProperty(key, "");
    return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
  }
}
