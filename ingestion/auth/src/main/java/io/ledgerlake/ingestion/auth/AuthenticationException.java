package io.ledgerlake.ingestion.auth;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.ingestion.IngestionException;

/**
 * Sign-in or token check failed (HTTP 401). The code says which check: SIWE_MALFORMED, SIWE_WRONG_DOMAIN,
 * SIWE_BAD_SIGNATURE, SIWE_NONCE_UNKNOWN, SIWE_NONCE_EXPIRED, TOKEN_MISSING, TOKEN_UNKNOWN, TOKEN_EXPIRED,
 * TOKEN_REVOKED.
 */
public final class AuthenticationException extends IngestionException {
  public AuthenticationException(String code, String message) {
    super(ErrorCategory.USER_ERROR, code, message, null);
  }
}
