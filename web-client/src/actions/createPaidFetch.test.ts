import assert from "node:assert/strict";
import { after, afterEach, before, it } from "node:test";
import { setupServer } from "msw/node";
import { createPaidFetch } from "./createPaidFetch.ts";
import { fakeReceiver, origin, price, storeChannel, storedBalance, testClient } from "./fakeReceiver.test-helper.ts";

const server = setupServer();
before(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => server.resetHandlers());
after(() => server.close());

it("is a fetch that pays on 402 with the client and the options it was made with", async () => {
  const { client } = await testClient();
  const channel = await storeChannel(client);
  const receiver = fakeReceiver();
  receiver.addChannel(channel);
  server.use(receiver.handler);
  const paidFetch: typeof fetch = createPaidFetch(client, { retryCount: 0 });
  const response = await paidFetch(`${origin}/articles/1`, { method: "POST", body: "question" });
  assert.equal(response.status, 200);
  assert.equal(receiver.paid()[0]?.body, "question");
  assert.equal(await storedBalance(client, channel), price);
});
