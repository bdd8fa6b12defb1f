// A small hand-drawn SVG line chart: y axis with round ticks, x labels thinned to fit, a legend,
// and the same numbers as a table (always in the page for screen readers; shown on request).
// Colours and dashes are SVG attributes, not inline styles (the console's CSP allows none).
import { useEffect, useId, useRef, useState } from 'react';

export interface Series {
  key: string;
  label: string;
  color: string;
  /** stroke-dasharray: lines stay apart without colour too. */
  dash?: string;
  values: number[];
}

/** Drawn at the box's own width (so labels keep their size on a phone), this tall. */
const H = 240;
const PAD = { left: 44, right: 24, top: 12, bottom: 30 };

/** 1, 2 or 5 times a power of ten, at least `max` (and at least 1). */
function niceCeiling(max: number): number {
  if (max <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/** Whole-number ticks from 0 to the nice ceiling, at most five steps. */
function ticks(max: number): number[] {
  const top = niceCeiling(max);
  const step = Math.max(1, Math.ceil(top / 5));
  const out: number[] = [];
  for (let v = 0; v <= top; v += step) out.push(v);
  if (out.at(-1) !== top) out.push(top);
  return out;
}

export function LineChart({
  title,
  labels,
  longLabels,
  series,
  testId,
}: {
  title: string;
  /** Short x-axis labels, one per data point. */
  labels: string[];
  /** Full labels for the table (defaults to labels). */
  longLabels?: string[];
  series: Series[];
  testId?: string;
}) {
  const id = useId();
  const [showTable, setShowTable] = useState(false);
  const box = useRef<HTMLElement>(null);
  const [W, setW] = useState(640);
  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const watch = new ResizeObserver(([e]) => {
      if (e) setW(Math.max(280, Math.round(e.contentRect.width)));
    });
    watch.observe(el);
    return () => watch.disconnect();
  }, []);
  const n = labels.length;
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  const yTicks = ticks(max);
  const top = yTicks.at(-1) ?? 1;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const every = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(plotW / 70))));
  const totals = series.map((s) => s.values.reduce((a, b) => a + b, 0));
  const summary = series.map((s, i) => `${s.label}: ${totals[i]}`).join(', ');

  return (
    <figure className="chart" data-testid={testId} ref={box}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`}>
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>Totals: {summary}.</desc>
        {yTicks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="grid" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="tick">
              {t}
            </text>
          </g>
        ))}
        {labels.map((l, i) =>
          (n - 1 - i) % every === 0 ? (
            <text key={i} x={x(i)} y={H - PAD.bottom + 18} textAnchor="middle" className="tick">
              {l}
            </text>
          ) : null,
        )}
        <line x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={PAD.top + plotH} className="axis" />
        <line x1={PAD.left} x2={W - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} className="axis" />
        {series.map((s) => (
          <g key={s.key} data-series={s.key}>
            {n > 1 ? (
              <polyline
                points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}
                fill="none"
                stroke={s.color}
                strokeWidth={2}
                strokeDasharray={s.dash}
              />
            ) : null}
            {s.values.map((v, i) =>
              v > 0 ? <circle key={i} cx={x(i)} cy={y(v)} r={3} fill={s.color} /> : null,
            )}
          </g>
        ))}
      </svg>
      <figcaption>
        <ul className="legend" aria-label="Legend">
          {series.map((s, i) => (
            <li key={s.key}>
              <svg width="28" height="10" aria-hidden="true" focusable="false">
                <line
                  x1="1"
                  x2="27"
                  y1="5"
                  y2="5"
                  stroke={s.color}
                  strokeWidth={3}
                  strokeDasharray={s.dash}
                />
              </svg>
              {s.label} ({totals[i]})
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="link"
          aria-expanded={showTable}
          aria-controls={`${id}-table`}
          onClick={() => setShowTable(!showTable)}
        >
          {showTable ? 'Hide the numbers' : 'Show the numbers'}
        </button>
      </figcaption>
      {/* A table ignores a 1px width: the hidden one sits in a box that clips it. */}
      <div className={showTable ? undefined : 'visually-hidden'}>
        <table id={`${id}-table`} className="numbers">
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              {series.map((s) => (
                <th scope="col" key={s.key}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((l, i) => (
              <tr key={i}>
                <th scope="row">{longLabels?.[i] ?? l}</th>
                {series.map((s) => (
                  <td key={s.key}>{s.values[i] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              {series.map((s, i) => (
                <td key={s.key} data-testid={`total-${s.key}`}>
                  {totals[i]}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
    </figure>
  );
}
