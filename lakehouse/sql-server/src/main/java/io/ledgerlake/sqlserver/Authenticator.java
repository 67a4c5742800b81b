package io.ledgerlake.sqlserver;

import io.ledgerlake.ingestion.IngestionException;
import io.ledgerlake.ingestion.auth.FileTokenStore;
import io.ledgerlake.ingestion.auth.TokenStore;
import io.ledgerlake.ingestion.dataset.Addresses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a login's cleartext password: user = EVM address and password = one of the platform's API tokens (from
 * {@code ledgerlake login}), or the configured service account. Every failure reads the same to the client (28P01),
 * as in PostgreSQL, so that a caller cannot probe which addresses hold tokens; the reason is logged.
 */
public final class Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

  /** Opens the token store for one login. */
  public interface TokenSource {
    TokenStore open() throws IOException;
  }

  private final TokenSource tokenSource;
  private final String tokenWhere;
  private final Optional<String> serviceUser;
  private final Optional<String> servicePassword;
  private final Clock clock;

  /**
   * @param tokenDir the upload server's token directory ({@code <ingestion data dir>/auth})
   * @param tokenTtl the upload server's token lifetime (only used when issuing, which this class never does)
   */
  public Authenticator(Path tokenDir, Duration tokenTtl, SqlServiceOptions options, Clock clock) {
    // Read anew for every login: the upload server (another process) issues tokens, and a FileTokenStore reads its
    // file only when constructed. A login is one small file read; queries pay nothing.
    this(() -> new FileTokenStore(tokenDir, tokenTtl, clock), tokenDir.toString(), options, clock);
  }

  /**
   * @param tokens opens the token store each login reads (the catalog database's, when several ups share it)
   * @param where where the tokens are, for errors
   */
  public Authenticator(TokenSource tokens, String where, SqlServiceOptions options, Clock clock) {
    this.tokenSource = tokens;
    this.tokenWhere = where;
    this.serviceUser = options.serviceUser();
    this.servicePassword = options.servicePassword();
    this.clock = clock;
  }

  /**
   * Who logged in.
   *
   * @param user the user name to report (the lower-case address, or the service account's name)
   * @param address the EVM address the token proved, empty for the service account (which has none, so row security
   *     shows it public datasets only)
   */
  record Login(String user, Optional<String> address) {}

  /**
   * @return the authenticated login
   * @throws PgException 28P01 on any mismatch; 58000 when the token store cannot be read
   */
  Login authenticate(String user, String password) {
    if (user == null || user.isBlank()) {
      throw new PgException(PgException.INVALID_PASSWORD, "no user name given; connect as your EVM address");
    }
    if (serviceUser.isPresent() && serviceUser.get().equals(user)) {
      // Constant-time comparison: a timing difference would leak the password byte by byte.
      if (password != null && MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8),
          servicePassword.orElseThrow().getBytes(StandardCharsets.UTF_8))) {
        return new Login(user, Optional.empty());
      }
      throw refuse(user, "wrong service-account password");
    }
    String address;
    try {
      address = Addresses.normalize(user);
    } catch (IllegalArgumentException e) {
      throw refuse(user, "user is not an EVM address");
    }
    TokenStore tokens;
    try {
      tokens = tokenSource.open();
    } catch (IOException e) {
      throw new PgException(PgException.EXTERNAL_ERROR, "cannot read the token store in " + tokenWhere + ": "
          + e.getMessage(), e);
    }
    String owner;
    try {
      owner = tokens.authenticate(password);
    } catch (IngestionException e) {
      throw refuse(user, e.getMessage());
    }
    if (!owner.equals(address)) {
      throw refuse(user, "the token belongs to another address");
    }
    return new Login(address, Optional.of(address));
  }

  private static PgException refuse(String user, String reason) {
    LOG.info("SQL login refused for {}: {}", user, reason);
    return new PgException(PgException.INVALID_PASSWORD, "password authentication failed for user \"" + user + "\"");
  }
}
