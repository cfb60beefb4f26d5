import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { apiPaths, apiPrefix, channelPath, decodeErrorBody } from "@micro-raiden/web-client/protocol";
import { parseEther } from "viem";
import type { DashboardData } from "./dashboardData.ts";
import { dashboardActivityPath, dashboardPath } from "./dashboardData.ts";
import { articles, createTestReceiver, newAccount, type TestChannel } from "./testReceiver.test-helper.ts";

const api = (path: string) => `${apiPrefix}${path}`;
const [first, second] = articles;
const sumOf = (points: { amount: string }[]) => points.reduce((sum, point) => sum + BigInt(point.amount), 0n);

describe("REST API: the operator dashboard's data", () => {
  const t = createTestReceiver({ liquidBalance: parseEther("7") });
  const auth = { authorization: `Bearer ${t.operatorToken}` };
  const reader = newAccount();
  let a: TestChannel;
  let b: TestChannel;
  let c: TestChannel;

  /** Pays `path` on `channel`, the balance rising by `price`; the paid page must come back. */
  async function buy(channel: TestChannel, path: string, price: bigint) {
    const balance = (t.core.book.get(channel.sender.address, channel.openBlock)?.balance ?? 0n) + price;
    const response = await t.signAndPay(path, channel, balance);
    assert.equal(response.status, 200);
  }

  before(async () => {
    a = t.openChannel({ sender: reader, openBlock: 10n, deposit: parseEther("1") });
    b = t.openChannel({ sender: newAccount(), openBlock: 11n, deposit: parseEther("1") });
    c = t.openChannel({ sender: newAccount(), openBlock: 12n, deposit: parseEther("1") });
    for (let i = 0; i < 3; i++) await buy(a, "/articles/1?from=home", first.price);
    await buy(b, "/articles/2", second.price);
    await buy(c, "/articles/1", first.price);
    t.withdrawn(b, second.price, 30n); // b owes nothing now
    t.requestClose(c, 0n, 40n); // c's sender closes below the receiver's proof: challenge period running
  });

  async function dashboard(query = ""): Promise<DashboardData> {
    const response = await t.app.request(api(`${dashboardPath}${query}`), { headers: auth });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("cache-control"), "no-store");
    return (await response.json()) as DashboardData;
  }

  it("every operator endpoint refuses without the operator's token, or with a wrong one", async () => {
    const operatorRoutes: [string, string][] = [
      ["GET", dashboardPath],
      ["GET", `${dashboardPath}?days=1`],
      ["GET", dashboardActivityPath],
      ["GET", apiPaths.channels],
      ["GET", `${apiPaths.channels}/${reader.address}`],
      ["POST", apiPaths.withdraw],
      ["POST", apiPaths.closeAll],
    ];
    const attempts: Record<string, string>[] = [
      {},
      { authorization: "Bearer wrong" },
      { cookie: `token=${t.operatorToken}` },
    ];
    for (const headers of attempts) {
      for (const [method, path] of operatorRoutes) {
        const response = await t.app.request(api(path), { method, headers });
        assert.equal(response.status, 401, `${method} ${path}`);
        assert.equal(decodeErrorBody(await response.json()).error.code, "unauthorized");
      }
    }
    // Channel details stay public without what was paid on them.
    const detail = await t.app.request(api(channelPath({ sender: reader.address, openBlock: 10n })));
    assert.equal(((await detail.json()) as { balance?: string }).balance, undefined);
  });

  it("adds up what was earned per day and per resource (its path, query left out), largest first", async () => {
    const data = await dashboard();
    assert.equal(data.earnings.bucket, "day");
    assert.equal(data.earnings.series.length, 7);
    const total = 4n * first.price + second.price;
    assert.equal(data.earnings.total, total.toString());
    assert.equal(data.earnings.payments, 5);
    // Every payment just now: in the last day (or the one before, had midnight passed since), none earlier.
    assert.equal(sumOf(data.earnings.series.slice(-2)), total);
    assert.equal(sumOf(data.earnings.series), total);
    assert.deepEqual(data.earnings.top_resources, [
      { resource: "/articles/1", amount: (4n * first.price).toString(), payments: 4 },
      { resource: "/articles/2", amount: second.price.toString(), payments: 1 },
    ]);
  });

  it("charts by the hour over up to two days", async () => {
    const data = await dashboard("?days=1");
    assert.equal(data.earnings.bucket, "hour");
    assert.equal(data.earnings.series.length, 24);
    assert.equal(sumOf(data.earnings.series.slice(-2)), 4n * first.price + second.price);
  });

  it("shows channels by state, what is withdrawable now, the channels in their challenge period", async () => {
    const data = await dashboard();
    assert.deepEqual(data.channels.counts, { pending: 0, open: 2, closing: 1, settled: 0 });
    assert.deepEqual(
      data.channels.open.map((channel) => channel.open_block),
      ["10", "11"],
    );
    assert.deepEqual(
      data.channels.closing.map((channel) => [channel.sender, channel.balance]),
      [[c.sender.address, first.price.toString()]],
    );
    // a owes 3 articles; b withdrew all it owed; c is closing (settled at its proof, not withdrawn).
    assert.deepEqual(data.withdrawable, { amount: (3n * first.price).toString(), channels: 1 });
    assert.equal(data.liquid_balance, parseEther("7").toString());
    assert.equal(data.sponsored_opens, null);
    assert.deepEqual(data.token, { address: t.receiver.token.address, symbol: "base units", decimals: 0 });
  });

  it("refuses a malformed period with 400", async () => {
    for (const days of ["0", "367", "1.5", "-1", "abc", "07", ""]) {
      const response = await t.app.request(api(`${dashboardPath}?days=${days}`), { headers: auth });
      assert.equal(response.status, 400, days);
      assert.equal(decodeErrorBody(await response.json()).error.code, "malformed_body");
    }
  });
});
