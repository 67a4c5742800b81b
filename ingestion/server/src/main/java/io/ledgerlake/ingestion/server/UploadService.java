package io.ledgerlake.ingestion.server;

import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.LimitExceededException;
import io.ledgerlake.ingestion.content.ContentSink;
import io.ledgerlake.ingestion.content.ContentSource;
import io.ledgerlake.ingestion.content.StoredContent;
import io.ledgerlake.ingestion.dataset.DatasetDefinition;
import io.ledgerlake.ingestion.event.SubmissionEvent;
import io.ledgerlake.ingestion.format.UploadParser;
import io.ledgerlake.ingestion.kafka.LogPosition;
import io.ledgerlake.ingestion.kafka.SubmissionLog;
import io.ledgerlake.ingestion.schema.DatasetSchema;
import io.ledgerlake.ingestion.schema.SchemaInferrer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload path without HTTP: permission and limit checks, streaming into the {@link ContentSink}, duplicate
 * detection, schema inference on a dataset's first upload, then the acknowledged append to the submission log.
 *
 * <p>Order matters for durability: content durable (sink returns) → event acknowledged by Kafka → submission record
 * and duplicate marker written → caller answers 202. A crash before the append loses nothing the client was told
 * about; a crash after it leaves an event whose records the ingestion job deduplicates by record CID if the client
 * uploads again.
 */
public final class UploadService {
  private static final Logger LOG = LoggerFactory.getLogger(UploadService.class);

  private final DatasetStore datasets;
  private final SubmissionStore submissions;
  private final ContentSink sink;
  private final ContentSource source;
  private final SubmissionLog log;
  private final UploadParser parser;
  private final UploadLimiter limiter;
  private final long maxUploadBytes;
  private final long inferenceSample;
  private final Clock clock;
  private final Map<String, Object> datasetLocks = new ConcurrentHashMap<>();
  private final IngestionReadiness readiness;

  UploadService(DatasetStore datasets, SubmissionStore submissions, ContentSink sink, ContentSource source,
      SubmissionLog log, UploadParser parser, UploadLimiter limiter, IngestionOptions options, Clock clock,
      IngestionReadiness readiness) {
    this.readiness = readiness;
    this.datasets = datasets;
    this.submissions = submissions;
    this.sink = sink;
    this.source = source;
    this.log = log;
    this.parser = parser;
    this.limiter = limiter;
    this.maxUploadBytes = options.getLong(IngestionOptions.MAX_UPLOAD_BYTES);
    this.inferenceSample = options.getLong(IngestionOptions.SCHEMA_INFERENCE_SAMPLE);
    this.clock = clock;
  }

  /**
   * Checks everything that can be checked before the first body byte is read.
   *
   * @param declaredLength Content-Length / Upload-Length, or -1 when unknown (chunked)
   * @return the dataset and the normalized media type
   */
  Admission admit(String datasetId, String contributor, String contentType, long declaredLength) {
    readiness.uploadsBlocked().ifPresent(reason -> {
      throw new IngestionUnavailableException(reason);
    });
    DatasetDefinition dataset = datasets.require(datasetId);
    if (!dataset.submitPolicy().admits(dataset.owner(), contributor)) {
      throw new AccessDeniedException("Contributor " + contributor + " may not submit to dataset " + datasetId
          + ": it accepts submissions only from its owner and allowlist; ask the owner to add you");
    }
    String mediaType = UploadParser.checkContentType(dataset.format(), contentType);
    if (!parser.supports(dataset.format())) {
      throw new IllegalStateException("Format " + dataset.format().id() + " has no parser on the server classpath");
    }
    checkDeclaredLength(declaredLength);
    limiter.checkQuota(contributor, Math.max(declaredLength, 0));
    limiter.admitUpload(contributor);
    return new Admission(dataset, mediaType);
  }

  /** 413 for a declared length (Content-Length / Upload-Length) over the upload limit; -1 (unknown) passes. */
  void checkDeclaredLength(long declaredLength) {
    if (declaredLength > maxUploadBytes) {
      throw tooLarge(declaredLength);
    }
  }

  record Admission(DatasetDefinition dataset, String mediaType) {}

  DatasetDefinition datasetForSession(String datasetId) {
    return datasets.require(datasetId);
  }

  /** Streams {@code body} into the content store and submits it. */
  public UploadOutcome upload(String datasetId, String contributor, String contentType, String fileName,
      long declaredLength, InputStream body) throws IOException {
    Admission admission = admit(datasetId, contributor, contentType, declaredLength);
    return storeAndSubmit(admission, contributor, fileName, body);
  }

  /** Used by resumable uploads once all bytes are on the server: admission was done when the session started. */
  UploadOutcome storeAndSubmit(Admission admission, String contributor, String fileName, InputStream body)
      throws IOException {
    return submitStored(admission, contributor, fileName, store(admission.dataset().id(), contributor, body));
  }

