package io.ledgerlake.platform.flink;

import io.ledgerlake.common.Categorized;
import io.ledgerlake.common.ErrorCategory;

/**
 * A failed call to a Flink cluster's REST API, with the HTTP status (0 when none came back): a missing job jar or a
 * malformed cluster URL is the user's to fix (USER_ERROR); an unreachable cluster or a refused job is EXTERNAL.
 */
public final class FlinkClusterException extends RuntimeException implements Categorized {
  private final int status;
  private final ErrorCategory category;

  FlinkClusterException(int status, ErrorCategory category, String message, Throwable cause) {
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
