/**
 * Bar charts drawn on the server as SVG: no script and no chart library in the browser, and nothing the strict
 * CSP would refuse (presentation attributes such as fill=, never style=). Each chart names itself with <title>
 * and <desc> (WCAG 1.1.1) and is followed by a table with the same figures, which is what screen readers and
 * keyboard users read; the bars carry the values as text too, so colour is never the only cue (WCAG 1.4.1).
 */
import Html from '@kitajs/html';

export interface Bar {
  label: string;
  /** under the bar, when the label is too long for it (the table keeps the full label) */
  shortLabel?: string;
  value: number;
  /** the value as shown (e.g. "57,1%"); default: the number */
  display?: string;
  /** link to the cases behind the bar (drill-down), in the table: an image holds no focusable element */
  href?: string | undefined;
  /** emphasised bars (e.g. overdue) are drawn in the warning colour */
  tone?: 'normal' | 'warning';
}

export interface BarChartProps {
  id: string;
  title: string;
  description: string;
  bars: Bar[];
  /** the scale's top; default the largest value */
  max?: number;
  /** header of the table's columns */
  labelHeader: string;
  valueHeader: string;
  /** more columns for the table only */
  extraHeaders?: string[];
  extraCells?: string[][];
}

// Bootstrap Italia primary and a dark orange: both over 3:1 against white (WCAG 1.4.11)
const FILL = { normal: '#0066cc', warning: '#a64d00' } as const;
const TEXT = '#1a1a1a';

/** Vertical bars with labels below and values on top. */
export function BarChart(p: BarChartProps): JSX.Element {
  const width = 720;
  const height = 260;
  const top = 24;
  const bottom = 44;
  const left = 8;
  const plotHeight = height - top - bottom;
  const n = Math.max(p.bars.length, 1);
  const slot = (width - left * 2) / n;
  const barWidth = Math.max(4, Math.min(60, slot * 0.7));
  const max = Math.max(p.max ?? 0, ...p.bars.map((b) => b.value), 1);
  const titleId = `${p.id}-title`;
  const descId = `${p.id}-desc`;
  const small = n > 14;
  return (
    <figure class="report-chart mb-4" aria-labelledby={`${p.id}-caption`}>
      <figcaption id={`${p.id}-caption`} class="h5" safe>
        {p.title}
      </figcaption>
      <div class="row g-4">
        <div class="col-lg-7">
          <svg
            xmlns="http://www.w3.org/2000/svg"
            viewBox={`0 0 ${width} ${height}`}
            width="100%"
            role="img"
            aria-labelledby={`${titleId} ${descId}`}
            class="report-svg"
          >
            <title id={titleId} safe>{p.title}</title>
            <desc id={descId} safe>{p.description}</desc>
            <line x1={String(left)} y1={String(top + plotHeight)} x2={String(width - left)} y2={String(top + plotHeight)} stroke="#5c6f82" stroke-width="1" />
            {p.bars.map((bar, i) => {
              const h = Math.round((bar.value / max) * plotHeight);
              const x = left + i * slot + (slot - barWidth) / 2;
              const y = top + plotHeight - h;
              const cx = x + barWidth / 2;
              return (
                <g>
                  <rect x={x.toFixed(1)} y={String(y)} width={barWidth.toFixed(1)} height={String(h)} fill={FILL[bar.tone ?? 'normal']} />
                  <text x={cx.toFixed(1)} y={String(y - 6)} text-anchor="middle" font-size={small ? '10' : '13'} fill={TEXT} safe>
                    {bar.display ?? String(bar.value)}
                  </text>
                  <text x={cx.toFixed(1)} y={String(top + plotHeight + 18)} text-anchor="middle" font-size={small ? '10' : '13'} fill={TEXT} safe>
                    {bar.shortLabel ?? bar.label}
                  </text>
                </g>
              );
            })}
          </svg>
        </div>
        <div class="col-lg-5">
          <div class="table-responsive">
            <table class="table table-sm">
              <caption class="visually-hidden" safe>{`${p.title}: dati del grafico`}</caption>
              <thead>
                <tr>
                  <th scope="col" safe>{p.labelHeader}</th>
                  <th scope="col" class="text-end" safe>{p.valueHeader}</th>
                  {(p.extraHeaders ?? []).map((h) => <th scope="col" class="text-end" safe>{h}</th>)}
                </tr>
              </thead>
              <tbody>
                {p.bars.map((bar, i) => (
                  <tr>
                    <th scope="row" class="fw-normal" safe>{bar.label}</th>
                    <td class="text-end">
                      {bar.href ? <a href={bar.href} safe>{bar.display ?? String(bar.value)}</a> : Html.escapeHtml(bar.display ?? String(bar.value))}
                    </td>
                    {(p.extraCells?.[i] ?? []).map((c) => <td class="text-end" safe>{c}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </figure>
  );
}
