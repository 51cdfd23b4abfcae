package dev.nines.notify.silence;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.store.Matcher;
import dev.nines.store.Silence;
import dev.nines.store.SilenceRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The silences: written to the store before a call returns, and cached in memory so that matching
 * never reads the database. State is by time alone: pending before {@code startsAt}, active until
 * {@code endsAt}, expired after.
 *
 * <p>Updates follow Alertmanager: changing an active silence's matchers or start expires it and
 * creates a new silence with a new id; changing only its end or comment (or anything of a pending
 * silence) updates it in place; an expired silence cannot be updated, so a new one is created.
 */
public final class Silences {
  /** A silence's state at a time, as Alertmanager names it. */
  public enum State {
    PENDING,
    ACTIVE,
    EXPIRED;

    /** The lower-case name used by the API. */
    public String apiName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private record Compiled(Silence silence, List<LabelMatcher> matchers) {}

  private final SilenceRepository repository;
  private final Map<String, Compiled> cache = new ConcurrentHashMap<>();

  /** Loads every stored silence into the cache. */
  public Silences(SilenceRepository repository) {
    this.repository = repository;
    for (Silence s : repository.list()) {
      cache.put(s.id(), compile(s));
    }
  }

  /** The state of {@code s} at {@code now}. */
  public static State state(Silence s, Instant now) {
    if (now.isBefore(s.startsAt())) {
      return State.PENDING;
    }
    return now.isBefore(s.endsAt()) ? State.ACTIVE : State.EXPIRED;
  }

  /**
   * Compiles a silence's matchers.
   *
   * @throws IllegalArgumentException naming the matcher whose regular expression does not compile
   */
  public static List<LabelMatcher> matchers(Silence s) {
    List<LabelMatcher> out = new ArrayList<>(s.matchers().size());
    for (Matcher m : s.matchers()) {
      LabelMatcher.Type type =
          switch (m.type()) {
            case EQUAL -> LabelMatcher.Type.EQUAL;
            case NOT_EQUAL -> LabelMatcher.Type.NOT_EQUAL;
            case REGEX -> LabelMatcher.Type.REGEX;
            case NOT_REGEX -> LabelMatcher.Type.NOT_REGEX;
          };
      try {
        out.add(LabelMatcher.of(type, m.name(), m.value()));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "matcher " + m.name() + type.symbol() + "\"" + m.value() + "\": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static Compiled compile(Silence s) {
    return new Compiled(s, matchers(s));
  }

  /**
   * Creates a silence, or updates the one with {@code s.id()} by Alertmanager's rules.
   *
   * @return the id of the silence now in force (a new id when the update had to create one)
   * @throws IllegalArgumentException when the silence is invalid, or names an unknown id
   */
  public synchronized String upsert(Silence s, Instant now) {
    Compiled compiled = compile(s);
    if (!s.endsAt().isAfter(now)) {
      throw new IllegalArgumentException("silence endsAt: " + s.endsAt() + " is in the past");
    }
    Compiled old = cache.get(s.id());
    if (old == null) {
      repository.upsert(s);
      cache.put(s.id(), compiled);
      return s.id();
    }
    Silence prev = old.silence();
    State prevState = state(prev, now);
    boolean inPlace =
        switch (prevState) {
          case PENDING -> true;
          case EXPIRED -> false;
          case ACTIVE ->
              prev.matchers().equals(s.matchers()) && prev.startsAt().equals(s.startsAt());
        };
    if (inPlace) {
      repository.upsert(s);
      cache.put(s.id(), compiled);
      return s.id();
    }
    if (prevState == State.ACTIVE) {
      expire(prev.id(), now);
    }
    Instant start = s.startsAt().isBefore(now) ? now : s.startsAt();
    Silence created =
        new Silence(
            Silence.newId(), s.matchers(), start, s.endsAt(), s.createdBy(), s.comment(), now);
    repository.upsert(created);
    cache.put(created.id(), compile(created));
    return created.id();
  }

  /**
   * Expires a silence now.
   *
   * @return false when there is no silence with this id
   */
  public synchronized boolean expire(String id, Instant now) {
    if (!repository.expire(id, now)) {
      return false;
    }
    repository.get(id).ifPresent(s -> cache.put(id, compile(s)));
    return true;
  }

  /** The silence with this id. */
  public Optional<Silence> get(String id) {
    Compiled c = cache.get(id);
    return c == null ? Optional.empty() : Optional.of(c.silence());
  }

  /** Every silence, by start time then id. */
  public List<Silence> list() {
    List<Silence> out = new ArrayList<>();
    for (Compiled c : cache.values()) {
      out.add(c.silence());
    }
    out.sort(Comparator.comparing(Silence::startsAt).thenComparing(Silence::id));
    return out;
  }

  /** The ids of the silences active at {@code now} that match {@code labels}, sorted. */
  public List<String> mutedBy(Labels labels, Instant now) {
    List<String> ids = new ArrayList<>();
    for (Compiled c : cache.values()) {
      if (c.silence().activeAt(now) && matches(c.matchers(), labels)) {
        ids.add(c.silence().id());
      }
    }
    ids.sort(null);
    return ids;
  }

  /** Whether every matcher matches {@code labels} (a missing label is the empty string). */
  public static boolean matches(List<LabelMatcher> matchers, Labels labels) {
    for (LabelMatcher m : matchers) {
      String v = labels.get(m.name());
      if (!m.matches(v == null ? "" : v)) {
        return false;
      }
    }
    return true;
  }

  /** How many silences are in each state at {@code now}. */
  public Map<State, Integer> countByState(Instant now) {
    Map<State, Integer> counts = new java.util.EnumMap<>(State.class);
    for (State s : State.values()) {
      counts.put(s, 0);
    }
    for (Compiled c : cache.values()) {
      counts.merge(state(c.silence(), now), 1, Integer::sum);
    }
    return counts;
  }

  /**
   * Deletes silences that ended before {@code before}, from the store and the cache.
   *
   * @return how many
   */
  public synchronized int collect(Instant before) {
    int n = repository.deleteExpiredBefore(before);
    cache.values().removeIf(c -> c.silence().endsAt().isBefore(before));
    return n;
  }
}
