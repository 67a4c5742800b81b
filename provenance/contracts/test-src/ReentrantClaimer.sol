// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Revenue} from "../src/Revenue.sol";

/// @notice Test-only attacker: a receipt holder whose receive() tries to claim again while being paid.
///         strict=true makes it revert when the re-entry fails (so the whole claim must fail);
///         strict=false swallows the failure (so the claim must pay exactly once).
contract ReentrantClaimer {
    Revenue public immutable revenue;
    bool public immutable strict;
    uint256[] private _tokenIds;
    bool public reentryAttempted;
    bool public reentrySucceeded;
    bytes public reentryError;
    uint256 public timesPaid;

    constructor(Revenue revenue_, bool strict_) {
        revenue = revenue_;
        strict = strict_;
    }

    function attack(uint256[] calldata tokenIds) external {
        _tokenIds = tokenIds;
        revenue.claimReceipts(tokenIds);
    }

    receive() external payable {
        timesPaid += 1;
        if (reentryAttempted) return;
        reentryAttempted = true;
        (bool ok, bytes memory err) = address(revenue).call(abi.encodeCall(Revenue.claimReceipts, (_tokenIds)));
        reentrySucceeded = ok;
        reentryError = err;
        if (strict && !ok) revert("re-entry blocked");
    }
}
