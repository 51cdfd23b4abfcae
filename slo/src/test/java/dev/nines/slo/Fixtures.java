package dev.nines.slo;

import dev.nines.slo.spec.SpecLoader;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test fixtures under {@code src/test/resources}. */
public final class Fixtures {
  private Fixtures() {}

  /** The path of a fixture. */
  public static Path path(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The text of a fixture. */
  public static String text(String name) {
    try {
      return java.nio.file.Files.readString(path(name));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Loads fixtures by their short names (as problems name them), with the default settings. */
  public static SpecLoader.Result loadNamed(String... names) {
    java.util.Map<String, String> texts = new java.util.LinkedHashMap<>();
    for (String n : names) {
      texts.put(n, text(n));
    }
    return SpecLoader.loadTexts(texts, SloDefaults.DEFAULTS);
  }

  /** Loads YAML text named {@code name}. */
  public static SpecLoader.Result loadText(String name, String yaml) {
    return SpecLoader.loadTexts(java.util.Map.of(name, yaml), SloDefaults.DEFAULTS);
  }

  /** Loads fixtures with the default settings. */
  public static SpecLoader.Result load(String... names) {
    List<Path> paths = new ArrayList<>();
    for (String n : names) {
      paths.add(path(n));
    }
    return SpecLoader.load(paths, SloDefaults.DEFAULTS);
  }
}
