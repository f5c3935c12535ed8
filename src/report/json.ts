/** The report as-is: the stable machine-readable contract (`schemaVersion`). */
import type { Report } from '../core/finding.ts';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Chunks of about this many characters are handed to the writer. */
const CHUNK_CHARS = 1 << 16;

/**
 * The bytes of `renderJson(report)`, produced in chunks: the top-level arrays (findings) are
 * serialised one element at a time, so a report with 100,000 findings never exists as one
 * string (the CLI's peak memory for `-f json` drops by the report's size several times over).
 */
export function* renderJsonChunks(report: Report): Generator<string, void, undefined> {
  const top = report as unknown as Record<string, unknown>;
  if (typeof top['toJSON'] === 'function') {
    yield renderJson(report);
    return;
  }
  // What JSON.stringify would print for each key (undefined: left out), arrays kept for streaming.
  const members: Array<{ key: string; text?: string; items?: readonly unknown[] }> = [];
  for (const key of Object.keys(top)) {
    const value = top[key];
    if (Array.isArray(value) && value.length > 0 && typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
      members.push({ key, items: value });
      continue;
    }
    const text = JSON.stringify(value, null, 2) as string | undefined;
    if (text !== undefined) members.push({ key, text: indent(text, '  ') });
  }
  if (members.length === 0) {
    yield '{}\n';
    return;
  }
  let out = '{\n';
  for (let m = 0; m < members.length; m++) {
    const member = members[m]!;
    out += `  ${JSON.stringify(member.key)}: `;
    if (member.items === undefined) out += member.text;
    else {
      out += '[\n';
      const items = member.items;
      for (let i = 0; i < items.length; i++) {
        out += `    ${indent((JSON.stringify(items[i], null, 2) as string | undefined) ?? 'null', '    ')}${i < items.length - 1 ? ',\n' : '\n'}`;
        if (out.length >= CHUNK_CHARS) {
          yield out;
          out = '';
        }
      }
      out += '  ]';
    }
    out += m < members.length - 1 ? ',\n' : '\n';
  }
  yield `${out}}\n`;
}

/** JSON.stringify output nested one level deeper: raw newlines only separate its lines (strings escape theirs). */
function indent(text: string, by: string): string {
  return text.includes('\n') ? text.replaceAll('\n', `\n${by}`) : text;
}
