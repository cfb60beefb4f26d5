// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Test-only token with a blocklist, like USDC and USDT: a blocked account can neither send nor receive.
/// By default a blocked transfer reverts (USDC); with `setFailQuietly(true)` `transfer` returns false instead, as
/// some older tokens do. It has no `permit` and no ERC-1363 hooks.
contract BlocklistToken is ERC20 {
    /// @notice `account` is blocklisted.
    error Blocklisted(address account);

    mapping(address account => bool) public blocked;
    bool public failQuietly;

    constructor() ERC20("Blocklist", "BL") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setBlocked(address account, bool isBlocked) external {
        blocked[account] = isBlocked;
    }

    function setFailQuietly(bool quietly) external {
        failQuietly = quietly;
    }

    function transfer(address to, uint256 value) public override returns (bool) {
        if (failQuietly && (blocked[msg.sender] || blocked[to])) return false;
        return super.transfer(to, value);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (blocked[from]) revert Blocklisted(from);
        if (blocked[to]) revert Blocklisted(to);
        super._update(from, to, value);
    }
}
