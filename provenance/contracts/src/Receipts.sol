// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Administered} from "./Administered.sol";
import {AssetRegistry} from "./AssetRegistry.sol";
import {SortedPairMerkle} from "./SortedPairMerkle.sol";

/// @notice ERC-5192 minimal soulbound interface (interface id 0xb45a3c0e).
interface IERC5192 {
    event Locked(uint256 tokenId);
    event Unlocked(uint256 tokenId);

    function locked(uint256 tokenId) external view returns (bool);
}

/// @title Receipts
/// @notice Non-transferable ERC-721 tokens (ERC-5192, permanently locked) proving that an account contributed
///         to an asset version, in which role, and with which share of that version's revenue.
///
///         Every receipt covers the half-open range [offsetBps, offsetBps + shareBps) of 10,000 basis points;
///         the ranges of one version tile 0..10,000 exactly. Revenue uses the range (not just the share) so that
///         the split of any amount is exact to the wei (see Revenue).
///
///         Two ways to record a version's receipts, exactly one per version:
///         - direct: one token per contributor, minted in one transaction; shares must sum to 10,000;
///         - Merkle: only a root over all leaves is stored (10,000+ contributors in one cheap transaction);
///           each contributor proves its leaf to claim revenue, and may mint its token from the proof.
///
///         Merkle leaf (see docs/decisions/provenance-merkle-leaf-format.md):
///           leaf = keccak256(bytes.concat(keccak256(abi.encode(versionId, index, account, role, shareBps, offsetBps))))
///         all fields as 32-byte ABI words; inner nodes hash the sorted pair: keccak256(min(a,b) ++ max(a,b)).
contract Receipts is Administered, IERC5192 {
    uint256 public constant BPS = 10_000;
    /// @notice Roles: 0 data provider, 1 annotator, 2 reviewer, 3 model trainer, 4 owner.
    uint8 public constant MAX_ROLE = 4;
    /// @notice Direct receipts per version; larger sets use the Merkle variant (block gas limit).
    uint256 public constant MAX_DIRECT_RECEIPTS = 300;

    uint8 public constant MODE_NONE = 0;
    uint8 public constant MODE_DIRECT = 1;
    uint8 public constant MODE_MERKLE = 2;

    string public constant name = "LedgerLake Contribution Receipt";
    string public constant symbol = "LLRCPT";

    struct Receipt {
        uint64 versionId;
        uint32 index;
        uint16 shareBps;
        uint16 offsetBps;
        uint8 role;
    }

    struct VersionReceipts {
        uint8 mode;
        uint32 count;
        bytes32 merkleRoot;
    }

    AssetRegistry public immutable registry;
    uint256 public totalSupply;

    mapping(uint256 => address) private _owners;
    mapping(address => uint256) private _balances;
    mapping(uint256 => Receipt) private _receipts;
    mapping(uint256 => VersionReceipts) private _versionReceipts;
    /// @notice Token minted for a Merkle leaf (versionId => index => tokenId), 0 when none yet.
    mapping(uint256 => mapping(uint256 => uint256)) public tokenOfLeaf;

    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
    event ReceiptRecorded(
        uint256 indexed tokenId,
        uint256 indexed versionId,
        address indexed contributor,
        uint256 index,
        uint8 role,
        uint16 shareBps,
        uint16 offsetBps
    );
    event DirectReceiptsRecorded(uint256 indexed versionId, uint256 count, uint256 firstTokenId);
    event MerkleRootRecorded(uint256 indexed versionId, bytes32 merkleRoot, uint256 count);

    error NotVersionOwner(uint256 versionId, address caller);
    error ReceiptsAlreadyRecorded(uint256 versionId);
    error LengthMismatch();
    error InvalidReceiptCount(uint256 count);
    error InvalidRole(uint8 role);
    error ZeroShare(uint256 index);
    error SharesMustSum10000(uint256 sumBps);
    error InvalidMerkleRoot();
    error InvalidMerkleProof(uint256 versionId, uint256 index);
    error LeafAlreadyMinted(uint256 versionId, uint256 index, uint256 tokenId);
    error UnknownToken(uint256 tokenId);
    error Soulbound(uint256 tokenId);

    constructor(AssetRegistry registry_) {
        if (address(registry_) == address(0)) revert ZeroAddress();
        registry = registry_;
    }

    modifier onlyVersionOwner(uint256 versionId) {
        if (registry.versionOwnerOf(versionId) != msg.sender) revert NotVersionOwner(versionId, msg.sender);
        if (_versionReceipts[versionId].mode != MODE_NONE) revert ReceiptsAlreadyRecorded(versionId);
        _;
    }

    /// @notice Mints one locked receipt per contributor. Shares must be positive and sum to exactly 10,000.
    function recordReceipts(
        uint256 versionId,
        address[] calldata contributors,
        uint8[] calldata roles,
        uint16[] calldata sharesBps
    ) external whenNotPaused onlyVersionOwner(versionId) returns (uint256 firstTokenId) {
        uint256 n = contributors.length;
        if (roles.length != n || sharesBps.length != n) revert LengthMismatch();
        if (n == 0 || n > MAX_DIRECT_RECEIPTS) revert InvalidReceiptCount(n);
        firstTokenId = totalSupply + 1;
        uint256 offset;
        for (uint256 i = 0; i < n; i++) {
            if (contributors[i] == address(0)) revert ZeroAddress();
            if (roles[i] > MAX_ROLE) revert InvalidRole(roles[i]);
            if (sharesBps[i] == 0) revert ZeroShare(i);
            // offset <= 10,000 here: it is checked after every addition.
            _mint(
                contributors[i],
                firstTokenId + i,
                Receipt(uint64(versionId), uint32(i), sharesBps[i], uint16(offset), roles[i])
            );
            offset += sharesBps[i];
            if (offset > BPS) revert SharesMustSum10000(offset);
        }
        if (offset != BPS) revert SharesMustSum10000(offset);
        totalSupply = firstTokenId + n - 1;
        _versionReceipts[versionId] = VersionReceipts(MODE_DIRECT, uint32(n), bytes32(0));
        emit DirectReceiptsRecorded(versionId, n, firstTokenId);
    }

    /// @notice Records the Merkle root over all receipts of a version (for large contributor sets).
    ///         The contract cannot see the leaves: the registrant vouches that their ranges tile 0..10,000,
    ///         and Revenue caps a version's total claims at the revenue it received, so a bad tree can never
    ///         pay out other versions' money.
    function recordMerkleRoot(uint256 versionId, bytes32 merkleRoot, uint32 count)
        external
        whenNotPaused
        onlyVersionOwner(versionId)
    {
        if (merkleRoot == bytes32(0)) revert InvalidMerkleRoot();
        if (count == 0) revert InvalidReceiptCount(count);
        _versionReceipts[versionId] = VersionReceipts(MODE_MERKLE, count, merkleRoot);
        emit MerkleRootRecorded(versionId, merkleRoot, count);
    }

    /// @notice Mints the soulbound token of a Merkle leaf to its contributor (anyone may pay the gas).
    function mintFromProof(
        uint256 versionId,
        uint256 index,
        address account,
        uint8 role,
        uint16 shareBps,
        uint16 offsetBps,
        bytes32[] calldata proof
    ) external whenNotPaused returns (uint256 tokenId) {
        if (!verifyMerkleReceipt(versionId, index, account, role, shareBps, offsetBps, proof)) {
            revert InvalidMerkleProof(versionId, index);
        }
        uint256 existing = tokenOfLeaf[versionId][index];
        if (existing != 0) revert LeafAlreadyMinted(versionId, index, existing);
        tokenId = ++totalSupply;
        tokenOfLeaf[versionId][index] = tokenId;
        _mint(account, tokenId, Receipt(uint64(versionId), uint32(index), shareBps, offsetBps, role));
    }

    /// @notice True when the leaf is in the version's Merkle root and describes a valid range.
    function verifyMerkleReceipt(
        uint256 versionId,
        uint256 index,
        address account,
        uint8 role,
        uint16 shareBps,
        uint16 offsetBps,
        bytes32[] calldata proof
    ) public view returns (bool) {
        VersionReceipts storage vr = _versionReceipts[versionId];
        if (vr.mode != MODE_MERKLE || index >= vr.count) return false;
        if (shareBps == 0 || uint256(offsetBps) + shareBps > BPS || role > MAX_ROLE || account == address(0)) {
            return false;
        }
        return SortedPairMerkle.rootOf(leafHash(versionId, index, account, role, shareBps, offsetBps), proof)
            == vr.merkleRoot;
    }

    function leafHash(uint256 versionId, uint256 index, address account, uint8 role, uint16 shareBps, uint16 offsetBps)
        public
        pure
        returns (bytes32)
    {
        // Double hashing keeps a 64-byte inner node from ever being accepted as a leaf.
        return keccak256(bytes.concat(keccak256(abi.encode(versionId, index, account, role, shareBps, offsetBps))));
    }

    function receiptOf(uint256 tokenId)
        external
        view
        returns (
            uint256 versionId,
            uint256 index,
            address contributor,
            uint8 role,
            uint16 shareBps,
            uint16 offsetBps
        )
    {
        address holder = _owners[tokenId];
        if (holder == address(0)) revert UnknownToken(tokenId);
        Receipt storage r = _receipts[tokenId];
        return (r.versionId, r.index, holder, r.role, r.shareBps, r.offsetBps);
    }

    function versionReceipts(uint256 versionId)
        external
        view
        returns (uint8 mode, uint256 count, bytes32 merkleRoot)
    {
        VersionReceipts storage vr = _versionReceipts[versionId];
        return (vr.mode, vr.count, vr.merkleRoot);
    }

    // ---- ERC-721 / ERC-5192 views -------------------------------------------------------------------

    function balanceOf(address holder) external view returns (uint256) {
        if (holder == address(0)) revert ZeroAddress();
        return _balances[holder];
    }

    function ownerOf(uint256 tokenId) public view returns (address holder) {
        holder = _owners[tokenId];
        if (holder == address(0)) revert UnknownToken(tokenId);
    }

    function locked(uint256 tokenId) external view returns (bool) {
        ownerOf(tokenId);
        return true;
    }

    function getApproved(uint256 tokenId) external view returns (address) {
        ownerOf(tokenId);
        return address(0);
    }

    function isApprovedForAll(address, address) external pure returns (bool) {
        return false;
    }

    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == 0x01ffc9a7 // ERC-165
            || interfaceId == 0x80ac58cd // ERC-721
            || interfaceId == 0xb45a3c0e; // ERC-5192
    }

    // ---- Transfers are impossible: receipts are soulbound --------------------------------------------

    function transferFrom(address, address, uint256 tokenId) external pure {
        revert Soulbound(tokenId);
    }

    function safeTransferFrom(address, address, uint256 tokenId) external pure {
        revert Soulbound(tokenId);
    }

    function safeTransferFrom(address, address, uint256 tokenId, bytes calldata) external pure {
        revert Soulbound(tokenId);
    }

    function approve(address, uint256 tokenId) external pure {
        revert Soulbound(tokenId);
    }

    function setApprovalForAll(address, bool) external pure {
        revert Soulbound(0);
    }

    function _mint(address to, uint256 tokenId, Receipt memory r) private {
        _owners[tokenId] = to;
        unchecked {
            _balances[to] += 1;
        }
        _receipts[tokenId] = r;
        emit Transfer(address(0), to, tokenId);
        emit Locked(tokenId);
        emit ReceiptRecorded(tokenId, r.versionId, to, r.index, r.role, r.shareBps, r.offsetBps);
    }
}
