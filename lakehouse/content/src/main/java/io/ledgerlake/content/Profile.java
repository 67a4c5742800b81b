package io.ledgerlake.content;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The IPIP-499 UnixFS import profiles. Each pins every parameter that changes the resulting CID,
 * so that any implementation following the same profile produces the same CID for the same bytes.
 */
public enum Profile {
  /** The modern default: CIDv1, raw leaves, 1 MiB chunks, 1024 links per node. */
  UNIXFS_V1_2025("unixfs-v1-2025", 1, true, 1 << 20, 1024, ShardSplitStrategy.BLOCK_BYTES),
  /** What {@code ipfs add} produced for years: CIDv0, dag-pb leaves, 256 KiB chunks, 174 links. */
  UNIXFS_V0_2015("unixfs-v0-2015", 0, false, 256 << 10, 174, ShardSplitStrategy.LINKS_BYTES);

  public static final Profile DEFAULT = UNIXFS_V1_2025;

  /** A directory becomes a HAMT once its size estimate exceeds this many bytes (both profiles). */
  public static final int HAMT_SHARD_THRESHOLD_BYTES = 262_144;
  /** Slots per HAMT node: 8 bits of the murmur3-x64-64 hash per level. */
  public static final int HAMT_FANOUT = 256;

  /** How a flat directory's size is estimated against {@link #HAMT_SHARD_THRESHOLD_BYTES}. */
  public enum ShardSplitStrategy {
    /** Sum over links of (UTF-8 name length + binary CID length): the 2015 go-ipfs rule. */
    LINKS_BYTES,
    /** The exact serialized size of the dag-pb directory block: the 2025 rule. */
    BLOCK_BYTES
  }

  private final String id;
  private final int cidVersion;
  private final boolean rawLeaves;
  private final int chunkSize;
  private final int maxLinks;
  private final ShardSplitStrategy shardSplitStrategy;

  Profile(String id, int cidVersion, boolean rawLeaves, int chunkSize, int maxLinks, ShardSplitStrategy strategy) {
    this.id = id;
    this.cidVersion = cidVersion;
    this.rawLeaves = rawLeaves;
    this.chunkSize = chunkSize;
    this.maxLinks = maxLinks;
    this.shardSplitStrategy = strategy;
  }

  /**
   * Parses a profile name as written in IPIP-499 (e.g. {@code unixfs-v1-2025}).
   *
   * @throws UnknownProfileException naming the value and the valid choices
   */
  public static Profile parse(String name) {
    if (name != null) {
      String n = name.strip().toLowerCase(Locale.ROOT);
      for (Profile p : values()) {
        if (p.id.equals(n)) {
          return p;
        }
      }
    }
    throw new UnknownProfileException(String.valueOf(name),
        Arrays.stream(values()).map(Profile::id).collect(Collectors.joining(", ")));
  }

  public String id() {
    return id;
  }

  public int cidVersion() {
    return cidVersion;
  }

  public boolean rawLeaves() {
    return rawLeaves;
  }

  public int chunkSize() {
    return chunkSize;
  }

  /** Maximum links per file node in the balanced layout. */
  public int maxLinks() {
    return maxLinks;
  }

  public ShardSplitStrategy shardSplitStrategy() {
    return shardSplitStrategy;
  }

  @Override
  public String toString() {
    return id;
  }
}
