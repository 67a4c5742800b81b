package io.ledgerlake.jobs.airflow;

import io.ledgerlake.common.Categorized;
import io.ledgerlake.common.ErrorCategory;

/**
 * A failed Airflow call, with the HTTP status (0 when none came back) and a category: credentials, unknown DAGs or
 * runs and duplicate run ids are the caller's to fix (USER_ERROR); an unreachable or failing server is EXTERNAL.
 */
public final class AirflowException extends RuntimeException implements Categorized {
  private final int status;
  private final ErrorCategory category;

  AirflowException(int status, ErrorCategory category, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.category = category;
  }

  public int status() {
    return status;
  }

  @Override
  public ErrorCategory errorCategory() {
    return category;
  }
}
