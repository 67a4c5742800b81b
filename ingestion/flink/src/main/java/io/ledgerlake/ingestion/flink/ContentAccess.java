package io.ledgerlake.ingestion.flink;

import io.ledgerlake.ingestion.content.ContentSource;
import io.ledgerlake.ingestion.record.RecordNamer;
import java.io.Serializable;

/**
 * How the job's operators reach content and name records. Serializable factories, because Flink
 * ships operators to task managers and each opens its own content store there (a shared
 * filesystem blockstore, or an IPFS node over HTTP on a cluster).
 */
public interface ContentAccess extends Serializable {
  ContentSource openSource();

  RecordNamer namer();
}
