package io.ledgerlake.cli;

/**
 * The process exit codes of every command: 0 success, 1 a failure (or, for {@code reconcile}, a discrepancy found),
 * 2 a user error printed as one line. A class of its own so that commands can name them without depending on
 * {@link LedgerLake}, which lists the commands.
 */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USER_ERROR = 2;

  private ExitCodes() {}
}
