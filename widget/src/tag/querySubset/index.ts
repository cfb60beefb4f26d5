// The script tag's TanStack Query: the part of `@tanstack/react-query` the widget uses, with the same behaviour,
// about a sixth of its size in the tag. vite.config.ts aliases the package to this file in the tag's build only: the
// React package (`@micro-raiden/widget`) keeps the real TanStack Query, which a React app shares with its own queries.
// widget/README.md ("The tag's wagmi and TanStack Query") says what is left out.
export { QueryClient } from "./QueryClient.ts";
export { QueryClientProvider, useQueryClient } from "./QueryClientProvider.tsx";
export { useIsMutating } from "./useIsMutating.ts";
export { type MutateOptions, type UseMutationOptions, type UseMutationResult, useMutation } from "./useMutation.ts";
export { type UseQueryOptions, type UseQueryResult, useQuery } from "./useQuery.ts";
