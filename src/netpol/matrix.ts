/** The pod × pod reachability table and its renderings (table, json, csv, html, markdown). */
import type { Endpoint, PortProto } from './model.ts';
import { parseProtocol } from './model.ts';
import type { NetpolEvaluator } from './evaluate.ts';

export interface ReachabilityMatrix {
  /** `80/TCP` */
  ports: string[];
  /** `<fromNs>/<fromPod>` → `<toNs>/<toPod>` → port → allowed. */
  matrix: Record<string, Record<string, Record<string, boolean>>>;
}

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

/** Every ordered pair of `endpoints` (pods by default), including a pod to itself. */
export function computeMatrix(evaluator: NetpolEvaluator, ports: readonly PortProto[], endpoints: readonly Endpoint[] = evaluator.model.pods): ReachabilityMatrix {
  const keys = ports.map(portKey);
  const matrix: ReachabilityMatrix['matrix'] = {};
  for (const from of endpoints) {
    const row: Record<string, Record<string, boolean>> = {};
    for (const to of endpoints) {
      const cell: Record<string, boolean> = {};
      for (let i = 0; i < ports.length; i++) cell[keys[i]!] = evaluator.connectionAllowed(from, to, ports[i]!);
      row[to.key] = cell;
    }
    matrix[from.key] = row;
  }
  return { ports: keys, matrix };
}

export function renderMatrix(m: ReachabilityMatrix, format: MatrixFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify({ ports: m.ports, matrix: m.matrix }, null, 2)}\n`;
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

/** A cell as one short string: `✓` all ports allowed, `✗` none, else the allowed ports. */
function cellText(m: ReachabilityMatrix, cell: Record<string, boolean>): string {
  const allowed = m.ports.filter((p) => cell[p] === true);
  if (allowed.length === m.ports.length) return m.ports.length === 1 ? 'Y' : 'all';
  if (allowed.length === 0) return '.';
  return allowed.join(' ');
}

function renderTable(m: ReachabilityMatrix): string {
  const rows = Object.keys(m.matrix);
  const cols = rows.length === 0 ? [] : Object.keys(m.matrix[rows[0]!]!);
  const header = ['from \\ to', ...cols];
  const body = rows.map((r) => [r, ...cols.map((c) => cellText(m, m.matrix[r]![c]!))]);
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
  for (const [from, row] of Object.entries(m.matrix)) {
    for (const [to, cell] of Object.entries(row)) lines.push([from, to, ...m.ports.map((p) => String(cell[p] === true))].map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function renderMarkdown(m: ReachabilityMatrix): string {
  const rows = Object.keys(m.matrix);
  const cols = rows.length === 0 ? [] : Object.keys(m.matrix[rows[0]!]!);
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const out = [`Reachability for ${m.ports.join(', ')} (rows: from, columns: to)`, '', `| from \\ to | ${cols.map(esc).join(' | ')} |`, `|---|${cols.map(() => '---').join('|')}|`];
  for (const r of rows) out.push(`| ${esc(r)} | ${cols.map((c) => esc(cellText(m, m.matrix[r]![c]!))).join(' | ')} |`);
  return `${out.join('\n')}\n`;
}

function renderHtml(m: ReachabilityMatrix): string {
  const rows = Object.keys(m.matrix);
  const cols = rows.length === 0 ? [] : Object.keys(m.matrix[rows[0]!]!);
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const cell = (c: Record<string, boolean>): string => {
    const n = m.ports.filter((p) => c[p] === true).length;
    const cls = n === m.ports.length ? 'allow' : n === 0 ? 'deny' : 'some';
    const title = m.ports.map((p) => `${p}: ${c[p] === true ? 'allowed' : 'denied'}`).join(', ');
    return `<td class="${cls}" title="${esc(title)}">${esc(cellText(m, c))}</td>`;
  };
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>bosun netpol matrix</title>
<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;font-size:12px}.allow{background:#cfc}.deny{background:#fcc}.some{background:#ffc}</style>
</head><body>
<h1>Reachability: ${esc(m.ports.join(', '))}</h1>
<table><thead><tr><th>from \\ to</th>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead>
<tbody>
${rows.map((r) => `<tr><th>${esc(r)}</th>${cols.map((c) => cell(m.matrix[r]![c]!)).join('')}</tr>`).join('\n')}
</tbody></table>
</body></html>
`;
}
