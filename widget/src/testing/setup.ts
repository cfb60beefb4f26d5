// Per-file setup of the browser tests: Testing Library unmounts after each test, and waits as long as the chain
// may take (a transaction, a few blocks of confirmations) before it says an element never appeared.
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

configure({ asyncUtilTimeout: 30_000 });
afterEach(() => cleanup());
