package io.ledgerlake.ingestion.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.dataset.Addresses;
import io.ledgerlake.ingestion.record.Json;
import io.ledgerlake.common.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expiring, revocable API tokens, persisted as {@code tokens.json} (version 1) under a directory. Only SHA-256 hashes
 * of the secrets are stored, so the file leaking does not leak tokens. The whole file is rewritten atomically on each
 * change: token issuance is rare (one per login), so simplicity beats an embedded database here.
 */
public final class TokenStore {
  private static final Logger LOG = LoggerFactory.getLogger(TokenStore.class);
  private static final int VERSION = 1;
  private static final String PREFIX = "llk_";

  private record Entry(String id, String hash, String address, Instant issuedAt, Instant expiresAt, boolean revoked) {}

  private final Path file;
  private final Clock clock;
  private final Duration ttl;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Entry> byHash = new LinkedHashMap<>();

  public TokenStore(Path dir, Duration ttl, Clock clock) throws IOException {
    this.file = dir.resolve("tokens.json");
    this.ttl = ttl;
    this.clock = clock;
    load();
  }

  public synchronized ApiToken issue(String address) {
    String who = Addresses.normalize(address);
    byte[] secretBytes = new byte[32];
    random.nextBytes(secretBytes);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    String hash = hash(secret);
    String id = hash.substring(0, 16);
    Instant now = clock.instant();
    Entry entry = new Entry(id, hash, who, now, now.plus(ttl), false);
    byHash.put(hash, entry);
    save();
    LOG.info("Issued API token {} for {} until {}", id, who, entry.expiresAt());
    return new ApiToken(id, secret, who, entry.expiresAt());
  }

  /**
   * @return the address the token belongs to
   * @throws AuthenticationException TOKEN_MISSING, TOKEN_UNKNOWN, TOKEN_EXPIRED or TOKEN_REVOKED
   */
  public synchronized String authenticate(String secret) {
    if (secret == null || secret.isBlank()) {
      throw new AuthenticationException("TOKEN_MISSING",
          "This request needs an API token: send 'Authorization: Bearer <token>' (get one with ledgerlake login)");
    }
    Entry entry = byHash.get(hash(secret.trim()));
    if (entry == null) {
      throw new AuthenticationException("TOKEN_UNKNOWN", "API token is not known; log in again to get a new one");
    }
    if (entry.revoked()) {
      throw new AuthenticationException("TOKEN_REVOKED",
          "API token " + entry.id() + " was revoked; log in again to get a new one");
    }
    if (!clock.instant().isBefore(entry.expiresAt())) {
      throw new AuthenticationException("TOKEN_EXPIRED",
          "API token " + entry.id() + " expired at " + entry.expiresAt() + "; log in again to get a new one");
    }
    return entry.address();
  }

  /** Revokes the token with this secret; returns false if unknown. */
  public synchronized boolean revoke(String secret) {
    Entry entry = byHash.get(hash(secret.trim()));
    if (entry == null || entry.revoked()) {
      return false;
    }
    byHash.put(entry.hash(), new Entry(entry.id(), entry.hash(), entry.address(), entry.issuedAt(), entry.expiresAt(),
        true));
    save();
    LOG.info("Revoked API token {} of {}", entry.id(), entry.address());
    return true;
  }

  /** Drops expired entries from the file; revoked ones are kept until they expire so they stay rejected as revoked. */
  public synchronized int purgeExpired() {
    Instant now = clock.instant();
    int before = byHash.size();
    byHash.values().removeIf(e -> !now.isBefore(e.expiresAt()));
    if (byHash.size() != before) {
      save();
    }
    return before - byHash.size();
  }

  static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void load() throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    JsonNode root = Json.MAPPER.readTree(file.toFile());
    if (root.path("version").asInt() != VERSION) {
      throw new IOException("Token store " + file + " has version " + root.path("version").asText()
          + "; this release reads version " + VERSION);
    }
    for (JsonNode t : root.path("tokens")) {
      Entry e = new Entry(t.path("id").asText(), t.path("sha256").asText(), t.path("address").asText(),
          Instant.parse(t.path("issuedAt").asText()), Instant.parse(t.path("expiresAt").asText()),
          t.path("revoked").asBoolean());
      byHash.put(e.hash(), e);
    }
  }

  private void save() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("version", VERSION);
    ArrayNode tokens = root.putArray("tokens");
    for (Entry e : byHash.values()) {
      tokens.addObject().put("id", e.id()).put("sha256", e.hash()).put("address", e.address())
          .put("issuedAt", e.issuedAt().toString()).put("expiresAt", e.expiresAt().toString())
          .put("revoked", e.revoked());
    }
    try {
      AtomicFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the token store " + file + "; check the data directory", e);
    }
  }
}
