package dev.nines.server.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.pattern.DynamicConverter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Configures the log output: one line per event on standard error, as logfmt ({@code key=value}) or
 * as JSON, at the configured level. Applied at start and again on every reload.
 */
public final class Logging {
  /** The logfmt line: time, level, logger, message, then the event's own key=value pairs. */
  static final String LOGFMT_PATTERN =
      "ts=%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC} level=%level logger=%logger{0}"
          + " msg=\"%qmsg\" %qkvp%n%ex";

  private static final String[] QUIET_LIBRARIES = {
    "org.eclipse.jetty", "io.javalin", "com.zaxxer.hikari", "org.flywaydb"
  };

  private Logging() {}

  /** Makes {@code %qmsg} and {@code %qkvp} known to pattern layouts built in code. */
  private static void registerConverters(LoggerContext context) {
    @SuppressWarnings("unchecked") // Logback keeps its registry as an untyped context object.
    Map<String, Supplier<DynamicConverter<?>>> registry =
        (Map<String, Supplier<DynamicConverter<?>>>)
            context.getObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS);
    if (registry == null) {
      registry = new HashMap<>();
      context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, registry);
    }
    registry.put("qmsg", LogfmtConverters.Message::new);
    registry.put("qkvp", LogfmtConverters.KeyValues::new);
  }

  /** Replaces the root appender with one for the given level and format ({@code logfmt|json}). */
  public static synchronized void apply(String level, String format) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    registerConverters(context);
    Encoder<ILoggingEvent> encoder;
    if (format.equals("json")) {
      JsonEncoder json = new JsonEncoder();
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithFormattedMessage(true);
      json.setWithMessage(false);
      json.setWithArguments(false);
      json.setWithContext(false);
      encoder = json;
    } else {
      PatternLayoutEncoder pattern = new PatternLayoutEncoder();
      pattern.setPattern(LOGFMT_PATTERN);
      encoder = pattern;
    }
    encoder.setContext(context);
    encoder.start();

    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setName("stderr");
    appender.setTarget("System.err");
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.start();

    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
    Level rootLevel = Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO);
    root.setLevel(rootLevel);
    Level libraries = rootLevel.isGreaterOrEqual(Level.WARN) ? rootLevel : Level.WARN;
    for (String name : QUIET_LIBRARIES) {
      context.getLogger(name).setLevel(rootLevel == Level.DEBUG ? Level.INFO : libraries);
    }
  }
}
