package io.ledgerlake.content.unixfs;

import io.ledgerlake.content.ContentIoException;
import io.ledgerlake.content.Profile;
import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.multiformats.Multicodec;
import io.ledgerlake.content.multiformats.Multihash;
import io.ledgerlake.content.multiformats.Varint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Imports one file as a UnixFS DAG in a single streaming pass: fixed-size chunks, balanced layout
 * with {@link Profile#maxLinks()} links per node, exactly as the reference importers build it.
 *
 * <p>Leaves are independent, so with {@code parallelism > 1} the calling thread only reads
 * chunks while pool threads hash them (and hand them to the sink); results re-enter the layout in
 * file order. Memory stays bounded: {@code parallelism + 2} chunk buffers, reused, plus at most
 * {@code maxLinks} pending links per tree level, whatever the file size. An instance is not
 * thread-safe (it owns its buffers): use one per thread.
 */
public final class FileImporter {
  /** Hash threads shared by all importers; daemon so they never keep a JVM alive. */
  private static final ExecutorService POOL = Executors.newCachedThreadPool(new java.util.concurrent.ThreadFactory() {
    private final AtomicInteger n = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "ledgerlake-unixfs-hash-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  });

  private final Profile profile;
  private final BlockSink sink;
  private final int parallelism;
  private final Leaves sequential;
  private final BlockingQueue<Leaves> pool;
  private final MessageDigest sha256 = Multihash.newSha256();

  /** Uses one hashing thread per available core. */
  public FileImporter(Profile profile, BlockSink sink) {
    this(profile, sink, Runtime.getRuntime().availableProcessors());
  }

  /**
   * @param parallelism leaves hashed concurrently; 1 hashes on the calling thread. With more than
   *     one, {@code sink} is called from pool threads and must be thread-safe.
   */
  public FileImporter(Profile profile, BlockSink sink, int parallelism) {
    this.profile = Objects.requireNonNull(profile, "profile");
    this.sink = Objects.requireNonNull(sink, "sink");
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
    this.parallelism = parallelism;
    this.sequential = new Leaves(profile.chunkSize());
    if (parallelism > 1) {
      pool = new ArrayBlockingQueue<>(parallelism + 2);
      for (int i = 0; i < parallelism + 2; i++) {
        pool.add(new Leaves(profile.chunkSize()));
      }
    } else {
      pool = null;
    }
  }

  public Profile profile() {
    return profile;
  }

  /** Imports a file from disk. */
  public ImportedNode importFile(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return importFrom(in);
    } catch (IOException e) {
      throw new ContentIoException("read", file, e);
    }
  }

  /** Reads {@code in} to its end (without closing it) and returns the root of the file DAG. */
  public ImportedNode importFrom(InputStream in) throws IOException {
    return parallelism == 1 ? importSequentially(in) : importInParallel(in);
  }

  private ImportedNode importSequentially(InputStream in) throws IOException {
    Layout layout = new Layout();
    byte[] chunk = sequential.chunk;
    long leaves = 0;
    while (true) {
      int n = in.readNBytes(chunk, 0, chunk.length);
      if (n == 0 && leaves > 0) {
        break;
      }
      layout.add(0, sequential.leaf(n));
      leaves++;
      if (n < chunk.length) {
        break;
      }
    }
    return layout.finish();
  }

  private ImportedNode importInParallel(InputStream in) throws IOException {
    Layout layout = new Layout();
    Deque<CompletableFuture<Child>> pending = new ArrayDeque<>();
    long leaves = 0;
    try {
      while (true) {
        Leaves worker = pool.take();
        int n;
        try {
          n = in.readNBytes(worker.chunk, 0, worker.chunk.length);
        } catch (IOException | RuntimeException e) {
          pool.add(worker); // the instance stays usable after a failed import
          throw e;
        }
        if (n == 0 && leaves > 0) {
          pool.add(worker);
          break;
        }
        leaves++;
        pending.add(CompletableFuture.supplyAsync(() -> {
          try {
            return worker.leaf(n);
          } finally {
            pool.add(worker);
          }
        }, POOL));
        // keep at most `parallelism` leaves in flight; the oldest enters the layout first
        while (pending.size() > parallelism) {
          layout.add(0, pending.poll().join());
        }
        if (n < worker.chunk.length) {
          break;
        }
      }
      while (!pending.isEmpty()) {
        layout.add(0, pending.poll().join());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while importing");
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    } finally {
      // never leave hash tasks running against buffers the next import will reuse
      for (CompletableFuture<Child> f : pending) {
        try {
          f.join();
        } catch (RuntimeException ignored) {
          // already failing
        }
      }
    }
    return layout.finish();
  }

  /** One pending link: a child's CID, the file bytes under it and its cumulative DAG size. */
  private record Child(Cid cid, long fileBytes, long tsize) {}

  /** A chunk buffer with its own digest and framing scratch space: one leaf in flight. */
  private final class Leaves {
    final byte[] chunk;
    final MessageDigest sha256 = Multihash.newSha256();
    // dag-pb leaf framing (v0 profile) is written around the chunk, never copied into it.
    final byte[] leafPrefix = new byte[16];
    final byte[] leafSuffix = new byte[11];

    Leaves(int chunkSize) {
      this.chunk = new byte[chunkSize];
    }

    Child leaf(int n) {
      if (profile.rawLeaves()) {
        sha256.update(chunk, 0, n);
        Cid cid = Cid.v1(Multicodec.RAW, Multihash.sha256Owned(sha256.digest()));
        sink.put(cid, ByteBuffer.wrap(chunk, 0, n));
        return new Child(cid, n, n);
      }
      // dag-pb leaf: PBNode{Data: UnixFS{Type: File, Data: chunk, filesize: n}}
      int unixfsLen = 2 + (n > 0 ? 1 + Varint.size(n) + n : 0) + 1 + Varint.size(n);
      int p = 0;
      leafPrefix[p++] = 0x0a;
      p = Varint.write(unixfsLen, leafPrefix, p);
      leafPrefix[p++] = 0x08;
      leafPrefix[p++] = 0x02;
      if (n > 0) {
        leafPrefix[p++] = 0x12;
        p = Varint.write(n, leafPrefix, p);
      }
      int s = 0;
      leafSuffix[s++] = 0x18;
      s = Varint.write(n, leafSuffix, s);
      sha256.update(leafPrefix, 0, p);
      sha256.update(chunk, 0, n);
      sha256.update(leafSuffix, 0, s);
      Cid cid = Cid.of(profile.cidVersion(), Multicodec.DAG_PB, Multihash.sha256Owned(sha256.digest()));
      sink.put(cid, ByteBuffer.wrap(leafPrefix, 0, p), ByteBuffer.wrap(chunk, 0, n), ByteBuffer.wrap(leafSuffix, 0, s));
      long blockLen = (long) p + n + s;
      return new Child(cid, n, blockLen);
    }
  }

  private Child parent(List<Child> children) {
    List<PbLink> links = new ArrayList<>(children.size());
    List<Long> blocksizes = new ArrayList<>(children.size());
    long fileBytes = 0;
    long childTsizes = 0;
    for (Child c : children) {
      links.add(new PbLink(c.cid(), "", c.tsize()));
      blocksizes.add(c.fileBytes());
      fileBytes += c.fileBytes();
      childTsizes += c.tsize();
    }
    byte[] block = DagPb.encode(new PbNode(UnixFsData.file(null, fileBytes, blocksizes).encode(), links));
    sha256.update(block);
    Cid cid = Cid.of(profile.cidVersion(), Multicodec.DAG_PB, Multihash.sha256Owned(sha256.digest()));
    sink.put(cid, ByteBuffer.wrap(block));
    return new Child(cid, fileBytes, block.length + childTsizes);
  }

  /**
   * Streaming form of the balanced layout: the reference builds it by batching all leaves into
   * groups of maxLinks, then batching those parents, until one node remains. Reducing every full
   * group as soon as it fills yields the same tree while holding only one group per level.
   */
  private final class Layout {
    private final List<List<Child>> levels = new ArrayList<>();

    void add(int level, Child child) {
      while (levels.size() <= level) {
        levels.add(new ArrayList<>(profile.maxLinks()));
      }
      List<Child> group = levels.get(level);
      group.add(child);
      if (group.size() == profile.maxLinks()) {
        Child parent = parent(group);
        group.clear();
        add(level + 1, parent);
      }
    }

    ImportedNode finish() {
      for (int level = 0; ; level++) {
        List<Child> group = levels.get(level);
        boolean top = level == levels.size() - 1;
        if (top && group.size() == 1) {
          // Either the single leaf of a one-chunk file, or the root of a full tree.
          Child root = group.get(0);
          return new ImportedNode(root.cid(), root.fileBytes(), root.tsize());
        }
        if (!group.isEmpty()) {
          Child parent = parent(group);
          group.clear();
          if (top) {
            levels.add(new ArrayList<>());
          }
          levels.get(level + 1).add(parent);
        }
      }
    }
  }
}
