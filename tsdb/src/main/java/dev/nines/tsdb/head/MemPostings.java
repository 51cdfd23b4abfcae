package dev.nines.tsdb.head;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongPredicate;

/*
 * Design notes. label name -> label value -> append-only sorted list of refs, plus the list of all
 * refs. Refs are assigned and added under the head's creation lock, in increasing order, so every
 * list stays sorted by appending. A reader snapshots (array, length) under the read lock; the first
 * `length` elements never change afterwards even when the list grows (growth copies into a new
 * array), so snapshots need no copying.
 *
 * Removal (head truncation) is copy-on-write too: every list that loses refs gets a new array, so
 * snapshots taken before keep reading their old arrays; empty lists and names are dropped.
 *
 * The map entries carry the canonical name and value strings, which the head uses to intern the
 * strings of new series: one String instance per distinct name and per distinct value.
 *
 * Bulk mode (WAL replay). Replay creates series in WAL order, which is not ref order when several
 * appenders committed at once; inserting each out-of-order ref copy-on-write made replay quadratic
 * (1M series: over 5 minutes). Between beginBulk() and endBulk() no query runs, so add() simply
 * appends and flags the list; endBulk() sorts (and deduplicates) each flagged list once.
 */

/** The postings index of the head: which series have which label values. */
final class MemPostings {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final HashMap<String, NameEntry> byName = new HashMap<>();
  private final RefList all = new RefList(null);
  private final ArrayList<RefList> unsorted = new ArrayList<>();
  private boolean bulk;

  /** An append-only sorted list of refs with the canonical value string it is filed under. */
  static final class RefList {
    final String value;
    long[] refs = new long[2];
    int size;
    boolean unsorted;

    RefList(String value) {
      this.value = value;
    }

    /**
     * Appends a ref. Below the largest one: in bulk mode it is appended and the list flagged (the
     * return value says whether it was flagged now); otherwise it is inserted copy-on-write.
     */
    boolean add(long ref, boolean bulk) {
      boolean flagged = false;
      if (size > 0 && refs[size - 1] >= ref) {
        if (!bulk) {
          insertCopyOnWrite(ref);
          return false;
        }
        flagged = !unsorted;
        unsorted = true;
      }
      append(ref);
      return flagged;
    }

    private void append(long ref) {
      if (size == refs.length) {
        refs = Arrays.copyOf(refs, size < 64 ? size * 2 : size + (size >> 1));
      }
      refs[size++] = ref;
    }

    /** Sorts a list filled in bulk mode and drops duplicate refs. */
    void sortOnce() {
      Arrays.sort(refs, 0, size);
      int n = 0;
      for (int i = 0; i < size; i++) {
        if (n == 0 || refs[n - 1] != refs[i]) {
          refs[n++] = refs[i];
        }
      }
      size = n;
      unsorted = false;
    }

    /**
     * Inserts a ref below the largest one into a new array, so snapshots of the old one stay valid.
     * Only replay does this (it may see series records out of ref order); live series get
     * increasing refs.
     */
    private void insertCopyOnWrite(long ref) {
      int i = Arrays.binarySearch(refs, 0, size, ref);
      if (i >= 0) {
        return;
      }
      int at = -(i + 1);
      long[] copy = new long[Math.max(refs.length, size + 1)];
      System.arraycopy(refs, 0, copy, 0, at);
      copy[at] = ref;
      System.arraycopy(refs, at, copy, at + 1, size - at);
      refs = copy;
      size++;
    }

    /** Copies the list without the removed refs into a new array (snapshots keep the old one). */
    void removeAll(LongPredicate removed) {
      long[] kept = null;
      int n = 0;
      for (int i = 0; i < size; i++) {
        if (removed.test(refs[i])) {
          if (kept == null) {
            kept = new long[Math.max(2, size)];
            System.arraycopy(refs, 0, kept, 0, i);
            n = i;
          }
        } else if (kept != null) {
          kept[n++] = refs[i];
        }
      }
      if (kept != null) {
        refs = kept;
        size = n;
      }
    }

    Postings snapshot() {
      return new Postings(refs, size);
    }
  }

  private static final class NameEntry {
    final String name;
    final HashMap<String, RefList> values = new HashMap<>(4);

    NameEntry(String name) {
      this.name = name;
    }
  }

  ReentrantReadWriteLock.ReadLock readLock() {
    return lock.readLock();
  }

