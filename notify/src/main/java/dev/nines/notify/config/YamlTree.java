package dev.nines.notify.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.nines.common.yaml.YamlNode;
import dev.nines.common.yaml.YamlNode.Entry;
import dev.nines.common.yaml.YamlNode.ScalarType;
import dev.nines.common.yaml.YamlNode.YList;
import dev.nines.common.yaml.YamlNode.YMap;
import dev.nines.common.yaml.YamlNode.YScalar;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses YAML text into {@link YamlNode} trees, one per document, with Jackson's streaming YAML
 * parser so that every node keeps its line. (The rules and slo modules have the same reader; each
 * stays package-private to its loader.)
 */
final class YamlTree {
  private static final YAMLFactory FACTORY = new YAMLFactory();

  private YamlTree() {}

  /** A YAML syntax error at a line. */
  static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;

    SyntaxException(int line, String message) {
      super(message, null, false, false);
      this.line = line;
    }

    int line() {
      return line;
    }
  }

  /** A key that appears twice in one mapping. */
  record Duplicate(int line, String key) {}

  /** The documents of {@code text}; duplicate keys are added to {@code duplicates}. */
  static List<YamlNode> parse(String text, List<Duplicate> duplicates) throws SyntaxException {
    List<YamlNode> docs = new ArrayList<>();
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        docs.add(read(p, t, duplicates));
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      List<String> parts = new ArrayList<>();
      for (String l : e.getOriginalMessage().lines().toList()) {
        if (!l.isBlank() && !l.startsWith(" in ") && !l.startsWith("  ")) {
          parts.add(l.strip());
        }
      }
      throw new SyntaxException(
          at == null ? 0 : Math.max(at.getLineNr(), 0),
          "YAML syntax error: " + String.join("; ", parts).strip());
    } catch (IOException e) {
      throw new SyntaxException(0, "cannot read: " + e.getMessage());
    }
    return docs;
  }

  private static YamlNode read(JsonParser p, JsonToken t, List<Duplicate> duplicates)
      throws IOException, SyntaxException {
    int line = p.currentTokenLocation().getLineNr();
    return switch (t) {
      case START_OBJECT -> readMap(p, line, duplicates);
      case START_ARRAY -> {
        List<YamlNode> items = new ArrayList<>();
        JsonToken i;
        while ((i = p.nextToken()) != JsonToken.END_ARRAY) {
          items.add(read(p, i, duplicates));
        }
        yield new YList(line, items);
      }
      case VALUE_STRING -> new YScalar(line, p.getText(), ScalarType.STRING);
      case VALUE_NUMBER_INT -> new YScalar(line, p.getText(), ScalarType.INTEGER);
      case VALUE_NUMBER_FLOAT -> new YScalar(line, p.getText(), ScalarType.FLOAT);
      case VALUE_TRUE, VALUE_FALSE -> new YScalar(line, p.getText(), ScalarType.BOOLEAN);
      case VALUE_NULL -> new YScalar(line, "", ScalarType.NULL);
      default -> throw new SyntaxException(line, "YAML syntax error: unexpected " + t);
    };
  }

  private static YamlNode readMap(JsonParser p, int line, List<Duplicate> duplicates)
      throws IOException, SyntaxException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    JsonToken k;
    while ((k = p.nextToken()) != JsonToken.END_OBJECT) {
      if (k != JsonToken.FIELD_NAME) {
        throw new SyntaxException(line, "YAML syntax error: expected a key");
      }
      String key = p.currentName();
      int keyLine = p.currentTokenLocation().getLineNr();
      YamlNode value = read(p, p.nextToken(), duplicates);
      if (entries.containsKey(key)) {
        duplicates.add(new Duplicate(keyLine, key));
      }
      entries.put(key, new Entry(keyLine, value));
    }
    return new YMap(line, entries);
  }
}
