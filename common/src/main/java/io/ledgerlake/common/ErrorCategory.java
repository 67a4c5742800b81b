package io.ledgerlake.common;

/**
 * Who can act on a failure. One type for the whole platform: the CLI maps it to exit codes (2 for a user error, 1
 * otherwise), the HTTP APIs to status classes (4xx, 503, 500), the Job runner to {@code ops.job_runs.error_category}.
 */
public enum ErrorCategory {
  /** The caller's input or request is wrong; the message says what to change. */
  USER_ERROR,
  /** Something outside the platform failed (chain node, Kafka, a remote catalog); retrying may help. */
  EXTERNAL,
  /** A bug or an unexpected state of the platform itself. */
  INTERNAL;

  /** The category of {@code failure}: its own if it is {@link Categorized} (also through causes), else INTERNAL. */
  public static ErrorCategory of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof Categorized c) {
        return c.errorCategory();
      }
    }
    return INTERNAL;
  }
}
