import { ensureChain, type PaymentRequirements, TransactionRevertedError } from "@micro-raiden/web-client";
import { demoTokenAbi } from "@micro-raiden/web-client/protocol";
import type { ReactNode } from "react";
import type { Address } from "viem";
import { waitForTransactionReceipt, writeContract } from "viem/actions";
import { formatTokenAmount, type TokenInfo } from "../format/formatTokenAmount.ts";
import { useChannelMutation } from "../hooks/useChannelMutation.ts";
import { useWidgetContext } from "../provider/WidgetContext.ts";
import { ErrorNotice } from "./ErrorNotice.tsx";

/** The demo token's open `mint` (local and test chains only) in one click, for a reader without tokens. */
export function FaucetButton(props: {
  requirements: PaymentRequirements;
  reader: Address;
  amount: bigint;
  token: TokenInfo;
  onMinted: () => void;
}): ReactNode {
  const { messages, locale } = useWidgetContext();
  const { requirements, reader, amount } = props;
  const mint = useChannelMutation(async (client, to: Address) => {
    const chain = await ensureChain(client, { chainId: requirements.chainId });
    const hash = await writeContract(client.walletClient, {
      account: to,
      chain,
      address: requirements.token,
      abi: demoTokenAbi,
      functionName: "mint",
      args: [to, amount],
    });
    const receipt = await waitForTransactionReceipt(client.publicClient, { hash });
    if (receipt.status !== "success") throw new TransactionRevertedError({ hash });
  });
  return (
    <div>
      <button
        type="button"
        className="mr-button mr-button-secondary"
        disabled={mint.isPending}
        onClick={() => mint.mutate(reader, { onSuccess: props.onMinted })}
      >
        {messages.faucet(formatTokenAmount(amount, props.token, locale))}
      </button>
      {mint.isPending && <p>{messages.faucetRunning}</p>}
      {mint.error && <ErrorNotice error={mint.error} />}
    </div>
  );
}
