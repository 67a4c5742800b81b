package io.ledgerlake.training.serve;

import io.ledgerlake.jobs.attribution.MeteredRequestException;

/**
 * Why a model call was not answered: 400 no inputs, too many or too long, a malformed call id; 404 no such published
 * model asset; 402 no licence on the model; 409 a call id reused for other inputs or by another caller. Nothing is
 * metered for a refused call.
 */
public final class ModelCallException extends MeteredRequestException {
  public ModelCallException(Reason reason, String format, Object... args) {
    super(reason, format, args);
  }
}
