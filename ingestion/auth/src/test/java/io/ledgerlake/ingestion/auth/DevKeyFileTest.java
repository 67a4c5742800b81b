package io.ledgerlake.ingestion.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevKeyFileTest {
  @TempDir
  Path dir;

  @Test
  void generatedKeyLoadsBackAndSignsVerifiably() throws IOException {
    Path file = dir.resolve("keys/dev.json");
    DevKeyFile key = DevKeyFile.generate(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    DevKeyFile loaded = DevKeyFile.load(file);
    assertThat(loaded.address()).isEqualTo(key.address()).matches("0x[0-9a-fA-F]{40}");
    String signature = loaded.sign("hello");
    assertThat(Signatures.recoverSigner("hello", signature)).isEqualTo(key.address().toLowerCase());
    assertThat(key.toString()).doesNotContain(key.keyPair().getPrivateKey().toString(16));
    assertThatThrownBy(() -> DevKeyFile.generate(file)).isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void knownKeyGivesKnownAddressAndSignature() throws IOException {
    // The first default anvil/hardhat account: a public, widely published test key.
    Path file = dir.resolve("anvil0.json");
    Files.writeString(file, "{\"version\":1,\"privateKey\":"
        + "\"0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80\"}");
    DevKeyFile key = DevKeyFile.load(file);
    assertThat(key.address()).isEqualTo("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    // v may be 27 or 28 and some wallets send 0/1: both verify.
    String sig = key.sign("LedgerLake");
    String lowV = sig.substring(0, 130) + (sig.endsWith("1b") ? "00" : "01");
    assertThat(Signatures.recoverSigner("LedgerLake", lowV)).isEqualTo(key.address().toLowerCase());
  }
}
