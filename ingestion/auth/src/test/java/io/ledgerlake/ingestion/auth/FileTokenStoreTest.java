package io.ledgerlake.ingestion.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.ingestion.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTokenStoreTest {
  private static final String ADDRESS = "0x00000000000000000000000000000000000000aa";

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));

  @Test
  void expiredTokenIsRejected() throws IOException {
    TokenStore store = new FileTokenStore(dir, Duration.ofHours(1), clock);
    ApiToken token = store.issue(ADDRESS);
    clock.advance(Duration.ofMinutes(59));
    assertThat(store.authenticate(token.secret())).isEqualTo(ADDRESS);
    clock.advance(Duration.ofMinutes(1));
    assertThatThrownBy(() -> store.authenticate(token.secret())).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("expired at 2026-11-22T01:00:00Z");
  }

  @Test
  void revokedTokenIsRejectedAlsoAfterRestart() throws IOException {
    TokenStore store = new FileTokenStore(dir, Duration.ofHours(1), clock);
    ApiToken kept = store.issue(ADDRESS);
    ApiToken revoked = store.issue(ADDRESS);
    assertThat(store.revoke(revoked.secret())).isTrue();
    assertThat(store.revoke(revoked.secret())).isFalse();
    TokenStore reopened = new FileTokenStore(dir, Duration.ofHours(1), clock);
    assertThat(reopened.authenticate(kept.secret())).isEqualTo(ADDRESS);
    assertThatThrownBy(() -> reopened.authenticate(revoked.secret())).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("was revoked");
  }

  @Test
  void onlyHashesAreStored() throws IOException {
    TokenStore store = new FileTokenStore(dir, Duration.ofHours(1), clock);
    ApiToken token = store.issue(ADDRESS);
    String file = Files.readString(dir.resolve("tokens.json"));
    assertThat(file).doesNotContain(token.secret()).contains(StoredToken.hash(token.secret())).contains("\"version\" : 1");
  }

  @Test
  void unknownAndMissingTokensAreRejected() throws IOException {
    TokenStore store = new FileTokenStore(dir, Duration.ofHours(1), clock);
    assertThatThrownBy(() -> store.authenticate("llk_nope")).hasMessageContaining("not known");
    assertThatThrownBy(() -> store.authenticate(null)).hasMessageContaining("Authorization: Bearer");
  }

  @Test
  void purgeDropsOnlyExpiredEntries() throws IOException {
    TokenStore store = new FileTokenStore(dir, Duration.ofHours(1), clock);
    store.issue(ADDRESS);
    clock.advance(Duration.ofMinutes(30));
    ApiToken fresh = store.issue(ADDRESS);
    clock.advance(Duration.ofMinutes(31));
    assertThat(store.purgeExpired()).isEqualTo(1);
    assertThat(store.authenticate(fresh.secret())).isEqualTo(ADDRESS);
  }
}
