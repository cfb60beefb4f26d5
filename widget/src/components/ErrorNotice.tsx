import type { ReactNode } from "react";
import { useWidgetContext } from "../provider/WidgetContext.ts";
import { describeError } from "./describeError.ts";

/**
 * An error in the panel: a plain sentence (announced), the details folded away, and a retry. `sentence` says what
 * failed when the caller knows better than the error's kind (a chain read, say).
 */
export function ErrorNotice({
  error,
  onRetry,
  sentence,
}: {
  error: unknown;
  onRetry?: (() => void) | undefined;
  sentence?: string | undefined;
}): ReactNode {
  const { messages } = useWidgetContext();
  const described = describeError(error, messages);
  const description = sentence && !described.rejected ? { ...described, sentence } : described;
  return (
    <div role="alert" className="mr-step">
      <p className={description.rejected ? undefined : "mr-error"}>{description.sentence}</p>
      {description.details.length > 0 && (
        <details>
          <summary>{messages.errorDetails}</summary>
          {description.details.map((line) => (
            <pre key={line}>{line}</pre>
          ))}
        </details>
      )}
      {onRetry && (
        <button type="button" className="mr-button mr-button-secondary" onClick={onRetry}>
          {messages.tryAgain}
        </button>
      )}
    </div>
  );
}
