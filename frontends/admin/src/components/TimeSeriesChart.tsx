// A line chart over time drawn by uPlot (canvas, ~50 kB): sized to its container (no horizontal
// scroll on a phone), coloured from the theme's tokens and redrawn when the theme changes. For
// screen readers the canvas is hidden and the figure carries a title and a text summary (latest
// value, min and max of each line); the legend lists the lines with their colours.
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export type Points = ReadonlyArray<number | null>;
export interface ChartLine {
  label: string;
  values: Points;
}

/** Mid-tone colours readable on the light and the dark card background alike. */
export const LINE_COLOURS = ['#3b82f6', '#f59e0b', '#10b981', '#ef4444', '#a855f7', '#06b6d4', '#ec4899'];

const token = (name: string, fallback: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

/** The <html> class list (the dark theme is a class there), as state. */
function useThemeVersion() {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const observer = new MutationObserver(() => setVersion((v) => v + 1));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
    return () => observer.disconnect();
  }, []);
  return version;
}

function describe(lines: readonly ChartLine[], format: (n: number) => string) {
  return lines
    .map(({ label, values }) => {
      const known = values.filter((v): v is number => v !== null);
      if (known.length === 0) return `${label}: no data`;
      return `${label}: latest ${format(known.at(-1)!)}, min ${format(Math.min(...known))}, max ${format(Math.max(...known))}`;
    })
    .join('; ');
}

export function TimeSeriesChart({
  title,
  timestamps,
  lines,
  unit,
  format = (n) => n.toLocaleString(undefined, { maximumFractionDigits: 2 }),
  height = 180,
}: {
  title: string;
  timestamps: readonly number[];
  lines: readonly ChartLine[];
  unit: string;
  format?: (n: number) => string;
  height?: number;
}) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const themeVersion = useThemeVersion();
  const [width, setWidth] = useState(0);
  const hasData = lines.some((l) => l.values.some((v) => v !== null));
  const summary = useMemo(() => describe(lines, (n) => `${format(n)} ${unit}`), [lines, format, unit]);
  const labels = lines.map((l) => l.label).join('|');

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // (Re)create on width, theme or a different set of lines; new data alone only calls setData.
  useEffect(() => {
    const el = container.current;
    if (!el || width === 0 || !hasData) return;
    const axisColour = token('--muted-foreground', '#4a5a70');
    const gridColour = token('--border', '#d9e0ea');
    const axis = { stroke: axisColour, grid: { stroke: gridColour, width: 1 }, ticks: { stroke: gridColour, width: 1 }, font: '11px system-ui, sans-serif' };
    const options: uPlot.Options = {
      width,
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
      axes: [
        { ...axis, space: 90 }, // room for the two-line time labels (time, then the date where it changes)
        { ...axis, size: 52, values: (_u, ticks) => ticks.map((t) => format(t)) },
      ],
      series: [{}, ...lines.map((l, i) => ({ label: l.label, stroke: LINE_COLOURS[i % LINE_COLOURS.length], width: 2, spanGaps: false, points: { show: false } }))],
    };
    plot.current = new uPlot(options, [[...timestamps], ...lines.map((l) => [...l.values])] as uPlot.AlignedData, el);
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- data updates go through setData below
  }, [width, height, themeVersion, labels, hasData]);

  useEffect(() => {
    plot.current?.setData([[...timestamps], ...lines.map((l) => [...l.values])] as uPlot.AlignedData);
  }, [timestamps, lines]);

  const id = useMemo(() => `chart-${title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`, [title]);
  return (
    <figure className="flex min-w-0 flex-col gap-2" aria-labelledby={`${id}-title`} aria-describedby={`${id}-summary`}>
      <figcaption id={`${id}-title`} className="text-sm font-medium">
        {title} <span className="font-normal text-muted-foreground">({unit})</span>
      </figcaption>
      <div className="relative w-full min-w-0" style={{ minHeight: height }}>
        <div ref={container} className="w-full min-w-0 overflow-hidden" aria-hidden="true" data-chart={id} />
        {!hasData && (
          <div className="absolute inset-0 flex items-center justify-center rounded-md border border-dashed border-border text-sm text-muted-foreground">
            No data yet for this range
          </div>
        )}
      </div>
      <ul className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-muted-foreground" aria-hidden="true">
        {lines.map((l, i) => (
          <li key={l.label} className="flex items-center gap-1">
            <span className="inline-block h-0.5 w-3" style={{ background: LINE_COLOURS[i % LINE_COLOURS.length] }} />
            {l.label}
          </li>
        ))}
      </ul>
      <p id={`${id}-summary`} className="sr-only">
        {summary}
      </p>
    </figure>
  );
}
