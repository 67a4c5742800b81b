// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Administered} from "./Administered.sol";
import {AssetRegistry} from "./AssetRegistry.sol";
import {Receipts} from "./Receipts.sol";
import {SortedPairMerkle} from "./SortedPairMerkle.sol";

/// @title Revenue
/// @notice Splits payments for an asset among the receipts of its latest version, after paying the upstream
///         royalty to every ancestor version, and lets contributors pull what they are owed.
///
///         Upstream royalty (LAP-style, docs/decisions/provenance-royalty-model.md): a payment P for a version V
///         pays each distinct ancestor version A of V floor(P * royaltyBps(asset of A) / 10,000) into A's pool;
///         V's pool gets the rest. Ancestors receive directly from every descendant, so nothing is forwarded
///         twice. The registry caps the summed rates (stack), the depth and the number of ancestors.
///
///         Rounding (docs/decisions/provenance-rounding-rule.md): a version pool is cumulative. The receipt
///         covering [o, o+s) of 10,000 bps is owed floor(R*(o+s)/10,000) - floor(R*o/10,000) of the pool's
///         cumulative revenue R. The ranges tile 0..10,000, so these amounts telescope to exactly R: the split
///         is exact to the wei, each receipt is within 1 wei of its pro-rata amount, and the leftover wei go to
///         the receipts whose range boundary crosses a whole-wei step (in receipt order), never to anyone else.
///
///         Usage payouts (docs/decisions/attribution-merkle-payout.md): per settlement epoch the owner (the
///         platform, which meters API use and received the epoch's revenue as the index builder) commits a Merkle
///         root over what each contributor is owed for the use of its records, funded with exactly the total; a
///         contributor (or anyone for it) claims its leaf once with a proof. Leaf format version 1:
///           leaf = keccak256(bytes.concat(keccak256(abi.encode(uint256 1, uint256 epoch, address account,
///                                                              uint256 amount))))
///         with epoch = the epoch's start in Unix seconds; inner nodes as in SortedPairMerkle. Unclaimed amounts
///         stay claimable; the funded total bounds what an epoch can ever pay.
contract Revenue is Administered {
    uint256 public constant BPS = 10_000;

    AssetRegistry public immutable registry;
    Receipts public immutable receipts;

    /// @notice Cumulative wei credited to a version's pool (own share plus royalties from descendants).
    mapping(uint256 => uint256) public versionRevenue;
    /// @notice Wei already claimed from a version's pool.
    mapping(uint256 => uint256) public versionClaimed;
    /// @notice Wei already claimed per receipt, keyed by (versionId, receipt index); shared by tokens and proofs.
    mapping(uint256 => mapping(uint256 => uint256)) public claimedByReceipt;

    /// @notice Version of the usage payout leaf encoding (see the contract notice).
    uint256 public constant PAYOUT_LEAF_VERSION = 1;

    struct UsagePayout {
        bytes32 root;
        uint256 funded;
        uint256 claimed;
        uint256 leaves;
    }

    /// @notice Usage payout of each epoch (key: epoch start, Unix seconds); a zero root means none.
    mapping(uint256 => UsagePayout) public usagePayouts;
    /// @notice Whether an account has claimed its leaf of an epoch's payout.
    mapping(uint256 => mapping(address => bool)) public usagePayoutClaimed;

    event RevenueReceived(uint256 indexed assetId, uint256 indexed versionId, address indexed payer, uint256 amount);
    event RoyaltyPaid(uint256 indexed fromVersionId, uint256 indexed toVersionId, uint256 amount);
    event VersionCredited(uint256 indexed versionId, uint256 amount);
    event Claimed(uint256 indexed versionId, uint256 indexed index, address indexed account, uint256 amount);

    event UsagePayoutCommitted(uint256 indexed epoch, bytes32 root, uint256 total, uint256 leaves);
    event UsagePayoutClaimed(uint256 indexed epoch, address indexed account, uint256 amount);

    error NoVersion(uint256 assetId);
    error PayoutAlreadyCommitted(uint256 epoch, bytes32 root);
    error InvalidPayout(uint256 epoch);
    error PayoutFundingMismatch(uint256 epoch, uint256 total, uint256 sent);
    error NoPayout(uint256 epoch);
    error PayoutAlreadyClaimed(uint256 epoch, address account);
    error InvalidPayoutProof(uint256 epoch, address account);
    error PayoutOverdrawn(uint256 epoch);
    error ZeroPayment();
    error NotReceiptHolder(uint256 tokenId, address caller);
    error InvalidMerkleProof(uint256 versionId, uint256 index);
    error NothingToClaim(address account);
    error PoolOverdrawn(uint256 versionId);
    error TransferFailed(address to, uint256 amount);

    constructor(AssetRegistry registry_, Receipts receipts_) {
        if (address(registry_) == address(0) || address(receipts_) == address(0)) revert ZeroAddress();
        registry = registry_;
        receipts = receipts_;
    }

    /// @notice Pays for an asset: credited to its latest version and, through royalties, to its ancestors.
    function pay(uint256 assetId) external payable whenNotPaused nonReentrant returns (uint256 versionId) {
        if (msg.value == 0) revert ZeroPayment();
        versionId = registry.latestVersionOf(assetId);
        if (versionId == 0) revert NoVersion(assetId);
        emit RevenueReceived(assetId, versionId, msg.sender, msg.value);
        (uint256[] memory ancestors, uint16[] memory rates) = registry.royaltyRecipients(versionId);
        uint256 remaining = msg.value;
        for (uint256 i = 0; i < ancestors.length; i++) {
            uint256 royalty = (msg.value * rates[i]) / BPS;
            if (royalty == 0) continue;
            remaining -= royalty;
            versionRevenue[ancestors[i]] += royalty;
            emit RoyaltyPaid(versionId, ancestors[i], royalty);
        }
        versionRevenue[versionId] += remaining;
        emit VersionCredited(versionId, remaining);
    }

    /// @notice What a receipt range is owed now from its version's pool.
    function owed(uint256 versionId, uint256 index, uint16 shareBps, uint16 offsetBps) public view returns (uint256) {
        uint256 r = versionRevenue[versionId];
        uint256 entitled = (r * (uint256(offsetBps) + shareBps)) / BPS - (r * offsetBps) / BPS;
        return entitled - claimedByReceipt[versionId][index];
    }

    /// @notice What the holder of a receipt token is owed now.
    function owedToToken(uint256 tokenId) external view returns (uint256) {
        (uint256 versionId, uint256 index,,, uint16 share, uint16 offset) = receipts.receiptOf(tokenId);
        return owed(versionId, index, share, offset);
    }

    /// @notice Pays the caller everything its receipt tokens are owed (pull payment).
    function claimReceipts(uint256[] calldata tokenIds) external whenNotPaused nonReentrant returns (uint256 total) {
        for (uint256 i = 0; i < tokenIds.length; i++) {
            (uint256 versionId, uint256 index, address holder,, uint16 share, uint16 offset) =
                receipts.receiptOf(tokenIds[i]);
            if (holder != msg.sender) revert NotReceiptHolder(tokenIds[i], msg.sender);
            total += _settle(versionId, index, share, offset, msg.sender);
        }
        if (total == 0) revert NothingToClaim(msg.sender);
        _send(msg.sender, total);
    }

    /// @notice Pays a Merkle receipt's contributor what it is owed; anyone may submit the proof, the money
    ///         always goes to the account in the leaf.
    function claimMerkle(
        uint256 versionId,
        uint256 index,
        address account,
        uint8 role,
        uint16 shareBps,
        uint16 offsetBps,
        bytes32[] calldata proof
    ) external whenNotPaused nonReentrant returns (uint256 amount) {
        if (!receipts.verifyMerkleReceipt(versionId, index, account, role, shareBps, offsetBps, proof)) {
            revert InvalidMerkleProof(versionId, index);
        }
        amount = _settle(versionId, index, shareBps, offsetBps, account);
        if (amount == 0) revert NothingToClaim(account);
        _send(account, amount);
    }

    /// @notice Commits an epoch's usage payout, funded with exactly {@code total}; once per epoch (a second
    ///         commit reverts, so a resent commit can never fund an epoch twice).
    function commitUsagePayout(uint256 epoch, bytes32 root, uint256 total, uint256 leaves)
        external
        payable
        onlyOwner
        whenNotPaused
    {
        UsagePayout storage p = usagePayouts[epoch];
        if (p.root != bytes32(0)) revert PayoutAlreadyCommitted(epoch, p.root);
        if (root == bytes32(0) || total == 0 || leaves == 0) revert InvalidPayout(epoch);
        if (msg.value != total) revert PayoutFundingMismatch(epoch, total, msg.value);
        p.root = root;
        p.funded = total;
        p.leaves = leaves;
        emit UsagePayoutCommitted(epoch, root, total, leaves);
    }

    /// @notice The leaf of {@code account} being owed {@code amount} in {@code epoch} (format version 1).
    function payoutLeafHash(uint256 epoch, address account, uint256 amount) public pure returns (bytes32) {
        // Double hashing keeps a 64-byte inner node from ever being accepted as a leaf.
        return keccak256(bytes.concat(keccak256(abi.encode(PAYOUT_LEAF_VERSION, epoch, account, amount))));
    }

    /// @notice True when the leaf is in the epoch's committed root (claimed or not).
    function verifyUsagePayout(uint256 epoch, address account, uint256 amount, bytes32[] calldata proof)
        public
        view
        returns (bool)
    {
        bytes32 root = usagePayouts[epoch].root;
        return root != bytes32(0) && SortedPairMerkle.rootOf(payoutLeafHash(epoch, account, amount), proof) == root;
    }

    /// @notice Pays a leaf of an epoch's usage payout to its account, once; anyone may submit the proof.
    function claimUsagePayout(uint256 epoch, address account, uint256 amount, bytes32[] calldata proof)
        external
        whenNotPaused
        nonReentrant
    {
        UsagePayout storage p = usagePayouts[epoch];
        if (p.root == bytes32(0)) revert NoPayout(epoch);
        if (usagePayoutClaimed[epoch][account]) revert PayoutAlreadyClaimed(epoch, account);
        if (!verifyUsagePayout(epoch, account, amount, proof)) revert InvalidPayoutProof(epoch, account);
        usagePayoutClaimed[epoch][account] = true;
        uint256 claimed = p.claimed + amount;
        // Only reachable with a root whose leaves sum to more than was funded: never other pools' money.
        if (claimed > p.funded) revert PayoutOverdrawn(epoch);
        p.claimed = claimed;
        emit UsagePayoutClaimed(epoch, account, amount);
        _send(account, amount);
    }

    function _settle(uint256 versionId, uint256 index, uint16 share, uint16 offset, address account)
        private
        returns (uint256 amount)
    {
        amount = owed(versionId, index, share, offset);
        if (amount == 0) return 0;
        claimedByReceipt[versionId][index] += amount;
        uint256 claimed = versionClaimed[versionId] + amount;
        // Only reachable with a Merkle tree whose ranges overlap: it may never eat other versions' money.
        if (claimed > versionRevenue[versionId]) revert PoolOverdrawn(versionId);
        versionClaimed[versionId] = claimed;
        emit Claimed(versionId, index, account, amount);
    }

    function _send(address to, uint256 amount) private {
        // Effects are done; the guard blocks re-entry into any guarded function during this call.
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }
}
