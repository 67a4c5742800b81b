package io.ledgerlake.provenance.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PendingTransactionJournalTest {
  private static final PendingTransaction P = new PendingTransaction("0x" + "ab".repeat(20), BigInteger.valueOf(7),
      "0x" + "cd".repeat(32), "0xf86b07", "AssetRegistry.registerAsset");

  @Test
  void recordsLoadsAndClears(@TempDir Path dir) {
    PendingTransactionJournal j = PendingTransactionJournal.forAccount(dir, 31337, P.from().toUpperCase());
    assertThat(j.file().getFileName().toString()).isEqualTo("31337-0x" + "ab".repeat(20) + ".json");
    assertThat(j.load()).isEmpty();
    j.record(P);
    assertThat(new PendingTransactionJournal(j.file()).load()).contains(P);
    // Written through AtomicFiles (temporary file fsynced, renamed, directory fsynced): nothing else is left behind.
    try (var files = Files.list(j.file().getParent())) {
      assertThat(files).containsExactly(j.file());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    j.clear();
    assertThat(j.load()).isEmpty();
    assertThat(Files.exists(j.file())).isFalse();
  }

  @Test
  void version1FormatIsStableAndOthersAreRejected() throws Exception {
    String v1 = """
        {"formatVersion":1,"from":"0xabababababababababababababababababababab","nonce":"7",
         "hash":"0xcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
         "signedRawTransaction":"0xf86b07","operation":"AssetRegistry.registerAsset"}""";
    assertThat(PendingTransactionJournal.fromJson(v1)).isEqualTo(P);
    assertThat(PendingTransactionJournal.fromJson(PendingTransactionJournal.toJson(P))).isEqualTo(P);
    assertThatThrownBy(() -> PendingTransactionJournal.fromJson("{\"formatVersion\":9}"))
        .hasMessageContaining("format version 9 is not supported");
  }
}
