// Paid navigation, page side: the payment Service Worker's registration and the navigation that loads a paid page
// as a real document (through the worker, or the one-time ticket fallback). See the README, "Paid navigation".
export {
  type NavigatePaidParameters,
  type NavigatePaidReturnType,
  navigatePaid,
} from "./navigatePaid.ts";
export { type RegisterPaymentWorkerOptions, registerPaymentWorker } from "./registerPaymentWorker.ts";
export { revokePaymentWorker } from "./revokePaymentWorker.ts";
