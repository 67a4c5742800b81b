package io.ledgerlake.ingestion.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.IngestionException;
import io.ledgerlake.ingestion.content.StoredContent;
import io.ledgerlake.ingestion.record.Json;
import io.ledgerlake.common.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumable upload sessions (the tus 1.0 core protocol with the creation and termination extensions; HTTP mapping in
 * {@link HttpApi}). Each session is {@code uploads/<id>.json} (version 1) plus {@code uploads/<id>.bin}. Every PATCH is
 * fsynced before its new offset is recorded, so the confirmed offset survives crashes and restarts; bytes received
 * after the last confirmed offset are discarded when the next PATCH starts. While chunks arrive, a {@link StagedImport}
 * moves the confirmed bytes into the content store, so the last chunk does not wait for the whole upload to be read
 * again.
 */
final class ResumableUploads implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResumableUploads.class);
  private static final int VERSION = 1;
  /** Within one PATCH, received bytes are synced and confirmed every this many bytes. */
  private static final long SYNC_BYTES = 8 << 20;
  /** An import waiting this long for a session's next chunk gives up (the completion imports the staged file). */
  private static final java.time.Duration IMPORT_IDLE_TIMEOUT = java.time.Duration.ofMinutes(10);
  /** Imports running at once; sessions beyond it are imported when complete. */
  private static final int MAX_IMPORTS = 16;

  /** One session. {@code outcome} is set once the complete upload was submitted. */
  record Session(String id, String datasetId, String contributor, long length, long offset, String mediaType,
      String fileName, Instant createdAt, Optional<UploadOutcome> outcome) {

    Session withOffset(long newOffset) {
      return new Session(id, datasetId, contributor, length, newOffset, mediaType, fileName, createdAt, outcome);
    }

    Session withOutcome(UploadOutcome done) {
      return new Session(id, datasetId, contributor, length, offset, mediaType, fileName, createdAt, Optional.of(done));
    }
  }

  private final Path dir;
  private final UploadService uploads;
  private final java.time.Duration ttl;
  private final Clock clock;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  /** Imports running for sessions receiving chunks in this process. */
  private final Map<String, StagedImport> imports = new ConcurrentHashMap<>();
  private final ExecutorService importThreads = Executors.newCachedThreadPool(runnable -> {
    Thread t = new Thread(runnable, "ledgerlake-upload-import");
    t.setDaemon(true);
    return t;
  });

  ResumableUploads(Path dir, UploadService uploads, java.time.Duration ttl, Clock clock) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.uploads = uploads;
    this.ttl = ttl;
    this.clock = clock;
    purgeExpired();
  }

  /**
   * Deletes sessions older than the TTL (abandoned partial uploads, and completed sessions whose outcome nobody asks
   * for any more). Runs at start and whenever a session is created.
   *
   * @return how many sessions were deleted
   */
  int purgeExpired() {
    Instant cutoff = clock.instant().minus(ttl);
    int purged = 0;
    try (java.nio.file.DirectoryStream<Path> metas = Files.newDirectoryStream(dir, "*.json")) {
      for (Path meta : metas) {
        String id = meta.getFileName().toString().replaceFirst("\\.json$", "");
        synchronized (locks.computeIfAbsent(id, k -> new Object())) {
          try {
            Session session = load(id);
            if (session.createdAt().isBefore(cutoff)) {
              abortImport(id);
              Files.deleteIfExists(data(id));
              Files.deleteIfExists(meta(id));
              locks.remove(id);
              purged++;
              LOG.info("Deleted expired resumable upload {} ({} of {} bytes received)", id, session.offset(),
                  session.length());
            }
          } catch (RuntimeException e) {
            LOG.warn("Skipping unreadable upload session {}: {}", meta, e.getMessage());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list upload sessions in " + dir, e);
    }
    return purged;
  }

  Session create(String datasetId, String contributor, long length, String contentType, String fileName) {
    purgeExpired();
    UploadService.Admission admission = uploads.admit(datasetId, contributor, contentType, length);
    Session session = new Session(Ids.newId("up", clock.instant()), datasetId, contributor, length, 0,
        admission.mediaType(), fileName, clock.instant(), Optional.empty());
    try {
      Files.deleteIfExists(data(session.id()));
      Files.createFile(data(session.id()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create upload session file under " + dir, e);
    }
    save(session);
    LOG.info("Started resumable upload {} of {} bytes to dataset {}", session.id(), length, datasetId);
    return session;
  }

  Session get(String id, String contributor) {
    Session session = load(id);
    if (!session.contributor().equals(contributor)) {
      throw new AccessDeniedException("Upload " + id + " belongs to another contributor");
    }
    return session;
  }

  /**
   * Appends a chunk at {@code expectedOffset}. A body cut short (broken connection) still keeps the bytes that
   * arrived: they are synced and confirmed, and the client resumes from the returned offset. When the last byte
   * arrives, the upload is submitted. A PATCH at the full length with an empty body retries a submission that
   * failed (e.g. the submission log was down).
   */
  Session append(String id, String contributor, long expectedOffset, InputStream body) throws IOException {
    synchronized (locks.computeIfAbsent(id, k -> new Object())) {
      Session session = get(id, contributor);
      if (expectedOffset != session.offset()) {
        throw new ConflictException("Upload-Offset " + expectedOffset + " does not match the server's offset "
            + session.offset() + " for upload " + id + "; HEAD the upload and resume from its offset");
      }
      if (session.outcome().isPresent()) {
        return session;
      }
      if (session.offset() == session.length()) {
        return complete(session);
      }
      long offset = session.offset();
      StagedImport staged = importOf(session);
      IOException broken = null;
      try (FileChannel channel = FileChannel.open(data(id), StandardOpenOption.WRITE)) {
        channel.truncate(offset); // drop anything written after the last confirmed offset
        channel.position(offset);
        byte[] buffer = new byte[256 * 1024];
        while (true) {
          int n;
          try {
            n = body.read(buffer, 0, (int) Math.min(buffer.length, session.length() - offset + 1));
          } catch (IOException e) {
            broken = e;
            break;
          }
          if (n < 0) {
            break;
          }
          if (offset + n > session.length()) {
            channel.truncate(session.offset());
            throw new BadRequestException("Chunk goes past Upload-Length " + session.length() + " of upload " + id);
          }
          ByteBuffer slice = ByteBuffer.wrap(buffer, 0, n);
          while (slice.hasRemaining()) {
            channel.write(slice);
          }
          offset += n;
          if (offset - session.offset() >= SYNC_BYTES && offset < session.length()) {
            // Confirm what arrived so far within a long PATCH: a HEAD reports it, and the import moves it on.
            channel.force(true);
            session = session.withOffset(offset);
            save(session);
            if (staged != null) {
              staged.confirm(offset);
            }
          }
        }
        channel.force(true);
      }
      session = session.withOffset(offset);
      save(session);
      if (staged != null) {
        staged.confirm(offset);
      }
      if (broken != null) {
        // The client resumes with HEAD + PATCH from the confirmed offset; nothing to answer on a dead connection.
        LOG.info("Upload {} interrupted at offset {} of {} ({})", id, offset, session.length(), broken.getMessage());
        return session;
      }
      if (offset == session.length()) {
        session = complete(session);
      }
      return session;
    }
  }

  private Session complete(Session session) throws IOException {
    UploadService.Admission admission = new UploadService.Admission(
        uploads.datasetForSession(session.datasetId()), session.mediaType());
    StoredContent stored = importedWhileReceiving(session);
    if (stored == null) {
      try (InputStream in = Files.newInputStream(data(session.id()))) {
        stored = uploads.store(session.datasetId(), session.contributor(), in);
      }
    }
    UploadOutcome outcome = uploads.submitStored(admission, session.contributor(), session.fileName(), stored);
    Session done = session.withOutcome(outcome);
    save(done);
    // Freeing a large file takes a while (0.4 s for 1 GB here): not on the answer's path. A restart before it
    // happens leaves the file to the TTL purge.
    Path staged = data(session.id());
    Runnable delete = () -> {
      try {
        Files.deleteIfExists(staged);
      } catch (IOException e) {
        LOG.warn("Cannot delete the staged file {} of a completed upload: {}", staged, e.toString());
      }
    };
    try {
      importThreads.execute(delete);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      delete.run();
    }
    LOG.info("Resumable upload {} complete: submission {}", session.id(), outcome.submissionId());
    return done;
  }

  /**
   * The session's running import, started (from the staged file's start) if none runs in this process; null when
   * {@value #MAX_IMPORTS} imports already run (each holds a thread while it waits for its session's next chunk, and
   * clients that start many uploads and send slowly must not multiply threads): the completion then imports the
   * staged file.
   */
  private StagedImport importOf(Session session) {
    StagedImport current = imports.get(session.id());
    if (current != null && current.result().isCompletedExceptionally()) {
      imports.remove(session.id(), current); // it gave up (idle): start over from the staged file
      current = null;
    }
    if (current == null && imports.values().stream().filter(i -> !i.result().isDone()).count() >= MAX_IMPORTS) {
      return null;
    }
    return imports.computeIfAbsent(session.id(), id -> new StagedImport(data(id), session.length(), session.offset(),
        IMPORT_IDLE_TIMEOUT).start(in -> uploads.store(session.datasetId(), session.contributor(), in), importThreads));
  }

  /**
   * What the import running while the chunks arrived stored, or null if there is none or it failed for a reason of
   * its own (then the staged file is imported now). A rejection of the upload itself (over the size limit or quota)
   * is thrown, as the import of the staged file would throw it.
   */
  private StoredContent importedWhileReceiving(Session session) throws IOException {
    StagedImport staged = imports.remove(session.id());
    if (staged == null) {
      return null;
    }
    staged.confirm(session.length());
    try {
      return staged.result().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted waiting for the import of upload " + session.id());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IngestionException rejected) {
        throw rejected;
      }
      LOG.warn("Import of upload {} while receiving failed ({}); importing the staged file", session.id(),
          e.getCause().toString());
      return null;
    }
  }

  private void abortImport(String id) {
    StagedImport staged = imports.remove(id);
    if (staged != null) {
      staged.abort();
    }
  }

  /** Stops the imports in progress; their sessions import the staged file when completed after a restart. */
  @Override
  public void close() {
    imports.keySet().forEach(this::abortImport);
    importThreads.shutdown();
  }

  /** Termination: discards an unfinished upload. */
  void delete(String id, String contributor) throws IOException {
    synchronized (locks.computeIfAbsent(id, k -> new Object())) {
      get(id, contributor);
      abortImport(id);
      Files.deleteIfExists(data(id));
      Files.deleteIfExists(meta(id));
      locks.remove(id);
    }
  }

  private Session load(String id) {
    if (!Ids.isWellFormed(id)) {
      throw new ResourceNotFoundException("Upload " + id + " does not exist");
    }
    try {
      JsonNode json = Json.MAPPER.readTree(meta(id).toFile());
      if (json.path("version").asInt() != VERSION) {
        throw new IllegalStateException("Upload session " + id + " has unsupported version " + json.path("version"));
      }
      Optional<UploadOutcome> outcome = Optional.empty();
      JsonNode o = json.get("outcome");
      if (o != null && !o.isNull()) {
        outcome = Optional.of(new UploadOutcome(o.path("submissionId").asText(), o.path("datasetId").asText(),
            o.path("cid").asText(), o.path("byteCount").asLong(), o.path("duplicate").asBoolean()));
      }
      return new Session(id, json.path("datasetId").asText(), json.path("contributor").asText(),
          json.path("length").asLong(), json.path("offset").asLong(), json.path("mediaType").asText(),
          json.path("fileName").asText(), Instant.parse(json.path("createdAt").asText()), outcome);
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new ResourceNotFoundException("Upload " + id + " does not exist (or was terminated)");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read upload session " + id, e);
    }
  }

  private void save(Session s) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("version", VERSION);
    json.put("id", s.id());
    json.put("datasetId", s.datasetId());
    json.put("contributor", s.contributor());
    json.put("length", s.length());
    json.put("offset", s.offset());
    json.put("mediaType", s.mediaType());
    json.put("fileName", s.fileName());
    json.put("createdAt", s.createdAt().toString());
    s.outcome().ifPresent(o -> json.putObject("outcome").put("submissionId", o.submissionId())
        .put("datasetId", o.datasetId()).put("cid", o.cid()).put("byteCount", o.byteCount())
        .put("duplicate", o.duplicate()));
    try {
      AtomicFiles.write(meta(s.id()), Json.MAPPER.writeValueAsBytes(json));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write upload session " + s.id(), e);
    }
  }

  private Path meta(String id) {
    return dir.resolve(id + ".json");
  }

  private Path data(String id) {
    return dir.resolve(id + ".bin");
  }
}
