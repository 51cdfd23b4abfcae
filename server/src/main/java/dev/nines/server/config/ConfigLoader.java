package dev.nines.server.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.nines.common.PromDuration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a Nines YAML file into a validated {@link NinesConfig}.
 *
 * <p>Binding is strict: an unknown field, a value of the wrong type or a malformed duration stops
 * the load. Every error names the file, the line and the dotted field path, as in {@code
 * nines.yml:12: server.shutdown_timeout: "10x" is not a duration}. Jackson knows the line of a
 * binding error; for errors found later by {@link NinesConfig#validate()}, a first pass over the
 * YAML events records the line of every field, and the loader looks the field up there.
 */
public final class ConfigLoader {
  private static final ObjectMapper MAPPER = mapper();

  private ConfigLoader() {}

  /**
   * The configuration as YAML in the file's own field names, durations as Prometheus writes them.
   */
  public static String toYaml(NinesConfig config) {
    try {
      return MAPPER.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the configuration as YAML", e);
    }
  }

  /**
   * Loads, binds and validates the file, resolving the relative paths in it against its folder;
   * flags are laid over it by the caller afterwards.
   */
  public static NinesConfig load(Path file) throws ConfigException {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(name, 0, "", "no such file");
    } catch (IOException e) {
      throw new ConfigException(name, 0, "", "cannot read: " + e.getMessage());
    }
    // Paths inside the file are relative to its folder, as in Prometheus.
    return parse(name, text).withPathsRelativeTo(file.toAbsolutePath().normalize().getParent());
  }

  /** Binds and validates YAML text; {@code name} is used in error messages. */
  public static NinesConfig parse(String name, String text) throws ConfigException {
    Map<String, Integer> lines = fieldLines(name, text);
    if (lines.isEmpty() && isEmptyDocument(name, text)) {
      return validate(name, NinesConfig.defaults(), lines);
    }
    NinesConfig config;
    try {
      config = MAPPER.readValue(text, NinesConfig.class);
    } catch (JsonMappingException e) {
      throw bindingError(name, e, lines);
    } catch (JsonProcessingException e) {
      throw syntaxError(name, e);
    }
    return validate(name, config == null ? NinesConfig.defaults() : config, lines);
  }

  /** Validates a configuration, mapping a field error to the line where the field stands. */
  static NinesConfig validate(String name, NinesConfig config, Map<String, Integer> lines)
      throws ConfigException {
    try {
      return config.validate();
    } catch (FieldException e) {
      throw new ConfigException(name, lines.getOrDefault(e.field(), 0), e.field(), e.getMessage());
    }
  }

  private static final Map<String, String> FLAGS =
      Map.of(
          "server.listen", "--listen",
          "server.data_dir", "--data",
          "log.level", "--log.level",
          "log.format", "--log.format");

  /**
   * Validates a configuration after command-line flags were laid over a valid file: an error names
   * the flag that set the bad value.
   */
  public static NinesConfig validateFlags(NinesConfig config) throws ConfigException {
    try {
      return config.validate();
    } catch (FieldException e) {
      throw new ConfigException(
          "command line", 0, FLAGS.getOrDefault(e.field(), e.field()), e.getMessage());
    }
  }

  private static Map<String, Integer> fieldLines(String name, String text) throws ConfigException {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = MAPPER.getFactory().createParser(text)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.FIELD_NAME) {
          lines.put(
              dottedPath(parser.getParsingContext().pathAsPointer().toString()),
              parser.currentTokenLocation().getLineNr());
        }
      }
    } catch (JsonProcessingException e) {
      throw syntaxError(name, e);
    } catch (IOException e) {
      throw new ConfigException(name, 0, "", "cannot read: " + e.getMessage());
    }
    return lines;
  }

  /** {@code /a/0/b} becomes {@code a[0].b}, the form binding errors use. */
  private static String dottedPath(String pointer) {
    StringBuilder out = new StringBuilder();
    for (String segment : pointer.substring(1).split("/", -1)) {
      if (!segment.isEmpty() && segment.chars().allMatch(Character::isDigit)) {
        out.append('[').append(segment).append(']');
      } else {
        if (!out.isEmpty()) {
          out.append('.');
        }
        out.append(segment.replace("~1", "/").replace("~0", "~"));
      }
    }
    return out.toString();
  }

  private static boolean isEmptyDocument(String name, String text) throws ConfigException {
    try (JsonParser parser = MAPPER.getFactory().createParser(text)) {
      JsonToken first = parser.nextToken();
      return first == null || first == JsonToken.VALUE_NULL;
    } catch (IOException e) {
      throw new ConfigException(name, 0, "", "cannot read: " + e.getMessage());
    }
  }

  private static ConfigException syntaxError(String name, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String problem = e.getOriginalMessage();
    int newline = problem.indexOf('\n');
    if (newline > 0) {
      problem = problem.substring(0, newline);
    }
    return new ConfigException(
        name, at == null ? 0 : at.getLineNr(), "", "YAML syntax error: " + problem.strip());
  }

  private static ConfigException bindingError(
      String name, JsonMappingException e, Map<String, Integer> lines) {
    String path =
        e.getPath().stream()
            .map(
                ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
            .collect(Collectors.joining("."))
            .replace(".[", "[");
    // Jackson places some errors after the value it skipped; the field's own line is exact.
    JsonLocation at = e.getLocation();
    int line = lines.getOrDefault(path, at == null ? 0 : at.getLineNr());
    String problem;
    if (e instanceof UnrecognizedPropertyException unknown) {
      problem =
          "unknown field; known fields here: "
              + unknown.getKnownPropertyIds().stream()
                  .map(Object::toString)
                  .sorted()
                  .collect(Collectors.joining(", "));
    } else if (e instanceof InvalidFormatException invalid) {
      problem =
          "\""
              + invalid.getValue()
              + "\" is not a valid "
              + invalid.getTargetType().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    } else if (e instanceof MismatchedInputException mismatched
        && mismatched.getTargetType() != null
        && !(e.getCause() instanceof IllegalArgumentException)) {
      problem = "expected " + describe(mismatched.getTargetType());
    } else {
      problem = e.getCause() != null ? e.getCause().getMessage() : e.getOriginalMessage();
    }
    return new ConfigException(name, line, path, problem);
  }

  private static String describe(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class) {
      return "a whole number";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Duration.class) {
      return "a duration such as 30s or 5m";
    }
    return "a mapping (" + type.getSimpleName() + " section)";
  }

  private static ObjectMapper mapper() {
    SimpleModule durations = new SimpleModule("prometheus-durations");
    durations.addDeserializer(
        Duration.class,
        new JsonDeserializer<>() {
          @Override
          public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (!p.currentToken().isScalarValue()) {
              throw MismatchedInputException.from(
                  p, Duration.class, "expected a duration such as 30s or 5m");
            }
            String text = p.getText();
            try {
              return PromDuration.parse(text);
            } catch (IllegalArgumentException e) {
              throw JsonMappingException.from(p, e.getMessage(), e);
            }
          }
        });
    durations.addSerializer(
        Duration.class,
        new JsonSerializer<>() {
          @Override
          public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider)
              throws IOException {
            gen.writeString(PromDuration.format(value));
          }
        });
    return YAMLMapper.builder(new YAMLFactory())
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .addModule(durations)
        .build();
  }
}
