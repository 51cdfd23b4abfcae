package dev.nines.server.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * File lists in the configuration ({@code rule_files}, {@code slo_files}) as Prometheus reads them:
 * a relative path is relative to the configuration file's folder, and the last element of a path
 * may be a glob ({@code rules/*.yml}), which expands to the matching files in name order (none is
 * not an error, as in Prometheus).
 */
public final class ConfigPaths {
  private ConfigPaths() {}

  /** Resolves relative entries against {@code dir}; absolute ones stay as they are. */
  static List<String> resolve(Path dir, List<String> entries) {
    return entries.stream().map(e -> dir.resolve(e).toString()).toList();
  }

  /** Expands every entry: a glob in the file name to its matches, other paths as they are. */
  public static List<Path> expand(List<String> entries) {
    List<Path> out = new ArrayList<>();
    for (String e : entries) {
      Path p = Path.of(e);
      Path name = p.getFileName();
      if (name == null || !isGlob(name.toString())) {
        out.add(p);
        continue;
      }
      Path parent = p.getParent() == null ? Path.of(".") : p.getParent();
      if (!Files.isDirectory(parent)) {
        continue;
      }
      List<Path> matches = new ArrayList<>();
      try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, name.toString())) {
        s.forEach(matches::add);
      } catch (IOException ex) {
        throw new UncheckedIOException("cannot list " + parent + ": " + ex.getMessage(), ex);
      }
      matches.sort(null);
      out.addAll(matches);
    }
    return out;
  }

  private static boolean isGlob(String name) {
    return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0;
  }
}
