package io.ledgerlake.ingestion.server;


import io.ledgerlake.ingestion.auth.AuthenticationException;
import io.ledgerlake.ingestion.auth.TokenStore;
import java.util.Optional;

/** Who is calling: the bearer token of a request, checked against the token store once per request. */
final class ApiAuth {
  private final TokenStore tokens;

  ApiAuth(TokenStore tokens) {
    this.tokens = tokens;
  }

  String authenticate(Exchange ex) {
    if (ex.caller == null) {
      ex.caller = tokens.authenticate(ApiAuth.bearer(ex));
    }
    return ex.caller;
  }

  Optional<String> optionalCaller(Exchange ex) {
    String secret = ApiAuth.bearer(ex);
    return secret == null ? Optional.empty() : Optional.of(tokens.authenticate(secret));
  }

  static String bearer(Exchange ex) {
    String header = ex.header("Authorization");
    if (header == null) {
      return null;
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new AuthenticationException("TOKEN_MISSING", "Authorization header must be 'Bearer <token>'");
    }
    return header.substring(7).trim();
  }
}
