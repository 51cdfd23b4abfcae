package dev.nines.rules;

import dev.nines.common.gotemplate.TemplateException;
import dev.nines.rules.file.GroupSpec;
import dev.nines.rules.file.RuleFile;
import dev.nines.rules.file.RuleFileException;
import dev.nines.rules.file.RuleFileLoader;
import dev.nines.rules.file.RuleProblem;
import dev.nines.rules.file.RuleSpec;
import dev.nines.tsdb.storage.Appendable;
import dev.nines.tsdb.storage.Queryable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the rule groups and runs each on its own virtual thread.
 *
 * <p>Scheduling, as Prometheus's: a group evaluates at {@code evalTimestamp} instants (multiples of
 * its interval shifted by a hash of its name and file), the first one after start. After an
 * evaluation, the intervals that passed while it ran are counted as missed and skipped; the next
 * evaluation is the next aligned instant. Groups share nothing while they run, so a slow group
 * delays only itself.
 *
 * <p>Reload ({@link #update}): all files are loaded and checked first; any problem leaves the
 * running groups untouched and is thrown. Otherwise the new groups replace the old ones at once: a
 * group with the same file and name takes over the old one's alerts and series (the old one is
 * stopped first, after its evaluation in progress), and groups that are gone get stale markers for
 * every series they wrote.
 *
 * <p>Restore: the first evaluation of every group created by the first {@link #update} is followed
 * by {@link RuleGroup#restoreForState}, which moves pending and firing alerts' {@code activeAt}
 * back to what {@code ALERTS_FOR_STATE} recorded before the restart.
 */
public final class RuleManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RuleManager.class);

  private final QueryFunc query;
  private final Appendable appendable;
  private final Queryable queryable;
  private final AlertSink sink;
  private final ManagerOptions options;
  private final InstantSource clock;
  private final Object lock = new Object();
  // Guarded by lock.
  private Map<String, Runner> runners = new LinkedHashMap<>();
  private List<RuleGroup> groups = List.of();
  private boolean started;
  private boolean closed;
  private boolean restoredOnce;

  /** A manager; nothing runs until {@link #start()}. */
  public RuleManager(
      QueryFunc query,
      Appendable appendable,
      Queryable queryable,
      AlertSink sink,
      ManagerOptions options,
      InstantSource clock) {
    this.query = query;
    this.appendable = appendable;
    this.queryable = queryable;
    this.sink = sink;
    this.options = options.validate();
    this.clock = clock;
  }

  /** The options. */
  public ManagerOptions options() {
    return options;
  }

  /** The current groups, in file order then group order. */
  public List<RuleGroup> groups() {
    synchronized (lock) {
      return groups;
    }
  }

  /**
   * Loads the files and replaces the running groups with theirs.
   *
   * @throws RuleFileException with every problem when any file is bad; the old rules keep running
   */
  public void update(List<Path> files) throws RuleFileException {
    updateFiles(RuleFileLoader.loadAll(files));
  }

  /** Replaces the running groups with those of already loaded files. */
  public void updateFiles(List<RuleFile> files) throws RuleFileException {
    List<RuleGroup> built = new ArrayList<>();
    List<RuleProblem> problems = new ArrayList<>();
    for (RuleFile f : files) {
      for (GroupSpec g : f.groups()) {
        try {
          built.add(build(f.path(), g));
        } catch (TemplateException e) {
          problems.add(new RuleProblem(f.path(), g.line(), "", e.getMessage()));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new RuleFileException(problems);
    }
    synchronized (lock) {
      if (closed) {
        return;
      }
      boolean restore = !restoredOnce;
      restoredOnce = true;
      Map<String, Runner> old = runners;
      Map<String, RuleGroup> oldGroups = new HashMap<>();
      for (RuleGroup g : groups) {
        oldGroups.put(g.key(), g);
      }
      Map<String, Runner> next = new LinkedHashMap<>();
      for (RuleGroup g : built) {
        Runner r = old.remove(g.key());
        if (r != null) {
          r.stop();
        }
        RuleGroup prev = oldGroups.remove(g.key());
        if (prev != null) {
          g.copyState(prev);
        } else {
          g.setShouldRestore(restore);
        }
        Runner runner = new Runner(g);
        next.put(g.key(), runner);
      }
      for (Runner r : old.values()) {
        r.stop();
        r.group.markAllStale(clock.millis(), appendable);
      }
      runners = next;
      groups = List.copyOf(built);
      if (started) {
        runners.values().forEach(Runner::start);
      }
    }
  }

  private RuleGroup build(String file, GroupSpec g) throws TemplateException {
    List<Rule> rules = new ArrayList<>();
    for (RuleSpec r : g.rules()) {
      Map<String, String> labels = new LinkedHashMap<>(g.labels());
      labels.putAll(r.labels());
      rules.add(
          switch (r) {
            case RuleSpec.Recording rec -> new RecordingRule(rec.record(), rec.expr(), labels);
            case RuleSpec.Alerting a ->
                new AlertingRule(
                    a.alert(),
                    a.expr(),
                    a.forDuration(),
                    a.keepFiringFor(),
                    labels,
                    a.annotations());
          });
    }
    Duration interval =
        g.interval() == null || g.interval().isZero() ? options.evaluationInterval() : g.interval();
    Duration offset = g.queryOffset() == null ? options.queryOffset() : g.queryOffset();
    return new RuleGroup(g.name(), file, interval, g.limit(), offset, g.labels(), rules);
  }

  /** Starts evaluating every group on its schedule. */
  public void start() {
    synchronized (lock) {
      if (started || closed) {
        return;
      }
      started = true;
      runners.values().forEach(Runner::start);
    }
  }

  /**
   * Evaluates one group at {@code ts} now, on the calling thread (tests and tools; the scheduler
   * does the same on the group's thread). The first evaluation of a group created at start is
   * followed by restoring alert state.
   */
  public void evaluate(RuleGroup group, long ts) {
    group.evaluate(ts, query, appendable, sink, options);
    if (group.shouldRestore()) {
      group.setShouldRestore(false);
      group.restoreForState(ts, queryable, options);
    } else {
      for (Rule r : group.rules()) {
        if (r instanceof AlertingRule ar && !ar.restored()) {
          ar.setRestored();
        }
      }
    }
  }

  /** Stops every group, waiting for evaluations in progress. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      runners.values().forEach(Runner::stop);
      runners = new LinkedHashMap<>();
    }
  }

  /** The loop that evaluates one group at its aligned instants. */
  private final class Runner {
    final RuleGroup group;
    private final Object sleep = new Object();
    private volatile boolean stopping;
    private Thread thread;

    Runner(RuleGroup group) {
      this.group = group;
    }

    void start() {
      thread = Thread.ofVirtual().name("rules-" + group.name()).start(this::run);
    }

    void stop() {
      stopping = true;
      synchronized (sleep) {
        sleep.notifyAll();
      }
      Thread t = thread;
      if (t != null && t != Thread.currentThread()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private void run() {
      long iv = group.interval().toMillis();
      long next = group.evalTimestamp(clock.millis()) + iv;
      while (!stopping) {
        if (!sleepUntil(next)) {
          return;
        }
        try {
          evaluate(group, next);
        } catch (RuntimeException e) {
          LOG.error("group evaluation failed: group={} error={}", group.name(), e.toString());
        }
        long missed = (clock.millis() - next) / iv - 1;
        if (missed > 0) {
          group.addMissed(missed);
        }
        next += (Math.max(missed, 0) + 1) * iv;
      }
    }

    private boolean sleepUntil(long t) {
      synchronized (sleep) {
        while (!stopping) {
          long wait = t - clock.millis();
          if (wait <= 0) {
            return true;
          }
          try {
            sleep.wait(wait);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        }
        return false;
      }
    }
  }
}
