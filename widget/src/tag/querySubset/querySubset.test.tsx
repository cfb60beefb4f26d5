// The script tag's TanStack Query subset against TanStack Query itself, in real Chromium: every scenario runs on both
// and must come out the same, for what the widget relies on (shared fetches, structural sharing, invalidation after a
// mutation, pending and error states, retries, intervals, staleness, refetch when the page becomes visible).
import * as tanstack from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";
import * as subset from "./index.ts";
import { hashKey } from "./queryKeys.ts";

type Key = readonly unknown[];

/** What the scenarios use of a library, the subset's types being the contract the widget compiles against. */
type QueryLibrary = {
  /** A fresh client: its provider around `children`, and its `invalidateQueries`. */
  setup(): { wrap(children: ReactNode): ReactNode; invalidate(queryKey: Key): Promise<void> };
  useQuery<T>(
    options: subset.UseQueryOptions<T>,
  ): Pick<subset.UseQueryResult<T>, "data" | "error" | "isPending" | "refetch">;
  useMutation<T, V>(
    options: subset.UseMutationOptions<T, Error, V>,
  ): Pick<subset.UseMutationResult<T, Error, V>, "data" | "error" | "isPending" | "mutate">;
  useIsMutating(filters: { mutationKey: Key }): number;
};

const libraries: [string, QueryLibrary][] = [
  [
    "TanStack Query",
    {
      setup() {
        const client = new tanstack.QueryClient();
        return {
          wrap: (children) => <tanstack.QueryClientProvider client={client}>{children}</tanstack.QueryClientProvider>,
          invalidate: (queryKey) => client.invalidateQueries({ queryKey }),
        };
      },
      useQuery: (options) => tanstack.useQuery(options),
      useMutation: (options) => tanstack.useMutation(options),
      useIsMutating: (filters) => tanstack.useIsMutating(filters),
    },
  ],
  [
    "the script tag's subset",
    {
      setup() {
        const client = new subset.QueryClient();
        return {
          wrap: (children) => <subset.QueryClientProvider client={client}>{children}</subset.QueryClientProvider>,
          invalidate: (queryKey) => client.invalidateQueries({ queryKey }),
        };
      },
      useQuery: subset.useQuery,
      useMutation: subset.useMutation,
      useIsMutating: subset.useIsMutating,
    },
  ],
];

/** A promise and the function that settles it. */
function gate<T = void>() {
  let open!: (value: T) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A query's fields, read while rendering: TanStack draws again only for the fields a render read (its tracked
 * properties), as a component reads them.
 */
const read = <T,>({
  data,
  error,
  isPending,
  refetch,
}: ReturnType<QueryLibrary["useQuery"]> & { data: T | undefined }) => ({
  data,
  error,
  isPending,
  refetch,
});

