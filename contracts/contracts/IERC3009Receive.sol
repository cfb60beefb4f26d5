// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title What the channel manager and its clients use of an EIP-3009 token
/// @notice EIP-3009's `receiveWithAuthorization` (the payee pulls a transfer its payer signed; only the payee may
/// submit it, so a copied signature cannot be redirected) and `authorizationState`, plus the `name()`/`version()`
/// of the token's EIP-712 domain: USDC, the token EIP-3009 is for, has no ERC-5267 `eip712Domain()`.
/// @dev The web-client's `eip3009TokenAbi` is generated from this file.
interface IERC3009Receive {
    /// @notice The token's name: its EIP-712 domain's name ("USD Coin" for USDC).
    function name() external view returns (string memory);

    /// @notice Its EIP-712 domain's version ("2" for USDC).
    function version() external view returns (string memory);

    /// @notice Whether `authorizer` already used (or canceled) the authorization with this 32-byte `nonce`.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool);

    /// @notice Moves `value` tokens from `from` to `to`, the caller, as `from` signed in an EIP-712
    /// `ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,
    /// bytes32 nonce)` in the token's domain, valid strictly between `validAfter` and `validBefore` (unix seconds).
    function receiveWithAuthorization(
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
}
