package io.ledgerlake.lakehouse.coordination;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;

/** The lease is held by someone else; {@link #holder()} names them (as they described themselves). */
public final class LeaseHeldException extends LakehouseException {
  private final String holder;

  public LeaseHeldException(String name, String holder) {
    super(ErrorCategory.USER_ERROR, "%s is held by %s", name, holder);
    this.holder = holder;
  }

  public String holder() {
    return holder;
  }
}
