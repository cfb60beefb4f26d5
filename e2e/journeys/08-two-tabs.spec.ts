// Journey 8: two tabs reading paid articles at the same time: every article is charged exactly once.
import type { Page } from "@playwright/test";
import { expect, test } from "../harness/fixtures.ts";
import { magazinePrice } from "../harness/magazineRoutes.ts";
import { expectArticle, readFirstArticle } from "../harness/paywall.ts";
import { onlyChannel } from "../harness/receiverRecords.ts";

test("two tabs reading at once: every article charged exactly once, no prompt", async ({ newReader, world }) => {
  const reader = await newReader();
  const { page, context, wallet } = reader;
  const url = await readFirstArticle(page, world.receiverUrl);
  const prompts = wallet.promptCount();

  const second = await context.newPage();
  const read = async (tab: Page, ids: number[]) => {
    for (const id of ids) {
      await tab.goto(url(id));
      await expectArticle(tab, url(id), id);
    }
  };
  await Promise.all([read(page, [10, 11, 12]), read(second, [20, 21, 22])]);

  expect((await onlyChannel(reader.address)).balance, "seven articles, seven prices").toBe(7n * magazinePrice);
  expect(wallet.promptCount(), "no prompt in either tab").toBe(prompts);
});
