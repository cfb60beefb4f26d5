import { fetchWithPayment, type PaymentRequirements } from "@micro-raiden/web-client";
import { decodePaymentResponseHeaders } from "@micro-raiden/web-client/protocol";
import { useEffect, useRef, useState } from "react";
import { ChannelStatus, type Messages, Paywall } from "../index.ts";
import { useWidgetContext } from "../provider/WidgetContext.ts";
import { fragmentContent, isWholeDocument } from "./fragmentContent.ts";
import { sanitizeFragment } from "./sanitizeFragment.ts";

export type PaidFragmentProps = {
  /** The paid resource on the receiver (another origin that lists this site in its CORS origins). */
  src: string;
};

type State =
  | { kind: "loading" }
  | { kind: "paywall"; requirements: PaymentRequirements }
  | { kind: "content"; html: string; baseUrl: string; paidWith?: PaymentRequirements }
  | { kind: "failed"; message: (messages: Messages) => string };

/**
 * A paid fragment of a static page: asks the receiver for `src` through CORS; on 402 shows the paywall with the
 * requirements from the answer's headers, and once a channel can pay, buys it with `fetchWithPayment` and shows it
 * sanitized (never as raw HTML): of a whole page, its main content without the title the site shows already. Free
 * answers are shown the same way.
 */
export function PaidFragment({ src }: PaidFragmentProps) {
  const { messages } = useWidgetContext();
  const [state, setState] = useState<State>({ kind: "loading" });
  const host = new URL(src).host;

  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      // No Accept: text/html, so a 402 is the receiver's short JSON answer, not its whole paywall page.
      const response = await fetch(src, { signal: controller.signal, credentials: "omit" });
      if (response.status === 402) {
        setState({ kind: "paywall", requirements: decodePaymentResponseHeaders(response.headers).requirements });
      } else if (response.ok) {
        setState({ kind: "content", html: await response.text(), baseUrl: response.url });
      } else {
        const { status } = response;
        setState({ kind: "failed", message: (m) => m.fragment.refused(host, status) });
      }
    })().catch((error: unknown) => {
      if (controller.signal.aborted) return;
      setState({ kind: "failed", message: failureMessage(host, error) });
    });
    return () => controller.abort();
  }, [src, host]);

  switch (state.kind) {
    case "loading":
      return <p aria-busy="true">{messages.fragment.loading}</p>;
    case "failed":
      return <p role="alert">{state.message(messages)}</p>;
    case "content":
      return (
        <>
          {state.paidWith && <ChannelStatus requirements={state.paidWith} url={src} />}
          <SanitizedHtml html={state.html} baseUrl={state.baseUrl} />
        </>
      );
    case "paywall":
      return (
        <Paywall
          requirements={state.requirements}
          url={src}
          onChannelReady={async ({ client }) => {
            const response = await fetchWithPayment(client, { input: src, init: { credentials: "omit" } });
            // The Paywall shows what the onChannelReady callback throws, as a sentence with details.
            if (!response.ok) throw new Error(messages.fragment.refused(host, response.status));
            const { requirements } = state;
            setState({ kind: "content", html: await response.text(), baseUrl: response.url, paidWith: requirements });
          }}
        />
      );
  }
}

/**
 * Remote HTML, sanitized, as nodes: React never sees it as a string, so nothing reaches innerHTML. Of a whole paid
 * page only its main content shows, and not the title the content site's page shows already (fragmentContent).
 */
function SanitizedHtml({ html, baseUrl }: { html: string; baseUrl: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const container = ref.current;
    if (!container) return;
    // The content site's page: the document of the shadow root's host (or of the container, outside one).
    const root = container.getRootNode();
    const page = root instanceof ShadowRoot ? root.host.ownerDocument : container.ownerDocument;
    const nodes = sanitizeFragment(html, baseUrl);
    container.replaceChildren(fragmentContent(nodes, { wholeDocument: isWholeDocument(html), page }));
  }, [html, baseUrl]);
  return <div ref={ref} className="micro-raiden-fragment" />;
}

function failureMessage(host: string, error: unknown): (messages: Messages) => string {
  // A CORS refusal and a dead host look the same to a page (a TypeError): the sentence says both.
  if (error instanceof TypeError) return (messages) => messages.fragment.unreachable(host);
  const message = error instanceof Error ? error.message : String(error);
  return () => message;
}
