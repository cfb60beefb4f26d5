// The mutation hooks' `error` is the web-client action's own union, so a component narrows it on `error.name`. These
// are type checks: tsc (`npm run typecheck`) fails when a hook's error is another type (a bare `Error` again); the
// test runs one narrowing so node:test has something to report.
import assert from "node:assert/strict";
import { it } from "node:test";
import type {
  CloseChannelErrorType,
  CloseChannelUncooperativelyErrorType,
  DelegateSignerErrorType,
  OpenChannelErrorType,
  SettleChannelErrorType,
  TopUpErrorType,
} from "@micro-raiden/web-client";
import { UserRejectedRequestError, type UserRejectedRequestErrorType } from "viem";
import type { useCloseChannel } from "./useCloseChannel.ts";
import type { useDelegateSigner } from "./useDelegateSigner.ts";
import type { useOpenChannel } from "./useOpenChannel.ts";
import type { useSettleChannel } from "./useSettleChannel.ts";
import type { useTopUp } from "./useTopUp.ts";

/** The error a mutation hook reports. */
type ErrorOf<Hook extends () => { error: unknown }> = NonNullable<ReturnType<Hook>["error"]>;
/** `true` when `Actual` is exactly `Expected`, else a type `true` does not satisfy. */
type Is<Actual, Expected> = [Actual] extends [Expected]
  ? [Expected] extends [Actual]
    ? true
    : "narrower than the action's union"
  : "wider than the action's union";

const pinned: Record<string, true> = {
  useOpenChannel: true satisfies Is<ErrorOf<typeof useOpenChannel>, OpenChannelErrorType>,
  useTopUp: true satisfies Is<ErrorOf<typeof useTopUp>, TopUpErrorType>,
  useCloseChannel: true satisfies Is<
    ErrorOf<typeof useCloseChannel>,
    CloseChannelErrorType | CloseChannelUncooperativelyErrorType
  >,
  useSettleChannel: true satisfies Is<ErrorOf<typeof useSettleChannel>, SettleChannelErrorType>,
  useDelegateSigner: true satisfies Is<ErrorOf<typeof useDelegateSigner>, DelegateSignerErrorType>,
};

it("a mutation's error narrows on its name", () => {
  const describe = (error: ErrorOf<typeof useOpenChannel>) =>
    error.name === "UserRejectedRequestError" ? `rejected (${error.code})` : error.name;
  const rejected = new UserRejectedRequestError(
    new Error("User rejected the request."),
  ) as UserRejectedRequestErrorType;
  assert.equal(describe(rejected), "rejected (4001)");
  assert.equal(Object.keys(pinned).length, 5);
});
