package dev.nines.notify.template;

import dev.nines.common.gotemplate.GoFormat;
import dev.nines.common.gotemplate.GoObject;
import dev.nines.common.gotemplate.TemplateFunction.CallException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Alertmanager's {@code template.KV}: a label or annotation set. Templates index it ({@code
 * .Labels.alertname}) and call {@code SortedPairs}, {@code Names}, {@code Values} and {@code
 * Remove}. {@code SortedPairs} puts {@code alertname} first, then the rest by name, as Alertmanager
 * does.
 */
public final class KV extends AbstractMap<String, String> implements GoObject {
  private final Map<String, String> map;

  /** A copy of {@code map}. */
  public KV(Map<String, String> map) {
    this.map = Collections.unmodifiableMap(new TreeMap<>(map));
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    return map.entrySet();
  }

  @Override
  public @Nullable String get(Object key) {
    return map.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return map.containsKey(key);
  }

  /** The pairs, {@code alertname} first and the rest sorted by name. */
  public Pairs sortedPairs() {
    List<Pair> pairs = new ArrayList<>(map.size());
    String an = map.get("alertname");
    if (an != null) {
      pairs.add(new Pair("alertname", an));
    }
    for (Entry<String, String> e : map.entrySet()) {
      if (!e.getKey().equals("alertname")) {
        pairs.add(new Pair(e.getKey(), e.getValue()));
      }
    }
    return new Pairs(pairs);
  }

  /** This set without the given names. */
  public KV remove(List<?> names) {
    Map<String, String> m = new TreeMap<>(map);
    for (Object n : names) {
      m.remove(String.valueOf(n));
    }
    return new KV(m);
  }

  @Override
  public @Nullable Object field(String name, List<@Nullable Object> args) throws CallException {
    switch (name) {
      case "SortedPairs" -> {
        return sortedPairs();
      }
      case "Names" -> {
        return sortedPairs().names();
      }
      case "Values" -> {
        return sortedPairs().values();
      }
      case "Remove" -> {
        if (args.size() != 1 || !(args.get(0) instanceof List<?> l)) {
          throw new CallException("wrong number of args for Remove: want 1 list of names");
        }
        return remove(l);
      }
      default -> {
        if (!args.isEmpty()) {
          return NO_SUCH_FIELD;
        }
        String v = map.get(name);
        return v == null ? "" : v;
      }
    }
  }

  @Override
  public String goTypeName() {
    return "template.KV";
  }

  @Override
  public String toString() {
    return GoFormat.value(map);
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o);
  }

  @Override
  public int hashCode() {
    return super.hashCode();
  }
}
