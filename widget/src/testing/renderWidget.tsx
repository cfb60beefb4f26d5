import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { MicroRaidenProvider, type MicroRaidenProviderProps } from "../provider/MicroRaidenProvider.tsx";
import { testChain } from "./testEnvironment.ts";
import { testConfirmations } from "./testReceiverSettings.ts";

/** Renders `ui` inside the widget's provider, configured for the test chain and the test receiver. */
export function renderWidget(ui: ReactNode, props: Partial<Omit<MicroRaidenProviderProps, "children">> = {}) {
  return render(
    <MicroRaidenProvider chains={[testChain()]} confirmations={testConfirmations} locale="en" {...props}>
      {ui}
    </MicroRaidenProvider>,
  );
}
