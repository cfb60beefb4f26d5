import { ensureChain, type PaymentRequirements } from "@micro-raiden/web-client";
import type { ReactNode } from "react";
import { useChains } from "wagmi";
import { useChannelMutation } from "../hooks/useChannelMutation.ts";
import { useWidgetContext } from "../provider/WidgetContext.ts";
import { ErrorNotice } from "./ErrorNotice.tsx";

/** The wallet is on another network: switch it (the web-client adds the chain first when the wallet lacks it). */
export function SwitchChainStep({ requirements }: { requirements: PaymentRequirements }): ReactNode {
  const { messages } = useWidgetContext();
  const chains = useChains();
  const name = chains.find((chain) => chain.id === requirements.chainId)?.name ?? `#${requirements.chainId}`;
  const switchChain = useChannelMutation((client, chainId: number) => ensureChain(client, { chainId }));
  return (
    <div>
      <p>{messages.wrongChain(name)}</p>
      <button
        type="button"
        className="mr-button"
        disabled={switchChain.isPending}
        onClick={() => switchChain.mutate(requirements.chainId)}
      >
        {messages.switchChain(name)}
      </button>
      {switchChain.isPending && <p>{messages.switchingChain}</p>}
      {switchChain.error && <ErrorNotice error={switchChain.error} />}
    </div>
  );
}
