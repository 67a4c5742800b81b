package io.ledgerlake.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.ingestion.auth.ApiToken;
import io.ledgerlake.ingestion.auth.AuthenticationException;
import io.ledgerlake.ingestion.auth.FileTokenStore;
import io.ledgerlake.ingestion.auth.TokenStore;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.coordination.CoordinationDatabase;
import io.ledgerlake.lakehouse.coordination.PostgresTestInstance;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API tokens in the catalog database, as two {@code up} processes sharing one PostgreSQL catalog see them (two stores,
 * each with its own connections); skipped with a message where PostgreSQL cannot start.
 */
class JdbcTokenStoreTest {
  private static final String ADDRESS = "0x" + "AB".repeat(20);

  private static PostgresTestInstance pg;

  @BeforeAll
  static void start() throws Exception {
    pg = PostgresTestInstance.startOrSkip();
  }

  @AfterAll
  static void stop() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  static JdbcTokenStore process(Clock clock) {
    CoordinationDatabase db = new CoordinationDatabase(pg.url(), "postgres", "");
    db.migrate();
    return new JdbcTokenStore(db, Duration.ofHours(1), clock);
  }

  @Test
  void aTokenIssuedByOneProcessIsAcceptedByTheOtherUntilRevokedOrExpired() {
    Instant t0 = Instant.parse("2026-12-04T06:00:00Z");
    JdbcTokenStore a = process(Clock.fixed(t0, ZoneOffset.UTC));
    JdbcTokenStore b = process(Clock.fixed(t0.plusSeconds(60), ZoneOffset.UTC));

    ApiToken token = a.issue(ADDRESS);
    assertThat(token.address()).isEqualTo(ADDRESS.toLowerCase());
    assertThat(b.authenticate(token.secret())).isEqualTo(ADDRESS.toLowerCase());
    assertThat(b.authenticate("  " + token.secret() + " ")).as("trimmed as the file store does").isNotNull();

    assertThatThrownBy(() -> b.authenticate("llk_not-a-token")).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("not known");
    assertThatThrownBy(() -> b.authenticate(" ")).hasMessageContaining("needs an API token");

    assertThat(b.revoke(token.secret())).isTrue();
    assertThat(b.revoke(token.secret())).as("a second revocation").isFalse();
    assertThatThrownBy(() -> a.authenticate(token.secret())).hasMessageContaining("revoked");

    ApiToken other = a.issue(ADDRESS);
    JdbcTokenStore later = process(Clock.fixed(t0.plus(Duration.ofHours(2)), ZoneOffset.UTC));
    assertThatThrownBy(() -> later.authenticate(other.secret())).hasMessageContaining("expired");
    assertThat(later.purgeExpired()).isGreaterThanOrEqualTo(2);
    assertThatThrownBy(() -> a.authenticate(other.secret())).hasMessageContaining("not known");
  }

  @Test
  void theSelectionPointIsTheCatalog(@TempDir Path dir) {
    TokenStore embedded = JdbcTokenStore.forCatalog(LakehouseOptions.embedded(dir.resolve("data")), dir.resolve("auth"),
        Duration.ofHours(1), Clock.systemUTC());
    assertThat(embedded).isInstanceOf(FileTokenStore.class);
  }
}
