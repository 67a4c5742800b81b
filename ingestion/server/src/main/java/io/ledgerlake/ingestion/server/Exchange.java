package io.ledgerlake.ingestion.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * One request/response of the upload API over Jetty's core API: what {@link HttpApi} and {@link ApiRequest} read
 * (method, path, headers, a blocking body stream) and how they answer (one complete response, written once).
 *
 * <p>The body stream remembers a failed read (the client closed early, or sent nothing for the idle timeout), so the
 * error mapping can blame the client however the failure was wrapped on its way up. {@link #drainThen} discards what
 * is left of a rejected body without holding a thread while the client is slow.
 */
final class Exchange {
  private final Request request;
  private final Response response;
  private final Callback callback;
  private final String method;
  private final String path;
  private final AtomicBoolean answered = new AtomicBoolean();
  private final BodyStream body = new BodyStream();
  /** The caller once authenticated, so that the header check and the handler look the token up once. */
  String caller;

  Exchange(Request request, Response response, Callback callback) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.method = request.getMethod().toUpperCase(Locale.ROOT);
    this.path = Request.getPathInContext(request);
  }

  /** Upper case, e.g. {@code GET}. */
  String method() {
    return method;
  }

  /** The decoded path, without the query. */
  String path() {
    return path;
  }

  /** The raw (still encoded) query, or null. */
  String rawQuery() {
    return request.getHttpURI().getQuery();
  }

  /** The first value of a request header, or null. */
  String header(String name) {
    return request.getHeaders().get(name);
  }

  boolean hasHeader(String name) {
    return request.getHeaders().contains(name);
  }

  /** The declared Content-Length, or -1 when there is none (chunked or no body). */
  long declaredLength() {
    return request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
  }

  /** Whether the request announces a body: a positive Content-Length or a Transfer-Encoding. */
  boolean declaresBody() {
    return declaredLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
  }

  boolean expectsContinue() {
    String expect = header("Expect");
    return expect != null && expect.equalsIgnoreCase("100-continue");
  }

  /** The request body; reads block (a read waits at most the connector's idle timeout). */
  InputStream body() {
    return body;
  }

  /** Whether the handler has asked for the body at all. */
  boolean bodyRequested() {
    return body.requested;
  }

  /** Whether the whole body has been read (or there is none). */
  boolean bodyComplete() {
    return body.eof || !declaresBody();
  }

  /** The failure of a body read (the client's fault: it closed early or went silent), or null. */
  IOException bodyFailure() {
    return body.failure;
  }

  boolean bodyTimedOut() {
    for (Throwable t = body.failure; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  long bodyBytesRead() {
    return body.bytesRead;
  }

  /** Sets (replaces) a response header. */
  void setHeader(String name, String value) {
    response.getHeaders().put(name, value);
  }

  boolean answered() {
    return answered.get();
  }

  /** Sends the complete response; the body may be null for none. Only the first answer counts. */
  void send(int status, byte[] body, String contentType) {
    if (!answered.compareAndSet(false, true)) {
      throw new IllegalStateException("Response already sent");
    }
    response.setStatus(status);
    if (contentType != null) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    }
    boolean noBody = body == null || body.length == 0 || method.equals("HEAD");
    if (noBody && status != 204 && status != 304 && !method.equals("HEAD")) {
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
    }
    response.write(true, noBody ? null : ByteBuffer.wrap(body), callback);
  }

  /** Asks the client to close this connection after the response (its request body is not read to the end). */
  void closeAfterResponse() {
    response.getHeaders().put(new HttpField(HttpHeader.CONNECTION, "close"));
  }

  /** For an exchange that ends without {@link #send} (the handler failed after answering): completes it. */
  void abort(Throwable failure) {
    if (answered.compareAndSet(false, true)) {
      callback.failed(failure);
    }
  }

  /**
   * Reads and discards what is left of the body, up to {@code budget} bytes, without blocking a thread while the
   * client is slow (Jetty calls back when bytes arrive or the idle timeout passes), then runs {@code then} with true
   * if the body was read to its end (the connection can be kept) or false otherwise.
   */
  void drainThen(long budget, java.util.function.Consumer<Boolean> then) {
    long left = budget - body.discardBuffered();
    if (body.eof) {
      then.accept(true);
      return;
    }
    if (left < 0) {
      then.accept(false);
      return;
    }
    new Drain(left, then).run();
  }

  private final class Drain implements Runnable {
    private long left;
    private final java.util.function.Consumer<Boolean> then;

    Drain(long left, java.util.function.Consumer<Boolean> then) {
      this.left = left;
      this.then = then;
    }

    @Override
    public void run() {
      while (true) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this);
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          body.failure = BodyStream.asIOException(chunk.getFailure());
          then.accept(false);
          return;
        }
        left -= chunk.remaining();
        boolean last = chunk.isLast();
        chunk.release();
        if (last) {
          body.eof = true;
          then.accept(true);
          return;
        }
        if (left < 0) {
          then.accept(false);
          return;
        }
      }
    }
  }

  /** A blocking stream over the request's chunks. */
  private final class BodyStream extends InputStream {
    private Content.Chunk chunk;
    private volatile IOException failure;
    private volatile boolean eof;
    private volatile boolean requested;
    private long bytesRead;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      requested = true;
      if (len == 0) {
        return 0;
      }
      while (true) {
        if (failure != null) {
          throw failure;
        }
        if (chunk != null) {
          ByteBuffer buffer = chunk.getByteBuffer();
          if (buffer.hasRemaining()) {
            int n = Math.min(len, buffer.remaining());
            buffer.get(b, off, n);
            bytesRead += n;
            return n;
          }
          boolean last = chunk.isLast();
          chunk.release();
          chunk = null;
          if (last) {
            eof = true;
          }
        }
        if (eof) {
          return -1;
        }
        Content.Chunk next = request.read();
        if (next == null) {
          awaitContent();
        } else if (Content.Chunk.isFailure(next)) {
          failure = asIOException(next.getFailure());
          throw failure;
        } else {
          chunk = next;
        }
      }
    }

    /** Drops the rest of the chunk in hand; returns how many bytes it still had. */
    long discardBuffered() {
      requested = true;
      if (chunk == null) {
        return 0;
      }
      long n = chunk.remaining();
      if (chunk.isLast()) {
        eof = true;
      }
      chunk.release();
      chunk = null;
      return n;
    }

    private void awaitContent() throws IOException {
      CountDownLatch available = new CountDownLatch(1);
      request.demand(Invocable.from(Invocable.InvocationType.NON_BLOCKING, available::countDown));
      try {
        available.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("Interrupted while waiting for the request body");
      }
    }

    @Override
    public void close() {
      // The exchange owns the body: what is left is drained (or the connection closed) when the answer is sent.
    }

    static IOException asIOException(Throwable t) {
      return t instanceof IOException io ? io : new IOException(t.toString(), t);
    }
  }
}
