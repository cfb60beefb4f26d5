import {
  type DelegateSignerErrorType,
  type DelegateSignerParameters,
  type DelegateSignerReturnType,
  delegateSigner,
} from "@micro-raiden/web-client";
import type { UseMutationResult } from "@tanstack/react-query";
import { useChannelMutation } from "./useChannelMutation.ts";

/**
 * Gives this site its own automatic payments on a channel opened on another (the web-client's `delegateSigner`: a
 * new key and one wallet signature, no transaction) as a mutation. Its `error` is a `DelegateSignerErrorType`.
 *
 * @example
 * import { useDelegateSigner } from "@micro-raiden/widget";
 * const delegate = useDelegateSigner();
 * delegate.mutate({ channel, autoPay: { maxPrice: price, perMinute: 30 } });
 */
export function useDelegateSigner(): UseMutationResult<
  DelegateSignerReturnType,
  DelegateSignerErrorType,
  DelegateSignerParameters
> {
  return useChannelMutation<DelegateSignerParameters, DelegateSignerReturnType, DelegateSignerErrorType>(
    delegateSigner,
  );
}
