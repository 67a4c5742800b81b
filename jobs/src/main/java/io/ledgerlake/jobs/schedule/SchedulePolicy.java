package io.ledgerlake.jobs.schedule;

import java.time.Duration;

/**
 * How a schedule's runs are governed. {@code retries}: attempts after the first, each after
 * {@code backoff * 2^(attempt-1)} (capped at {@link #MAX_BACKOFF}); {@code timeout}: a run still going after it is
 * interrupted and counted as failed (zero: no limit); {@code maxConcurrent}: running ticks of the schedule at once;
 * {@code catchUp}: after downtime, {@link CatchUp#ONCE} runs the most recent missed cron tick only,
 * {@link CatchUp#ALL} every missed tick (at most {@link #MAX_CATCH_UP_TICKS}), {@link CatchUp#NONE} none.
 */
public record SchedulePolicy(int retries, Duration backoff, Duration timeout, int maxConcurrent, CatchUp catchUp) {
  public static final Duration MAX_BACKOFF = Duration.ofHours(6);
  public static final int MAX_CATCH_UP_TICKS = 1000;

  public enum CatchUp { ONCE, ALL, NONE }

  public static final SchedulePolicy DEFAULT =
      new SchedulePolicy(0, Duration.ofMinutes(1), Duration.ZERO, 1, CatchUp.ONCE);

  public SchedulePolicy {
    if (retries < 0 || retries > 100) {
      throw ScheduleException.user("retries must be between 0 and 100, got %d", retries);
    }
    if (backoff.isNegative() || timeout.isNegative()) {
      throw ScheduleException.user("backoff and timeout must not be negative");
    }
    if (maxConcurrent < 1) {
      throw ScheduleException.user("max-concurrent must be at least 1, got %d", maxConcurrent);
    }
  }

  /** The wait before attempt {@code nextAttempt} (2 or more): exponential from {@code backoff}. */
  public Duration backoffBefore(int nextAttempt) {
    int doublings = Math.min(30, Math.max(0, nextAttempt - 2));
    Duration wait = backoff.multipliedBy(1L << doublings);
    return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
  }
}
