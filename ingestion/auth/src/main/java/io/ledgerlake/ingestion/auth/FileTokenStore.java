package io.ledgerlake.ingestion.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.record.Json;
import io.ledgerlake.common.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API tokens of one process, persisted as {@code tokens.json} (version 1) under a directory. Only SHA-256 hashes of the
 * secrets are stored, so the file leaking does not leak tokens. The whole file is rewritten atomically on each change:
 * token issuance is rare (one per login), so simplicity beats an embedded database here.
 */
public final class FileTokenStore implements TokenStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileTokenStore.class);
  private static final int VERSION = 1;

  private final Path file;
  private final Clock clock;
  private final Duration ttl;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, StoredToken> byHash = new LinkedHashMap<>();

  public FileTokenStore(Path dir, Duration ttl, Clock clock) throws IOException {
    this.file = dir.resolve("tokens.json");
    this.ttl = ttl;
    this.clock = clock;
    load();
  }

  @Override
  public synchronized ApiToken issue(String address) {
    StoredToken.Issued issued = StoredToken.issue(address, clock.instant(), ttl, random);
    byHash.put(issued.stored().sha256(), issued.stored());
    save();
    LOG.info("Issued API token {} for {} until {}", issued.token().id(), issued.token().address(),
        issued.token().expiresAt());
    return issued.token();
  }

  @Override
  public synchronized String authenticate(String secret) {
    StoredToken entry = byHash.get(StoredToken.lookupKey(secret));
    if (entry == null) {
      throw StoredToken.unknown();
    }
    return entry.check(clock.instant());
  }

  @Override
  public synchronized boolean revoke(String secret) {
    StoredToken entry = byHash.get(StoredToken.hash(secret.trim()));
    if (entry == null || entry.revoked()) {
      return false;
    }
    byHash.put(entry.sha256(), entry.asRevoked());
    save();
    LOG.info("Revoked API token {} of {}", entry.id(), entry.address());
    return true;
  }

  /** Drops expired entries from the file; revoked ones are kept until they expire so they stay rejected as revoked. */
  @Override
  public synchronized int purgeExpired() {
    Instant now = clock.instant();
    int before = byHash.size();
    byHash.values().removeIf(e -> !now.isBefore(e.expiresAt()));
    if (byHash.size() != before) {
      save();
    }
    return before - byHash.size();
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
      StoredToken e = new StoredToken(t.path("id").asText(), t.path("sha256").asText(), t.path("address").asText(),
          Instant.parse(t.path("issuedAt").asText()), Instant.parse(t.path("expiresAt").asText()),
          t.path("revoked").asBoolean());
      byHash.put(e.sha256(), e);
    }
  }

  private void save() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("version", VERSION);
    ArrayNode tokens = root.putArray("tokens");
    for (StoredToken e : byHash.values()) {
      tokens.addObject().put("id", e.id()).put("sha256", e.sha256()).put("address", e.address())
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
