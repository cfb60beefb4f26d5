import { fetchWithPayment, type PaymentRequirements } from "@micro-raiden/web-client";
import { decodePaymentResponseHeaders } from "@micro-raiden/web-client/protocol";
import { ChannelStatus, MicroRaidenProvider, Paywall } from "@micro-raiden/widget";
import { useEffect, useState } from "react";
import type { Chain } from "viem";

const articles = [
  { path: "/articles/1", title: "Why micropayments failed, and why they might not now" },
  { path: "/articles/2", title: "Payment channels in five minutes" },
];

/** A reading app: pick an article, pay for it through the widget, read it. */
export function App({
  receiverUrl,
  chains,
}: {
  receiverUrl: string;
  chains?: readonly [Chain, ...Chain[]] | undefined;
}) {
  const [path, setPath] = useState(articles[0]?.path ?? "/articles/1");
  return (
    <MicroRaidenProvider chains={chains}>
      <main style={{ maxWidth: "40rem", margin: "2rem auto", fontFamily: "system-ui, sans-serif" }}>
        <h1>Paid reading, in a React app</h1>
        <nav style={{ display: "flex", flexWrap: "wrap", gap: ".5rem", margin: "1rem 0" }}>
          {articles.map((article) => (
            <button
              key={article.path}
              type="button"
              onClick={() => setPath(article.path)}
              disabled={article.path === path}
            >
              {article.title}
            </button>
          ))}
        </nav>
        <Article key={path} url={new URL(path, receiverUrl).href} />
      </main>
    </MicroRaidenProvider>
  );
}

type ArticleState =
  | { kind: "loading" }
  | { kind: "paywall"; requirements: PaymentRequirements }
  | { kind: "read"; title: string; text: string; paidWith?: PaymentRequirements }
  | { kind: "failed"; message: string };

function Article({ url }: { url: string }) {
  const [state, setState] = useState<ArticleState>({ kind: "loading" });

  // The 402's headers say what the article costs and who sells it: the Paywall takes them as they are.
  useEffect(() => {
    const controller = new AbortController();
    fetch(url, { signal: controller.signal })
      .then(async (response) => {
        if (response.status === 402) {
          setState({ kind: "paywall", requirements: decodePaymentResponseHeaders(response.headers).requirements });
        } else setState(read(await response.text()));
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setState({ kind: "failed", message: String(error) });
      });
    return () => controller.abort();
  }, [url]);

  switch (state.kind) {
    case "loading":
      return <p>Loading…</p>;
    case "failed":
      return <p role="alert">{state.message}</p>;
    case "paywall":
      return (
        <Paywall
          requirements={state.requirements}
          url={url}
          // `approvedPrice`: a price the reader approved beyond what the channel pays automatically (a pricier article).
          onChannelReady={async ({ client, approvedPrice }) => {
            const response = await fetchWithPayment(client, { input: url, approvedPrice });
            setState({ ...read(await response.text()), paidWith: state.requirements });
          }}
        />
      );
    case "read":
      return (
        <article>
          {state.paidWith && <ChannelStatus requirements={state.paidWith} url={url} />}
          <h2>{state.title}</h2>
          <p>{state.text}</p>
        </article>
      );
  }
}

/** The article's title and text, as text: React renders strings, so the paid HTML's markup never runs here. */
function read(html: string): { kind: "read"; title: string; text: string } {
  const document = new DOMParser().parseFromString(html, "text/html");
  const heading = document.querySelector("h1");
  const title = heading?.textContent ?? document.title;
  heading?.remove();
  return { kind: "read", title, text: document.querySelector("article")?.textContent?.trim() ?? "" };
}
