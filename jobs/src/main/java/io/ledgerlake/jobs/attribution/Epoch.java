package io.ledgerlake.jobs.attribution;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A settlement epoch: {@code [start, end)}, aligned to the Unix epoch in steps of the configured length. Its id is
 * the UTC start date ({@code 2025-01-31}) when the length is whole days, else the start instant
 * ({@code 2025-01-31T06:00:00Z}). Immutable.
 */
public record Epoch(String id, Instant start, Instant end) {
  public Epoch {
    requireNonNull(id, "id");
    requireNonNull(start, "start");
    requireNonNull(end, "end");
  }

  /** The epoch that holds {@code t}. */
  public static Epoch containing(Instant t, Duration length) {
    long len = length.toSeconds();
    long start = Math.floorDiv(t.getEpochSecond(), len) * len;
    return at(Instant.ofEpochSecond(start), length);
  }

  /** The epoch named {@code id} (a date or an instant, as {@link #id} writes it); USER_ERROR if it is not one. */
  public static Epoch parse(String id, Duration length) {
    Instant start;
    try {
      start = id.contains("T") ? Instant.parse(id) : LocalDate.parse(id).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "--epoch %s is not a date (2025-01-31) or an instant"
          + " (2025-01-31T06:00:00Z)", id);
    }
    Epoch e = containing(start, length);
    if (!e.start().equals(start)) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "--epoch %s is not the start of an epoch of %s; the epoch"
          + " holding it is %s", id, length, e.id());
    }
    return e;
  }

  private static Epoch at(Instant start, Duration length) {
    String id = length.toSeconds() % 86_400 == 0 ? start.atOffset(ZoneOffset.UTC).toLocalDate().toString()
        : start.toString();
    return new Epoch(id, start, start.plus(length));
  }
}
