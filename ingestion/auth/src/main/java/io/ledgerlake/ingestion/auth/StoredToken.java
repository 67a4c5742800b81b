package io.ledgerlake.ingestion.auth;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.ingestion.dataset.Addresses;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * What a {@link TokenStore} keeps about one token (never the secret: its SHA-256), and the rules every store applies:
 * how a token is made and when it is refused.
 *
 * @param id public identifier: the first 16 hex digits of the hash
 */
public record StoredToken(String id, String sha256, String address, Instant issuedAt, Instant expiresAt,
    boolean revoked) {
  private static final String PREFIX = "llk_";

  public StoredToken {
    requireNonNull(id, "id");
    requireNonNull(sha256, "sha256");
    requireNonNull(address, "address");
    requireNonNull(issuedAt, "issuedAt");
    requireNonNull(expiresAt, "expiresAt");
  }

  /** A new token: the secret for the client and the record for the store. */
  public record Issued(ApiToken token, StoredToken stored) {}

  public static Issued issue(String address, Instant now, Duration ttl, SecureRandom random) {
    String who = Addresses.normalize(address);
    byte[] secretBytes = new byte[32];
    random.nextBytes(secretBytes);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    String hash = hash(secret);
    StoredToken stored = new StoredToken(hash.substring(0, 16), hash, who, now, now.plus(ttl), false);
    return new Issued(new ApiToken(stored.id(), secret, who, stored.expiresAt()), stored);
  }

  /** The hash a secret is looked up by; refuses a missing secret. */
  public static String lookupKey(String secret) {
    if (secret == null || secret.isBlank()) {
      throw new AuthenticationException("TOKEN_MISSING",
          "This request needs an API token: send 'Authorization: Bearer <token>' (get one with ledgerlake login)");
    }
    return hash(secret.trim());
  }

  public static AuthenticationException unknown() {
    return new AuthenticationException("TOKEN_UNKNOWN", "API token is not known; log in again to get a new one");
  }

  /** The token's address if it is usable at {@code now}. */
  public String check(Instant now) {
    if (revoked) {
      throw new AuthenticationException("TOKEN_REVOKED", "API token " + id + " was revoked; log in again to get a new one");
    }
    if (!now.isBefore(expiresAt)) {
      throw new AuthenticationException("TOKEN_EXPIRED",
          "API token " + id + " expired at " + expiresAt + "; log in again to get a new one");
    }
    return address;
  }

  public StoredToken asRevoked() {
    return new StoredToken(id, sha256, address, issuedAt, expiresAt, true);
  }

  static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
