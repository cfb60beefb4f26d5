// The widget the way a React app uses it: the provider around the app, the paywall for a paid resource of a
// receiver, and the paid fetch once a channel is open. The receiver's URL comes from VITE_RECEIVER_URL (default: the
// demo's, `npm start`); the receiver must list this app's origin in its CORS origins (the demo does). VITE_RPC_URL
// names the local chain's RPC URL when it is not Hardhat's usual port (the e2e run's chain is on a free one).
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { hardhat } from "viem/chains";
import { App } from "./App.tsx";

const rpcUrl = import.meta.env.VITE_RPC_URL;
const chains = rpcUrl ? ([{ ...hardhat, rpcUrls: { default: { http: [rpcUrl] } } }] as const) : undefined;

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root.");
createRoot(root).render(
  <StrictMode>
    <App receiverUrl={import.meta.env.VITE_RECEIVER_URL ?? "http://127.0.0.1:3000"} chains={chains} />
  </StrictMode>,
);
