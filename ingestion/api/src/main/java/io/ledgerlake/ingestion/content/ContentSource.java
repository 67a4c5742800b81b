package io.ledgerlake.ingestion.content;

import io.ledgerlake.ingestion.format.ContentInput;
import java.io.IOException;

/** Reads stored content back by CID (schema inference in the server; later the Flink job). */
public interface ContentSource {
  /** @throws java.nio.file.NoSuchFileException when the CID is unknown */
  ContentInput open(String cid) throws IOException;
}
