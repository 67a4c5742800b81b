package io.ledgerlake.content.unixfs;

import io.ledgerlake.content.ContentIoException;
import io.ledgerlake.content.InputPathException;
import io.ledgerlake.content.Profile;
import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.multiformats.Multicodec;
import io.ledgerlake.content.multiformats.Multihash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a path from the local filesystem: a regular file as a UnixFS file, a directory
 * recursively (depth first, each directory built once its children are known), a symbolic link
 * as a UnixFS symlink node (not followed, like {@code ipfs add -r}). Other file types (sockets,
 * devices) are skipped with a warning. Not thread-safe.
 */
public final class PathImporter {
  private static final Logger LOG = LoggerFactory.getLogger(PathImporter.class);

  private final Profile profile;
  private final BlockSink sink;
  private final FileImporter files;
  private final DirectoryBuilder directories;

  public PathImporter(Profile profile, BlockSink sink) {
    this.profile = Objects.requireNonNull(profile, "profile");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.files = new FileImporter(profile, sink);
    this.directories = new DirectoryBuilder(profile, sink);
  }

  /**
   * Imports a top-level input path. A symbolic link given here is followed (the user named it);
   * links found inside directories are stored as links.
   *
   * @throws InputPathException if the path is missing, unreadable or of an unsupported type
   * @throws ContentIoException if reading fails midway
   */
  public ImportedNode importPath(Path path) {
    if (!Files.exists(path)) {
      throw new InputPathException(path, "no such file or directory", "Check the path.");
    }
    if (!Files.isReadable(path)) {
      throw new InputPathException(path, "permission denied", "Make it readable or run as a user who can read it.");
    }
    if (Files.isDirectory(path)) {
      return directory(path);
    }
    if (Files.isRegularFile(path)) {
      return files.importFile(path);
    }
    throw new InputPathException(path, "not a regular file or directory", "Give a file or a directory.");
  }

  private ImportedNode child(Path path) {
    if (Files.isSymbolicLink(path)) {
      return symlink(path);
    }
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      return directory(path);
    }
    if (!Files.isReadable(path)) {
      throw new InputPathException(path, "permission denied", "Make it readable or leave it out of the import.");
    }
    return files.importFile(path);
  }

  private ImportedNode directory(Path dir) {
    List<Path> children;
    try (Stream<Path> list = Files.list(dir)) {
      children = list.sorted().toList();
    } catch (IOException e) {
      throw new ContentIoException("list directory", dir, e);
    }
    List<DirectoryEntry> entries = new ArrayList<>(children.size());
    for (Path child : children) {
      if (!Files.isSymbolicLink(child) && !Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)
          && !Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)) {
        LOG.warn("Skipping {}: not a regular file, directory or symbolic link", child);
        continue;
      }
      ImportedNode node = child(child);
      entries.add(new DirectoryEntry(child.getFileName().toString(), node.cid(), node.dagSize(), node.contentBytes()));
    }
    return directories.build(entries);
  }

  private ImportedNode symlink(Path link) {
    String target;
    try {
      target = Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      throw new ContentIoException("read symbolic link", link, e);
    }
    byte[] block = DagPb.encode(new PbNode(UnixFsData.symlink(target.getBytes(StandardCharsets.UTF_8)).encode(), List.of()));
    Cid cid = Cid.of(profile.cidVersion(), Multicodec.DAG_PB, Multihash.sha256(block));
    sink.put(cid, ByteBuffer.wrap(block));
    return new ImportedNode(cid, 0, block.length);
  }

  public FileImporter fileImporter() {
    return files;
  }
}
