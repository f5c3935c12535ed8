/** The pod × pod reachability table and its renderings (table, json, csv, html, markdown). */
import type { Endpoint, PortProto } from './model.ts';
import { parseProtocol } from './model.ts';
import type { NetpolEvaluator } from './evaluate.ts';

/**
 * The reachability of every ordered pair, compactly: `cells[(from * pods.length + to) * ports.length + port]`
 * is 1 when allowed. `matrixObject` gives the documented JSON shape
 * `{ ports, matrix: { "<ns>/<pod>": { "<ns>/<pod>": { "80/TCP": true } } } }`.
 */
export interface ReachabilityMatrix {
  /** `80/TCP` */
  ports: string[];
  /** `<ns>/<pod>`, row and column order. */
  pods: string[];
  cells: Uint8Array;
}

export type MatrixObject = { ports: string[]; matrix: Record<string, Record<string, Record<string, boolean>>> };

export const MATRIX_FORMATS = ['table', 'json', 'csv', 'html', 'markdown'] as const;
export type MatrixFormat = (typeof MATRIX_FORMATS)[number];

export function portKey(p: PortProto): string {
  return `${p.port}/${p.protocol}`;
}

/** `80/TCP`, `53/udp`, `8080` (TCP); undefined when invalid. */
export function parsePortProto(text: string): PortProto | undefined {
  const m = /^(\d{1,5})(?:\/([A-Za-z]+))?$/.exec(text.trim());
  if (m === null) return undefined;
  const port = Number(m[1]);
  const protocol = m[2] === undefined ? 'TCP' : parseProtocol(m[2].toUpperCase());
  if (protocol === undefined || port < 1 || port > 65535) return undefined;
  return { port, protocol };
}

/**
 * Every ordered pair of `endpoints` (pods by default), including a pod to itself: per port, one
 * verdict row per pod and direction, then egress(from → to) AND ingress(to ← from).
 */
export function computeMatrix(evaluator: NetpolEvaluator, ports: readonly PortProto[], endpoints: readonly Endpoint[] = evaluator.model.pods): ReachabilityMatrix {
  const n = endpoints.length;
  const np = ports.length;
  const cells = new Uint8Array(n * n * np);
  for (let pi = 0; pi < np; pi++) {
    const port = ports[pi]!;
    const ingress = endpoints.map((e) => evaluator.row('ingress', e, port));
    for (let a = 0; a < n; a++) {
      const from = endpoints[a]!;
      const egress = evaluator.row('egress', from, port);
      const base = a * n;
      for (let b = 0; b < n; b++) {
        if (egress[endpoints[b]!.index] === 1 && ingress[b]![from.index] === 1) cells[(base + b) * np + pi] = 1;
      }
    }
  }
  return { ports: ports.map(portKey), pods: endpoints.map((e) => e.key), cells };
}

export function matrixCell(m: ReachabilityMatrix, from: number, to: number, port: number): boolean {
  return m.cells[(from * m.pods.length + to) * m.ports.length + port] === 1;
}

export function matrixObject(m: ReachabilityMatrix): MatrixObject {
  const matrix: MatrixObject['matrix'] = {};
  m.pods.forEach((from, a) => {
    const row: Record<string, Record<string, boolean>> = {};
    m.pods.forEach((to, b) => {
      const cell: Record<string, boolean> = {};
      m.ports.forEach((p, i) => (cell[p] = matrixCell(m, a, b, i)));
      row[to] = cell;
    });
    matrix[from] = row;
  });
  return { ports: m.ports, matrix };
}

