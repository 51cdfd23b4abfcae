package dev.nines.common;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * The identity of a series: a set of label name/value pairs, sorted by name, names unique. The
 * metric name is the label {@code __name__}. Immutable; equal label sets are equal objects with
 * equal hashes, and {@link #compareTo} orders them as Prometheus does (pair by pair, name then
 * value, shorter first on a common prefix).
 *
 * <p>Stored as one flat array {@code [name0, value0, name1, value1, ...]} to keep a series'
 * identity to a single allocation besides the strings.
 */
public final class Labels implements Comparable<Labels> {
  /** The label that holds the metric name. */
  public static final String METRIC_NAME = "__name__";

  /** The empty label set. */
  public static final Labels EMPTY = new Labels(new String[0]);

  private final String[] pairs;
  private int hash;

  private Labels(String[] pairs) {
    this.pairs = pairs;
  }

  /**
   * Label set from alternating names and values, in any order.
   *
   * @throws IllegalArgumentException for an odd count, a null, or a repeated name
   */
  public static Labels of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("labels need name/value pairs, got an odd count");
    }
    Builder b = builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (b.get(namesAndValues[i]) != null) {
        throw new IllegalArgumentException("label name \"" + namesAndValues[i] + "\" repeated");
      }
      b.set(namesAndValues[i], namesAndValues[i + 1]);
    }
    return b.build();
  }

  /** A builder that starts empty. */
  public static Builder builder() {
    return new Builder(new String[8], 0);
  }

  /** A builder that starts from this label set. */
  public Builder toBuilder() {
    return new Builder(Arrays.copyOf(pairs, Math.max(8, pairs.length + 4)), pairs.length);
  }

  /** The number of labels. */
  public int size() {
    return pairs.length / 2;
  }

  /** Whether there are no labels. */
  public boolean isEmpty() {
    return pairs.length == 0;
  }

  /** The name of the i-th label in sorted order. */
  public String name(int i) {
    return pairs[2 * i];
  }

  /** The value of the i-th label in sorted order. */
  public String value(int i) {
    return pairs[2 * i + 1];
  }

  /** The value of the named label, or {@code null} when there is none. */
  public String get(String name) {
    int i = indexOf(pairs, pairs.length, name);
    return i < 0 ? null : pairs[i + 1];
  }

  /** The metric name ({@code __name__}), or {@code null}. */
  public String metricName() {
    return get(METRIC_NAME);
  }

  /** Calls {@code action} with each name and value, in sorted order. */
  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < pairs.length; i += 2) {
      action.accept(pairs[i], pairs[i + 1]);
    }
  }

  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof Labels other && Arrays.equals(pairs, other.pairs));
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(pairs);
      hash = h == 0 ? 1 : h;
    }
    return h;
  }

  /**
   * A 64-bit hash of the label set (FNV-1a over names and values with separators), stable across
   * runs and processes, for sharding and fingerprints.
   */
  public long hash64() {
    long h = 0xcbf29ce484222325L;
    for (String s : pairs) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        h = (h ^ (c & 0xff)) * 0x100000001b3L;
        h = (h ^ (c >>> 8)) * 0x100000001b3L;
      }
      h = (h ^ 0xff) * 0x100000001b3L;
    }
    return h;
  }

  @Override
  public int compareTo(Labels o) {
    int n = Math.min(pairs.length, o.pairs.length);
    for (int i = 0; i < n; i++) {
      int c = pairs[i].compareTo(o.pairs[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(pairs.length, o.pairs.length);
  }

  /** Prometheus's notation: {@code {__name__="up", job="node"}}, values escaped. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < pairs.length; i += 2) {
      if (i > 0) {
        out.append(", ");
      }
      out.append(pairs[i]).append("=\"");
      escapeValue(pairs[i + 1], out);
      out.append('"');
    }
    return out.append('}').toString();
  }

  /** Appends a label value escaped as in PromQL and the text exposition format. */
  public static void escapeValue(String value, StringBuilder out) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }

  private static int indexOf(String[] pairs, int length, String name) {
    int lo = 0;
    int hi = length / 2 - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = pairs[2 * mid].compareTo(name);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return 2 * mid;
      }
    }
    return -(2 * lo) - 1;
  }

  /**
   * Builds a label set by setting and deleting labels; reusable after {@link #reset()}. Setting an
   * empty value deletes the label, as Prometheus does (an empty label equals an absent one).
   */
  public static final class Builder {
    private String[] pairs;
    private int length;

    private Builder(String[] pairs, int length) {
      this.pairs = pairs;
      this.length = length;
    }

    /** The current value of a label, or {@code null}. */
    public String get(String name) {
      int i = indexOf(pairs, length, name);
      return i < 0 ? null : pairs[i + 1];
    }

    /** Sets a label; an empty value removes it. */
    public Builder set(String name, String value) {
      if (name == null || value == null) {
        throw new IllegalArgumentException("label name and value must not be null");
      }
      if (value.isEmpty()) {
        return delete(name);
      }
      int i = indexOf(pairs, length, name);
      if (i >= 0) {
        pairs[i + 1] = value;
        return this;
      }
      int at = -(i + 1);
      if (length + 2 > pairs.length) {
        pairs = Arrays.copyOf(pairs, pairs.length * 2);
      }
      System.arraycopy(pairs, at, pairs, at + 2, length - at);
      pairs[at] = name;
      pairs[at + 1] = value;
      length += 2;
      return this;
    }

    /** Removes a label if present. */
    public Builder delete(String name) {
      int i = indexOf(pairs, length, name);
      if (i >= 0) {
        System.arraycopy(pairs, i + 2, pairs, i, length - i - 2);
        length -= 2;
        pairs[length] = null;
        pairs[length + 1] = null;
      }
      return this;
    }

    /** Removes every label, keeping the storage. */
    public Builder reset() {
      Arrays.fill(pairs, 0, length, null);
      length = 0;
      return this;
    }

    /** The number of labels set. */
    public int size() {
      return length / 2;
    }

    /** The label set as built so far; the builder stays usable. */
    public Labels build() {
      return length == 0 ? EMPTY : new Labels(Arrays.copyOf(pairs, length));
    }
  }
}
