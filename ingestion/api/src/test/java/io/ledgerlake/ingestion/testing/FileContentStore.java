package io.ledgerlake.ingestion.testing;

import io.ledgerlake.ingestion.content.ContentSink;
import io.ledgerlake.ingestion.content.ContentSource;
import io.ledgerlake.ingestion.content.StoredContent;
import io.ledgerlake.ingestion.format.ContentInput;
import io.ledgerlake.ingestion.format.ContentInputs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * TEST ONLY stand-in for the content module: streams the body to a temp file while hashing it, fsyncs, then renames
 * the file to its CID. The real ContentSink (chunked blocks, UnixFS CIDs) comes from the content module.
 */
public final class FileContentStore implements ContentSink, ContentSource {
  private final Path dir;

  public FileContentStore(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  @Override
  public StoredContent store(InputStream content) throws IOException {
    Path temp = Files.createTempFile(dir, "upload", ".part");
    MessageDigest digest = Sha256RawCids.sha256();
    long total = 0;
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      byte[] buffer = new byte[256 * 1024];
      int n;
      while ((n = content.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
        ByteBuffer slice = ByteBuffer.wrap(buffer, 0, n);
        while (slice.hasRemaining()) {
          out.write(slice);
        }
        total += n;
      }
      out.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    String cid = Sha256RawCids.cidOfDigest(digest.digest());
    Files.move(temp, dir.resolve(cid), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return new StoredContent(cid, total);
  }

  @Override
  public ContentInput open(String cid) throws IOException {
    Path path = dir.resolve(cid);
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path.toString(), null, "unknown CID " + cid);
    }
    return ContentInputs.ofPath(path);
  }

  public Path pathOf(String cid) {
    return dir.resolve(cid);
  }
}
