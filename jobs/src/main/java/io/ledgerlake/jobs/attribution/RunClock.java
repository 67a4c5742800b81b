package io.ledgerlake.jobs.attribution;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The {@code recorded_at} of one run's status rows (settlements, payouts): strictly increasing within the run, in
 * microseconds as Iceberg stores them, whatever the clock does, so readers see the run's rows in order. States never
 * depend on it (they follow the rows' statuses).
 */
final class RunClock {
  private final Clock clock;
  private OffsetDateTime last;

  RunClock(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
  }

  synchronized OffsetDateTime next() {
    OffsetDateTime t = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    if (last != null && !t.isAfter(last)) {
      t = last.plus(1, ChronoUnit.MICROS);
    }
    last = t;
    return t;
  }
}
