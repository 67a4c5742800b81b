package io.ledgerlake.provenance.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback HTTP proxy in front of anvil that can make the node "go away" during one eth_sendRawTransaction:
 * either before the request reaches anvil, or after anvil executed it but before the answer gets back. This is a
 * hand-written fault injector because a real network partition cannot be staged on this machine; the node behind
 * it is the real anvil.
 */
public final class FaultyRpcProxy implements AutoCloseable {
  /** What happens to the next eth_sendRawTransaction. */
  public enum Fault {
    /** Connection closed before forwarding: the node never sees the transaction. */
    DROP_REQUEST,
    /** Forwarded and executed, then the connection is closed without an answer. */
    DROP_RESPONSE
  }

  private final ServerSocket server;
  private final URI target;
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicReference<Fault> nextSendFault = new AtomicReference<>();
  private final AtomicInteger sendsForwarded = new AtomicInteger();
  private volatile boolean closed;

  public FaultyRpcProxy(URI target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "faulty-rpc-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  public void failNextSend(Fault fault) {
    nextSendFault.set(fault);
  }

  /** How many eth_sendRawTransaction requests reached the node. */
  public int sendsForwarded() {
    return sendsForwarded.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s), "faulty-rpc-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (true) {
        int contentLength = -1;
        String line = readLine(in);
        if (line == null || line.isEmpty()) {
          return;
        }
        while (!(line = readLine(in)).isEmpty()) {
          String lower = line.toLowerCase(Locale.ROOT);
          if (lower.startsWith("content-length:")) {
            contentLength = Integer.parseInt(lower.substring(15).trim());
          }
        }
        byte[] body = in.readNBytes(Math.max(contentLength, 0));
        String request = new String(body, StandardCharsets.UTF_8);
        Fault fault = request.contains("eth_sendRawTransaction") ? nextSendFault.getAndSet(null) : null;
        if (fault == Fault.DROP_REQUEST) {
          return;
        }
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(target)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofString());
        if (request.contains("eth_sendRawTransaction")) {
          sendsForwarded.incrementAndGet();
        }
        if (fault == Fault.DROP_RESPONSE) {
          return;
        }
        byte[] answer = resp.body().getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + answer.length
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(answer);
        out.flush();
      }
    } catch (IOException e) {
      // connection ended
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        String s = buf.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      buf.write(b);
    }
    return buf.size() == 0 ? null : buf.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
  }
}
