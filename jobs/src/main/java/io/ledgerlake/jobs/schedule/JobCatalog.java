package io.ledgerlake.jobs.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** The jobs schedules may name, by job name. Immutable once built. */
public final class JobCatalog {
  private final Map<String, SchedulableJob> jobs;

  private JobCatalog(Map<String, SchedulableJob> jobs) {
    this.jobs = Map.copyOf(jobs);
  }

  public static JobCatalog of(SchedulableJob... jobs) {
    return of(java.util.List.of(jobs));
  }

  public static JobCatalog of(Collection<SchedulableJob> jobs) {
    Map<String, SchedulableJob> byName = new TreeMap<>();
    for (SchedulableJob j : jobs) {
      if (byName.put(j.name(), j) != null) {
        throw new IllegalArgumentException("job " + j.name() + " registered twice");
      }
    }
    return new JobCatalog(byName);
  }

  public SchedulableJob get(String name) {
    SchedulableJob job = jobs.get(name);
    if (job == null) {
      throw ScheduleException.user("unknown job '%s' (known: %s)", name, String.join(", ", new TreeMap<>(jobs).keySet()));
    }
    return job;
  }

  /** Checks that {@code job} exists and takes {@code params}; USER_ERROR naming the problem otherwise. */
  public void check(String job, ObjectNode params) {
    String problem = get(job).check(params);
    if (problem != null) {
      throw ScheduleException.user("%s", problem);
    }
  }
}
