package dev.nines.ingest.scrape;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads the target groups of one {@link FileSdConfig}: JSON ({@code .json}) or YAML ({@code .yml},
 * {@code .yaml}) lists of {@code {targets, labels}}. A file that fails to read or parse keeps its
 * previous groups and the failure is logged, as Prometheus's file SD does; a file that disappears
 * contributes nothing.
 */
final class FileDiscovery {
  private static final System.Logger LOG = System.getLogger(FileDiscovery.class.getName());

  private final FileSdConfig config;
  private final Map<Path, FileTime> modified = new HashMap<>();
  private final Map<Path, List<TargetGroup>> groups = new HashMap<>();
  private long lastRefreshMillis = Long.MIN_VALUE;

  FileDiscovery(FileSdConfig config) {
    this.config = config;
  }

  /**
   * Re-reads the files when {@code force}, when the refresh interval has passed, or when a file
   * appeared, vanished or changed its modification time; true when the groups may have changed.
   */
  boolean refresh(long nowMillis, boolean force) {
    List<Path> paths = resolve();
    boolean due = force || nowMillis - lastRefreshMillis >= config.refreshInterval().toMillis();
    boolean changed = !modified.keySet().equals(new java.util.HashSet<>(paths));
    for (Path p : paths) {
      FileTime t = mtime(p);
      if (t == null || !t.equals(modified.get(p))) {
        changed = true;
      }
    }
    if (!due && !changed) {
      return false;
    }
    lastRefreshMillis = nowMillis;
    modified.keySet().retainAll(paths);
    groups.keySet().retainAll(paths);
    for (Path p : paths) {
      FileTime t = mtime(p);
      try {
        String body = Files.readString(p, StandardCharsets.UTF_8);
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean yaml = name.endsWith(".yml") || name.endsWith(".yaml");
        groups.put(p, ScrapeConfigParser.parseTargetGroups(body, yaml, p.toString()));
        if (t != null) {
          modified.put(p, t);
        }
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "file_sd: cannot read " + p + ": " + e.getMessage());
      }
    }
    return true;
  }

  /** The target groups of every file, in path order. */
  List<TargetGroup> groups() {
    List<TargetGroup> out = new ArrayList<>();
    for (Path p : new TreeSet<>(groups.keySet())) {
      out.addAll(groups.get(p));
    }
    return out;
  }

  private List<Path> resolve() {
    List<Path> out = new ArrayList<>();
    for (String f : config.files()) {
      Path path = Path.of(f);
      Path name = path.getFileName();
      if (name == null) {
        continue;
      }
      String last = name.toString();
      if (last.indexOf('*') < 0 && last.indexOf('?') < 0 && last.indexOf('[') < 0) {
        if (Files.isRegularFile(path)) {
          out.add(path);
        }
        continue;
      }
      Path dir = path.getParent() == null ? Path.of(".") : path.getParent();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, last)) {
        for (Path p : ds) {
          if (Files.isRegularFile(p)) {
            out.add(p);
          }
        }
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "file_sd: cannot list " + dir + ": " + e.getMessage());
      }
    }
    return out;
  }

  private static @org.jspecify.annotations.Nullable FileTime mtime(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return null;
    }
  }
}
