package io.ledgerlake.content.blockstore;

import io.ledgerlake.common.AtomicFiles;
import io.ledgerlake.content.BlockIntegrityException;
import io.ledgerlake.content.BlockNotFoundException;
import io.ledgerlake.content.ContentIoException;
import io.ledgerlake.content.MalformedContentException;
import io.ledgerlake.content.multiformats.Base32;
import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.multiformats.Multicodec;
import io.ledgerlake.content.multiformats.Multihash;
import io.ledgerlake.content.unixfs.BlockSink;
import io.ledgerlake.content.unixfs.BlockSource;
import io.ledgerlake.content.unixfs.Dag;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A block store on the local filesystem, laid out like Kubo's flatfs so that operators recognise
 * it: {@code blocks/<shard>/<KEY>.data} where KEY is the upper-case base32 of the block's
 * multihash and shard is the two characters before KEY's last one ("next-to-last/2"). Keying by
 * multihash (not CID) means one copy per distinct content whatever codec or CID version names it.
 *
 * <p>Writes are write-once: the bytes go to {@code tmp/}, then an atomic rename publishes the
 * block; a reader therefore sees a whole block or none. Every {@link #get} re-hashes the bytes and
 * fails with {@link BlockIntegrityException} rather than return corrupt data.
 *
 * <p>Pins are recursive (a pinned root protects its whole DAG) and are persisted in {@code pins}.
 * {@link #gc()} deletes every block not reachable from a pin; it excludes concurrent writers that
 * run inside {@link #protectFromGc}.
 */
public final class FsBlockstore implements BlockSink, BlockSource {
  private static final Logger LOG = LoggerFactory.getLogger(FsBlockstore.class);

  /** Version line of the on-disk layout; bump on incompatible changes. */
  static final String LAYOUT_VERSION = "ledgerlake-blockstore 1";
  static final String PINS_HEADER = PinFile.HEADER;
  /** Temporary files older than this when a store is opened are leftovers of interrupted writes. */
  static final java.time.Duration STALE_TMP = java.time.Duration.ofHours(1);
  private static final String SUFFIX = ".data";

  private final Path root;
  private final Path blocksDir;
  private final Path tmpDir;
  private final FsyncPolicy fsync;
  private final AtomicLong blockCount = new AtomicLong();
  private final AtomicLong byteCount = new AtomicLong();
  private final AtomicLong tmpCounter = new AtomicLong();
  /**
   * Names this instance's temporary files: several processes open one store (the upload API and the Flink tasks that
   * read it, on one machine or a shared volume), and a counter alone would give two writers the same name.
   */
  private final String instanceId = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
  private final Object[] stripes = new Object[64];
  private final Set<String> knownShards = ConcurrentHashMap.newKeySet();
  private final Set<Path> unsyncedFiles = ConcurrentHashMap.newKeySet();
  private final Set<Path> unsyncedDirs = ConcurrentHashMap.newKeySet();
  private final ReentrantReadWriteLock gcLock = new ReentrantReadWriteLock();
  private PinFile pins; // set by init()

  private FsBlockstore(Path root, FsyncPolicy fsync) {
    this.root = root;
    this.blocksDir = root.resolve("blocks");
    this.tmpDir = root.resolve("tmp");
    this.fsync = fsync;
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new Object();
    }
  }

  /** Opens (creating if needed) the store under {@code root}. */
  public static FsBlockstore open(Path root, FsyncPolicy fsync) {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(fsync, "fsync");
    FsBlockstore store = new FsBlockstore(root.toAbsolutePath().normalize(), fsync);
    store.init();
    return store;
  }

  private void init() {
    try {
      Files.createDirectories(blocksDir);
      Files.createDirectories(tmpDir);
      Path version = root.resolve("VERSION");
      if (Files.exists(version)) {
        String v = Files.readString(version, StandardCharsets.UTF_8).strip();
        if (!v.equals(LAYOUT_VERSION)) {
          throw new MalformedContentException("Block store " + root,
              "has layout '" + v + "' but this version reads '" + LAYOUT_VERSION + "'; use a matching LedgerLake version");
        }
      } else {
        AtomicFiles.write(version, (LAYOUT_VERSION + "\n").getBytes(StandardCharsets.UTF_8));
      }
      // Leftovers of interrupted writes were never published: drop them — only old ones, since another process
      // with this store open may be writing its temporary files right now (a write takes seconds, not hours).
      java.nio.file.attribute.FileTime staleBefore = java.nio.file.attribute.FileTime.from(
          java.time.Instant.now().minus(STALE_TMP));
      try (DirectoryStream<Path> tmp = Files.newDirectoryStream(tmpDir)) {
        for (Path p : tmp) {
          try {
            if (Files.getLastModifiedTime(p).compareTo(staleBefore) < 0) {
              deleteRecursively(p);
            }
          } catch (java.nio.file.NoSuchFileException published) {
            // its writer published or removed it meanwhile
          }
        }
      }
      try (DirectoryStream<Path> shards = Files.newDirectoryStream(blocksDir)) {
        for (Path shard : shards) {
          knownShards.add(shard.getFileName().toString());
          try (DirectoryStream<Path> blocks = Files.newDirectoryStream(shard, "*" + SUFFIX)) {
            for (Path b : blocks) {
              blockCount.incrementAndGet();
              byteCount.addAndGet(Files.size(b));
            }
          }
        }
      }
      pins = PinFile.open(root.resolve("pins"));
    } catch (IOException e) {
      throw new ContentIoException("open block store", root, e);
    }
    LOG.info("Opened block store {} ({} blocks, {} bytes, {} pins, fsync {})", root, blockCount.get(), byteCount.get(),
        pins.size(), fsync);
  }

  public Path root() {
    return root;
  }

  public FsyncPolicy fsyncPolicy() {
    return fsync;
  }

  static String key(Multihash mh) {
    return Base32.encodeUpper(mh.bytes());
  }

  static String shard(String key) {
    return key.substring(key.length() - 3, key.length() - 1);
  }

  /** Where the block for {@code cid} lives (whether or not it exists). */
  public Path pathOf(Cid cid) {
    return blockPath(key(cid.multihash()));
  }

  /** Where the block with store key {@code key} lives. */
  Path blockPath(String key) {
    return blocksDir.resolve(shard(key)).resolve(key + SUFFIX);
  }

  private Object stripe(String key) {
    return stripes[Math.floorMod(key.hashCode(), stripes.length)];
  }

  public boolean has(Cid cid) {
    if (cid.multihash().code() == Multicodec.IDENTITY) {
      return true;
    }
    return Files.exists(pathOf(cid));
  }

  /** Reads and verifies a block. */
  @Override
  public byte[] get(Cid cid) {
    if (cid.multihash().code() == Multicodec.IDENTITY) {
      return cid.multihash().digest();
    }
    Path p = pathOf(cid);
    byte[] data;
    try {
      data = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new BlockNotFoundException(cid.toString(), root.toString());
    } catch (IOException e) {
      throw new ContentIoException("read block " + cid + " from", p, e);
    }
    if (!matches(cid, data, 0, data.length)) {
      throw BlockIntegrityException.corruptOnDisk(cid.toString(), p);
    }
    return data;
  }

  /** True if {@code data[off, off+len)} hashes to {@code cid}'s multihash. */
  public static boolean matches(Cid cid, byte[] data, int off, int len) {
    Multihash mh = cid.multihash();
    if (mh.code() == Multicodec.SHA2_256) {
      MessageDigest md = Multihash.newSha256();
      md.update(data, off, len);
      return mh.matchesDigest(md.digest());
    }
    if (mh.code() == Multicodec.IDENTITY) {
      return mh.matchesDigest(java.util.Arrays.copyOfRange(data, off, off + len));
    }
    throw new MalformedContentException("Block " + cid,
        "hash function " + Multicodec.name(mh.code()) + " is not supported (only sha2-256)");
  }

  /**
   * Stores a block after checking that it hashes to {@code cid}.
   *
   * @return true if it was new
   * @throws BlockIntegrityException if it does not
   */
  public boolean put(Cid cid, byte[] data) {
    if (!matches(cid, data, 0, data.length)) {
      throw new BlockIntegrityException(cid.toString(), "the given " + data.length + " bytes do not hash to this CID",
          "Nothing was stored; supply the bytes the CID was computed from.");
    }
    return write(cid, ByteBuffer.wrap(data));
  }

  /** Trusted write from an importer that computed {@code cid} from these bytes itself. */
  @Override
  public void put(Cid cid, ByteBuffer... segments) {
    write(cid, segments);
  }

  private boolean write(Cid cid, ByteBuffer... segments) {
    if (cid.multihash().code() == Multicodec.IDENTITY) {
      return false;
    }
    String key = key(cid.multihash());
    String shard = shard(key);
    Path target = blocksDir.resolve(shard).resolve(key + SUFFIX);
    if (Files.exists(target)) {
      return false;
    }
    Path tmp = tmpDir.resolve(key + "." + instanceId + "." + tmpCounter.incrementAndGet());
    long size = writeTemp(tmp, segments);
    return publish(tmp, key, shard, target, size);
  }

  long writeTemp(Path tmp, ByteBuffer... segments) {
    long size = 0;
    for (ByteBuffer b : segments) {
      size += b.remaining();
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long written = 0;
      while (written < size) {
        written += ch.write(segments);
      }
      if (fsync == FsyncPolicy.ALWAYS) {
        ch.force(true);
      }
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new ContentIoException("write block to", tmp, e);
    }
    return size;
  }

  boolean publish(Path tmp, String key, String shard, Path target, long size) {
    try {
      Path shardDir = target.getParent();
      if (!knownShards.contains(shard)) {
        Files.createDirectories(shardDir);
        knownShards.add(shard);
      }
      synchronized (stripe(key)) {
        if (Files.exists(target)) {
          Files.delete(tmp);
          return false;
        }
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          throw new IOException("the filesystem under " + root + " cannot rename atomically", e);
        }
        blockCount.incrementAndGet();
        byteCount.addAndGet(size);
      }
      if (fsync == FsyncPolicy.ALWAYS) {
        AtomicFiles.syncDirectory(shardDir);
      } else if (fsync == FsyncPolicy.BATCH) {
        unsyncedFiles.add(target);
        unsyncedDirs.add(shardDir);
      }
      return true;
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new ContentIoException("store block at", target, e);
    }
  }

  /** Barrier: with {@link FsyncPolicy#BATCH}, forces every block (and directory) written since the last call. */
  public void sync() {
    if (fsync != FsyncPolicy.BATCH) {
      return;
    }
    // files first, then their directories, so a durable name never points at non-durable data;
    // in parallel because each fsync waits on the device and SSDs serve several at once
    List<Path> files = new ArrayList<>(unsyncedFiles);
    files.parallelStream().forEach(p -> {
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
        ch.force(true);
      } catch (NoSuchFileException e) {
        // deleted since it was written: nothing to make durable
      } catch (IOException e) {
        throw new ContentIoException("fsync", p, e);
      }
    });
    files.forEach(unsyncedFiles::remove);
    List<Path> dirs = new ArrayList<>(unsyncedDirs);
    for (Path d : dirs) {
      try {
        AtomicFiles.syncDirectory(d);
      } catch (IOException e) {
        throw new ContentIoException("fsync directory", d, e);
      }
      unsyncedDirs.remove(d);
    }
  }

  /** Removes a block (pins are not consulted: use {@link #gc()} for safe cleanup). */
  public boolean delete(Cid cid) {
    String key = key(cid.multihash());
    return deleteKey(key);
  }

  private boolean deleteKey(String key) {
    Path p = blocksDir.resolve(shard(key)).resolve(key + SUFFIX);
    synchronized (stripe(key)) {
      try {
        long size = Files.size(p);
        Files.delete(p);
        blockCount.decrementAndGet();
        byteCount.addAndGet(-size);
        return true;
      } catch (NoSuchFileException e) {
        return false;
      } catch (IOException e) {
        throw new ContentIoException("delete block", p, e);
      }
    }
  }

  public BlockstoreStats stats() {
    return new BlockstoreStats(blockCount.get(), byteCount.get(), pins.size());
  }

  /** The multihashes of all stored blocks. */
  public List<Multihash> keys() {
    List<Multihash> out = new ArrayList<>();
    for (String key : storedKeys()) {
      out.add(Multihash.decode(Base32.decode(key)));
    }
    return out;
  }

  private List<String> storedKeys() {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> shards = Files.newDirectoryStream(blocksDir)) {
      for (Path shard : shards) {
        try (DirectoryStream<Path> blocks = Files.newDirectoryStream(shard, "*" + SUFFIX)) {
          for (Path b : blocks) {
            String name = b.getFileName().toString();
            out.add(name.substring(0, name.length() - SUFFIX.length()));
          }
        }
      }
    } catch (IOException e) {
      throw new ContentIoException("list blocks in", blocksDir, e);
    }
    return out;
  }

  // ---- pins and garbage collection ----

  /**
   * Pins {@code root} recursively after checking that its whole DAG is present.
   *
   * @throws BlockNotFoundException naming the first missing block
   */
  public void pin(Cid root) {
    walk(root, true, null);
    if (pins.add(root)) {
      LOG.info("Pinned {}", root);
    }
  }

  /**
   * Pins a root that the caller has just imported in full into this store (an importer wrote
   * every block of its DAG), skipping the completeness walk that {@link #pin} does: for dag-pb
   * leaves that walk would re-read and re-hash the whole file.
   */
  public void pinImported(Cid root) {
    if (!has(root)) {
      throw new BlockNotFoundException(root.toString(), this.root.toString());
    }
    if (pins.add(root)) {
      LOG.info("Pinned {}", root);
    }
  }

  /** @return true if it was pinned */
  public boolean unpin(Cid root) {
    if (pins.remove(root)) {
      LOG.info("Unpinned {}", root);
      return true;
    }
    return false;
  }

  public List<Cid> pins() {
    return pins.list();
  }

  public boolean isPinned(Cid root) {
    return pins.contains(root);
  }

  /**
   * Runs {@code action} so that no garbage collection can interleave with it: use it for "import
   * then pin" sequences whose blocks are unpinned in between.
   */
  public <T> T protectFromGc(Supplier<T> action) {
    gcLock.readLock().lock();
    try {
      return action.get();
    } finally {
      gcLock.readLock().unlock();
    }
  }

  /** Deletes every block that is not reachable from a pin. */
  public GcResult gc() {
    gcLock.writeLock().lock();
    try {
      Set<String> live = new HashSet<>();
      for (Cid pin : pins()) {
        walk(pin, false, live);
      }
      long removed = 0;
      long removedBytes = 0;
      long kept = 0;
      for (String key : storedKeys()) {
        if (live.contains(key)) {
          kept++;
          continue;
        }
        Path p = blocksDir.resolve(shard(key)).resolve(key + SUFFIX);
        long size;
        try {
          size = Files.size(p);
        } catch (IOException e) {
          size = 0;
        }
        if (deleteKey(key)) {
          removed++;
          removedBytes += size;
        }
      }
      LOG.info("Garbage collection removed {} blocks ({} bytes), kept {}", removed, removedBytes, kept);
      return new GcResult(removed, removedBytes, kept);
    } finally {
      gcLock.writeLock().unlock();
    }
  }

  /**
   * Depth-first walk of the DAG under {@code root}. Raw blocks are only checked for presence (they
   * have no links). With {@code strict} a missing block throws; otherwise it is skipped.
   */
  private void walk(Cid root, boolean strict, Set<String> visited) {
    Set<String> seen = visited == null ? new HashSet<>() : visited;
    Deque<Cid> todo = new ArrayDeque<>();
    todo.push(root);
    while (!todo.isEmpty()) {
      Cid cid = todo.pop();
      if (!seen.add(key(cid.multihash()))) {
        continue;
      }
      if (Dag.isLeafCodec(cid)) {
        if (strict && !has(cid)) {
          throw new BlockNotFoundException(cid.toString(), this.root.toString());
        }
        continue;
      }
      byte[] block;
      try {
        block = get(cid);
      } catch (BlockNotFoundException e) {
        if (strict) {
          throw e;
        }
        continue;
      }
      List<Cid> links = Dag.links(cid, block);
      for (int i = links.size() - 1; i >= 0; i--) {
        todo.push(links.get(i));
      }
    }
  }

  // ---- staged writes (CAR import) ----

  /**
   * Starts a staged import: blocks are written to {@code tmp/} and only published by
   * {@link Staging#commit()}, so a failed import leaves nothing behind.
   */
  public Staging stage() {
    try {
      Path dir = Files.createDirectory(tmpDir.resolve("stage-" + instanceId + "-" + tmpCounter.incrementAndGet()));
      return new Staging(this, dir);
    } catch (IOException e) {
      throw new ContentIoException("create a staging directory in", tmpDir, e);
    }
  }

  static void deleteRecursively(Path p) throws IOException {
    if (Files.isDirectory(p)) {
      try (DirectoryStream<Path> children = Files.newDirectoryStream(p)) {
        for (Path c : children) {
          deleteRecursively(c);
        }
      }
    }
    Files.deleteIfExists(p);
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.debug("Could not delete {}", p, e);
    }
  }
}
