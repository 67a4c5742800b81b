// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title Administered
/// @notice Shared base of the LedgerLake provenance contracts: two-step ownership for administration,
///         an emergency pause, and a reentrancy guard. Written for this project (no library copy) so the
///         whole trusted code base is in this folder.
abstract contract Administered {
    /// @notice Account allowed to administer the contract (pause, limits). Not an asset owner.
    address public owner;
    /// @notice Account proposed by {transferOwnership}; becomes owner when it calls {acceptOwnership}.
    address public pendingOwner;
    /// @notice When true, every state-changing entry point reverts with {ContractPaused}.
    bool public paused;

    // 1 = not entered, 2 = entered. Never 0 so the guard's SSTOREs are refunds, not fresh writes.
    uint256 private _reentrancyStatus = 1;

    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event Paused(address indexed account);
    event Unpaused(address indexed account);

    error NotOwner(address caller);
    error NotPendingOwner(address caller);
    error ZeroAddress();
    error ContractPaused();
    error ReentrantCall();

    constructor() {
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    modifier whenNotPaused() {
        if (paused) revert ContractPaused();
        _;
    }

    modifier nonReentrant() {
        if (_reentrancyStatus != 1) revert ReentrantCall();
        _reentrancyStatus = 2;
        _;
        _reentrancyStatus = 1;
    }

    /// @notice Starts a two-step ownership transfer; a typo in the address cannot lock the contract.
    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        pendingOwner = newOwner;
        emit OwnershipTransferStarted(owner, newOwner);
    }

    function acceptOwnership() external {
        if (msg.sender != pendingOwner) revert NotPendingOwner(msg.sender);
        emit OwnershipTransferred(owner, msg.sender);
        owner = msg.sender;
        pendingOwner = address(0);
    }

    function pause() external onlyOwner {
        paused = true;
        emit Paused(msg.sender);
    }

    function unpause() external onlyOwner {
        paused = false;
        emit Unpaused(msg.sender);
    }
}
