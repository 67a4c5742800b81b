package io.ledgerlake.ingestion.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.record.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/**
 * A development key file: {@code {"version":1,"address":"0x<EIP-55>","privateKey":"0x<64 hex>"}}, mode 0600.
 * Unencrypted on purpose (local development and tests only; web3j's encrypted wallet format lives in web3j-core,
 * which we do not depend on). See docs/decisions/ingestion-identity.md.
 */
public record DevKeyFile(String address, ECKeyPair keyPair) {
  public static final int VERSION = 1;

  /** Creates a new random key and writes it; refuses to overwrite an existing file. */
  public static DevKeyFile generate(Path file) throws IOException {
    ECKeyPair keyPair;
    try {
      keyPair = Keys.createEcKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("No secp256k1 key generator available", e);
    }
    DevKeyFile key = new DevKeyFile(Keys.toChecksumAddress(Keys.getAddress(keyPair)), keyPair);
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("version", VERSION);
    json.put("address", key.address());
    json.put("privateKey", Numeric.toHexStringWithPrefixZeroPadded(keyPair.getPrivateKey(), 64));
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    if (Files.exists(file)) {
      throw new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite a key file");
    }
    Files.createFile(file);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // best effort on non-POSIX file systems
    }
    Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json),
        StandardOpenOption.TRUNCATE_EXISTING);
    return key;
  }

  public static DevKeyFile load(Path file) throws IOException {
    JsonNode json = Json.MAPPER.readTree(file.toFile());
    if (json.path("version").asInt() != VERSION || !json.path("privateKey").isTextual()) {
      throw new IOException("Key file " + file + " is not a LedgerLake dev key file (version " + VERSION + ")");
    }
    BigInteger privateKey = Numeric.toBigInt(json.path("privateKey").asText());
    ECKeyPair keyPair = ECKeyPair.create(privateKey);
    String address = Keys.toChecksumAddress(Keys.getAddress(keyPair));
    if (json.hasNonNull("address") && !json.get("address").asText().equalsIgnoreCase(address)) {
      throw new IOException("Key file " + file + " names address " + json.get("address").asText()
          + " but its private key belongs to " + address);
    }
    return new DevKeyFile(address, keyPair);
  }

  public String sign(String message) {
    return Signatures.personalSign(message, keyPair);
  }

  @Override
  public String toString() {
    return "DevKeyFile[" + address + "]"; // never print the private key
  }

}
