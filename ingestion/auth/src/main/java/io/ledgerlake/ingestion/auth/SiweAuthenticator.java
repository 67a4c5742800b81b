package io.ledgerlake.ingestion.auth;

import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.dataset.Addresses;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Keys;

/**
 * Sign-In with Ethereum: {@link #challenge} issues an EIP-4361 message with a single-use nonce; {@link #login}
 * verifies the signed message and trades it for an API token.
 *
 * <p>Nonces live in memory only: a restart invalidates outstanding challenges, which just means signing again, and
 * a used or unknown nonce is rejected either way, so replay is impossible across restarts too.
 */
public final class SiweAuthenticator {
  private static final Logger LOG = LoggerFactory.getLogger(SiweAuthenticator.class);
  private static final char[] ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  public static final String STATEMENT = "Sign in to LedgerLake to submit datasets.";

  private record PendingNonce(String address, Instant expiresAt) {}

  private final String domain;
  private final String uri;
  private final long chainId;
  private final Duration nonceTtl;
  private final TokenStore tokens;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, PendingNonce> nonces = new ConcurrentHashMap<>();

  public SiweAuthenticator(String domain, String uri, long chainId, Duration nonceTtl, TokenStore tokens, Clock clock) {
    this.domain = domain;
    this.uri = uri;
    this.chainId = chainId;
    this.nonceTtl = nonceTtl;
    this.tokens = tokens;
    this.clock = clock;
  }

  public static SiweAuthenticator create(IngestionOptions options, String uri, TokenStore tokens, Clock clock) {
    return new SiweAuthenticator(options.getString(IngestionOptions.AUTH_DOMAIN), uri,
        options.getLong(IngestionOptions.AUTH_CHAIN_ID), options.getDuration(IngestionOptions.AUTH_NONCE_TTL), tokens,
        clock);
  }

  /** A message for {@code address} to sign; its nonce is valid once, until the nonce TTL passes. */
  public SiweMessage challenge(String address) {
    String who = Addresses.normalize(address);
    purgeExpiredNonces();
    String nonce = newNonce();
    Instant now = clock.instant();
    Instant expires = now.plus(nonceTtl);
    nonces.put(nonce, new PendingNonce(who, expires));
    return new SiweMessage(domain, Keys.toChecksumAddress(who), STATEMENT, uri, chainId, nonce, now,
        Optional.of(expires));
  }

  /**
   * Verifies a signed challenge and issues a token.
   *
   * @throws AuthenticationException naming the failed check; the nonce is consumed by any attempt that got as far as
   *     a valid signature, so a captured message cannot be replayed
   */
  public ApiToken login(String message, String signatureHex) {
    SiweMessage siwe = SiweMessage.parse(message);
    if (!siwe.domain().equals(domain) || !siwe.uri().equals(uri)) {
      throw new AuthenticationException("SIWE_WRONG_DOMAIN", "Sign-in message is for " + siwe.domain() + " ("
          + siwe.uri() + "), not this server " + domain + " (" + uri + "); request a challenge from this server");
    }
    if (siwe.chainId() != chainId) {
      throw new AuthenticationException("SIWE_WRONG_DOMAIN",
          "Sign-in message is for chain " + siwe.chainId() + ", this server expects chain " + chainId);
    }
    String signer = Signatures.recoverSigner(message, signatureHex);
    String claimed = Addresses.normalize(siwe.address());
    if (!signer.equals(claimed)) {
      // Also what a tampered message looks like: the signature then recovers some unrelated key.
      throw new AuthenticationException("SIWE_BAD_SIGNATURE", "Signature was made by " + signer
          + ", not by the message's address " + claimed + "; sign the challenge unchanged with that account's key");
    }
    PendingNonce pending = nonces.remove(siwe.nonce()); // atomic: of two concurrent replays only one gets it
    if (pending == null) {
      throw new AuthenticationException("SIWE_NONCE_UNKNOWN",
          "Nonce " + siwe.nonce() + " is unknown or already used; request a new challenge");
    }
    Instant now = clock.instant();
    if (!now.isBefore(pending.expiresAt())
        || siwe.expirationTime().map(t -> !now.isBefore(t)).orElse(false)) {
      throw new AuthenticationException("SIWE_NONCE_EXPIRED",
          "Challenge expired at " + pending.expiresAt() + "; request a new challenge and sign it promptly");
    }
    if (!pending.address().equals(claimed)) {
      throw new AuthenticationException("SIWE_NONCE_UNKNOWN",
          "Nonce " + siwe.nonce() + " was issued to another address; request a challenge for " + claimed);
    }
    LOG.info("Signed in {}", claimed);
    return tokens.issue(claimed);
  }

  private String newNonce() {
    char[] chars = new char[24];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = ALPHANUMERIC[random.nextInt(ALPHANUMERIC.length)];
    }
    return new String(chars);
  }

  private void purgeExpiredNonces() {
    Instant now = clock.instant();
    nonces.values().removeIf(p -> !now.isBefore(p.expiresAt()));
  }
}
