package io.ledgerlake.sqlserver;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A PostgreSQL protocol client on a bare socket for the tests that send what no driver would: bad lengths, unknown
 * message types, garbage instead of a startup packet. It writes bytes as given and reads whole backend messages.
 */
final class RawPgClient implements AutoCloseable {
  /** One backend message: its type byte and body. */
  record Message(char type, byte[] body) {
    /** The fields of an ErrorResponse by code ('S' severity, 'C' SQLSTATE, 'M' message). */
    Map<Character, String> fields() {
      Map<Character, String> out = new LinkedHashMap<>();
      int i = 0;
      while (i < body.length && body[i] != 0) {
        char code = (char) body[i++];
        int end = i;
        while (body[end] != 0) {
          end++;
        }
        out.put(code, new String(body, i, end - i, StandardCharsets.UTF_8));
        i = end + 1;
      }
      return out;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  RawPgClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(30_000);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
  }

  /** Logs in with cleartext password and reads up to the first ReadyForQuery. */
  static RawPgClient login(int port, String user, String password) throws IOException {
    RawPgClient c = new RawPgClient(port);
    ByteArrayOutputStream params = new ByteArrayOutputStream();
    for (String s : new String[] {"user", user, "database", "lakehouse"}) {
      params.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      params.write(0);
    }
    params.write(0);
    c.startup(196608, params.toByteArray());
    Message auth = c.read();
    if (auth.type() != 'R') {
      throw new IllegalStateException("expected an authentication request, got " + auth.type());
    }
    c.send('p', cstring(password));
    c.readUntil('Z');
    return c;
  }

  /** A startup packet: length (counting itself), code, body. */
  void startup(int code, byte[] body) throws IOException {
    out.writeInt(8 + body.length);
    out.writeInt(code);
    out.write(body);
    out.flush();
  }

  /** A regular message with a correct length. */
  void send(char type, byte[] body) throws IOException {
    out.writeByte(type);
    out.writeInt(4 + body.length);
    out.write(body);
    out.flush();
  }

  void raw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  Message read() throws IOException {
    char type = (char) in.readUnsignedByte();
    byte[] body = new byte[in.readInt() - 4];
    in.readFully(body);
    return new Message(type, body);
  }

  /** Reads messages until one of {@code type}; returns the first ErrorResponse met on the way, else that message. */
  Message readUntil(char type) throws IOException {
    Message error = null;
    while (true) {
      Message m = read();
      if (m.type() == 'E' && error == null) {
        error = m;
      }
      if (m.type() == type) {
        return error != null ? error : m;
      }
    }
  }

  /** Whether the server closed the connection (end of stream before any further message). */
  boolean closedByServer() throws IOException {
    try {
      return in.read() < 0;
    } catch (EOFException | java.net.SocketException e) {
      return true;
    }
  }

  static byte[] cstring(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[b.length + 1];
    System.arraycopy(b, 0, out, 0, b.length);
    return out;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