  /** Streams a body into the content store, within the upload size limit and the contributor's quota. */
  StoredContent store(String datasetId, String contributor, InputStream body) throws IOException {
    long remainingQuota = limiter.remainingBytes(contributor);
    StoredContent stored = sink.store(new LimitedStream(body, Math.min(maxUploadBytes, remainingQuota),
        remainingQuota < maxUploadBytes, contributor));
    limiter.recordBytes(contributor, stored.byteCount());
    LOG.info("Stored {} bytes as {} for dataset {}", stored.byteCount(), stored.cid(), datasetId);
    return stored;
  }

  /** Submits content already in the store (see {@link #store}). */
  UploadOutcome submitStored(Admission admission, String contributor, String fileName, StoredContent stored)
      throws IOException {
    return submit(admission.dataset().id(), contributor, admission.mediaType(), fileName, stored);
  }

  private UploadOutcome submit(String datasetId, String contributor, String mediaType, String fileName,
      StoredContent stored) throws IOException {
    Optional<String> original = submissions.duplicateOf(datasetId, stored.cid());
    if (original.isPresent()) {
      LOG.info("Upload of {} to dataset {} duplicates submission {}", stored.cid(), datasetId, original.get());
      return new UploadOutcome(original.get(), datasetId, stored.cid(), stored.byteCount(), true);
    }
    DatasetSchema schema = schemaFor(datasetId, mediaType, stored.cid());
    DatasetDefinition dataset = datasets.require(datasetId);
    SubmissionEvent event = new SubmissionEvent(Ids.newId("sub", clock.instant()), datasetId, contributor,
        stored.cid(), stored.byteCount(), dataset.format(), mediaType, fileName, clock.instant(), schema);
    LogPosition position = log.append(event);
    submissions.put(new SubmissionRecord(event, position.toString()));
    String winner = submissions.claim(datasetId, stored.cid(), event.submissionId());
    if (!winner.equals(event.submissionId())) {
      // A concurrent upload of the same content got in first; both events are on the log and the ingestion job
      // drops the repeated records, so this one is still a valid (if redundant) submission.
      LOG.info("Submission {} raced with {} for the same content", event.submissionId(), winner);
    }
    return new UploadOutcome(event.submissionId(), datasetId, stored.cid(), stored.byteCount(), false);
  }

  /** The dataset's schema, inferred from this upload (and saved) if the dataset has none yet. */
  private DatasetSchema schemaFor(String datasetId, String mediaType, String cid) throws IOException {
    Optional<DatasetSchema> existing = datasets.require(datasetId).schema();
    if (existing.isPresent()) {
      return existing.get();
    }
    synchronized (datasetLocks.computeIfAbsent(datasetId, k -> new Object())) {
      DatasetDefinition dataset = datasets.require(datasetId);
      if (dataset.schema().isPresent()) {
        return dataset.schema().get();
      }
      SchemaInferrer inferrer = new SchemaInferrer(inferenceSample);
      parser.parse(dataset.format(), mediaType, source.open(cid), inferrer);
      DatasetSchema schema = inferrer.result();
      if (!datasets.replace(dataset, dataset.withSchema(schema))) {
        // Another process sharing the catalog inferred (or was given) a schema first: everyone uses that one.
        return datasets.require(datasetId).schema().orElseThrow(() -> new IllegalStateException(
            "dataset " + datasetId + " changed while its schema was inferred, but has none"));
      }
      LOG.info("Inferred schema of dataset {} from {} records of {}: {}", datasetId, inferrer.sampledRecords(), cid,
          schema.toJson());
      return schema;
    }
  }

  private LimitExceededException tooLarge(long bytes) {
    return new LimitExceededException("UPLOAD_TOO_LARGE", IngestionOptions.MAX_UPLOAD_BYTES, "Upload of " + bytes
        + " bytes exceeds the maximum of " + maxUploadBytes + " bytes (" + IngestionOptions.MAX_UPLOAD_BYTES
        + "); split it into several uploads");
  }

  /** Stops a body (e.g. chunked, with no declared length) as soon as it passes the size limit or the quota. */
  private final class LimitedStream extends FilterInputStream {
    private final long limit;
    private final boolean quotaBound;
    private final String contributor;
    private long count;

    LimitedStream(InputStream in, long limit, boolean quotaBound, String contributor) {
      super(in);
      this.limit = limit;
      this.quotaBound = quotaBound;
      this.contributor = contributor;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(long n) {
      count += n;
      if (count > limit) {
        if (quotaBound) {
          throw limiter.quotaExceeded(contributor);
        }
        throw tooLarge(count);
      }
    }
  }

}
