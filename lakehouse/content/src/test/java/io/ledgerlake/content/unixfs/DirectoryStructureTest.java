package io.ledgerlake.content.unixfs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.content.Profile;
import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.testing.Vectors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the shape of what the directory builder emits, beyond matching root CIDs. */
class DirectoryStructureTest {
  @TempDir Path tmp;

  /** Keeps every block in memory for inspection. */
  private static final class MemorySink implements BlockSink {
    final Map<Cid, byte[]> blocks = new HashMap<>();

    @Override
    public synchronized void put(Cid cid, ByteBuffer... segments) {
      int n = 0;
      for (ByteBuffer b : segments) {
        n += b.remaining();
      }
      ByteBuffer all = ByteBuffer.allocate(n);
      for (ByteBuffer b : segments) {
        all.put(b.duplicate());
      }
      blocks.put(cid, all.array());
    }
  }

  private PbNode root(String caseName, Profile profile, MemorySink sink) throws IOException {
    Vectors.DirCase c = Vectors.directories().stream()
        .filter(d -> d.name().equals(caseName) && d.profile() == profile).findFirst().orElseThrow();
    Path dir = tmp.resolve(caseName + "-" + profile);
    c.create(dir);
    ImportedNode node = new PathImporter(profile, sink).importPath(dir);
    return DagPb.decode(sink.blocks.get(node.cid()));
  }

  @Test
  void largeDirectoryIsAHamtWithHexPrefixedSortedLinks() throws IOException {
    for (Profile profile : Profile.values()) {
      MemorySink sink = new MemorySink();
      PbNode root = root("hamt-6000", profile, sink);
      UnixFsData data = UnixFsData.decode(root.data());
      assertThat(data.type()).isEqualTo(UnixFsData.Type.HAMT_SHARD);
      assertThat(data.fanout()).isEqualTo(256L);
      assertThat(data.hashType()).isEqualTo(0x22L);
      // 6000 names over 256 slots: every slot is used, and each holds a sub-shard
      assertThat(root.links()).hasSize(256);
      assertThat(data.data()).hasSize(32).containsOnly((byte) 0xFF);
      for (int i = 0; i < root.links().size(); i++) {
        assertThat(root.links().get(i).name()).isEqualTo(String.format("%02X", i));
      }
      PbNode shard = DagPb.decode(sink.blocks.get(root.links().get(0).hash()));
      assertThat(shard.links()).isNotEmpty().allSatisfy(l -> assertThat(l.name()).matches("[0-9A-F]{2}(file-\\d{5}\\.bin)?"));
    }
  }

  @Test
  void smallDirectoryIsFlatAndSortedByNameBytes() throws IOException {
    MemorySink sink = new MemorySink();
    PbNode root = root("small-tree", Profile.UNIXFS_V1_2025, sink);
    assertThat(UnixFsData.decode(root.data()).type()).isEqualTo(UnixFsData.Type.DIRECTORY);
    List<String> names = root.links().stream().map(PbLink::name).toList();
    // byte order: upper case before lower case, shorter prefix first, multi-byte UTF-8 last
    assertThat(names).containsExactly("B.txt", "a.txt", "aa", "empty", "sub", "\u00e9t\u00e9.bin");
  }

  @Test
  void symlinksAreStoredAsSymlinkNodes() throws IOException {
    Path dir = tmp.resolve("links");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("target.txt"), "hi");
    Files.createSymbolicLink(dir.resolve("link"), Path.of("target.txt"));
    MemorySink sink = new MemorySink();
    ImportedNode node = new PathImporter(Profile.UNIXFS_V1_2025, sink).importPath(dir);
    PbNode root = DagPb.decode(sink.blocks.get(node.cid()));
    PbLink link = root.links().stream().filter(l -> l.name().equals("link")).findFirst().orElseThrow();
    UnixFsData data = UnixFsData.decode(DagPb.decode(sink.blocks.get(link.hash())).data());
    assertThat(data.type()).isEqualTo(UnixFsData.Type.SYMLINK);
    assertThat(new String(data.data(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("target.txt");
  }
}
