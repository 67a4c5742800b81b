package io.ledgerlake.content;

import io.ledgerlake.content.blockstore.BlockstoreStats;
import io.ledgerlake.content.blockstore.FsBlockstore;
import io.ledgerlake.content.blockstore.GcResult;
import io.ledgerlake.content.car.CarImporter;
import io.ledgerlake.content.car.CarWriter;
import io.ledgerlake.content.car.DagScope;
import io.ledgerlake.content.gateway.TrustlessGateway;
import io.ledgerlake.content.kubo.KuboClient;
import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.unixfs.BlockSink;
import io.ledgerlake.content.unixfs.FileImporter;
import io.ledgerlake.content.unixfs.ImportedNode;
import io.ledgerlake.content.unixfs.PathImporter;
import io.ledgerlake.content.unixfs.UnixFsReader;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content-addressing API the rest of LedgerLake uses: add files and directories under
 * IPFS-identical CIDs, read them back verified, pin, collect garbage, move DAGs as CAR files,
 * serve them over a trustless gateway, and (when a Kubo URL is configured) replicate to a Kubo
 * node. Thread-safe.
 */
public final class ContentStore {
  private static final Logger LOG = LoggerFactory.getLogger(ContentStore.class);

  private final ContentOptions options;
  private final FsBlockstore blocks;
  private final Optional<KuboClient> kubo;

  private ContentStore(ContentOptions options, FsBlockstore blocks, Optional<KuboClient> kubo) {
    this.options = options;
    this.blocks = blocks;
    this.kubo = kubo;
  }

  public static ContentStore open(ContentOptions options) {
    Objects.requireNonNull(options, "options");
    FsBlockstore blocks = FsBlockstore.open(options.storeDir(), options.fsync());
    return new ContentStore(options, blocks, options.kuboUrl().map(u -> new KuboClient(u, options.kuboTimeout())));
  }

  public ContentOptions options() {
    return options;
  }

  public FsBlockstore blockstore() {
    return blocks;
  }

  // ---- CIDs without storing (ledgerlake cid) ----

  /** CID of a file or directory tree, computed without storing anything. */
  public static ImportedNode cid(Path path, Profile profile) {
    return new PathImporter(profile, BlockSink.DISCARD).importPath(path);
  }

  /**
   * What {@code ledgerlake cid [-r] PATH} prints: like {@link #cid(Path, Profile)}, but a directory
   * requires {@code recursive} (as {@code ipfs add} requires -r).
   *
   * @throws InputPathException for a directory without {@code recursive}, a missing or unreadable path
   */
  public static ImportedNode cid(Path path, Profile profile, boolean recursive) {
    if (!recursive && Files.isDirectory(path)) {
      throw new InputPathException(path, "is a directory", "Use -r to compute the CID of a directory tree.");
    }
    return cid(path, profile);
  }

  /** CID of a byte stream (read to its end, not closed), computed without storing anything. */
  public static ImportedNode cid(InputStream in, Profile profile) throws IOException {
    return new FileImporter(profile, BlockSink.DISCARD).importFrom(in);
  }

  // ---- adding ----

  /** Adds a file or a directory tree with the configured profile and pins the root. */
  public AddResult add(Path path) {
    return add(path, options.profile());
  }

  /** Adds a file or a directory tree and pins the root (like {@code ipfs add}). */
  public AddResult add(Path path, Profile profile) {
    Objects.requireNonNull(path, "path");
    ImportedNode node = blocks.protectFromGc(() -> {
      ImportedNode n = new PathImporter(profile, blocks).importPath(path);
      blocks.sync();
      blocks.pinImported(n.cid());
      return n;
    });
    LOG.info("Added {} as {} ({} bytes, profile {})", path, node.cid(), node.contentBytes(), profile);
    AddResult result = new AddResult(node.cid(), node.contentBytes(), node.dagSize());
    replicate(result.cid(), Files.isDirectory(path), profile);
    return result;
  }

  /** Adds a directory tree (same as {@link #add(Path, Profile)} on a directory). */
  public AddResult addDirectory(Path dir, Profile profile) {
    if (!Files.isDirectory(dir)) {
      throw new InputPathException(dir, "is not a directory", "Give a directory, or use add(Path) for a file.");
    }
    return add(dir, profile);
  }

  /** Adds the bytes of {@code in} (read to its end, not closed) as one file and pins the root. */
  public AddResult add(InputStream in, Profile profile) {
    Objects.requireNonNull(in, "in");
    ImportedNode node = blocks.protectFromGc(() -> {
      ImportedNode n;
      try {
        n = new FileImporter(profile, blocks).importFrom(in);
      } catch (IOException e) {
        throw new ContentIoException("read", "the input stream", e);
      }
      blocks.sync();
      blocks.pinImported(n.cid());
      return n;
    });
    LOG.info("Added stream as {} ({} bytes, profile {})", node.cid(), node.contentBytes(), profile);
    replicate(node.cid(), false, profile);
    return new AddResult(node.cid(), node.contentBytes(), node.dagSize());
  }