  /**
   * The labels rebuilt from the canonical name and value strings already in the index (strings not
   * yet in it are kept as given). Creation lock held, so nothing is added between this and {@link
   * #add}.
   */
  Labels intern(Labels labels) {
    Labels.Builder interned = Labels.builder();
    lock.readLock().lock();
    try {
      for (int i = 0; i < labels.size(); i++) {
        String name = labels.name(i);
        String value = labels.value(i);
        NameEntry ne = byName.get(name);
        if (ne != null) {
          name = ne.name;
          RefList list = ne.values.get(value);
          if (list != null) {
            value = list.value;
          }
        }
        interned.set(name, value);
      }
    } finally {
      lock.readLock().unlock();
    }
    return interned.build();
  }

  /**
   * Files a series under each of its labels and in the list of all series. Creation lock held; the
   * series must already be findable by ref, so that a query that sees the ref finds it.
   */
  void add(long ref, Labels labels) {
    lock.writeLock().lock();
    try {
      for (int i = 0; i < labels.size(); i++) {
        NameEntry ne = byName.get(labels.name(i));
        if (ne == null) {
          ne = new NameEntry(labels.name(i));
          byName.put(ne.name, ne);
        }
        RefList list = ne.values.get(labels.value(i));
        if (list == null) {
          list = new RefList(labels.value(i));
          ne.values.put(list.value, list);
        }
        if (list.add(ref, bulk)) {
          unsorted.add(list);
        }
      }
      if (all.add(ref, bulk)) {
        unsorted.add(all);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Starts bulk mode: until {@link #endBulk}, refs may be added in any order and lists are not kept
   * sorted. Only for replay, before any query can run. Creation lock held.
   */
  void beginBulk() {
    lock.writeLock().lock();
    try {
      bulk = true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Ends bulk mode: sorts every list that received refs out of order. Creation lock held. */
  void endBulk() {
    lock.writeLock().lock();
    try {
      for (RefList list : unsorted) {
        if (list.unsorted) {
          list.sortOnce();
        }
      }
      unsorted.clear();
      unsorted.trimToSize();
      bulk = false;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** All refs. Read lock held. */
  Postings all() {
    return all.snapshot();
  }

  /** The refs with {@code name="value"}. Read lock held. */
  Postings get(String name, String value) {
    NameEntry ne = byName.get(name);
    if (ne == null) {
      return Postings.EMPTY;
    }
    RefList list = ne.values.get(value);
    return list == null ? Postings.EMPTY : list.snapshot();
  }

  /** The number of distinct values of a label. Read lock held. */
  int valueCount(String name) {
    NameEntry ne = byName.get(name);
    return ne == null ? 0 : ne.values.size();
  }

  /**
   * The union of the postings of the values of {@code name} for which {@code m.matches} equals
   * {@code want}. Read lock held.
   */
  Postings matching(String name, LabelMatcher m, boolean want) {
    NameEntry ne = byName.get(name);
    if (ne == null) {
      return Postings.EMPTY;
    }
    List<Postings> lists = new ArrayList<>();
    for (RefList list : ne.values.values()) {
      if (m.matches(list.value) == want) {
        lists.add(list.snapshot());
      }
    }
    return Postings.union(lists);
  }

  /** Every label name, sorted. */
  List<String> names() {
    lock.readLock().lock();
    try {
      List<String> out = new ArrayList<>(byName.keySet());
      out.sort(null);
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Every value of one label, sorted. */
  List<String> values(String name) {
    lock.readLock().lock();
    try {
      NameEntry ne = byName.get(name);
      if (ne == null) {
        return List.of();
      }
      List<String> out = new ArrayList<>(ne.values.keySet());
      out.sort(null);
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Removes the refs for which {@code removed} is true from every list. Creation lock held. */
  void removeAll(LongPredicate removed) {
    lock.writeLock().lock();
    try {
      Iterator<NameEntry> names = byName.values().iterator();
      while (names.hasNext()) {
        NameEntry ne = names.next();
        Iterator<RefList> lists = ne.values.values().iterator();
        while (lists.hasNext()) {
          RefList list = lists.next();
          list.removeAll(removed);
          if (list.size == 0) {
            lists.remove();
          }
        }
        if (ne.values.isEmpty()) {
          names.remove();
        }
      }
      all.removeAll(removed);
    } finally {
      lock.writeLock().unlock();
    }
  }
}
