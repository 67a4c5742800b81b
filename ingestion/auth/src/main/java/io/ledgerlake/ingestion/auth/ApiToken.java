package io.ledgerlake.ingestion.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A freshly issued API token. {@code secret} is shown to the client once and never stored (only its SHA-256).
 *
 * @param id public identifier (for listing and revocation without the secret)
 */
public record ApiToken(String id, String secret, String address, Instant expiresAt) {
  public ApiToken {
    requireNonNull(id, "id");
    requireNonNull(secret, "secret");
    requireNonNull(address, "address");
    requireNonNull(expiresAt, "expiresAt");
  }

  @Override
  public String toString() {
    return "ApiToken[" + id + " for " + address + " until " + expiresAt + "]"; // no secret in logs
  }
}
