package dev.nines.notify.template;

import dev.nines.common.gotemplate.GoObject;
import java.util.AbstractList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Alertmanager's {@code template.Pairs}: a list of {@link Pair}s with {@code Names} and {@code
 * Values}.
 */
public final class Pairs extends AbstractList<Pair> implements GoObject {
  private final List<Pair> pairs;

  /** A copy of {@code pairs}. */
  public Pairs(List<Pair> pairs) {
    this.pairs = List.copyOf(pairs);
  }

  @Override
  public Pair get(int index) {
    return pairs.get(index);
  }

  @Override
  public int size() {
    return pairs.size();
  }

  /** The names, in order. */
  public List<String> names() {
    return pairs.stream().map(Pair::name).toList();
  }

  /** The values, in order. */
  public List<String> values() {
    return pairs.stream().map(Pair::value).toList();
  }

  @Override
  public @Nullable Object field(String name, List<@Nullable Object> args) {
    return switch (name) {
      case "Names" -> names();
      case "Values" -> values();
      default -> NO_SUCH_FIELD;
    };
  }

  @Override
  public String goTypeName() {
    return "template.Pairs";
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
