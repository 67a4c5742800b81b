package io.ledgerlake.content;

import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.multiformats.Multicodec;
import io.ledgerlake.content.multiformats.Multihash;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The CID of a record's canonical bytes: exactly what IPFS gives those bytes added as a file
 * with the default profile ({@code unixfs-v1-2025}), so anyone can recompute a record CID with
 * standard tools.
 *
 * <p>Records are small: up to one chunk the file is a single raw leaf and its CID is the raw
 * block's CID (CIDv1, raw codec, sha2-256), computed here without the importer's buffers. Larger
 * byte arrays go through the importer.
 */
public final class RecordCids {
  private static final Profile PROFILE = Profile.DEFAULT;

  private RecordCids() {}

  public static String of(byte[] bytes) {
    return cid(bytes).toString();
  }

  public static Cid cid(byte[] bytes) {
    if (PROFILE.rawLeaves() && bytes.length <= PROFILE.chunkSize()) {
      return Cid.v1(Multicodec.RAW, Multihash.sha256(bytes));
    }
    try {
      return ContentStore.cid(new ByteArrayInputStream(bytes), PROFILE).cid();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
