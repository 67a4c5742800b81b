package io.ledgerlake.content.unixfs;

import io.ledgerlake.content.Profile;
import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.multiformats.Multicodec;
import io.ledgerlake.content.multiformats.Multihash;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Builds the UnixFS node(s) for one directory from its already-imported children: a flat
 * directory node, or a HAMT ({@code hamt-sharded-directory}) once the profile's size estimate
 * passes {@link Profile#HAMT_SHARD_THRESHOLD_BYTES}.
 *
 * <p>HAMT layout, as go-ipfs/boxo and the JS importer build it: 256 slots per node; the slot at
 * depth d is byte d of the big-endian murmur3-x64-64 hash of the UTF-8 name; a slot with one entry
 * holds a link named {@code XX + name} (XX = slot in upper-case hex), a slot with several holds a
 * link named {@code XX} to a sub-shard; the node's data is the slot bitfield as a minimal
 * big-endian integer.
 */
public final class DirectoryBuilder {
  private static final Comparator<byte[]> BYTEWISE = Arrays::compareUnsigned;

  private final Profile profile;
  private final BlockSink sink;

  public DirectoryBuilder(Profile profile, BlockSink sink) {
    this.profile = Objects.requireNonNull(profile, "profile");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  public ImportedNode build(List<DirectoryEntry> entries) {
    Set<String> names = new HashSet<>();
    long contentBytes = 0;
    for (DirectoryEntry e : entries) {
      if (!names.add(e.name())) {
        throw new IllegalArgumentException("duplicate directory entry name '" + e.name() + "'");
      }
      contentBytes += e.contentBytes();
    }
    List<Named> sorted = new ArrayList<>(entries.size());
    for (DirectoryEntry e : entries) {
      sorted.add(new Named(e, e.name().getBytes(StandardCharsets.UTF_8)));
    }
    // dag-pb requires links sorted by the bytes of their names (shorter first on a common prefix).
    sorted.sort(Comparator.comparing(Named::nameBytes, BYTEWISE));
    if (!exceedsShardThreshold(sorted)) {
      List<PbLink> links = new ArrayList<>(sorted.size());
      long tsizes = 0;
      for (Named n : sorted) {
        links.add(new PbLink(n.entry().cid(), n.entry().name(), n.entry().dagSize()));
        tsizes += n.entry().dagSize();
      }
      byte[] block = DagPb.encode(new PbNode(UnixFsData.directory().encode(), links));
      return new ImportedNode(store(block), contentBytes, block.length + tsizes);
    }
    List<Hashed> hashed = new ArrayList<>(sorted.size());
    for (Named n : sorted) {
      hashed.add(new Hashed(n.entry(), n.nameBytes()));
    }
    Shard root = shard(hashed, 0);
    return new ImportedNode(root.cid(), contentBytes, root.dagSize());
  }

  private boolean exceedsShardThreshold(List<Named> sorted) {
    long estimate;
    if (profile.shardSplitStrategy() == Profile.ShardSplitStrategy.LINKS_BYTES) {
      estimate = 0;
      for (Named n : sorted) {
        estimate += n.nameBytes().length + n.entry().cid().byteLength();
      }
    } else {
      byte[] data = UnixFsData.directory().encode();
      estimate = 1 + 1 + data.length;
      for (Named n : sorted) {
        estimate += DagPb.linkFieldSize(new PbLink(n.entry().cid(), n.entry().name(), n.entry().dagSize()));
      }
    }
    return estimate > Profile.HAMT_SHARD_THRESHOLD_BYTES;
  }

  private record Named(DirectoryEntry entry, byte[] nameBytes) {}

  /** An entry with its murmur hash chain (one 64-bit word per 8 levels, as the JS importer extends it). */
  private static final class Hashed {
    final DirectoryEntry entry;
    final byte[] nameBytes;
    private long[] words = new long[0];

    Hashed(DirectoryEntry entry, byte[] nameBytes) {
      this.entry = entry;
      this.nameBytes = nameBytes;
    }

    int slot(int depth) {
      int word = depth / 8;
      if (word >= words.length) {
        words = Arrays.copyOf(words, word + 1);
        for (int w = 0; w <= word; w++) {
          byte[] input = nameBytes;
          if (w > 0) {
            // Deeper than 64 bits: the reference re-hashes the name with the word index appended.
            input = Arrays.copyOf(nameBytes, nameBytes.length + 1);
            input[nameBytes.length] = (byte) w;
          }
          words[w] = Murmur3.hash64(input);
        }
      }
      return (int) ((words[word] >>> (56 - 8 * (depth % 8))) & 0xFF);
    }
  }

  private record Shard(Cid cid, long dagSize) {}

  private Shard shard(List<Hashed> entries, int depth) {
    int fanout = Profile.HAMT_FANOUT;
    @SuppressWarnings("unchecked")
    List<Hashed>[] slots = new List[fanout];
    for (Hashed h : entries) {
      int s = h.slot(depth);
      if (slots[s] == null) {
        slots[s] = new ArrayList<>(2);
      }
      slots[s].add(h);
    }
    List<PbLink> links = new ArrayList<>();
    BigInteger bitfield = BigInteger.ZERO;
    long tsizes = 0;
    for (int i = 0; i < fanout; i++) {
      List<Hashed> slot = slots[i];
      if (slot == null) {
        continue;
      }
      bitfield = bitfield.setBit(i);
      String prefix = String.format(Locale.ROOT, "%02X", i);
      if (slot.size() == 1) {
        DirectoryEntry e = slot.get(0).entry;
        links.add(new PbLink(e.cid(), prefix + e.name(), e.dagSize()));
        tsizes += e.dagSize();
      } else {
        Shard child = shard(slot, depth + 1);
        links.add(new PbLink(child.cid(), prefix, child.dagSize()));
        tsizes += child.dagSize();
      }
    }
    byte[] data = UnixFsData.hamtShard(minimalBigEndian(bitfield), Multicodec.MURMUR3_X64_64, fanout).encode();
    byte[] block = DagPb.encode(new PbNode(data, links));
    return new Shard(store(block), block.length + tsizes);
  }

  private static byte[] minimalBigEndian(BigInteger v) {
    byte[] b = v.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      return Arrays.copyOfRange(b, 1, b.length);
    }
    return b;
  }

  private Cid store(byte[] block) {
    Cid cid = Cid.of(profile.cidVersion(), Multicodec.DAG_PB, Multihash.sha256(block));
    sink.put(cid, ByteBuffer.wrap(block));
    return cid;
  }
}
