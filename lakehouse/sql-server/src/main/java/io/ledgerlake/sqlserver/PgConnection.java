package io.ledgerlake.sqlserver;

import io.ledgerlake.lakehouse.spark.SqlRunner;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: startup, authentication, then the simple and extended query protocols, one message at a
 * time on this connection's thread. Message formats follow the PostgreSQL protocol v3 documentation ("Message Formats"
 * and "Message Flow"); the comments name the messages by their documented names.
 */
final class PgConnection implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(PgConnection.class);

  private static final int PROTOCOL_3 = 196608; // 3 << 16
  private static final int SSL_REQUEST = 80877103;
  private static final int GSSENC_REQUEST = 80877104;
  private static final int CANCEL_REQUEST = 80877102;
  /** Larger messages are refused: a client cannot make the service allocate unbounded memory with a length field. */
  private static final int MAX_MESSAGE = 64 << 20;

  private static final AtomicLong QUERY_IDS = new AtomicLong();

  private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(30);

  enum CancelReason { USER, TIMEOUT }

  /** A parsed statement (Parse). */
  private record Prepared(String sql, int[] parameterTypes) {}

  /** A statement's outcome: result columns (null for a command), the rows, and the CommandComplete tag. */
  private record Outcome(List<String> names, int[] types, List<List<Object>> rows, String tag, boolean empty) {}

  /** A bound statement (Bind); its outcome is computed by the first Describe or Execute. */
  private static final class Portal {
    final String sql;
    final short[] resultFormats;
    Outcome outcome;
    int sent;

    Portal(String sql, short[] resultFormats) {
      this.sql = sql;
      this.resultFormats = resultFormats;
    }
  }

  private final SqlService service;
  private final Socket socket;
  private final int processId;
  private final int secret;
  private final Map<String, Prepared> statements = new HashMap<>();
  private final Map<String, Portal> portals = new HashMap<>();
  private DataInputStream in;
  private DataOutputStream out;
  private SessionStatements session;
  private String user = "";
  /** The login's EVM address; empty before login and for the service account. */
  private java.util.Optional<String> address = java.util.Optional.empty();
  private boolean inTransaction;
  /** After an error in the extended protocol, messages are skipped until Sync, as the protocol requires. */
  private boolean skipUntilSync;

  // The running statement, for cancellation from other threads (guarded by this).
  private String runningGroup;
  private CancelReason cancelReason;
  private ScheduledFuture<?> recancel;

  PgConnection(SqlService service, Socket socket, int processId, int secret) {
    this.service = service;
    this.socket = socket;
    this.processId = processId;
    this.secret = secret;
  }

  int processId() {
    return processId;
  }

  int secret() {
    return secret;
  }

  @Override
  public void run() {
    boolean registered = false;
    try (socket) {
      socket.setTcpNoDelay(true);
      socket.setKeepAlive(true); // a client that vanished without closing frees its thread eventually
      // Until login completes, a silent client is dropped: it holds a thread and must not hold it forever.
      socket.setSoTimeout((int) LOGIN_TIMEOUT.toMillis());
      in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 8192));
      out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 65536));
      Map<String, String> startup;
      try {
        startup = startup();
      } catch (PgException e) { // a malformed startup packet (unterminated string): this client only
        fatal(e.sqlState(), "invalid startup packet: " + e.getMessage());
        LOG.info("SQL connection {} refused: invalid startup packet: {}", processId, e.getMessage());
        return;
      }
      if (startup == null) {
        return; // a CancelRequest, or a client that went away
      }
      if (!service.register(this)) {
        fatal(PgException.TOO_MANY_CONNECTIONS, "sorry, too many clients already (" + SqlServiceOptions.MAX_CONNECTIONS
            + "=" + service.options().maxConnections() + ")");
        return;
      }
      registered = true;
      if (!authenticate(startup)) {
        return;
      }
      socket.setSoTimeout(0); // after login, idle connections are legitimate (a BI tool's pool)
      loop();
    } catch (EOFException | java.net.SocketException | java.net.SocketTimeoutException
        | java.io.UncheckedIOException gone) {
      LOG.debug("SQL connection {} closed by the client", processId);
    } catch (IOException e) {
      LOG.info("SQL connection {} failed: {}", processId, e.toString());
    } catch (RuntimeException e) {
      LOG.warn("SQL connection {} failed", processId, e);
    } finally {
      if (registered) {
        service.unregister(this);
      }
    }
  }

  /** Closes the socket, which ends the connection's thread (service shutdown). */
  void abort() {
    cancel(CancelReason.USER);
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  // ---- startup and authentication ----

  /** Reads startup packets until StartupMessage; answers SSLRequest and GSSENCRequest with 'N' (no encryption). */
  private Map<String, String> startup() throws IOException {
    while (true) {
      int length = in.readInt();
      if (length < 8 || length > 10_000) {
        fatal(PgException.PROTOCOL_VIOLATION, "invalid startup packet length " + length);
        return null;
      }
      int code = in.readInt();
      byte[] body = new byte[length - 8];
      in.readFully(body);
      if (code == SSL_REQUEST || code == GSSENC_REQUEST) {
        out.writeByte('N');
        out.flush();
        continue;
      }
      if (code == CANCEL_REQUEST) {
        ByteBuffer b = ByteBuffer.wrap(body);
        service.cancel(b.getInt(), b.getInt());
        return null;
      }
      if ((code >>> 16) != 3) {
        fatal(PgException.PROTOCOL_VIOLATION, "unsupported frontend protocol " + (code >>> 16) + "." + (code & 0xffff)
            + ": this service speaks protocol 3.0");
        return null;
      }
      Map<String, String> params = new LinkedHashMap<>();
      ByteBuffer b = ByteBuffer.wrap(body);
      while (b.hasRemaining()) {
        String key = cstring(b);
        if (key.isEmpty()) {
          break;
        }
        params.put(key, cstring(b));
      }
      List<String> unknownOptions = params.keySet().stream().filter(k -> k.startsWith("_pq_.")).toList();
      if ((code & 0xffff) != 0 || !unknownOptions.isEmpty()) {
        // NegotiateProtocolVersion: newer minor versions and protocol options fall back to 3.0 without them.
        Msg m = new Msg('v').int32(0).int32(unknownOptions.size());
        unknownOptions.forEach(m::cstring);
        m.send();
      }
      return params;
    }
  }

  private boolean authenticate(Map<String, String> startup) throws IOException {
    user = startup.getOrDefault("user", "");
    new Msg('R').int32(3).send(); // AuthenticationCleartextPassword
    out.flush();
    int type = in.read();
    if (type != 'p') {
      if (type >= 0) {
        fatal(PgException.PROTOCOL_VIOLATION, "expected a password message");
      }
      return false;
    }
    ByteBuffer body = ByteBuffer.wrap(readBody());
    String password = cstring(body);
    try {
      Authenticator.Login login = service.authenticator().authenticate(user, password);
      user = login.user();
      address = login.address();
    } catch (PgException e) {
      fatal(e.sqlState(), e.getMessage());
      return false;
    }
    new Msg('R').int32(0).send(); // AuthenticationOk
    String sparkVersion = service.spark().version();
    session = new SessionStatements(sparkVersion, startup);
    Map<String, String> reported = new LinkedHashMap<>(SessionStatements.reported());
    reported.put("application_name", startup.getOrDefault("application_name", ""));
    reported.put("session_authorization", user);
    reported.forEach((k, v) -> new Msg('S').cstring(k).cstring(v).send()); // ParameterStatus
    new Msg('K').int32(processId).int32(secret).send(); // BackendKeyData, for CancelRequest
    readyForQuery();
    LOG.info("SQL connection {} authenticated as {}", processId, user);
    return true;
  }

  // ---- the message loop ----

  private void loop() throws IOException {
    while (true) {
      int type = in.read();
      if (type < 0) {
        return;
      }
      byte[] body = readBody();
      ByteBuffer b = ByteBuffer.wrap(body);
      if (type == 'X') { // Terminate
        return;
      }
      if (type == 'S') { // Sync
        skipUntilSync = false;
        readyForQuery();
        continue;
      }
      if (type == 'H') { // Flush
        out.flush();
        continue;
      }
      if (type == 'Q') {
        simpleQuery(cstring(b));
        continue;
      }
      if (skipUntilSync) {
        continue;
      }
      try {
        switch (type) {
          case 'P' -> parse(b);
          case 'B' -> bind(b);
          case 'D' -> describe(b);
          case 'E' -> execute(b);
          case 'C' -> close(b);
          case 'F' -> throw new PgException(PgException.FEATURE_NOT_SUPPORTED, "function calls are not supported");
          case 'd', 'c', 'f' -> throw new PgException(PgException.FEATURE_NOT_SUPPORTED, "COPY is not supported");
          default -> {
            fatal(PgException.PROTOCOL_VIOLATION, "invalid frontend message type '" + (char) type + "'");
            return;
          }
        }
      } catch (RuntimeException e) {
        error(e);
        skipUntilSync = true;
      }
    }
  }

  private byte[] readBody() throws IOException {
    int length = in.readInt();
    if (length < 4 || length > MAX_MESSAGE) {
      // The stream cannot be resynchronised after a bad length: tell the client why, then end the connection.
      fatal(PgException.PROTOCOL_VIOLATION, "invalid message length " + length + " (4 to " + MAX_MESSAGE
          + " bytes expected): the client does not speak PostgreSQL protocol 3.0");
      throw new IOException("invalid message length " + length);
    }
    byte[] body = new byte[length - 4];
    in.readFully(body);
    return body;
  }

  // ---- simple query protocol ----

  private void simpleQuery(String query) throws IOException {
    List<String> parts = SqlText.split(query);
    if (parts.isEmpty()) {
      new Msg('I').send(); // EmptyQueryResponse
    }
    for (String sql : parts) {
      try {
        Outcome outcome = run(sql);
        if (outcome.names() != null) {
          rowDescription(outcome, new short[0]);
          dataRows(outcome, new short[0], 0, outcome.rows().size());
        }
        commandComplete(outcome, outcome.rows().size());
      } catch (RuntimeException e) {
        error(e);
        break; // like PostgreSQL: the rest of a multi-statement query is not run after an error
      }
    }
    readyForQuery();
  }

  // ---- extended query protocol ----

  private void parse(ByteBuffer b) {
    String name = cstring(b);
    String sql = cstring(b);
    int declared = b.getShort();
    int count = Math.max(declared, SqlText.parameterCount(sql));
    int[] types = new int[count];
    for (int i = 0; i < declared; i++) {
      types[i] = b.getInt();
    }
    statements.put(name, new Prepared(sql, types));
    new Msg('1').send(); // ParseComplete
  }

  private void bind(ByteBuffer b) {
    String portal = cstring(b);
    String name = cstring(b);
    Prepared statement = statement(name);
    short[] formats = shorts(b);
    int count = b.getShort();
    if (count != statement.parameterTypes().length) {
      throw new PgException(PgException.PROTOCOL_VIOLATION, "bind message supplies " + count
          + " parameters, but prepared statement \"" + name + "\" requires " + statement.parameterTypes().length);
    }
    List<String> literals = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int length = b.getInt();
      byte[] value = null;
      if (length >= 0) {
        value = new byte[length];
        b.get(value);
      }
      boolean binary = formats.length == 1 ? formats[0] == 1 : formats.length > i && formats[i] == 1;
      literals.add(PgTypes.literal(statement.parameterTypes()[i], value, binary));
    }
    short[] resultFormats = shorts(b);
    portals.put(portal, new Portal(count == 0 ? statement.sql() : SqlText.bind(statement.sql(), literals), resultFormats));
    new Msg('2').send(); // BindComplete
  }

  private void describe(ByteBuffer b) {
    byte kind = b.get();
    String name = cstring(b);
    if (kind == 'S') {
      Prepared statement = statement(name);
      Msg params = new Msg('t').int16(statement.parameterTypes().length); // ParameterDescription
      for (int t : statement.parameterTypes()) {
        params.int32(t == 0 ? PgTypes.TEXT : t);
      }
      params.send();
      Outcome shape = describeStatement(statement);
      if (shape.names() == null) {
        new Msg('n').send(); // NoData
      } else {
        rowDescription(shape, new short[0]);
      }
    } else {
      Portal portal = portal(name);
      Outcome outcome = outcome(portal);
      if (outcome.names() == null) {
        new Msg('n').send();
      } else {
        rowDescription(outcome, portal.resultFormats);
      }
    }
  }

  private void execute(ByteBuffer b) {
    Portal portal = portal(cstring(b));
    int maxRows = b.getInt();
    Outcome outcome = outcome(portal);
    if (outcome.empty()) {
      new Msg('I').send();
      return;
    }
    if (outcome.names() != null) {
      int end = maxRows > 0 ? Math.min(outcome.rows().size(), portal.sent + maxRows) : outcome.rows().size();
      dataRows(outcome, portal.resultFormats, portal.sent, end);
      int sentNow = end - portal.sent;
      portal.sent = end;
      if (end < outcome.rows().size()) {
        new Msg('s').send(); // PortalSuspended: the client fetches the rest with another Execute
        return;
      }
      commandComplete(outcome, sentNow);
    } else {
      commandComplete(outcome, 0);
    }
  }

  private void close(ByteBuffer b) {
    byte kind = b.get();
    String name = cstring(b);
    if (kind == 'S') {
      statements.remove(name);
    } else {
      portals.remove(name);
    }
    new Msg('3').send(); // CloseComplete
  }

  private Prepared statement(String name) {
    Prepared p = statements.get(name);
    if (p == null) {
      throw new PgException(PgException.INVALID_STATEMENT_NAME, "prepared statement \"" + name + "\" does not exist");
    }
    return p;
  }

  private Portal portal(String name) {
    Portal p = portals.get(name);
    if (p == null) {
      throw new PgException(PgException.INVALID_CURSOR_NAME, "portal \"" + name + "\" does not exist");
    }
    return p;
  }

  private Outcome outcome(Portal portal) {
    if (portal.outcome == null) {
      portal.outcome = run(portal.sql);
    }
    return portal.outcome;
  }

  /** The result shape of a statement before its parameters are known: analysed with NULL for each parameter. */
  private Outcome describeStatement(Prepared statement) {
    String sql = SqlText.bind(statement.sql(), Collections.nCopies(statement.parameterTypes().length, "NULL"));
    if (SqlText.split(sql).isEmpty()) {
      return new Outcome(null, null, List.of(), "", true);
    }
    SessionStatements.Answer answer = localAnswer(sql);
    if (answer != null) {
      return local(answer, false);
    }
    return service.runner().schema(sql, rowSecurity())
        .filter(s -> s.fields().length > 0)
        .map(s -> typed(s, List.of(), "SELECT"))
        .orElse(new Outcome(null, null, List.of(), "", false));
  }

  // ---- running statements ----

  /** Runs one statement: a session statement here, anything else on Spark. */
  private Outcome run(String sql) {
    if (SqlText.split(sql).isEmpty()) {
      return new Outcome(null, null, List.of(), "", true);
    }
    SessionStatements.Answer answer = localAnswer(sql);
    if (answer != null) {
      return local(answer, true);
    }
    SqlRunner.Execution execution = runOnSpark(sql);
    StructType schema = execution.schema();
    if (schema.fields().length == 0) {
      return new Outcome(null, null, List.of(), commandTag(sql), false);
    }
    return typed(schema, execution.result().rows(), "SELECT " + execution.result().rows().size());
  }

  /** A session statement's or a JDBC metadata query's answer, or null when Spark is to run the statement. */
  private SessionStatements.Answer localAnswer(String sql) {
    SessionStatements.Answer answer = session.answer(sql);
    return answer != null ? answer : service.catalogQueries().answer(sql);
  }

  private Outcome local(SessionStatements.Answer answer, boolean apply) {
    if (apply) {
      switch (answer.transaction()) {
        case BEGIN -> inTransaction = true;
        case END -> inTransaction = false;
        default -> { }
      }
    }
    if (answer.columns() == null) {
      return new Outcome(null, null, List.of(), answer.tag(), false);
    }
    int[] types = new int[answer.columns().size()];
    java.util.Arrays.fill(types, PgTypes.TEXT);
    return new Outcome(answer.columns(), types, answer.rows(), answer.tag(), false);
  }

  private static Outcome typed(StructType schema, List<List<Object>> rows, String tag) {
    StructField[] fields = schema.fields();
    List<String> names = new ArrayList<>(fields.length);
    int[] types = new int[fields.length];
    for (int i = 0; i < fields.length; i++) {
      names.add(fields[i].name());
      types[i] = PgTypes.oid(fields[i].dataType());
    }
    return new Outcome(names, types, rows, tag, false);
  }

  /**
   * Runs a statement in its own Spark job group, so that a CancelRequest or the timeout can cancel exactly its jobs;
   * enforces the row limit.
   */
  private SqlRunner.Execution runOnSpark(String sql) {
    SqlServiceOptions options = service.options();
    SparkContext context = service.spark().sparkContext();
    String group = "ledgerlake-sql-" + processId + "-" + QUERY_IDS.incrementAndGet();
    Duration timeout = options.queryTimeout();
    ScheduledFuture<?> timer = null;
    synchronized (this) {
      runningGroup = group;
      cancelReason = null;
    }
    // interruptOnCancel=false: tasks stop at their next kill check (scans and generated loops check often) instead of
    // being interrupted in the middle of file or catalog I/O.
    context.setJobGroup(group, abbreviate(sql), false);
    try {
      if (!timeout.isZero()) {
        timer = service.timer().schedule(() -> cancel(CancelReason.TIMEOUT), timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
      SqlRunner.Execution execution;
      try {
        execution = service.runner().execute(sql, options.maxRows(), rowSecurity());
      } catch (RuntimeException e) {
        CancelReason reason = cancelReason();
        if (reason != null) {
          throw canceled(reason, e);
        }
        throw e;
      }
      CancelReason reason = cancelReason();
      if (reason != null) {
        throw canceled(reason, null);
      }
      if (execution.result().truncated()) {
        throw new PgException(PgException.PROGRAM_LIMIT_EXCEEDED, "query returned more than " + options.maxRows()
            + " rows, the SQL service's limit (" + SqlServiceOptions.MAX_ROWS + "); add a LIMIT or aggregate");
      }
      return execution;
    } finally {
      if (timer != null) {
        timer.cancel(false);
      }
      synchronized (this) {
        runningGroup = null;
        if (recancel != null) {
          recancel.cancel(false);
          recancel = null;
        }
      }
      context.clearJobGroup();
    }
  }

  /**
   * This login's row-level security for the next statement, or null when it is off. The hidden datasets are read per
   * statement: a change of visibility or allowlist counts from the next statement on.
   */
  private RowSecurity rowSecurity() {
    if (!service.options().rowSecurity()) {
      return null;
    }
    java.util.Set<String> hidden;
    try {
      hidden = service.visibility().hiddenFrom(address);
    } catch (RuntimeException e) {
      throw new PgException(PgException.EXTERNAL_ERROR, "cannot read the dataset definitions to decide which rows "
          + "this login may see: " + e.getMessage(), e);
    }
    return new RowSecurity(hidden);
  }

  private synchronized CancelReason cancelReason() {
    return cancelReason;
  }

  private PgException canceled(CancelReason reason, Throwable cause) {
    String message = reason == CancelReason.TIMEOUT
        ? "canceling statement due to statement timeout (" + SqlServiceOptions.QUERY_TIMEOUT + "="
            + service.options().queryTimeout().toSeconds() + "s)"
        : "canceling statement due to user request";
    return new PgException(PgException.QUERY_CANCELED, message, cause);
  }

  /**
   * Cancels the running statement, if any. A statement may be between jobs (analysis, planning, the next round of a
   * {@code take}) when the cancel arrives, so the group is cancelled again every 200 ms until the statement ends.
   */
  synchronized void cancel(CancelReason reason) {
    if (runningGroup == null || cancelReason != null) {
      return;
    }
    cancelReason = reason;
    String group = runningGroup;
    SparkContext context = service.spark().sparkContext();
    LOG.info("SQL connection {}: cancelling {} ({})", processId, group, reason);
    context.cancelJobGroup(group);
    if (!service.timer().isShutdown()) {
      recancel = service.timer().scheduleWithFixedDelay(() -> {
        synchronized (this) {
          if (group.equals(runningGroup)) {
            context.cancelJobGroup(group);
          }
        }
      }, 200, 200, TimeUnit.MILLISECONDS);
    }
  }

  /** The CommandComplete tag of a statement that returns no rows, in PostgreSQL's form where clients parse it. */
  static String commandTag(String sql) {
    String[] words = SqlText.stripComments(sql).strip().split("\\s+", 3);
    String first = words[0].toUpperCase(Locale.ROOT);
    return switch (first) {
      case "INSERT" -> "INSERT 0 0";
      case "UPDATE", "DELETE", "MERGE" -> first + " 0";
      case "CREATE", "DROP", "ALTER" -> words.length > 1 ? first + " " + words[1].toUpperCase(Locale.ROOT) : first;
      default -> first;
    };
  }

  private static String abbreviate(String sql) {
    String s = sql.replaceAll("\\s+", " ").strip();
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  // ---- writing messages ----

  private void rowDescription(Outcome outcome, short[] formats) {
    Msg m = new Msg('T').int16(outcome.names().size());
    for (int i = 0; i < outcome.names().size(); i++) {
      int oid = outcome.types()[i];
      short format = format(formats, i);
      if (format == 1 && !PgTypes.hasBinary(oid)) {
        throw new PgException(PgException.FEATURE_NOT_SUPPORTED, "binary format is not supported for type oid " + oid);
      }
      m.cstring(outcome.names().get(i)).int32(0).int16(0).int32(oid).int16(PgTypes.typeLength(oid)).int32(-1)
          .int16(format);
    }
    m.send();
  }

  private void dataRows(Outcome outcome, short[] formats, int from, int to) {
    int columns = outcome.names().size();
    for (List<Object> row : outcome.rows().subList(from, to)) {
      Msg m = new Msg('D').int16(columns);
      for (int i = 0; i < columns; i++) {
        Object v = row.get(i);
        if (v == null) {
          m.int32(-1);
          continue;
        }
        byte[] bytes = format(formats, i) == 1
            ? PgTypes.binary(outcome.types()[i], v)
            : PgTypes.text(v).getBytes(StandardCharsets.UTF_8);
        m.int32(bytes.length).bytes(bytes);
      }
      m.send();
    }
  }

  private static short format(short[] formats, int column) {
    if (formats.length == 0) {
      return 0;
    }
    return formats.length == 1 ? formats[0] : formats[column];
  }

  private void commandComplete(Outcome outcome, int rows) {
    if (outcome.empty()) {
      new Msg('I').send();
      return;
    }
    String tag = outcome.names() != null && outcome.tag().startsWith("SELECT") ? "SELECT " + rows : outcome.tag();
    new Msg('C').cstring(tag).send();
  }

  private void readyForQuery() throws IOException {
    new Msg('Z').bytes(new byte[] {(byte) (inTransaction ? 'T' : 'I')}).send();
    out.flush();
  }

  /** ErrorResponse for a failed statement; the connection stays usable. */
  private void error(Throwable failure) {
    PgException e = PgException.of(failure);
    if (e.errorCategory() == io.ledgerlake.common.ErrorCategory.USER_ERROR) {
      LOG.debug("SQL connection {}: {} {}", processId, e.sqlState(), e.getMessage());
    } else {
      LOG.warn("SQL connection {}: statement failed", processId, failure);
    }
    new Msg('E').bytes(errorFields("ERROR", e.sqlState(), e.getMessage())).send();
  }

  /** ErrorResponse with severity FATAL, then the connection ends. */
  private void fatal(String sqlState, String message) throws IOException {
    new Msg('E').bytes(errorFields("FATAL", sqlState, message)).send();
    out.flush();
  }

  private static byte[] errorFields(String severity, String sqlState, String message) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    field(b, 'S', severity);
    field(b, 'V', severity);
    field(b, 'C', sqlState);
    field(b, 'M', message == null ? "error" : message);
    b.write(0);
    return b.toByteArray();
  }

  private static void field(ByteArrayOutputStream b, char code, String value) {
    b.write(code);
    b.writeBytes(value.getBytes(StandardCharsets.UTF_8));
    b.write(0);
  }

  private static String cstring(ByteBuffer b) {
    int start = b.position();
    int end = start;
    while (end < b.limit() && b.get(end) != 0) {
      end++;
    }
    if (end >= b.limit()) {
      throw new PgException(PgException.PROTOCOL_VIOLATION, "unterminated string in message");
    }
    String s = new String(b.array(), b.arrayOffset() + start, end - start, StandardCharsets.UTF_8);
    b.position(end + 1);
    return s;
  }

  private static short[] shorts(ByteBuffer b) {
    short[] s = new short[b.getShort()];
    for (int i = 0; i < s.length; i++) {
      s[i] = b.getShort();
    }
    return s;
  }

  /** One backend message: type byte, then the length (which counts itself) and the body. */
  private final class Msg {
    private final char type;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(64);

    Msg(char type) {
      this.type = type;
    }

    Msg int16(int v) {
      body.write(v >>> 8);
      body.write(v);
      return this;
    }

    Msg int32(int v) {
      body.write(v >>> 24);
      body.write(v >>> 16);
      body.write(v >>> 8);
      body.write(v);
      return this;
    }

    Msg cstring(String s) {
      body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      body.write(0);
      return this;
    }

    Msg bytes(byte[] b) {
      body.writeBytes(b);
      return this;
    }

    void send() {
      try {
        out.writeByte(type);
        out.writeInt(body.size() + 4);
        body.writeTo(out);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
