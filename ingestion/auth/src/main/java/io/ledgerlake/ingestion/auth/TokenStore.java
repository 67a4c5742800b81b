package io.ledgerlake.ingestion.auth;

/**
 * Expiring, revocable API tokens: issued at sign-in, checked on every request. Two implementations, chosen at one point
 * ({@code JdbcTokenStore.forCatalog} in the cli module): {@link FileTokenStore} under one process's data directory,
 * and the catalog database when several {@code up} processes share a PostgreSQL catalog, so that a token issued by one
 * is accepted by all. Both keep only SHA-256 hashes of the secrets and apply {@link StoredToken}'s one set of rules.
 */
public interface TokenStore {
  /** A new token for {@code address}; its secret is in the result only. */
  ApiToken issue(String address);

  /**
   * @return the address the token belongs to
   * @throws AuthenticationException TOKEN_MISSING, TOKEN_UNKNOWN, TOKEN_EXPIRED or TOKEN_REVOKED
   */
  String authenticate(String secret);

  /** Revokes the token with this secret; returns false if unknown or already revoked. */
  boolean revoke(String secret);

  /** Drops expired tokens (revoked ones stay until they expire, so they keep being refused as revoked). */
  int purgeExpired();
}
