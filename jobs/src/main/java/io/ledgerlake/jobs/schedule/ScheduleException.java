package io.ledgerlake.jobs.schedule;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.Categorized;
import io.ledgerlake.common.ErrorCategory;

/** A scheduler failure with its category: USER_ERROR for bad schedules and unknown ids (the CLI exits 2). */
public final class ScheduleException extends RuntimeException implements Categorized {
  private final ErrorCategory category;

  public ScheduleException(ErrorCategory category, String message) {
    super(message);
    this.category = requireNonNull(category, "category");
  }

  public ScheduleException(ErrorCategory category, String message, Throwable cause) {
    super(message, cause);
    this.category = requireNonNull(category, "category");
  }

  static ScheduleException user(String format, Object... args) {
    return new ScheduleException(ErrorCategory.USER_ERROR, String.format(format, args));
  }

  @Override
  public ErrorCategory errorCategory() {
    return category;
  }
}
