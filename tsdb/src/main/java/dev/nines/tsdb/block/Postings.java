package dev.nines.tsdb.block;

import dev.nines.common.LabelMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/*
 * Design notes: matchers to series refs, with Prometheus's semantics.
 *
 * A missing label has the value "". So a matcher that matches "" (l="", l!="x", l=~"x|", l!~"x")
 * also selects every series without the label; it is applied by subtraction: from the candidates,
 * remove the series whose value of l the matcher rejects. A matcher that does not match "" is
 * applied by intersection with the union of the postings of the values it accepts. When no matcher
 * is of the second kind, the candidates start as all series.
 *
 * The values a matcher accepts or rejects are found by binary search when the set is a list of
 * literals (l="a", l=~"a|b|c", and the rejected values of l!="a" and l!~"a|b"), by a range scan
 * for a literal prefix (l=~"api.*"), and otherwise by testing every value of the label with
 * LabelMatcher.matches, which has its own fast paths for common regex shapes.
 *
 * Intersections run cheapest first: each intersecting matcher's cost is the total length of its
 * postings lists (read from the list headers without decoding), and the lists are materialised
 * smallest first, so a selective matcher like instance="x" bounds the work of a broad one like
 * __name__=~"node_.*". Unions of a label's values need no deduplication (a series has one value
 * per label), just a sort.
 */

/** Computes the sorted series refs selected by label matchers in one block's index. */
final class Postings {
  private static final String META = "\\.+*?()|[]{}^$";

  private Postings() {}

  /** The values of one label selected for union, with the total postings length. */
  private static final class Selection {
    final int nameIndex;
    final int[] values;
    final long cost;

    Selection(int nameIndex, int[] values, long cost) {
      this.nameIndex = nameIndex;
      this.values = values;
      this.cost = cost;
    }
  }

  /** The refs of the series matching every matcher, ascending. */
  static int[] select(IndexReader index, Decoder d, List<LabelMatcher> matchers) {
    List<Selection> intersect = new ArrayList<>();
    List<Selection> subtract = new ArrayList<>();
    for (LabelMatcher m : matchers) {
      boolean matchesEmpty = m.matches("");
      int nameIndex = index.nameIndex(m.name());
      if (nameIndex < 0) {
        if (matchesEmpty) {
          continue; // every series lacks the label, and "" is accepted
        }
        return new int[0];
      }
      // Values to union: accepted ones for an intersecting matcher, rejected ones to subtract.
      int[] values = matchingValues(index, nameIndex, m, !matchesEmpty);
      Selection s = new Selection(nameIndex, values, cost(index, nameIndex, values));
      if (matchesEmpty) {
        if (values.length > 0) {
          subtract.add(s);
        }
      } else {
        if (values.length == 0) {
          return new int[0];
        }
        intersect.add(s);
      }
    }
    int[] result;
    if (intersect.isEmpty()) {
      result = index.allSeries();
    } else {
      intersect.sort(Comparator.comparingLong((Selection x) -> x.cost));
      result = union(index, d, intersect.getFirst());
      for (int i = 1; i < intersect.size() && result.length > 0; i++) {
        result = intersect(result, union(index, d, intersect.get(i)));
      }
    }
    for (int i = 0; i < subtract.size() && result.length > 0; i++) {
      result = subtract(result, union(index, d, subtract.get(i)));
    }
    return result;
  }

  private static long cost(IndexReader index, int nameIndex, int[] values) {
    long cost = 0;
    for (int v : values) {
      cost += index.postingsCount(index.postingsOffset(nameIndex, v));
    }
    return cost;
  }

