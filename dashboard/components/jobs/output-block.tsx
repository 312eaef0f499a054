/** A command's output (or its live tail) in a scrollable monospace block. */
export function OutputBlock({
  text,
  empty,
  testId,
  live,
}: {
  text: string | null | undefined;
  empty: string;
  testId: string;
  live?: boolean;
}) {
  return (
    <pre
      data-testid={testId}
      tabIndex={0}
      aria-live={live ? "polite" : undefined}
      className="bg-muted max-h-[28rem] overflow-auto rounded-md p-3 font-mono text-xs whitespace-pre-wrap break-words"
    >
      {text ? text : <span className="text-muted-foreground">{empty}</span>}
    </pre>
  );
}
