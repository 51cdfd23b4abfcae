package dev.nines.server.log;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * Logback pattern converters that write logfmt values safely: quotes, backslashes and line breaks
 * inside a message or a key-value pair are escaped, so one event stays one parseable line.
 */
final class LogfmtConverters {
  private LogfmtConverters() {}

  /** {@code %qmsg}: the formatted message, escaped for use inside double quotes. */
  public static final class Message extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
      return escape(event.getFormattedMessage());
    }
  }

  /** {@code %qkvp}: the event's key-value pairs as {@code key="value"}, space separated. */
  public static final class KeyValues extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
      List<KeyValuePair> pairs = event.getKeyValuePairs();
      if (pairs == null || pairs.isEmpty()) {
        return "";
      }
      StringBuilder out = new StringBuilder();
      for (KeyValuePair pair : pairs) {
        if (!out.isEmpty()) {
          out.append(' ');
        }
        out.append(pair.key).append("=\"").append(escape(String.valueOf(pair.value))).append('"');
      }
      return out.toString();
    }
  }

  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