  /**
   * The positions (in the label's value table) of the values for which {@code m.matches} equals
   * {@code accepted}.
   */
  static int[] matchingValues(IndexReader index, int nameIndex, LabelMatcher m, boolean accepted) {
    boolean positiveType =
        m.type() == LabelMatcher.Type.EQUAL || m.type() == LabelMatcher.Type.REGEX;
    // The wanted set is {v : the type's underlying test (equality or regex) holds} exactly when
    // accepted == positiveType; only then do the literal and prefix shortcuts apply.
    boolean wantsHits = accepted == positiveType;
    if (wantsHits) {
      String[] literals = literals(m);
      if (literals != null) {
        IntList out = new IntList(literals.length);
        for (String lit : literals) {
          int sym = lit.isEmpty() ? -1 : index.symbolRef(lit);
          int pos = sym < 0 ? -1 : index.findValue(nameIndex, sym);
          if (pos >= 0) {
            out.add(pos);
          }
        }
        int[] r = out.toArray();
        Arrays.sort(r);
        return dedupe(r);
      }
      String prefix = literalPrefix(m);
      if (prefix != null) {
        IntList out = new IntList();
        int n = index.valueCount(nameIndex);
        for (int i = index.lowerBound(nameIndex, prefix); i < n; i++) {
          if (!index.value(nameIndex, i).startsWith(prefix)) {
            break;
          }
          out.add(i);
        }
        return out.toArray();
      }
    }
    IntList out = new IntList();
    int n = index.valueCount(nameIndex);
    for (int i = 0; i < n; i++) {
      if (m.matches(index.value(nameIndex, i)) == accepted) {
        out.add(i);
      }
    }
    return out.toArray();
  }

  /** The literal values a matcher's test compares with, or null when it is not a literal set. */
  private static String[] literals(LabelMatcher m) {
    if (m.type() == LabelMatcher.Type.EQUAL || m.type() == LabelMatcher.Type.NOT_EQUAL) {
      return new String[] {m.value()};
    }
    String[] alternatives = m.value().split("\\|", -1);
    for (String a : alternatives) {
      if (!isLiteral(a)) {
        return null;
      }
    }
    return alternatives;
  }

  /** The literal prefix {@code p} of a regex {@code p.*}, or null. */
  private static String literalPrefix(LabelMatcher m) {
    String v = m.value();
    if ((m.type() == LabelMatcher.Type.REGEX || m.type() == LabelMatcher.Type.NOT_REGEX)
        && v.endsWith(".*")
        && v.length() > 2) {
      String p = v.substring(0, v.length() - 2);
      return isLiteral(p) ? p : null;
    }
    return null;
  }

  private static boolean isLiteral(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (META.indexOf(s.charAt(i)) >= 0) {
        return false;
      }
    }
    return true;
  }

  private static int[] dedupe(int[] sorted) {
    int n = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (n == 0 || sorted[n - 1] != sorted[i]) {
        sorted[n++] = sorted[i];
      }
    }
    return n == sorted.length ? sorted : Arrays.copyOf(sorted, n);
  }

  private static int[] union(IndexReader index, Decoder d, Selection s) {
    IntList out = new IntList((int) Math.min(s.cost, 1 << 20) + 1);
    for (int v : s.values) {
      index.readPostings(index.postingsOffset(s.nameIndex, v), d, out);
    }
    int[] r = out.toArray();
    if (s.values.length > 1) {
      Arrays.sort(r);
    }
    return r;
  }

  /** The refs in both sorted arrays; gallops through the longer one when sizes differ a lot. */
  static int[] intersect(int[] a, int[] b) {
    if (a.length > b.length) {
      int[] t = a;
      a = b;
      b = t;
    }
    int[] out = new int[a.length];
    int n = 0;
    if ((long) a.length * 16 < b.length) {
      int from = 0;
      for (int x : a) {
        int i = Arrays.binarySearch(b, from, b.length, x);
        if (i >= 0) {
          out[n++] = x;
          from = i + 1;
        } else {
          from = -i - 1;
        }
        if (from == b.length) {
          break;
        }
      }
    } else {
      int i = 0;
      int j = 0;
      while (i < a.length && j < b.length) {
        if (a[i] < b[j]) {
          i++;
        } else if (a[i] > b[j]) {
          j++;
        } else {
          out[n++] = a[i];
          i++;
          j++;
        }
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** The refs of sorted {@code a} that are not in sorted {@code b}. */
  static int[] subtract(int[] a, int[] b) {
    int[] out = new int[a.length];
    int n = 0;
    int j = 0;
    for (int x : a) {
      while (j < b.length && b[j] < x) {
        j++;
      }
      if (j < b.length && b[j] == x) {
        continue;
      }
      out[n++] = x;
    }
    return Arrays.copyOf(out, n);
  }
}