  // ---- reading ----

  /** Streams the file named by {@code cid}, verifying every block; the caller closes it. */
  public InputStream open(Cid cid) {
    Objects.requireNonNull(cid, "cid");
    if (!blocks.has(cid)) {
      throw new BlockNotFoundException(cid.toString(), blocks.root().toString());
    }
    return new UnixFsReader(blocks, cid);
  }

  /** @throws InvalidCidException if {@code cid} does not parse */
  public InputStream open(String cid) {
    return open(Cid.parse(cid));
  }

  // ---- pins and GC ----

  public void pin(Cid cid) {
    blocks.pin(cid);
  }

  public boolean unpin(Cid cid) {
    return blocks.unpin(cid);
  }

  public List<Cid> pins() {
    return blocks.pins();
  }

  public GcResult gc() {
    return blocks.gc();
  }

  public BlockstoreStats stats() {
    return blocks.stats();
  }

  // ---- CAR ----

  /** Writes the whole DAG under {@code root} as CAR v1; returns the number of blocks. */
  public long exportCar(Cid root, OutputStream out) throws IOException {
    if (!blocks.has(root)) {
      throw new BlockNotFoundException(root.toString(), blocks.root().toString());
    }
    return CarWriter.write(blocks, root, DagScope.ALL, out);
  }

  /** Writes the DAG to {@code file} (replacing it only once complete). */
  public long exportCar(Cid root, Path file) {
    Path tmp = file.resolveSibling(file.getFileName() + ".partial");
    try {
      long n;
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), 1 << 16)) {
        n = exportCar(root, out);
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      LOG.info("Exported {} to {} ({} blocks)", root, file, n);
      return n;
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort
      }
      throw new ContentIoException("write CAR", file, e);
    } catch (RuntimeException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort
      }
      throw e;
    }
  }

  /** Imports a CAR all-or-nothing and pins its roots. */
  public CarImporter.Result importCar(Path file) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return importCar(in, file.toString());
    } catch (IOException e) {
      throw new ContentIoException("read CAR", file, e);
    }
  }

  public CarImporter.Result importCar(InputStream in, String sourceName) {
    return blocks.protectFromGc(() -> {
      CarImporter.Result r = CarImporter.importCar(in, sourceName, blocks, true);
      blocks.sync();
      return r;
    });
  }

  // ---- gateway ----

  /** Starts a trustless gateway on the configured address and port (0 = any free port). */
  public TrustlessGateway startGateway() {
    return TrustlessGateway.start(blocks, options.gatewayBind(), options.gatewayPort());
  }

  public TrustlessGateway startGateway(int port) {
    return TrustlessGateway.start(blocks, options.gatewayBind(), port);
  }

  // ---- Kubo replication ----

  /**
   * Copies {@code root} to the configured Kubo node. Files are re-added with the profile's
   * parameters and the node's CID must equal ours (proving Kubo derives the same CID);
   * directories are sent as a CAR and pinned.
   */
  public void replicate(Cid root, boolean directory, Profile profile) {
    if (kubo.isEmpty()) {
      return;
    }
    KuboClient client = kubo.get();
    if (directory) {
      List<Cid> roots = client.dagImport(carStream(root), true);
      LOG.info("Replicated directory {} to Kubo as CAR (roots {})", root, roots);
      return;
    }
    Cid theirs;
    try (InputStream in = open(root)) {
      theirs = client.add(root.toString(), in, profile, true);
    } catch (IOException e) {
      throw new ContentIoException("read back", root, e);
    }
    if (!theirs.equals(root)) {
      throw new io.ledgerlake.content.kubo.KuboException("add", "the node computed " + theirs + " for content we name " + root
          + " with profile " + profile + "; its import settings differ", null);
    }
    LOG.info("Replicated {} to Kubo", root);
  }

  private InputStream carStream(Cid root) {
    try {
      PipedInputStream in = new PipedInputStream(1 << 16);
      PipedOutputStream out = new PipedOutputStream(in);
      Thread t = new Thread(() -> {
        try (out) {
          CarWriter.write(blocks, root, DagScope.ALL, out);
        } catch (IOException | RuntimeException e) {
          LOG.warn("CAR stream to Kubo for {} failed", root, e);
        }
      }, "ledgerlake-car-" + root);
      t.setDaemon(true);
      t.start();
      return in;
    } catch (IOException e) {
      throw new ContentIoException("stream CAR of", root, e);
    }
  }
}
