package io.ledgerlake.indexer.decode;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A log decoded against its contract's ABI: which contract, which event, and its named arguments. */
public record DecodedEvent(String contractName, String eventName, ObjectNode args) {
  public DecodedEvent {
    requireNonNull(contractName, "contractName");
    requireNonNull(eventName, "eventName");
    requireNonNull(args, "args");
  }
}
