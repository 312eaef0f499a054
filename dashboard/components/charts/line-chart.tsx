// A small SVG line chart for one metric over time. Rendered on the server: no chart library,
// no client JavaScript. Values outside [0, yMax] are clamped.

export interface Point {
  /** Milliseconds since the epoch. */
  t: number;
  v: number;
}

const WIDTH = 480;
const HEIGHT = 160;
const PAD = { top: 10, right: 12, bottom: 22, left: 52 };

function clockTime(millis: number): string {
  return new Date(millis).toISOString().slice(11, 16);
}

export function LineChart({
  title,
  points,
  from,
  to,
  yMax,
  format,
  color = "var(--chart-2)",
}: {
  title: string;
  points: Point[];
  from: number;
  to: number;
  /** Top of the y axis; defaults to the largest value (at least 1). */
  yMax?: number;
  format: (value: number) => string;
  color?: string;
}) {
  const top = yMax ?? Math.max(1, ...points.map((p) => p.v)) * 1.1;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const span = Math.max(1, to - from);
  const x = (t: number) => PAD.left + ((Math.min(Math.max(t, from), to) - from) / span) * plotW;
  const y = (v: number) => PAD.top + plotH - (Math.min(Math.max(v, 0), top) / top) * plotH;
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const path = sorted.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(" ");
  const area =
    sorted.length > 1
      ? `${path} L${x(sorted[sorted.length - 1].t).toFixed(1)},${y(0)} L${x(sorted[0].t).toFixed(1)},${y(0)} Z`
      : "";
  const latest = sorted[sorted.length - 1];
  const peak = sorted.reduce((max, p) => Math.max(max, p.v), 0);
  const summary =
    sorted.length === 0
      ? `${title}: no samples in this period`
      : `${title}: latest ${format(latest.v)}, peak ${format(peak)}, ${sorted.length} samples`;

  return (
    <figure className="grid gap-2">
      <figcaption className="flex items-baseline justify-between gap-2 text-sm">
        <span className="font-medium">{title}</span>
        <span className="text-muted-foreground tabular-nums">{latest ? format(latest.v) : "no data"}</span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} className="h-auto w-full">
        {[0, 0.5, 1].map((fraction) => {
          const value = top * fraction;
          return (
            <g key={fraction}>
              <line
                x1={PAD.left}
                x2={WIDTH - PAD.right}
                y1={y(value)}
                y2={y(value)}
                className="stroke-border"
                strokeDasharray={fraction === 0 ? undefined : "3 3"}
              />
              <text x={PAD.left - 6} y={y(value) + 4} textAnchor="end" className="fill-muted-foreground text-[10px]">
                {format(value)}
              </text>
            </g>
          );
        })}
        <text x={PAD.left} y={HEIGHT - 6} className="fill-muted-foreground text-[10px]">
          {clockTime(from)} UTC
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end" className="fill-muted-foreground text-[10px]">
          {clockTime(to)} UTC
        </text>
        {area && <path d={area} fill={color} opacity={0.12} />}
        {sorted.length > 1 && <path d={path} fill="none" stroke={color} strokeWidth={2} strokeLinejoin="round" />}
        {latest && (
          <circle cx={x(latest.t)} cy={y(latest.v)} r={3} fill={color}>
            <title>{`${format(latest.v)} at ${clockTime(latest.t)} UTC`}</title>
          </circle>
        )}
      </svg>
    </figure>
  );
}
