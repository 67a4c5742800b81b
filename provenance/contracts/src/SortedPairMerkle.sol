// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title SortedPairMerkle
/// @notice The one Merkle proof check of the provenance contracts (receipt trees and usage payouts): inner nodes
///         hash the sorted pair keccak256(min(a, b) ++ max(a, b)), so a proof is just the sibling hashes from the
///         leaf up, without left/right flags. The Java side builds trees the same way
///         (io.ledgerlake.provenance.merkle.SortedPairMerkleTree).
library SortedPairMerkle {
    /// @notice The root that {@code proof} leads to from {@code leaf}.
    function rootOf(bytes32 leaf, bytes32[] calldata proof) internal pure returns (bytes32 node) {
        node = leaf;
        for (uint256 i = 0; i < proof.length; i++) {
            bytes32 sibling = proof[i];
            node = node < sibling ? _hashPair(node, sibling) : _hashPair(sibling, node);
        }
    }

    function _hashPair(bytes32 a, bytes32 b) private pure returns (bytes32 h) {
        assembly {
            mstore(0x00, a)
            mstore(0x20, b)
            h := keccak256(0x00, 0x40)
        }
    }
}
