package io.ledgerlake.ingestion.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.ingestion.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiweAuthenticatorTest {
  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
  private TokenStore tokens;
  private SiweAuthenticator auth;
  private DevKeyFile alice;
  private DevKeyFile mallory;

  @BeforeEach
  void setUp() throws IOException {
    tokens = new FileTokenStore(dir.resolve("auth"), Duration.ofHours(1), clock);
    auth = new SiweAuthenticator("localhost:8080", "http://localhost:8080", 31337, Duration.ofMinutes(5), tokens, clock);
    alice = DevKeyFile.generate(dir.resolve("alice.json"));
    mallory = DevKeyFile.generate(dir.resolve("mallory.json"));
  }

  private static void assertAuthFails(Runnable call, String code, String message) {
    assertThatThrownBy(call::run).isInstanceOf(AuthenticationException.class).hasMessageContaining(message)
        .extracting(e -> ((AuthenticationException) e).code()).isEqualTo(code);
  }

  @Test
  void validLoginIssuesATokenThatAuthenticatesTheSigner() {
    String message = auth.challenge(alice.address()).render();
    assertThat(message).startsWith("localhost:8080 wants you to sign in with your Ethereum account:\n"
        + alice.address() + "\n\n" + SiweAuthenticator.STATEMENT + "\n\nURI: http://localhost:8080\nVersion: 1\n"
        + "Chain ID: 31337\nNonce: ");
    ApiToken token = auth.login(message, alice.sign(message));
    assertThat(token.address()).isEqualTo(alice.address().toLowerCase());
    assertThat(token.secret()).startsWith("llk_");
    assertThat(tokens.authenticate(token.secret())).isEqualTo(alice.address().toLowerCase());
    assertThat(token.toString()).doesNotContain(token.secret());
  }

  @Test
  void wrongSignerIsRejected() {
    String message = auth.challenge(alice.address()).render();
    assertAuthFails(() -> auth.login(message, mallory.sign(message)), "SIWE_BAD_SIGNATURE",
        "not by the message's address " + alice.address().toLowerCase());
    // The failed attempt did not burn Alice's nonce: she can still log in.
    assertThat(auth.login(message, alice.sign(message)).address()).isEqualTo(alice.address().toLowerCase());
  }

  @Test
  void tamperedMessageIsRejected() {
    String message = auth.challenge(alice.address()).render();
    String signature = alice.sign(message);
    String tampered = message.replace(SiweAuthenticator.STATEMENT,
        "Sign in and transfer everything.");
    assertAuthFails(() -> auth.login(tampered, signature), "SIWE_BAD_SIGNATURE", "Signature was made by");
    String otherDomain = message.replace("localhost:8080 wants", "evil.example wants");
    assertAuthFails(() -> auth.login(otherDomain, alice.sign(otherDomain)), "SIWE_WRONG_DOMAIN", "evil.example");
    assertAuthFails(() -> auth.login("hello", alice.sign("hello")), "SIWE_MALFORMED", "EIP-4361");
    assertAuthFails(() -> auth.login(message, "0x1234"), "SIWE_BAD_SIGNATURE", "2 bytes instead of 65");
  }

  @Test
  void replayedNonceIsRejected() {
    String message = auth.challenge(alice.address()).render();
    String signature = alice.sign(message);
    auth.login(message, signature);
    assertAuthFails(() -> auth.login(message, signature), "SIWE_NONCE_UNKNOWN", "unknown or already used");
  }

  @Test
  void expiredNonceIsRejected() {
    String message = auth.challenge(alice.address()).render();
    clock.advance(Duration.ofMinutes(5));
    assertAuthFails(() -> auth.login(message, alice.sign(message)), "SIWE_NONCE_EXPIRED", "request a new challenge");
  }

  @Test
  void nonceIssuedToAnotherAddressCannotBeUsed() {
    SiweMessage forAlice = auth.challenge(alice.address());
    SiweMessage stolen = new SiweMessage(forAlice.domain(), mallory.address(), forAlice.statement(), forAlice.uri(),
        forAlice.chainId(), forAlice.nonce(), forAlice.issuedAt(), forAlice.expirationTime());
    String text = stolen.render();
    assertAuthFails(() -> auth.login(text, mallory.sign(text)), "SIWE_NONCE_UNKNOWN", "issued to another address");
  }

  @Test
  void messageRendersAndParsesIdentically() {
    SiweMessage message = auth.challenge(alice.address());
    assertThat(SiweMessage.parse(message.render())).isEqualTo(message);
  }
}
