// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC1363Receiver} from "@openzeppelin/contracts/interfaces/IERC1363Receiver.sol";

/// @notice Test-only hostile token: while it moves tokens for the channel manager it calls back into the manager,
/// the way a token with transfer hooks (ERC-777, or an ERC-1363 callback abused by the token itself) could.
/// It records whether the reentrant call succeeded instead of reverting, so a test can assert it was refused.
contract ReentrantToken is ERC20 {
    address public target;
    bytes public attack;
    bool public attacked;
    bool public reentrySucceeded;
    bytes public reentryError;

    constructor() ERC20("Reentrant", "RE") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the attack: the next token movement touching `target_` first calls `target_` with `data`.
    function arm(address target_, bytes calldata data) external {
        target = target_;
        attack = data;
        attacked = false;
    }

    /// @notice Arms the ERC-1363 variant: on the next movement, claim to `target_` that `value` tokens from `from`
    /// arrived with `data`, as a token calling `onTransferReceived` would.
    function armTransferReceived(address target_, address from, uint256 value, bytes calldata data) external {
        target = target_;
        attack = abi.encodeCall(IERC1363Receiver.onTransferReceived, (from, from, value, data));
        attacked = false;
    }

    /// @notice An EIP-2612 `permit` that checks no signature (this is a test token) and calls back into the armed
    /// target first, the way a hostile token's permit could re-enter a manager's permit path.
    function permit(address owner, address spender, uint256 value, uint256, uint8, bytes32, bytes32) external {
        _attackOnce();
        _approve(owner, spender, value);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from == target || to == target) _attackOnce();
        super._update(from, to, value);
    }

    function _attackOnce() private {
        if (!attacked && target != address(0)) {
            attacked = true;
            (bool ok, bytes memory err) = target.call(attack);
            reentrySucceeded = ok;
            reentryError = err;
        }
    }
}
