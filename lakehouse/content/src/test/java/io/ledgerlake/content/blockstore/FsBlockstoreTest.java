package io.ledgerlake.content.blockstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.content.BlockIntegrityException;
import io.ledgerlake.content.BlockNotFoundException;
import io.ledgerlake.content.Profile;
import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.multiformats.Multicodec;
import io.ledgerlake.content.multiformats.Multihash;
import io.ledgerlake.content.testing.SeededBytes;
import io.ledgerlake.content.unixfs.FileImporter;
import io.ledgerlake.content.unixfs.ImportedNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FsBlockstoreTest {
  @TempDir Path dir;

  private static Cid rawCid(byte[] b) {
    return Cid.v1(Multicodec.RAW, Multihash.sha256(b));
  }

  @ParameterizedTest
  @EnumSource(FsyncPolicy.class)
  void putGetHasDeleteUnderEveryFsyncPolicy(FsyncPolicy policy) {
    FsBlockstore store = FsBlockstore.open(dir, policy);
    byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
    Cid cid = rawCid(data);
    assertThat(store.has(cid)).isFalse();
    assertThat(store.put(cid, data)).isTrue();
    assertThat(store.put(cid, data)).as("write-once: second put is a no-op").isFalse();
    store.sync();
    assertThat(store.has(cid)).isTrue();
    assertThat(store.get(cid)).isEqualTo(data);
    assertThat(store.stats()).isEqualTo(new BlockstoreStats(1, 5, 0));
    assertThat(store.delete(cid)).isTrue();
    assertThat(store.has(cid)).isFalse();
    assertThat(store.stats().blocks()).isZero();
    assertThat(store.stats().bytes()).isZero();
    assertThatThrownBy(() -> store.get(cid)).isInstanceOf(BlockNotFoundException.class).hasMessageContaining(cid.toString());
  }

  @Test
  void layoutIsShardedByMultihashAndLeavesNoTempFiles() throws IOException {
    FsBlockstore store = FsBlockstore.open(dir, FsyncPolicy.NEVER);
    byte[] data = {1, 2, 3};
    Cid raw = rawCid(data);
    store.put(raw, data);
    Path p = store.pathOf(raw);
    assertThat(p).exists();
    String name = p.getFileName().toString();
    assertThat(name).endsWith(".data").startsWith("CIQ");
    String key = name.substring(0, name.length() - 5);
    assertThat(p.getParent().getFileName().toString()).isEqualTo(key.substring(key.length() - 3, key.length() - 1));
    // a dag-pb CID over the same bytes shares the stored copy: keyed by multihash
    assertThat(store.pathOf(Cid.v1(Multicodec.DAG_PB, raw.multihash()))).isEqualTo(p);
    try (var tmp = Files.list(dir.resolve("tmp"))) {
      assertThat(tmp).isEmpty();
    }
    assertThat(Files.readString(dir.resolve("VERSION")).strip()).isEqualTo(FsBlockstore.LAYOUT_VERSION);
  }

  @Test
  void openingTheStoreElsewhereLeavesAnotherWritersTempFilesAndDropsOldLeftovers() throws IOException {
    FsBlockstore writer = FsBlockstore.open(dir, FsyncPolicy.NEVER);
    // A write in flight in the writer's process (its bytes in tmp/, not published yet), and an old leftover.
    Path inFlight = Files.writeString(dir.resolve("tmp").resolve("CIQINFLIGHT.abc.1"), "partial");
    Path leftover = Files.writeString(dir.resolve("tmp").resolve("CIQOLD.def.7"), "interrupted");
    Files.setLastModifiedTime(leftover, java.nio.file.attribute.FileTime.from(
        java.time.Instant.now().minus(FsBlockstore.STALE_TMP).minusSeconds(60)));
    FsBlockstore reader = FsBlockstore.open(dir, FsyncPolicy.NEVER); // e.g. a Flink task opening the store
    assertThat(inFlight).as("another process's write in flight").exists();
    assertThat(leftover).as("an interrupted write of long ago").doesNotExist();
    // Both instances write the same block at once without tripping over each other's temporary names.
    byte[] data = {9, 8, 7};
    Cid cid = rawCid(data);
    writer.put(cid, data);
    reader.put(cid, data);
    assertThat(reader.get(cid)).isEqualTo(data);
  }

  @Test
  void putRejectsBytesThatDoNotMatchTheCid() {
    FsBlockstore store = FsBlockstore.open(dir, FsyncPolicy.NEVER);
    Cid cid = rawCid(new byte[] {1});
    assertThatThrownBy(() -> store.put(cid, new byte[] {2}))
        .isInstanceOf(BlockIntegrityException.class).hasMessageContaining(cid.toString());
    assertThat(store.has(cid)).isFalse();
  }

  @Test
  void corruptBlockOnDiskIsDetectedNamingTheCid() throws IOException {
    FsBlockstore store = FsBlockstore.open(dir, FsyncPolicy.NEVER);
    byte[] data = {1, 2, 3, 4};
    Cid cid = rawCid(data);
    store.put(cid, data);
    Files.write(store.pathOf(cid), new byte[] {1, 2, 3, 5});
    assertThatThrownBy(() -> store.get(cid))
        .isInstanceOf(BlockIntegrityException.class)
        .hasMessageContaining(cid.toString())
        .satisfies(e -> assertThat(((BlockIntegrityException) e).cid()).isEqualTo(cid.toString()));
  }

  @Test
  void pinsPersistAcrossReopenAndGcKeepsOnlyPinnedDags() throws IOException {
    FsBlockstore store = FsBlockstore.open(dir, FsyncPolicy.BATCH);
    FileImporter importer = new FileImporter(Profile.UNIXFS_V1_2025, store);
    ImportedNode kept = importer.importFrom(new SeededBytes(1, 3 * (1 << 20) + 10));
    ImportedNode dropped = importer.importFrom(new SeededBytes(2, 2 * (1 << 20) + 10));
    store.sync();
    // 4 leaves + root, and 3 leaves + root
    assertThat(store.stats().blocks()).isEqualTo(5 + 4);
    long keptBytes = kept.dagSize();
    store.pin(kept.cid());

    FsBlockstore reopened = FsBlockstore.open(dir, FsyncPolicy.BATCH);
    assertThat(reopened.pins()).containsExactly(kept.cid());
    assertThat(reopened.stats().blocks()).isEqualTo(9);
    GcResult gc = reopened.gc();
    assertThat(gc.removedBlocks()).isEqualTo(4);
    assertThat(gc.removedBytes()).isEqualTo(dropped.dagSize());
    assertThat(gc.keptBlocks()).isEqualTo(5);
    assertThat(reopened.has(dropped.cid())).isFalse();
    assertThat(reopened.has(kept.cid())).isTrue();
    assertThat(reopened.stats().bytes()).as("the kept DAG's blocks are exactly its Tsize").isEqualTo(keptBytes);

    assertThat(reopened.unpin(kept.cid())).isTrue();
    assertThat(reopened.gc().removedBlocks()).isEqualTo(5);
    assertThat(reopened.stats()).isEqualTo(new BlockstoreStats(0, 0, 0));
  }

  @Test
  void pinningAnIncompleteDagFailsNamingTheMissingBlock() throws IOException {
    FsBlockstore store = FsBlockstore.open(dir, FsyncPolicy.NEVER);
    ImportedNode node = new FileImporter(Profile.UNIXFS_V1_2025, store).importFrom(new SeededBytes(3, (1 << 20) + 1));
    Cid secondLeaf = Cid.v1(Multicodec.RAW, Multihash.sha256(SeededBytes.bytes(3, (1 << 20) + 1), 1 << 20, 1));
    assertThat(store.delete(secondLeaf)).isTrue();
    assertThatThrownBy(() -> store.pin(node.cid()))
        .isInstanceOf(BlockNotFoundException.class).hasMessageContaining(secondLeaf.toString());
    assertThat(store.pins()).isEmpty();
  }

  @Test
  void refusesAStoreWithAnotherLayoutVersion() throws IOException {
    FsBlockstore.open(dir, FsyncPolicy.NEVER);
    Files.writeString(dir.resolve("VERSION"), "ledgerlake-blockstore 99\n");
    assertThatThrownBy(() -> FsBlockstore.open(dir, FsyncPolicy.NEVER))
        .isInstanceOf(io.ledgerlake.content.MalformedContentException.class)
        .hasMessageContaining("ledgerlake-blockstore 99");
  }

  @Test
  void pinFileWithoutHeaderIsRejected() throws IOException {
    FsBlockstore.open(dir, FsyncPolicy.NEVER);
    Files.writeString(dir.resolve("pins"), "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku\n");
    assertThatThrownBy(() -> FsBlockstore.open(dir, FsyncPolicy.NEVER))
        .hasMessageContaining(FsBlockstore.PINS_HEADER);
  }
}
