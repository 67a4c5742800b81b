package io.ledgerlake.ingestion.server;

import static io.ledgerlake.ingestion.server.HttpApi.readJson;
import static io.ledgerlake.ingestion.server.HttpApi.requireMethod;
import static io.ledgerlake.ingestion.server.HttpApi.requiredText;
import static io.ledgerlake.ingestion.server.HttpApi.send;
import static io.ledgerlake.ingestion.server.HttpApi.sendJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.auth.ApiToken;
import io.ledgerlake.ingestion.auth.SiweAuthenticator;
import io.ledgerlake.ingestion.auth.SiweMessage;
import io.ledgerlake.ingestion.auth.TokenStore;
import io.ledgerlake.ingestion.record.Json;
import java.io.IOException;

/** Sign-In with Ethereum: {@code POST /v1/auth/challenge}, {@code /login}, {@code /logout}. */
final class AuthEndpoints implements Endpoints {
  private final TokenStore tokens;
  private final SiweAuthenticator siwe;

  AuthEndpoints(TokenStore tokens, SiweAuthenticator siwe) {
    this.tokens = tokens;
    this.siwe = siwe;
  }

  @Override
  public boolean handle(Exchange ex, String method, String path) throws IOException {
    switch (path) {
      case "/v1/auth/challenge" -> {
        requireMethod(method, "POST");
        challenge(ex);
      }
      case "/v1/auth/login" -> {
        requireMethod(method, "POST");
        login(ex);
      }
      case "/v1/auth/logout" -> {
        requireMethod(method, "POST");
        logout(ex);
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private void challenge(Exchange ex) throws IOException {
    JsonNode body = readJson(ex);
    String address = requiredText(body, "address");
    SiweMessage message;
    try {
      message = siwe.challenge(address);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("message", message.render());
    out.put("nonce", message.nonce());
    out.put("expiresAt", message.expirationTime().map(Object::toString).orElse(""));
    sendJson(ex, 200, out);
  }

  private void login(Exchange ex) throws IOException {
    JsonNode body = readJson(ex);
    ApiToken token = siwe.login(requiredText(body, "message"), requiredText(body, "signature"));
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("token", token.secret());
    out.put("tokenId", token.id());
    out.put("address", token.address());
    out.put("expiresAt", token.expiresAt().toString());
    sendJson(ex, 200, out);
  }

  private void logout(Exchange ex) throws IOException {
    String secret = ApiAuth.bearer(ex);
    tokens.authenticate(secret);
    tokens.revoke(secret);
    send(ex, 204, null, null);
  }
}
