package io.ledgerlake.ingestion.content;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.content.AddResult;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.content.Profile;
import io.ledgerlake.content.RecordCids;
import io.ledgerlake.ingestion.format.ContentInput;
import io.ledgerlake.ingestion.format.ContentInputs;
import io.ledgerlake.ingestion.record.RecordNamer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;

/**
 * The production seams of ingestion over the content module: uploads are added to the block store
 * (CID computed while streaming, blocks synced, root pinned) and read back with every block
 * verified; records are named by the CID IPFS gives their canonical bytes.
 */
public final class ContentStoreAdapter implements ContentSink, ContentSource {
  private final ContentStore store;
  private final Profile profile;

  public ContentStoreAdapter(ContentStore store) {
    this.store = requireNonNull(store, "store");
    this.profile = store.options().profile();
  }

  @Override
  public StoredContent store(InputStream content) throws IOException {
    // ContentStore.add syncs the blocks before returning: the CID only names durable bytes.
    AddResult added = store.add(content, profile);
    return new StoredContent(added.cid().toString(), added.contentBytes());
  }

  @Override
  public ContentInput open(String cid) throws IOException {
    if (!store.blockstore().has(io.ledgerlake.content.multiformats.Cid.parse(cid))) {
      throw new NoSuchFileException(cid, null, "not in the content store " + store.blockstore().root());
    }
    return ContentInputs.ofStreams(() -> store.open(cid), -1);
  }

  /** Record names: {@link RecordCids}, identical to {@code ipfs add} of the canonical bytes. */
  public static RecordNamer recordNamer() {
    return RecordCids::of;
  }
}