describe.each(libraries)("%s", (_, library) => {
  it("fetches a key once for all its readers (whatever the order of its fields), and keeps the data's objects when a refetch reads the same", async () => {
    const client = library.setup();
    let calls = 0;
    const seen = new Set<unknown>();
    const queryFn = async () => {
      calls += 1;
      return { channel: { sender: "0xabc", deposit: "5" }, pages: [1, 2] };
    };
    const { result } = renderHook(
      () => {
        const readers = [
          library.useQuery({ queryKey: ["channel", { chain: 1, sender: "0xabc" }], queryFn }),
          library.useQuery({ queryKey: ["channel", { sender: "0xabc", chain: 1 }], queryFn }),
        ];
        for (const { data } of readers) if (data) seen.add(data);
        return readers.map(({ data }) => data?.channel.deposit);
      },
      { wrapper: ({ children }) => client.wrap(children) },
    );
    await waitFor(() => expect(result.current).toEqual(["5", "5"]));
    expect(calls).toBe(1);
    await act(() => client.invalidate(["channel"]));
    expect(calls).toBe(2);
    expect(seen.size).toBe(1);
  });

  it("keeps a mutation pending until its onSettled invalidation has the new data, counted by useIsMutating meanwhile", async () => {
    const client = library.setup();
    const server = { balance: 10 };
    const step = gate();
    const shown: string[] = [];
    const { result } = renderHook(
      () => {
        const balance = library.useQuery({ queryKey: ["balance"], queryFn: async () => server.balance });
        const deposit = library.useMutation({
          mutationKey: ["channel", "open"],
          mutationFn: async (amount: number) => {
            await step.promise;
            server.balance += amount;
            return server.balance;
          },
          onSettled: () => client.invalidate(["balance"]),
        });
        const running = library.useIsMutating({ mutationKey: ["channel"] });
        const text = `${deposit.isPending} ${running} ${balance.data}`;
        if (shown.at(-1) !== text) shown.push(text);
        return { text, deposit: deposit.mutate };
      },
      { wrapper: ({ children }) => client.wrap(children) },
    );
    await waitFor(() => expect(result.current.text).toBe("false 0 10"));
    act(() => result.current.deposit(5));
    await waitFor(() => expect(result.current.text).toBe("true 1 10"));
    step.open();
    await waitFor(() => expect(result.current.text).toBe("false 0 15"));
    // Never "done" with the old balance: the button comes back with the new one.
    expect(shown.slice(shown.indexOf("true 1 10"))).toEqual(["true 1 10", "false 0 15"]);
  });

  it("shows a mutation's error (one its function throws at once too), runs mutate's callbacks, and rejects nothing", async () => {
    const client = library.setup();
    const settled: string[] = [];
    const { result } = renderHook(
      () => {
        const { error, isPending, mutate } = library.useMutation({
          mutationFn: (_: number): Promise<number> => {
            throw new Error("Connect your wallet first.");
          },
          onSettled: (_data, error) => void settled.push(`options: ${error?.message}`),
        });
        return { error, isPending, mutate };
      },
      { wrapper: ({ children }) => client.wrap(children) },
    );
    act(() => result.current.mutate(1, { onError: (error) => void settled.push(`mutate: ${error.message}`) }));
    await waitFor(() => expect(result.current.error?.message).toBe("Connect your wallet first."));
    expect(result.current.isPending).toBe(false);
    expect(settled).toEqual(["options: Connect your wallet first.", "mutate: Connect your wallet first."]);
  });

  it("retries a failing query (three times by default, as many as `retry` says) before it shows the error, and is pending again while fetched anew", async () => {
    const client = library.setup();
    const calls = { default: 0, once: 0 };
    let healed: Promise<string> | undefined;
    const token = (id: "default" | "once") => async () => {
      calls[id] += 1;
      if (healed) return healed;
      throw new Error(`unreachable ${calls[id]}`);
    };
    const { result } = renderHook(
      () => ({
        default: read(library.useQuery({ queryKey: ["token", "default"], queryFn: token("default") })),
        once: read(library.useQuery({ queryKey: ["token", "once"], retry: 1, queryFn: token("once") })),
      }),
      { wrapper: ({ children }) => client.wrap(children) },
    );
    const shown = (query: { isPending: boolean; data?: string | undefined; error: Error | null }) =>
      query.isPending ? `pending ${query.error?.message ?? ""}` : (query.data ?? query.error?.message);
    await waitFor(() => expect(shown(result.current.once)).toBe("unreachable 2"));
    expect(shown(result.current.default)).toBe("pending ");
    await waitFor(() => expect(shown(result.current.default)).toBe("unreachable 4"), { timeout: 15_000 });
    const answer = gate<string>();
    healed = answer.promise;
    act(() => void result.current.once.refetch());
    await waitFor(() => expect(shown(result.current.once)).toBe("pending "));
    answer.open("DEMO");
    await waitFor(() => expect(shown(result.current.once)).toBe("DEMO"));
    expect(calls).toEqual({ default: 4, once: 3 });
  });

  it("calls the RPC no more for a failing fetch that an invalidation replaced, nor once its last reader is gone", async () => {
    const client = library.setup();
    const calls = { replaced: 0, left: 0 };
    let down = false;
    const channel = async () => {
      calls.replaced += 1;
      if (down) throw new Error("RPC down");
      return `deposit ${calls.replaced}`;
    };
    const { result } = renderHook(() => read(library.useQuery({ queryKey: ["replaced"], queryFn: channel })), {
      wrapper: ({ children }) => client.wrap(children),
    });
    await waitFor(() => expect(result.current.data).toBe("deposit 1"));
    // A poll fails and waits to retry; the RPC is back and a top-up's invalidation reads the channel anew.
    down = true;
    void result.current.refetch();
    await waitFor(() => expect(calls.replaced).toBe(2));
    down = false;
    await act(() => client.invalidate(["replaced"]));
    await waitFor(() => expect(result.current.data).toBe("deposit 3"));
    // Past the replaced fetch's first retry (one second after its failure).
    await pause(1500);
    expect(calls.replaced).toBe(3);

    const reader = renderHook(
      () =>
        library.useQuery({
          queryKey: ["left"],
          queryFn: async () => {
            calls.left += 1;
            throw new Error("RPC down");
          },
        }),
      { wrapper: ({ children }) => client.wrap(children) },
    );
    await waitFor(() => expect(calls.left).toBe(1));
    reader.unmount();
    // Past the second and third attempts (one, then two seconds after the first failure).
    await pause(3500);
    expect(calls.left).toBe(1);
  });

  it("refetches every refetchInterval until its function says false", async () => {
    const client = library.setup();
    let reads = 0;
    const { result } = renderHook(
      () =>
        library.useQuery({
          queryKey: ["receiver-channel"],
          queryFn: async () => {
            reads += 1;
            return reads >= 3 ? "open" : "pending";
          },
          refetchInterval: (query) => (query.state.data === "open" ? false : 50),
        }),
      { wrapper: ({ children }) => client.wrap(children) },
    );
    await waitFor(() => expect(result.current.data).toBe("open"));
    await pause(300);
    expect(reads).toBe(3);
  });

  it("polls refetchInterval after the last answer came back: a slow RPC is not asked again as soon as it answers", async () => {
    const client = library.setup();
    const interval = 100;
    const answerTime = 80;
    let calls = 0;
    renderHook(
      () =>
        library.useQuery({
          queryKey: ["slow-rpc"],
          queryFn: async () => {
            calls += 1;
            await pause(answerTime);
            return calls;
          },
          refetchInterval: interval,
        }),
      { wrapper: ({ children }) => client.wrap(children) },
    );
    const watched = 1500;
    await pause(watched);
    // A poll every interval + answerTime at most (fewer when the machine is busy); on a fixed clock it was every
    // interval: nearly twice the requests to a slow node.
    expect(calls).toBeLessThanOrEqual(Math.ceil(watched / (interval + answerTime)) + 1);
  });

  it("fetches a disabled query only when asked (refetch) or once enabled, and a new key starts without data", async () => {
    const client = library.setup();
    let calls = 0;
    const { result, rerender } = renderHook(
      ({ enabled, reader }: { enabled: boolean; reader: string }) =>
        read(
          library.useQuery({
            queryKey: ["balance", reader],
            enabled,
            queryFn: async () => {
              calls += 1;
              return `${reader}: ${calls}`;
            },
          }),
        ),
      { wrapper: ({ children }) => client.wrap(children), initialProps: { enabled: false, reader: "a" } },
    );
    await pause(100);
    expect(calls).toBe(0);
    await act(() => result.current.refetch());
    await waitFor(() => expect(result.current.data).toBe("a: 1"));
    rerender({ enabled: false, reader: "b" });
    expect(result.current.isPending).toBe(true);
    expect(result.current.data).toBeUndefined();
    rerender({ enabled: true, reader: "b" });
    await waitFor(() => expect(result.current.data).toBe("b: 2"));
  });

  it("fetches again for a reader mounting later unless the data is fresh (staleTime), and for one mounting after an invalidation", async () => {
    const client = library.setup();
    const calls = { stale: 0, fresh: 0 };
    const readers = () =>
      renderHook(
        () =>
          (["stale", "fresh"] as const).map(
            (kind) =>
              library.useQuery({
                queryKey: [kind],
                staleTime: kind === "fresh" ? Number.POSITIVE_INFINITY : 0,
                queryFn: async () => {
                  calls[kind] += 1;
                  return `${kind} ${calls[kind]}`;
                },
              }).data,
          ),
        { wrapper: ({ children }) => client.wrap(children) },
      );
    const first = readers();
    await waitFor(() => expect(first.result.current).toEqual(["stale 1", "fresh 1"]));
    await pause(20);
    const second = readers();
    await waitFor(() => expect(first.result.current).toEqual(["stale 2", "fresh 1"]));
    expect(second.result.current).toEqual(["stale 2", "fresh 1"]);
    first.unmount();
    second.unmount();
    await act(() => client.invalidate(["fresh"]));
    expect(calls).toEqual({ stale: 2, fresh: 1 });
    const third = readers();
    await waitFor(() => expect(third.result.current[1]).toBe("fresh 2"));
  });

  it("drops what a fetch started before an invalidation reads: the data is the one read after", async () => {
    const client = library.setup();
    const answers = [gate<string>(), gate<string>(), gate<string>()];
    let calls = 0;
    const { result } = renderHook(
      () =>
        read(
          library.useQuery({
            queryKey: ["channel"],
            queryFn: () => {
              calls += 1;
              return (answers[calls - 1] ?? gate<string>()).promise;
            },
          }),
        ),
      { wrapper: ({ children }) => client.wrap(children) },
    );
    answers[0]?.open("deposit 10");
    await waitFor(() => expect(result.current.data).toBe("deposit 10"));
    // A poll reads the chain before a top-up lands, and answers after the invalidation that followed it.
    void result.current.refetch();
    const invalidated = client.invalidate(["channel"]);
    answers[2]?.open("deposit 20");
    await act(() => invalidated);
    answers[1]?.open("deposit 10");
    await pause(50);
    expect(result.current.data).toBe("deposit 20");
  });

  it("refetches the stale queries a component reads when the page becomes visible again", async () => {
    const client = library.setup();
    const calls = { stale: 0, fresh: 0 };
    const { result } = renderHook(
      () =>
        (["stale", "fresh"] as const).map(
          (kind) =>
            library.useQuery({
              queryKey: ["focus", kind],
              staleTime: kind === "fresh" ? Number.POSITIVE_INFINITY : 0,
              queryFn: async () => {
                calls[kind] += 1;
                return `${kind} ${calls[kind]}`;
              },
            }).data,
        ),
      { wrapper: ({ children }) => client.wrap(children) },
    );
    await waitFor(() => expect(result.current).toEqual(["stale 1", "fresh 1"]));
    act(() => void window.dispatchEvent(new Event("visibilitychange")));
    await waitFor(() => expect(result.current).toEqual(["stale 2", "fresh 1"]));
  });
});

describe("the script tag's subset", () => {
  it("hashes a key's bigints (wagmi's reads carry them), whatever the order of an object's fields", () => {
    expect(hashKey(["readContract", { args: [5n], chainId: 1 }])).toBe(
      hashKey(["readContract", { chainId: 1, args: [5n] }]),
    );
    expect(hashKey(["readContract", { args: [5n] }])).not.toBe(hashKey(["readContract", { args: [6n] }]));
  });
});
