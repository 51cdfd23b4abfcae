package dev.nines.slo.spec;

import dev.nines.common.yaml.YamlNode;
import dev.nines.common.yaml.YamlNode.ScalarType;
import dev.nines.common.yaml.YamlReader;
import dev.nines.slo.Slo;
import dev.nines.slo.SloDefaults;
import dev.nines.slo.SpecProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads SLO specification files, Sloth {@code prometheus/v1} and OpenSLO v1 alike, and reports
 * every problem in them with file, line and field.
 *
 * <p>Each YAML document is recognised by its first-level keys: {@code version} makes it a Sloth
 * spec, {@code apiVersion} an OpenSLO object. OpenSLO references resolve across all documents of
 * all files given. The result holds SLOs only when there is no problem at all, so a caller never
 * acts on half a file.
 */
public final class SpecLoader {
  private SpecLoader() {}

  /**
   * What a load produced.
   *
   * @param slos the SLOs, in file order; empty whenever {@code problems} is not
   * @param problems every problem found, ordered by file and line
   */
  public record Result(List<Slo> slos, List<SpecProblem> problems) {
    /** Creates a result; lists are copied. */
    public Result {
      slos = List.copyOf(slos);
      problems = List.copyOf(problems);
    }

    /** Whether the files loaded without any problem. */
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** Loads files; a file is named in problems as the path was given. */
  public static Result load(List<Path> files, SloDefaults defaults) {
    Map<String, String> texts = new LinkedHashMap<>();
    List<SpecProblem> readProblems = new ArrayList<>();
    for (Path f : files) {
      String name = f.toString();
      try {
        texts.put(name, Files.readString(f, StandardCharsets.UTF_8));
      } catch (NoSuchFileException e) {
        readProblems.add(new SpecProblem(name, 0, "", "no such file"));
      } catch (IOException e) {
        readProblems.add(new SpecProblem(name, 0, "", "cannot read: " + e.getMessage()));
      }
    }
    Result r = loadTexts(texts, defaults);
    if (readProblems.isEmpty()) {
      return r;
    }
    readProblems.addAll(r.problems());
    return new Result(List.of(), readProblems);
  }

  /** Loads specs from text, keyed by the file name to use in problems. */
  public static Result loadTexts(Map<String, String> files, SloDefaults defaults) {
    List<SpecProblem> sink = new ArrayList<>();
    List<Slo> slos = new ArrayList<>();
    OpenSloReader openSlo = new OpenSloReader(defaults);
    for (Map.Entry<String, String> f : files.entrySet()) {
      Problems problems = new Problems(f.getKey(), sink);
      List<YamlNode> docs;
      List<YamlReader.Duplicate> duplicates = new ArrayList<>();
      try {
        // Empty documents (a stray `---`) are left out.
        docs =
            YamlReader.parse(f.getValue(), duplicates).stream()
                .filter(d -> !(d instanceof YamlNode.YScalar s && s.type() == ScalarType.NULL))
                .toList();
      } catch (YamlReader.SyntaxException e) {
        problems.add(e.line(), "", e.getMessage());
        continue;
      } finally {
        // The later value wins, as in the rule and Alertmanager loaders; the key is reported.
        duplicates.forEach(d -> problems.add(d.line(), d.key(), "duplicate key"));
      }
      if (docs.isEmpty()) {
        problems.add(0, "", "no SLO specification in this file");
      }
      for (YamlNode doc : docs) {
        MapView root = MapView.of(problems, "", doc);
        if (root == null) {
          continue;
        }
        if (root.has("apiVersion")) {
          openSlo.add(problems, root);
        } else if (root.has("version")) {
          slos.addAll(new SlothReader(problems, defaults).read(root));
        } else {
          problems.add(
              doc.line(),
              "",
              "not an SLO specification: expected version: \"prometheus/v1\" (Sloth) or"
                  + " apiVersion: openslo/v1 (OpenSLO)");
        }
      }
    }
    slos.addAll(openSlo.resolve());
    Map<String, Slo> ids = new HashMap<>();
    for (Slo s : slos) {
      Slo other = ids.putIfAbsent(s.id(), s);
      if (other != null) {
        String[] at = s.source().split(":(?=\\d+$)");
        sink.add(
            new SpecProblem(
                at[0],
                at.length > 1 ? Integer.parseInt(at[1]) : 0,
                "",
                "SLO id \"" + s.id() + "\" is already used by the SLO at " + other.source()));
      }
    }
    List<String> order = new ArrayList<>(files.keySet());
    List<SpecProblem> sorted = new ArrayList<>(sink);
    sorted.sort(
        Comparator.comparingInt((SpecProblem p) -> order.indexOf(p.file()))
            .thenComparingInt(SpecProblem::line));
    return new Result(sorted.isEmpty() ? slos : List.of(), sorted);
  }
}
