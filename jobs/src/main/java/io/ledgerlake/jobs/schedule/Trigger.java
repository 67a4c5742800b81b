package io.ledgerlake.jobs.schedule;

import static java.util.Objects.requireNonNull;

import com.github.kagkarlsson.scheduler.task.schedule.CronSchedule;
import com.github.kagkarlsson.scheduler.task.schedule.CronStyle;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * What makes a schedule fire: a cron expression in a time zone, a finished run of a job (publish: a new version), or a
 * number of new curated records.
 */
public sealed interface Trigger {
  /** How the trigger reads in the CLI and in {@code ops.job_runs.params_json.origin.trigger}'s prefix. */
  String describe();

  /**
   * Five-field Unix cron ({@code minute hour day-of-month month day-of-week}, as Airflow and crontab take it) evaluated
   * in {@code zone}. Next fire times come from db-scheduler's {@link CronSchedule} (cron-utils underneath). Its
   * zone-aware evaluation skips a wall time that a spring-forward gap removes (a daily 02:30 job would not run that
   * day), so the wall-clock evaluation is consulted too and the earlier of the two wins: a time in the gap fires
   * shifted by the gap (02:30 becomes 03:30), a time repeated by a fall-back overlap fires once, and minute or hour
   * patterns fire every real hour through the overlap. CronTriggerTest pins this in two time zones.
   */
  record Cron(String expression, ZoneId zone, Schedule zoned, Schedule wall) implements Trigger {
    public Cron {
      requireNonNull(expression, "expression");
      requireNonNull(zone, "zone");
      requireNonNull(zoned, "zoned");
      requireNonNull(wall, "wall");
    }

    /** Parses and validates; a bad expression or zone is a USER_ERROR naming it. */
    public static Cron of(String expression, String zone) {
      ZoneId zoneId;
      try {
        zoneId = ZoneId.of(zone == null || zone.isBlank() ? "UTC" : zone.strip());
      } catch (DateTimeException e) {
        throw ScheduleException.user("unknown time zone '%s' (use a region id such as Europe/Berlin or UTC)", zone);
      }
      String expr = expression == null ? "" : expression.strip().replaceAll("\\s+", " ");
      if (expr.split(" ").length != 5) {
        throw ScheduleException.user("bad cron '%s': expected 5 fields (minute hour day-of-month month day-of-week)",
            expression);
      }
      try {
        return new Cron(expr, zoneId, new CronSchedule(expr, zoneId, CronStyle.UNIX),
            new CronSchedule(expr, ZoneOffset.UTC, CronStyle.UNIX));
      } catch (RuntimeException e) {
        throw ScheduleException.user("bad cron '%s': %s", expression, e.getMessage());
      }
    }

    /** The first fire time strictly after {@code after}. */
    public Instant nextAfter(Instant after) {
      Instant zonedNext = zoned.getInitialExecutionTime(after);
      // The wall clock as if it were UTC: the next matching local time, placed back in the zone. ofLocal shifts a
      // time inside a gap forward by the gap's length and takes the earlier offset in an overlap.
      LocalDateTime local = LocalDateTime.ofInstant(after, zone);
      LocalDateTime wallNext = LocalDateTime.ofInstant(wall.getInitialExecutionTime(local.toInstant(ZoneOffset.UTC)),
          ZoneOffset.UTC);
      Instant wallNextInstant = ZonedDateTime.ofLocal(wallNext, zone, null).toInstant();
      return wallNextInstant.isAfter(after) && wallNextInstant.isBefore(zonedNext) ? wallNextInstant : zonedNext;
    }

    @Override
    public String describe() {
      return "cron '" + expression + "' " + zone.getId();
    }

    // The parsed schedule is derived from the expression and zone: equality must not depend on it.
    @Override
    public boolean equals(Object o) {
      return o instanceof Cron c && c.expression.equals(expression) && c.zone.equals(zone);
    }

    @Override
    public int hashCode() {
      return expression.hashCode() * 31 + zone.hashCode();
    }
  }

  /**
   * A succeeded run of {@code job} recorded in {@code ops.job_runs} after the schedule's cursor: {@code publish} is
   * "a new dataset version was published" (optionally only for {@code dataset}), any other job name chains on it.
   * Fires once per run (the run id is part of the tick's key).
   */
  record OnJob(String job, String dataset) implements Trigger {
    public OnJob {
      requireNonNull(job, "job");
    }

    @Override
    public String describe() {
      return "after " + job + (dataset == null ? "" : " of " + dataset);
    }
  }

  /**
   * {@code records} new records in the curated view since the schedule's last run (since it was declared, for the
   * first): counted as {@code label.labels} rows of labeler {@code curation}, key {@code curation}, value
   * {@code included}, of {@code dataset} or (null) of every dataset. The count at the last fire is stored with the
   * schedule, so records curated while the scheduler was down count, and each crossing of the threshold fires once
   * however far it is crossed (as catch-up {@code once} does for cron).
   */
  record Curated(long records, String dataset) implements Trigger {
    public static final long MAX_RECORDS = 1_000_000_000L;

    public Curated {
      if (records < 1 || records > MAX_RECORDS) {
        throw ScheduleException.user("curated records threshold must be between 1 and %d, got %d", MAX_RECORDS,
            records);
      }
      if (dataset != null && dataset.isBlank()) {
        dataset = null;
      }
    }

    @Override
    public String describe() {
      return "every " + records + " new curated records" + (dataset == null ? "" : " of " + dataset);
    }
  }
}
