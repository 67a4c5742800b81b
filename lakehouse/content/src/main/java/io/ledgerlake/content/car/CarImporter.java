package io.ledgerlake.content.car;

import io.ledgerlake.content.BlockNotFoundException;
import io.ledgerlake.content.CarFormatException;
import io.ledgerlake.content.InvalidCidException;
import io.ledgerlake.content.blockstore.FsBlockstore;
import io.ledgerlake.content.blockstore.Staging;
import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.multiformats.Varint;
import io.ledgerlake.content.unixfs.Dag;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a CAR v1 stream all-or-nothing: every block's hash is verified and staged first; only
 * when the whole stream has been read intact (and, if roots are to be pinned, their DAGs are
 * complete) are the blocks published to the store.
 */
public final class CarImporter {
  private static final Logger LOG = LoggerFactory.getLogger(CarImporter.class);
  /** Larger headers or sections are rejected rather than buffered (IPFS blocks are at most a few MiB). */
  static final int MAX_HEADER_BYTES = 1 << 20;
  static final int MAX_SECTION_BYTES = 8 << 20;

  private CarImporter() {}

  /** What an import published. */
  public record Result(List<Cid> roots, long blocks, long newBlocks) {
    public Result {
      roots = List.copyOf(roots);
    }
  }

  /**
   * @param sourceName how to name the input in error messages (e.g. its path)
   * @param pinRoots pin every root after import (requires each root's DAG to be complete)
   * @throws CarFormatException if anything is wrong; nothing is stored then
   */
  public static Result importCar(InputStream in, String sourceName, FsBlockstore store, boolean pinRoots) {
    Objects.requireNonNull(store, "store");
    CarHeader header;
    long blocks = 0;
    try (Staging staging = store.stage()) {
      try {
        header = readHeader(in, sourceName);
        while (true) {
          long len = Varint.read(in);
          if (len < 0) {
            break;
          }
          if (len == 0 || len > MAX_SECTION_BYTES) {
            throw new CarFormatException(sourceName, "block section " + blocks + " has length " + len
                + " (allowed 1.." + MAX_SECTION_BYTES + ")");
          }
          byte[] section = in.readNBytes((int) len);
          if (section.length != len) {
            throw new CarFormatException(sourceName, "truncated: block section " + blocks + " declares " + len
                + " bytes but only " + section.length + " remain");
          }
          int[] pos = {0};
          Cid cid;
          try {
            cid = Cid.read(section, pos, section.length);
          } catch (IllegalArgumentException | InvalidCidException e) {
            throw new CarFormatException(sourceName, "block section " + blocks + " does not start with a valid CID ("
                + e.getMessage() + ")");
          }
          if (!FsBlockstore.matches(cid, section, pos[0], section.length - pos[0])) {
            throw new CarFormatException(sourceName, "block " + cid + " (section " + blocks
                + ") does not hash to its CID");
          }
          staging.put(cid, section, pos[0], section.length - pos[0]);
          blocks++;
        }
      } catch (EOFException e) {
        throw new CarFormatException(sourceName, "truncated inside a length prefix after " + blocks + " blocks");
      } catch (IOException e) {
        throw new CarFormatException(sourceName, "could not be read (" + e.getMessage() + ")");
      }
      if (pinRoots) {
        for (Cid root : header.roots()) {
          checkComplete(root, staging, sourceName);
        }
      }
      long published = staging.commit();
      if (pinRoots) {
        for (Cid root : header.roots()) {
          store.pin(root);
        }
      }
      LOG.info("Imported CAR {}: {} blocks ({} new), roots {}", sourceName, blocks, published, header.roots());
      return new Result(header.roots(), blocks, published);
    }
  }

  private static CarHeader readHeader(InputStream in, String sourceName) throws IOException {
    long len = Varint.read(in);
    if (len <= 0 || len > MAX_HEADER_BYTES) {
      throw new CarFormatException(sourceName, len < 0 ? "empty input" : "header length " + len + " is not plausible");
    }
    byte[] h = in.readNBytes((int) len);
    if (h.length != len) {
      throw new CarFormatException(sourceName, "truncated header");
    }
    CarHeader header;
    try {
      header = CarHeader.decode(h);
    } catch (IllegalArgumentException | InvalidCidException e) {
      throw new CarFormatException(sourceName, "header is not valid DAG-CBOR for CAR v1 (" + e.getMessage() + ")");
    }
    if (header.version() != 1) {
      throw new CarFormatException(sourceName, "CAR version " + header.version() + " is not supported (only v1)");
    }
    return header;
  }

  private static void checkComplete(Cid root, Staging staging, String sourceName) {
    Set<Cid> seen = new HashSet<>();
    Deque<Cid> todo = new ArrayDeque<>();
    todo.push(root);
    while (!todo.isEmpty()) {
      Cid cid = todo.pop();
      if (!seen.add(cid)) {
        continue;
      }
      if (!staging.has(cid)) {
        throw new CarFormatException(sourceName, "the DAG of root " + root + " is incomplete: block " + cid
            + " is neither in the CAR nor in the store");
      }
      if (Dag.isLeafCodec(cid)) {
        continue;
      }
      try {
        for (Cid link : Dag.links(cid, staging.get(cid))) {
          todo.push(link);
        }
      } catch (BlockNotFoundException e) {
        throw new CarFormatException(sourceName, "block " + cid + " is missing");
      }
    }
  }
}
