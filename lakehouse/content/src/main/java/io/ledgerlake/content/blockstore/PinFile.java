package io.ledgerlake.content.blockstore;

import io.ledgerlake.common.AtomicFiles;
import io.ledgerlake.content.ContentIoException;
import io.ledgerlake.content.MalformedContentException;
import io.ledgerlake.content.multiformats.Cid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The pinned roots of a {@link FsBlockstore}, kept in its {@code pins} file: a versioned header line, then one CID per
 * line in pin order. Every change rewrites the file atomically and durably ({@link AtomicFiles}, whatever the
 * store's block fsync policy): pins are few and rarely change, and a lost pin lets garbage collection delete a
 * dataset. Thread-safe.
 */
final class PinFile {
  static final String HEADER = "# ledgerlake pins v1";

  private final Path file;
  private final Set<Cid> pins = new LinkedHashSet<>();

  private PinFile(Path file) {
    this.file = file;
  }

  /** Reads {@code file} if it exists; no file is no pins. */
  static PinFile open(Path file) throws IOException {
    PinFile pinFile = new PinFile(file);
    if (Files.exists(file)) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
        throw new MalformedContentException("Pin file " + file, "does not start with '" + HEADER
            + "'; restore it from a backup or remove it (unpinned content may then be garbage collected)");
      }
      for (String line : lines.subList(1, lines.size())) {
        if (!line.isBlank()) {
          pinFile.pins.add(Cid.parse(line.strip()));
        }
      }
    }
    return pinFile;
  }

  /** @return true if {@code root} was not pinned before (the file was rewritten) */
  synchronized boolean add(Cid root) {
    if (!pins.add(root)) {
      return false;
    }
    save();
    return true;
  }

  /** @return true if {@code root} was pinned (the file was rewritten) */
  synchronized boolean remove(Cid root) {
    if (!pins.remove(root)) {
      return false;
    }
    save();
    return true;
  }

  synchronized boolean contains(Cid root) {
    return pins.contains(root);
  }

  synchronized List<Cid> list() {
    return List.copyOf(pins);
  }

  synchronized int size() {
    return pins.size();
  }

  private void save() {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (Cid c : pins) {
      sb.append(c).append('\n');
    }
    try {
      AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ContentIoException("write pins to", file, e);
    }
  }
}
