package io.ledgerlake.jobs.schedule;

import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;

/** Every configuration key of the scheduler, with its default, in one place. Immutable once resolved. */
public record SchedulerOptions(Path schedulesFile, boolean enabledUnderUp, Duration pollInterval, Duration lease,
    Duration misfireThreshold, int threads, String instanceId) {
  /** The schedules file; default {@code <data dir>/schedules.yaml}. Absent file: no file schedules. */
  public static final String FILE = "ledgerlake.scheduler.file";

  /** Whether {@code ledgerlake up} runs the scheduler. */
  public static final String ENABLED = "ledgerlake.scheduler.enabled";

  public static final boolean ENABLED_DEFAULT = true;

  /** How often the scheduler looks for due ticks and new job runs, in ms. */
  public static final String POLL_INTERVAL_MS = "ledgerlake.scheduler.poll-interval-ms";

  public static final int POLL_INTERVAL_MS_DEFAULT = 1_000;

  /**
   * How long a claimed run stays claimed without a heartbeat, in ms: a scheduler killed mid-run loses its claims after
   * this, and another instance counts the attempt as failed and retries it by policy. Heartbeats come every poll, so
   * it must be several poll intervals.
   */
  public static final String LEASE_MS = "ledgerlake.scheduler.lease-ms";

  public static final int LEASE_MS_DEFAULT = 60_000;

  /** With {@code catch-up: none}, a cron tick later than this (ms) is skipped rather than run late. */
  public static final String MISFIRE_THRESHOLD_MS = "ledgerlake.scheduler.misfire-threshold-ms";

  public static final int MISFIRE_THRESHOLD_MS_DEFAULT = 60_000;

  /** Runs at once in this process (across schedules; each schedule also has its own max-concurrent). */
  public static final String THREADS = "ledgerlake.scheduler.threads";

  public static final int THREADS_DEFAULT = 2;

  /** This process's name in claims ({@code owner}); default host name and pid. */
  public static final String INSTANCE_ID = "ledgerlake.scheduler.instance-id";

  public SchedulerOptions {
    if (lease.compareTo(pollInterval.multipliedBy(3)) < 0) {
      throw ScheduleException.user("%s (%d) must be at least 3 x %s (%d)", LEASE_MS, lease.toMillis(),
          POLL_INTERVAL_MS, pollInterval.toMillis());
    }
    if (threads < 1) {
      throw ScheduleException.user("%s must be at least 1, got %d", THREADS, threads);
    }
  }

  public static SchedulerOptions from(Settings settings, LakehouseOptions lakehouse) {
    Path file = settings.find(FILE).map(Path::of).orElse(lakehouse.dataDir().resolve("schedules.yaml"));
    return new SchedulerOptions(file.toAbsolutePath().normalize(),
        Boolean.parseBoolean(settings.get(ENABLED, Boolean.toString(ENABLED_DEFAULT))),
        Duration.ofMillis(positive(settings, POLL_INTERVAL_MS, POLL_INTERVAL_MS_DEFAULT)),
        Duration.ofMillis(positive(settings, LEASE_MS, LEASE_MS_DEFAULT)),
        Duration.ofMillis(positive(settings, MISFIRE_THRESHOLD_MS, MISFIRE_THRESHOLD_MS_DEFAULT)),
        settings.getInt(THREADS, THREADS_DEFAULT),
        settings.get(INSTANCE_ID, ManagementFactory.getRuntimeMXBean().getName()));
  }

  /** Defaults for a data directory; tests override with the record's constructor. */
  public static SchedulerOptions defaults(LakehouseOptions lakehouse) {
    return from(Settings.empty(), lakehouse);
  }

  public SchedulerOptions withInstanceId(String id) {
    return new SchedulerOptions(schedulesFile, enabledUnderUp, pollInterval, lease, misfireThreshold, threads, id);
  }

  private static int positive(Settings settings, String key, int dflt) {
    int v = settings.getInt(key, dflt);
    if (v <= 0) {
      throw ScheduleException.user("%s must be positive, got %d", key, v);
    }
    return v;
  }
}
