// An audit entry's data: one line (compact JSON, truncated to fit) that opens into the
// formatted document. Native <details>, so it is keyboard and screen-reader operable as is.
export function JsonDetails({ value, label }: { value: unknown; label: string }) {
  const compact = JSON.stringify(value) ?? 'null';
  const empty = value === null || value === undefined || (typeof value === 'object' && Object.keys(value).length === 0);
  if (empty) return <span className="font-mono text-xs text-muted-foreground">—</span>;
  return (
    <details className="group min-w-0 max-w-full text-left">
      {/* The label is read before the preview (an aria-label would hide the visible text from its name). */}
      <summary className="cursor-pointer truncate font-mono text-xs text-muted-foreground marker:text-primary">
        <span className="sr-only">{label}: </span>
        {compact}
      </summary>
      <pre className="mt-2 max-h-80 overflow-auto rounded-md bg-muted p-3 font-mono text-xs whitespace-pre-wrap break-all text-foreground">{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}
