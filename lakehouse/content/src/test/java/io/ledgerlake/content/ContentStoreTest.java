package io.ledgerlake.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.content.blockstore.FsyncPolicy;
import io.ledgerlake.content.car.CarImporter;
import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.multiformats.Multicodec;
import io.ledgerlake.content.multiformats.Multihash;
import io.ledgerlake.content.testing.SeededBytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ContentStoreTest {
  @TempDir Path tmp;

  private ContentStore store(String name) {
    return ContentStore.open(ContentOptions.defaults().withStoreDir(tmp.resolve(name)).withFsync(FsyncPolicy.NEVER));
  }

  @ParameterizedTest
  @EnumSource(Profile.class)
  void addThenOpenReturnsTheSameBytesUnderTheSameCidAsCidOnly(Profile profile) throws IOException {
    ContentStore store = store("s");
    Path file = tmp.resolve("f.bin");
    SeededBytes.writeFile(file, 42, 3 * profile.chunkSize() + 77);
    AddResult added = store.add(file, profile);
    assertThat(added.cid()).isEqualTo(ContentStore.cid(file, profile).cid());
    assertThat(added.contentBytes()).isEqualTo(Files.size(file));
    assertThat(store.pins()).containsExactly(added.cid());
    try (InputStream in = store.open(added.cid().toString())) {
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(file));
    }
  }

  @Test
  void corruptLeafStopsTheReadWithTheCidAndNeverYieldsWrongBytes() throws IOException {
    ContentStore store = store("s");
    byte[] original = SeededBytes.bytes(7, 3 * (1 << 20));
    AddResult added = store.add(new ByteArrayInputStream(original), Profile.UNIXFS_V1_2025);
    Cid second = Cid.v1(Multicodec.RAW, Multihash.sha256(original, 1 << 20, 1 << 20));
    Path block = store.blockstore().pathOf(second);
    byte[] bad = Files.readAllBytes(block);
    bad[100] ^= 1;
    Files.write(block, bad);

    ByteArrayOutputStream got = new ByteArrayOutputStream();
    assertThatThrownBy(() -> {
      try (InputStream in = store.open(added.cid())) {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
          got.write(buf, 0, n);
        }
      }
    }).isInstanceOf(BlockIntegrityException.class).hasMessageContaining(second.toString());
    byte[] prefix = got.toByteArray();
    assertThat(prefix.length).isEqualTo(1 << 20);
    assertThat(prefix).isEqualTo(Arrays.copyOf(original, prefix.length));
  }

  @Test
  void openingADirectoryOrUnknownCidIsAUserError() throws IOException {
    ContentStore store = store("s");
    Path dir = tmp.resolve("d");
    SeededBytes.writeFile(dir.resolve("a"), 1, 10);
    AddResult added = store.addDirectory(dir, Profile.UNIXFS_V1_2025);
    assertThatThrownBy(() -> store.open(added.cid()).read())
        .isInstanceOf(MalformedContentException.class).hasMessageContaining("is a directory")
        .satisfies(e -> assertThat(((ContentException) e).category()).isEqualTo(ErrorCategory.USER_ERROR));
    Cid unknown = Cid.v1(Multicodec.RAW, Multihash.sha256(new byte[] {9}));
    assertThatThrownBy(() -> store.open(unknown)).isInstanceOf(BlockNotFoundException.class)
        .hasMessageContaining(unknown.toString());
    assertThatThrownBy(() -> store.open("not-a-cid")).isInstanceOf(InvalidCidException.class);
  }

  @Test
  void missingPathOrDirectoryWithoutRecursiveIsAUserErrorNamingThePath() throws IOException {
    Path missing = tmp.resolve("nope.bin");
    assertThatThrownBy(() -> ContentStore.cid(missing, Profile.DEFAULT))
        .isInstanceOf(InputPathException.class).hasMessageContaining(missing.toString())
        .hasMessageContaining("no such file")
        .satisfies(e -> assertThat(((ContentException) e).category()).isEqualTo(ErrorCategory.USER_ERROR));
    Path dir = tmp.resolve("dir");
    SeededBytes.writeFile(dir.resolve("a"), 1, 3);
    assertThatThrownBy(() -> ContentStore.cid(dir, Profile.DEFAULT, false))
        .isInstanceOf(InputPathException.class).hasMessageContaining("Use -r");
    assertThat(ContentStore.cid(dir, Profile.DEFAULT, true).cid()).isEqualTo(ContentStore.cid(dir, Profile.DEFAULT).cid());
  }

  @Test
  void unreadableFileIsAUserError() throws IOException {
    Path file = tmp.resolve("secret.bin");
    SeededBytes.writeFile(file, 1, 3);
    boolean enforced = file.toFile().setReadable(false, false) && !Files.isReadable(file);
    org.junit.jupiter.api.Assumptions.assumeTrue(enforced, "running as root: file permissions are not enforced");
    assertThatThrownBy(() -> ContentStore.cid(file, Profile.DEFAULT))
        .isInstanceOf(InputPathException.class).hasMessageContaining("permission denied");
  }

  @Test
  void carExportImportRoundTripIntoAFreshStore() throws IOException {
    ContentStore a = store("a");
    Path dir = tmp.resolve("tree");
    SeededBytes.writeFile(dir.resolve("x.bin"), 5, 2 * (1 << 20) + 3);
    SeededBytes.writeFile(dir.resolve("sub/y.bin"), 6, 100);
    AddResult added = a.add(dir, Profile.UNIXFS_V1_2025);
    Path car = tmp.resolve("out.car");
    long blocks = a.exportCar(added.cid(), car);
    assertThat(blocks).isEqualTo(a.stats().blocks());

    ContentStore b = store("b");
    CarImporter.Result r = b.importCar(car);
    assertThat(r.roots()).containsExactly(added.cid());
    assertThat(r.blocks()).isEqualTo(blocks);
    assertThat(b.pins()).containsExactly(added.cid());
    assertThat(b.stats().blocks()).isEqualTo(blocks);
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    b.exportCar(added.cid(), again);
    assertThat(again.toByteArray()).isEqualTo(Files.readAllBytes(car));
  }

  @Test
  void carWithABadBlockOrTruncatedIsRejectedWholeAndStoresNothing() throws IOException {
    ContentStore a = store("a");
    byte[] content = SeededBytes.bytes(8, 2 * (1 << 20) + 5);
    AddResult added = a.add(new ByteArrayInputStream(content), Profile.UNIXFS_V1_2025);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    a.exportCar(added.cid(), out);
    byte[] car = out.toByteArray();

    byte[] flipped = car.clone();
    flipped[flipped.length - 10] ^= 1; // inside the last block's payload
    ContentStore b = store("b");
    assertThatThrownBy(() -> b.importCar(new ByteArrayInputStream(flipped), "flipped.car"))
        .isInstanceOf(CarFormatException.class).hasMessageContaining("does not hash to its CID")
        .hasMessageContaining("flipped.car");
    assertThat(b.stats().blocks()).isZero();

    byte[] truncated = Arrays.copyOf(car, car.length - 1000);
    assertThatThrownBy(() -> b.importCar(new ByteArrayInputStream(truncated), "short.car"))
        .isInstanceOf(CarFormatException.class).hasMessageContaining("truncated");
    assertThat(b.stats().blocks()).isZero();
    assertThat(b.pins()).isEmpty();
    try (var staged = Files.list(tmp.resolve("b").resolve("tmp"))) {
      assertThat(staged).isEmpty();
    }
  }

  @Test
  void unknownProfileIsAUserErrorNamingTheValue() {
    assertThatThrownBy(() -> Profile.parse("unixfs-v2"))
        .isInstanceOf(UnknownProfileException.class)
        .hasMessageContaining("'unixfs-v2'").hasMessageContaining("unixfs-v1-2025, unixfs-v0-2015")
        .satisfies(e -> assertThat(((ContentException) e).category()).isEqualTo(ErrorCategory.USER_ERROR));
    assertThat(Profile.parse("UNIXFS-V0-2015")).isEqualTo(Profile.UNIXFS_V0_2015);
  }
}