/** The JSON text of `matrixObject(m)`, written row by row (a 2,000-pod matrix would be millions of objects). */
function renderJson(m: ReachabilityMatrix): string {
  const q = (s: string): string => JSON.stringify(s);
  const portKeys = m.ports.map(q);
  const parts: string[] = [`{\n  "ports": ${JSON.stringify(m.ports)},\n  "matrix": {`];
  m.pods.forEach((from, a) => {
    const cols = m.pods.map((to, b) => `${q(to)}: {${portKeys.map((k, i) => `${k}: ${matrixCell(m, a, b, i)}`).join(', ')}}`);
    parts.push(`${a === 0 ? '' : ','}\n    ${q(from)}: {${cols.join(', ')}}`);
  });
  parts.push('\n  }\n}\n');
  return parts.join('');
}

export function renderMatrix(m: ReachabilityMatrix, format: MatrixFormat): string {
  switch (format) {
    case 'json':
      return renderJson(m);
    case 'csv':
      return renderCsv(m);
    case 'html':
      return renderHtml(m);
    case 'markdown':
      return renderMarkdown(m);
    case 'table':
      return renderTable(m);
  }
}

/** A cell as one short string: `Y`/`all` every port allowed, `.` none, else the allowed ports. */
function cellText(m: ReachabilityMatrix, a: number, b: number): string {
  const allowed = m.ports.filter((_, i) => matrixCell(m, a, b, i));
  if (allowed.length === m.ports.length) return m.ports.length === 1 ? 'Y' : 'all';
  if (allowed.length === 0) return '.';
  return allowed.join(' ');
}

function renderTable(m: ReachabilityMatrix): string {
  const rows = m.pods;
  const cols = m.pods;
  const header = ['from \\ to', ...cols];
  const body = rows.map((r, a) => [r, ...cols.map((_, b) => cellText(m, a, b))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const legend = m.ports.length === 1 ? `port ${m.ports[0]}: Y allowed, . denied` : `ports ${m.ports.join(', ')}: "all" every port allowed, "." none, else the allowed ports`;
  return `${[line(header), ...body.map(line)].join('\n')}\n\n${legend}\n`;
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One line per (from, to) pair, one column per port. */
function renderCsv(m: ReachabilityMatrix): string {
  const lines = [['from', 'to', ...m.ports].map(csvField).join(',')];
  m.pods.forEach((from, a) => {
    m.pods.forEach((to, b) => lines.push([from, to, ...m.ports.map((_, i) => String(matrixCell(m, a, b, i)))].map(csvField).join(',')));
  });
  return `${lines.join('\n')}\n`;
}

function renderMarkdown(m: ReachabilityMatrix): string {
  const rows = m.pods;
  const cols = m.pods;
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const out = [`Reachability for ${m.ports.join(', ')} (rows: from, columns: to)`, '', `| from \\ to | ${cols.map(esc).join(' | ')} |`, `|---|${cols.map(() => '---').join('|')}|`];
  rows.forEach((r, a) => out.push(`| ${esc(r)} | ${cols.map((_, b) => esc(cellText(m, a, b))).join(' | ')} |`));
  return `${out.join('\n')}\n`;
}

function renderHtml(m: ReachabilityMatrix): string {
  const rows = m.pods;
  const cols = m.pods;
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const cell = (a: number, b: number): string => {
    const n = m.ports.filter((_, i) => matrixCell(m, a, b, i)).length;
    const cls = n === m.ports.length ? 'allow' : n === 0 ? 'deny' : 'some';
    const title = m.ports.map((p, i) => `${p}: ${matrixCell(m, a, b, i) ? 'allowed' : 'denied'}`).join(', ');
    return `<td class="${cls}" title="${esc(title)}">${esc(cellText(m, a, b))}</td>`;
  };
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>bosun netpol matrix</title>
<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;font-size:12px}.allow{background:#cfc}.deny{background:#fcc}.some{background:#ffc}</style>
</head><body>
<h1>Reachability: ${esc(m.ports.join(', '))}</h1>
<table><thead><tr><th>from \\ to</th>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead>
<tbody>
${rows.map((r, a) => `<tr><th>${esc(r)}</th>${cols.map((_, b) => cell(a, b)).join('')}</tr>`).join('\n')}
</tbody></table>
</body></html>
`;
}
