package dev.nines.slo.spec;

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
 * Parses YAML text into {@link YamlNode} trees, one per document ({@code ---}), with Jackson's
 * streaming YAML parser so that every node keeps its line.
 */
final class YamlTree {
  private static final YAMLFactory FACTORY = new YAMLFactory();

  private YamlTree() {}

  /** A YAML syntax error, or a duplicate key, at a line. */
  static final class SyntaxException extends Exception {
    private final int line;

    SyntaxException(int line, String message) {
      super(message, null, false, false);
      this.line = line;
    }

    int line() {
      return line;
    }
  }

  /**
   * The documents of {@code text}; empty documents are left out. A duplicate key is reported to
   * {@code problems} (the later value wins) and parsing goes on.
   */
  static List<YamlNode> parse(String text, Problems problems) throws SyntaxException {
    List<YamlNode> docs = new ArrayList<>();
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        YamlNode node = read(p, t, problems);
        if (!(node instanceof YScalar s && s.type() == ScalarType.NULL)) {
          docs.add(node);
        }
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      // SnakeYAML's message spans lines: context, " in 'reader', line..", a snippet, the problem.
      List<String> parts = new ArrayList<>();
      for (String l : e.getOriginalMessage().split("\n")) {
        if (!l.isBlank() && !l.startsWith(" in ") && !l.startsWith("  ")) {
          parts.add(l.strip());
        }
      }
      String problem = String.join("; ", parts);
      throw new SyntaxException(
          at == null ? 0 : Math.max(at.getLineNr(), 0), "YAML syntax error: " + problem.strip());
    } catch (IOException e) {
      throw new SyntaxException(0, "cannot read: " + e.getMessage());
    }
    return docs;
  }

  private static YamlNode read(JsonParser p, JsonToken t, Problems problems)
      throws IOException, SyntaxException {
    int line = p.currentTokenLocation().getLineNr();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Entry> entries = new LinkedHashMap<>();
        JsonToken k;
        while ((k = p.nextToken()) != JsonToken.END_OBJECT) {
          if (k != JsonToken.FIELD_NAME) {
            throw new SyntaxException(line, "YAML syntax error: expected a key");
          }
          String key = p.currentName();
          int keyLine = p.currentTokenLocation().getLineNr();
          YamlNode value = read(p, p.nextToken(), problems);
          if (entries.containsKey(key)) {
            problems.add(keyLine, key, "duplicate key");
          }
          entries.put(key, new Entry(keyLine, value));
        }
        return new YMap(line, entries);
      }
      case START_ARRAY -> {
        List<YamlNode> items = new ArrayList<>();
        JsonToken i;
        while ((i = p.nextToken()) != JsonToken.END_ARRAY) {
          items.add(read(p, i, problems));
        }
        return new YList(line, items);
      }
      case VALUE_STRING -> {
        return new YScalar(line, p.getText(), ScalarType.STRING);
      }
      case VALUE_NUMBER_INT -> {
        return new YScalar(line, p.getText(), ScalarType.INTEGER);
      }
      case VALUE_NUMBER_FLOAT -> {
        return new YScalar(line, p.getText(), ScalarType.FLOAT);
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new YScalar(line, p.getText(), ScalarType.BOOLEAN);
      }
      case VALUE_NULL -> {
        return new YScalar(line, "", ScalarType.NULL);
      }
      default -> throw new SyntaxException(line, "YAML syntax error: unexpected " + t);
    }
  }
}
