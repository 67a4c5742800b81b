package io.ledgerlake.ingestion.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Sign-In with Ethereum message (EIP-4361), rendered and parsed exactly in the EIP's line format. Only the fields
 * LedgerLake uses are supported (no Not Before, Request ID or Resources); parsing rejects anything else, so a signed
 * message always means exactly what {@link #render()} shows.
 */
public record SiweMessage(
    String domain,
    String address,
    String statement,
    String uri,
    long chainId,
    String nonce,
    Instant issuedAt,
    Optional<Instant> expirationTime) {

  public static final String VERSION = "1";
  private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9]{8,}");
  private static final Pattern MESSAGE = Pattern.compile(
      "(?<domain>[^\\s]+) wants you to sign in with your Ethereum account:\\n"
          + "(?<address>0x[0-9a-fA-F]{40})\\n"
          + "\\n"
          + "(?:(?<statement>[^\\n]+)\\n)?"
          + "\\n"
          + "URI: (?<uri>[^\\s]+)\\n"
          + "Version: (?<version>[^\\n]+)\\n"
          + "Chain ID: (?<chainId>[0-9]+)\\n"
          + "Nonce: (?<nonce>[^\\n]+)\\n"
          + "Issued At: (?<issuedAt>[^\\n]+)"
          + "(?:\\nExpiration Time: (?<expirationTime>[^\\n]+))?");

  public SiweMessage {
    requireNonNull(domain, "domain");
    requireNonNull(address, "address");
    requireNonNull(statement, "statement");
    requireNonNull(uri, "uri");
    requireNonNull(nonce, "nonce");
    requireNonNull(issuedAt, "issuedAt");
    requireNonNull(expirationTime, "expirationTime");
    if (!NONCE.matcher(nonce).matches()) {
      throw new IllegalArgumentException("SIWE nonce must be at least 8 alphanumeric characters: " + nonce);
    }
    if (statement.contains("\n")) {
      throw new IllegalArgumentException("SIWE statement must be a single line");
    }
  }

  public String render() {
    StringBuilder out = new StringBuilder();
    out.append(domain).append(" wants you to sign in with your Ethereum account:\n");
    out.append(address).append("\n\n");
    if (!statement.isEmpty()) {
      out.append(statement).append('\n');
    }
    out.append('\n');
    out.append("URI: ").append(uri).append('\n');
    out.append("Version: ").append(VERSION).append('\n');
    out.append("Chain ID: ").append(chainId).append('\n');
    out.append("Nonce: ").append(nonce).append('\n');
    out.append("Issued At: ").append(issuedAt);
    expirationTime.ifPresent(t -> out.append("\nExpiration Time: ").append(t));
    return out.toString();
  }

  /** @throws AuthenticationException SIWE_MALFORMED naming what does not match the EIP-4361 format */
  public static SiweMessage parse(String text) {
    Matcher m = MESSAGE.matcher(requireNonNull(text, "text"));
    if (!m.matches()) {
      throw new AuthenticationException("SIWE_MALFORMED",
          "Sign-in message is not an EIP-4361 message as issued by POST /v1/auth/challenge; sign it unchanged");
    }
    if (!VERSION.equals(m.group("version"))) {
      throw new AuthenticationException("SIWE_MALFORMED", "Sign-in message version " + m.group("version")
          + " is not supported; expected " + VERSION);
    }
    try {
      return new SiweMessage(m.group("domain"), m.group("address"),
          m.group("statement") == null ? "" : m.group("statement"), m.group("uri"),
          Long.parseLong(m.group("chainId")), m.group("nonce"), Instant.parse(m.group("issuedAt")),
          Optional.ofNullable(m.group("expirationTime")).map(Instant::parse));
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw new AuthenticationException("SIWE_MALFORMED", "Sign-in message has an invalid field: " + e.getMessage());
    }
  }
}
