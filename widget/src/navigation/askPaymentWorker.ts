import {
  encodeWorkerRequest,
  paymentWorkerProtocol,
  type WorkerAnswer,
  type WorkerRequest,
} from "../serviceWorker/workerMessages.ts";

/**
 * Sends `request` to a payment worker and waits for its answer (a MessageChannel reply). Undefined when it does not
 * answer within `timeoutMs` — a worker from a release before this protocol ignores what it does not know — or
 * answers with another protocol or not ok.
 */
export function askPaymentWorker(
  worker: ServiceWorker,
  request: WorkerRequest,
  timeoutMs = 2_000,
): Promise<WorkerAnswer | undefined> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => {
      channel.port1.close();
      resolve(undefined);
    }, timeoutMs);
    channel.port1.onmessage = (event: MessageEvent<unknown>) => {
      clearTimeout(timer);
      channel.port1.close();
      const answer = event.data;
      const ok =
        typeof answer === "object" &&
        answer !== null &&
        Reflect.get(answer, "protocol") === paymentWorkerProtocol &&
        Reflect.get(answer, "ok") === true;
      resolve(ok ? { protocol: paymentWorkerProtocol, ok: true } : undefined);
    };
    worker.postMessage(encodeWorkerRequest(request), [channel.port2]);
  });
}
