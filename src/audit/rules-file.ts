/**
 * Reading Falco rules files: YAML where every scalar stays a string (items such as `true` or `2`
 * are text, as in Falco's loader), each document a sequence of mappings, null items skipped.
 * Every item keeps its position so load errors can name file, line and column.
 */
import jsyaml from 'js-yaml';
import { RulesError } from './rules-error.ts';

export interface RulesSource {
  /** Name used in messages (normally the path). */
  name: string;
  text: string;
}

export interface RulesItem {
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  value: Record<string, unknown>;
}

/** The items of a rules file, in order. */
export function readRulesItems(src: RulesSource): RulesItem[] {
  const positions: { line: number; column: number }[] = [];
  let depth = 0;
  let docs: unknown[];
  try {
    docs = jsyaml.loadAll(src.text, undefined, {
      schema: jsyaml.FAILSAFE_SCHEMA,
      filename: src.name,
      listener(event: string, state: { line: number; position: number; lineStart: number }) {
        if (event === 'open') {
          depth++;
          if (depth === 2) positions.push({ line: state.line + 1, column: state.position - state.lineStart + 1 });
        } else depth--;
      },
    } as jsyaml.LoadOptions);
  } catch (err) {
    if (err instanceof jsyaml.YAMLException) {
      const mark = err.mark as { line: number; column: number } | undefined;
      throw new RulesError(`${err.reason}`, { file: src.name, line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1 });
    }
    throw err;
  }
  const items: RulesItem[] = [];
  let p = 0;
  for (const doc of docs) {
    if (doc === null || doc === undefined) continue;
    if (!Array.isArray(doc)) throw new RulesError('Rules content is not yaml array of objects', { file: src.name, line: 1, column: 1 });
    for (const item of doc) {
      // An empty item (`-` alone) opens no node, so it has no recorded position.
      if (item === null || item === undefined) continue;
      const pos = positions[p++] ?? { line: 0, column: 0 };
      if (typeof item !== 'object' || Array.isArray(item)) throw new RulesError('Unexpected element type. Each element should be a yaml associative array.', { file: src.name, ...pos });
      items.push({ file: src.name, line: pos.line, column: pos.column, value: item as Record<string, unknown> });
    }
  }
  return items;
}
