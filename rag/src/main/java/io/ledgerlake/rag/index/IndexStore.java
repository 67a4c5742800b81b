package io.ledgerlake.rag.index;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.content.AddResult;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.unixfs.Dag;
import io.ledgerlake.content.unixfs.PbLink;
import io.ledgerlake.content.unixfs.PbNode;
import io.ledgerlake.content.unixfs.UnixFsData;
import io.ledgerlake.lakehouse.LakehouseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Index directories in the content store: {@link #add} stores one as a UnixFS directory (its CID names the index);
 * {@link #materialize} brings one back as local files under a cache directory, verified block by block, once per CID
 * (the cache entry appears atomically, so concurrent readers see a whole index or none).
 */
public final class IndexStore {
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

  private final ContentStore content;
  private final Path cacheDir;

  /** The store that keeps index files under {@code <dataDir>/rag/index-cache/<cid>} (what the CLI and up use). */
  public static IndexStore inDataDir(ContentStore content, java.nio.file.Path dataDir) {
    return new IndexStore(content, dataDir.resolve("rag").resolve("index-cache"));
  }

  public IndexStore(ContentStore content, Path cacheDir) {
    this.content = content;
    this.cacheDir = cacheDir;
  }

  public AddResult add(Path indexDir) {
    return content.addDirectory(indexDir, content.options().profile());
  }

  /** The local directory of index {@code cid}, copied out of the content store on first use. */
  public Path materialize(String cid) {
    Path target = cacheDir.resolve(cid);
    if (Files.isDirectory(target)) {
      return target;
    }
    Cid root = Cid.parse(cid);
    PbNode node = Dag.decode(root, content.blockstore().get(root));
    if (Dag.unixfs(root, node).type() != UnixFsData.Type.DIRECTORY) {
      throw new LakehouseException(ErrorCategory.INTERNAL, "index %s is not a plain UnixFS directory", cid);
    }
    Path tmp = cacheDir.resolve(cid + ".tmp-" + UUID.randomUUID());
    try {
      Files.createDirectories(tmp);
      for (PbLink link : node.links()) {
        if (link.name() == null || !FILE_NAME.matcher(link.name()).matches()) {
          throw new LakehouseException(ErrorCategory.INTERNAL, "index %s has an unexpected entry '%s'", cid, link.name());
        }
        try (InputStream in = content.open(link.hash())) {
          Files.copy(in, tmp.resolve(link.name()));
        }
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
        deleteTree(tmp); // another reader materialized it first: same content
      }
      return target;
    } catch (IOException e) {
      deleteTree(tmp);
      throw new LakehouseException(ErrorCategory.EXTERNAL, e, "copying index %s to %s failed: %s", cid, cacheDir,
          e.getMessage());
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: a leftover temp directory is harmless
    }
  }
}
