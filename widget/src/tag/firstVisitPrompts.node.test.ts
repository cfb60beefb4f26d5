// What a reader's first visit asks of its wallet, counted in real Chromium: the script tag built from the sources, the
// real receiver sponsoring opens on USDC's own token (Circle's FiatToken V2.2), and the shared MetaMask-like wallet.
// A reader holding USDC and no ether connects, then signs once (an EIP-3009 ReceiveWithAuthorization): nothing else,
// and the next paid page asks nothing at all. Every wallet prompt of every document is recorded, the paid document
// after the 402 page's included.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createPublicClient, http } from "viem";
import { promptMethods } from "../testing/createTestWallet.ts";
import { startTagTestSite, type TagTestSite } from "./tagTestSite.test-helper.ts";

/** One USDC in base units (6 decimals). */
const USDC = 10n ** 6n;
/** A cent a page: the paywall's default deposit (100 pages) is a dollar, the sponsor's minimum. */
const price = USDC / 100n;

let site: TagTestSite;
before(async () => {
  site = await startTagTestSite({
    tokenKind: "usdc",
    sponsor: { minDeposit: USDC },
    routes: (app, context) => {
      for (const page of ["1", "2"]) {
        app.get(`/cents/${page}`, context.paywall({ price }), (c) =>
          c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Page ${page}</title></head>
<body><main><h1>Page ${page}</h1><p>Paid page ${page}, a cent.</p></main></body></html>`),
        );
      }
    },
  });
});
after(() => site?.close());

describe("a reader's first visit on USDC with a sponsoring receiver", () => {
  it("asks for connect, then one signature; the next paid page asks nothing", async () => {
    const reader = await site.newReader({ eth: 0n });
    try {
      const { page } = reader;
      // Each wallet prompt, on whichever document it came from (the wallet is installed anew in each).
      const prompts: string[] = [];
      await page.context().exposeFunction("recordWalletPrompt", (prompt: string) => prompts.push(prompt));
      await page.context().addInitScript(
        (methods) => {
          const wallet = window.testWallet;
          if (!wallet) return;
          const request = wallet.provider.request.bind(wallet.provider);
          const record = Reflect.get(window, "recordWalletPrompt") as (prompt: string) => Promise<void>;
          wallet.provider.request = (async (args: { method: string; params?: unknown }) => {
            if (methods.includes(args.method)) {
              const typedData = args.method === "eth_signTypedData_v4" && Array.isArray(args.params);
              const primaryType = typedData
                ? JSON.parse(String(Reflect.get(args.params as object, 1))).primaryType
                : undefined;
              await record(primaryType ? `${args.method} ${primaryType}` : args.method);
            }
            return request(args as never);
          }) as typeof wallet.provider.request;
        },
        [...promptMethods] as string[],
      );

      await page.goto(`${site.receiverUrl}/cents/1`);
      const paywall = page.locator("#micro-raiden-paywall");
      await paywall.getByRole("button", { name: "Connect Test Wallet" }).click();
      // The copy says what the wallet will ask.
      await paywall
        .getByText("Opens with one signature in your wallet and no transaction: the site pays the fee.")
        .waitFor();
      await paywall.getByRole("button", { name: /^Open a channel with/ }).click();
      await page.getByText("Paid page 1, a cent.").waitFor({ timeout: 90_000 });
      assert.deepEqual(prompts, ["eth_requestAccounts", "eth_signTypedData_v4 ReceiveWithAuthorization"]);

      await page.goto(`${site.receiverUrl}/cents/2`);
      await page.getByText("Paid page 2, a cent.").waitFor({ timeout: 90_000 });
      assert.deepEqual(prompts, ["eth_requestAccounts", "eth_signTypedData_v4 ReceiveWithAuthorization"]);

      const chain = createPublicClient({ transport: http(site.chain.rpcUrl) });
      assert.equal(await chain.getBalance({ address: reader.address }), 0n, "the reader never needed ether");
      const [channel] = site.receiver.listChannels({ sender: reader.address });
      assert.equal(channel?.balance, 2n * price);
    } finally {
      await reader.close();
    }
  });
});
