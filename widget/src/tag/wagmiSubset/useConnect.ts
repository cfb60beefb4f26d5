import { useEffect, useRef } from "react";
import type { Address } from "viem";
import { type UseMutationResult, useMutation } from "../querySubset/useMutation.ts";
import type { Connector } from "./injected.ts";
import { useConfig } from "./WagmiProvider.tsx";

/**
 * wagmi's `useConnect`: a mutation that connects the connector it is given (the wallet asks the reader). Back to
 * idle when the wallet disconnects, as wagmi's.
 */
export function useConnect(): UseMutationResult<
  { accounts: readonly Address[]; chainId: number },
  Error,
  { connector: Connector }
> {
  const config = useConfig();
  const mutation = useMutation({
    mutationKey: ["connect"],
    mutationFn: ({ connector }: { connector: Connector }) => config.connect(connector),
  });
  const { reset } = mutation;
  const status = useRef(config.state.status);
  useEffect(
    () =>
      config.subscribe(() => {
        const previous = status.current;
        status.current = config.state.status;
        if (previous === "connected" && status.current === "disconnected") reset();
      }),
    [config, reset],
  );
  return mutation;
}
