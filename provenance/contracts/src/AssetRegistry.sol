// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Administered} from "./Administered.sol";

/// @title AssetRegistry
/// @notice On-chain ownership of AI assets (datasets, models, RAG indexes, other) and of their versions.
///         A version commits to its content (the root CID of its manifest) and names the asset versions it
///         was derived from. The flattened set of ancestors is computed once, at registration, so that
///         revenue can pay every ancestor its royalty (LAP-style) without walking the graph at payment time.
contract AssetRegistry is Administered {
    uint256 public constant BPS = 10_000;
    /// @notice Kinds: 0 dataset, 1 model, 2 rag-index, 3 other.
    uint8 public constant MAX_KIND = 3;
    uint256 public constant MAX_COMMITMENT_LENGTH = 128;

    struct Asset {
        address owner;
        uint8 kind;
        uint16 royaltyBps;
        uint64 latestVersion;
        uint32 versionCount;
        string metadataCid;
    }

    struct Version {
        uint64 assetId;
        uint8 depth;
        uint16 royaltyStackBps;
        uint64 registeredAt;
        bytes contentCommitment;
        uint256[] parents;
        uint256[] ancestors;
    }

    /// @notice Cap on the sum of the royalty rates of all ancestors of one version (the "stack").
    uint16 public maxRoyaltyStackBps = 5_000;
    /// @notice Cap on the derivation depth (a version without parents has depth 0).
    uint8 public maxDepth = 8;
    /// @notice Cap on the number of distinct ancestor versions, which bounds the gas of every payment.
    uint8 public maxAncestors = 16;

    uint256 public assetCount;
    uint256 public versionCount;

    mapping(uint256 => Asset) private _assets;
    mapping(uint256 => Version) private _versions;

    event AssetRegistered(
        uint256 indexed assetId, address indexed owner, uint8 kind, uint16 royaltyBps, string metadataCid
    );
    event AssetMetadataUpdated(uint256 indexed assetId, string metadataCid);
    event AssetOwnerChanged(uint256 indexed assetId, address indexed previousOwner, address indexed newOwner);
    event VersionRegistered(
        uint256 indexed versionId,
        uint256 indexed assetId,
        bytes contentCommitment,
        uint256[] parents,
        uint8 depth,
        uint16 royaltyStackBps
    );
    event RoyaltyLimitsChanged(uint16 maxRoyaltyStackBps, uint8 maxDepth, uint8 maxAncestors);

    error UnknownAsset(uint256 assetId);
    error UnknownVersion(uint256 versionId);
    error NotAssetOwner(uint256 assetId, address caller);
    error InvalidKind(uint8 kind);
    error RoyaltyTooHigh(uint16 royaltyBps, uint16 maxRoyaltyStackBps);
    error InvalidCommitment(uint256 length);
    error SelfDerivation(uint256 assetId, uint256 parentVersionId);
    error DuplicateParent(uint256 parentVersionId);
    error TooManyAncestors(uint256 count, uint8 maxAncestors);
    error DerivationTooDeep(uint256 depth, uint8 maxDepth);
    error RoyaltyStackTooHigh(uint256 stackBps, uint16 maxRoyaltyStackBps);
    error InvalidLimits();

    modifier onlyAssetOwner(uint256 assetId) {
        if (_asset(assetId).owner != msg.sender) revert NotAssetOwner(assetId, msg.sender);
        _;
    }

    /// @notice Registers an asset owned by the caller.
    /// @param royaltyBps share of every payment to a derived asset that flows to this asset (fixed for life,
    ///        so that derivers know their costs when they derive).
    function registerAsset(uint8 kind, uint16 royaltyBps, string calldata metadataCid)
        external
        whenNotPaused
        returns (uint256 assetId)
    {
        if (kind > MAX_KIND) revert InvalidKind(kind);
        if (royaltyBps > maxRoyaltyStackBps) revert RoyaltyTooHigh(royaltyBps, maxRoyaltyStackBps);
        assetId = ++assetCount;
        Asset storage a = _assets[assetId];
        a.owner = msg.sender;
        a.kind = kind;
        a.royaltyBps = royaltyBps;
        a.metadataCid = metadataCid;
        emit AssetRegistered(assetId, msg.sender, kind, royaltyBps, metadataCid);
    }

    function setAssetMetadata(uint256 assetId, string calldata metadataCid)
        external
        whenNotPaused
        onlyAssetOwner(assetId)
    {
        _assets[assetId].metadataCid = metadataCid;
        emit AssetMetadataUpdated(assetId, metadataCid);
    }

    function transferAsset(uint256 assetId, address newOwner) external whenNotPaused onlyAssetOwner(assetId) {
        if (newOwner == address(0)) revert ZeroAddress();
        emit AssetOwnerChanged(assetId, msg.sender, newOwner);
        _assets[assetId].owner = newOwner;
    }

    /// @notice Registers a new version of an asset.
    /// @param contentCommitment root CID of the version manifest (binary CID or its text form, 1..128 bytes).
    /// @param parents asset versions this version was derived from (other assets only; no duplicates).
    function registerVersion(uint256 assetId, bytes calldata contentCommitment, uint256[] calldata parents)
        external
        whenNotPaused
        onlyAssetOwner(assetId)
        returns (uint256 versionId)
    {
        if (contentCommitment.length == 0 || contentCommitment.length > MAX_COMMITMENT_LENGTH) {
            revert InvalidCommitment(contentCommitment.length);
        }
        Lineage memory l = _lineage(assetId, parents);
        if (l.depth > maxDepth) revert DerivationTooDeep(l.depth, maxDepth);
        if (l.stack > maxRoyaltyStackBps) revert RoyaltyStackTooHigh(l.stack, maxRoyaltyStackBps);

        versionId = ++versionCount;
        Version storage v = _versions[versionId];
        v.assetId = uint64(assetId);
        v.depth = uint8(l.depth);
        v.royaltyStackBps = uint16(l.stack);
        v.registeredAt = uint64(block.timestamp);
        v.contentCommitment = contentCommitment;
        v.parents = parents;
        for (uint256 i = 0; i < l.count; i++) {
            v.ancestors.push(l.found[i]);
        }
        Asset storage a = _assets[assetId];
        a.latestVersion = uint64(versionId);
        a.versionCount += 1;
        emit VersionRegistered(versionId, assetId, contentCommitment, parents, uint8(l.depth), uint16(l.stack));
    }

    /// @notice Owner-only: royalty stack cap (<= 100%), depth cap and ancestor count cap (1..64).
    function setRoyaltyLimits(uint16 newMaxStackBps, uint8 newMaxDepth, uint8 newMaxAncestors) external onlyOwner {
        if (newMaxStackBps > BPS || newMaxAncestors == 0 || newMaxAncestors > 64) revert InvalidLimits();
        maxRoyaltyStackBps = newMaxStackBps;
        maxDepth = newMaxDepth;
        maxAncestors = newMaxAncestors;
        emit RoyaltyLimitsChanged(newMaxStackBps, newMaxDepth, newMaxAncestors);
    }

    function getAsset(uint256 assetId)
        external
        view
        returns (
            address assetOwner,
            uint8 kind,
            uint16 royaltyBps,
            uint256 latestVersion,
            uint256 versionCountOfAsset,
            string memory metadataCid
        )
    {
        Asset storage a = _asset(assetId);
        return (a.owner, a.kind, a.royaltyBps, a.latestVersion, a.versionCount, a.metadataCid);
    }

    function getVersion(uint256 versionId)
        external
        view
        returns (
            uint256 assetId,
            uint8 depth,
            uint16 royaltyStackBps,
            uint256 registeredAt,
            bytes memory contentCommitment,
            uint256[] memory parents,
            uint256[] memory ancestors
        )
    {
        Version storage v = _version(versionId);
        return (v.assetId, v.depth, v.royaltyStackBps, v.registeredAt, v.contentCommitment, v.parents, v.ancestors);
    }

    function assetOwnerOf(uint256 assetId) external view returns (address) {
        return _asset(assetId).owner;
    }

    function latestVersionOf(uint256 assetId) external view returns (uint256) {
        return _asset(assetId).latestVersion;
    }

    /// @notice Asset owner of the asset a version belongs to (used by Receipts to authorise recording).
    function versionOwnerOf(uint256 versionId) external view returns (address) {
        return _assets[_version(versionId).assetId].owner;
    }

    /// @notice Flattened ancestors of a version with the royalty rate each one is owed (used by Revenue).
    function royaltyRecipients(uint256 versionId)
        external
        view
        returns (uint256[] memory ancestors, uint16[] memory ratesBps)
    {
        Version storage v = _version(versionId);
        ancestors = v.ancestors;
        ratesBps = new uint16[](ancestors.length);
        for (uint256 i = 0; i < ancestors.length; i++) {
            ratesBps[i] = _assets[_versions[ancestors[i]].assetId].royaltyBps;
        }
    }

    struct Lineage {
        uint256[] found;
        uint256 count;
        uint256 depth;
        uint256 stack;
    }

    /// @dev Distinct ancestor versions (parents first, then what each parent inherited), depth and stack.
    function _lineage(uint256 assetId, uint256[] calldata parents) private view returns (Lineage memory l) {
        l.found = new uint256[](maxAncestors);
        for (uint256 i = 0; i < parents.length; i++) {
            uint256 p = parents[i];
            Version storage pv = _version(p);
            for (uint256 j = 0; j < i; j++) {
                if (parents[j] == p) revert DuplicateParent(p);
            }
            if (pv.depth + 1 > l.depth) l.depth = pv.depth + 1;
            _addAncestor(l, p, assetId);
            uint256[] storage inherited = pv.ancestors;
            for (uint256 k = 0; k < inherited.length; k++) {
                _addAncestor(l, inherited[k], assetId);
            }
        }
    }

    function _addAncestor(Lineage memory l, uint256 versionId, uint256 assetId) private view {
        for (uint256 i = 0; i < l.count; i++) {
            if (l.found[i] == versionId) return;
        }
        if (l.count == l.found.length) revert TooManyAncestors(l.count + 1, maxAncestors);
        uint256 ancestorAsset = _versions[versionId].assetId;
        // An ancestor of the same asset would make the asset pay royalties to itself.
        if (ancestorAsset == assetId) revert SelfDerivation(assetId, versionId);
        l.found[l.count] = versionId;
        l.count += 1;
        l.stack += _assets[ancestorAsset].royaltyBps;
    }

    function _asset(uint256 assetId) private view returns (Asset storage a) {
        a = _assets[assetId];
        if (a.owner == address(0)) revert UnknownAsset(assetId);
    }

    function _version(uint256 versionId) private view returns (Version storage v) {
        if (versionId == 0 || versionId > versionCount) revert UnknownVersion(versionId);
        v = _versions[versionId];
    }
}
