package io.ledgerlake.provenance;

import io.ledgerlake.common.ErrorCategory;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A contract refused the call. {@link #errorName()} is the Solidity error (e.g. {@code SharesMustSum10000}),
 * {@link #arguments()} its decoded arguments as text. When the refusal was detected before sending (gas
 * estimation or a view call) nothing was sent and {@link #transactionHash()} is empty; otherwise the transaction
 * was mined, failed, and cost gas.
 */
public final class ContractRevertedException extends ProvenanceException {
  private final String contract;
  private final String operation;
  private final String errorName;
  private final List<String> arguments;
  private final String transactionHash;

  public ContractRevertedException(
      String contract,
      String operation,
      String errorName,
      List<String> arguments,
      String transactionHash,
      String hint) {
    super(ErrorCategory.USER_ERROR, message(contract, operation, errorName, arguments, transactionHash, hint), null);
    this.contract = Objects.requireNonNull(contract, "contract");
    this.operation = Objects.requireNonNull(operation, "operation");
    this.errorName = Objects.requireNonNull(errorName, "errorName");
    this.arguments = List.copyOf(arguments);
    this.transactionHash = transactionHash;
  }

  private static String message(
      String contract, String operation, String errorName, List<String> args, String txHash, String hint) {
    StringBuilder sb = new StringBuilder()
        .append(contract).append(" rejected ").append(operation).append(": ")
        .append(errorName).append('(').append(String.join(", ", args)).append(')');
    sb.append(txHash == null ? " (nothing was sent)" : " (transaction " + txHash + " reverted)");
    if (hint != null && !hint.isEmpty()) {
      sb.append(". ").append(hint);
    }
    return sb.toString();
  }

  public String contract() {
    return contract;
  }

  public String operation() {
    return operation;
  }

  public String errorName() {
    return errorName;
  }

  public List<String> arguments() {
    return arguments;
  }

  public Optional<String> transactionHash() {
    return Optional.ofNullable(transactionHash);
  }
}
