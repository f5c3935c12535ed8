/** Kubernetes label selectors (metav1.LabelSelector and the plain map form Services use). */
import { asArray, asObject, asString, isObject } from './path.ts';

/**
 * True when `labels` match `selector`. `selector` is a LabelSelector (`matchLabels`,
 * `matchExpressions`) or, with `plainMap`, a Service-style `{key: value}` map.
 * An empty LabelSelector matches everything; a null/absent one matches nothing.
 */
export function matchesSelector(selector: unknown, labels: Record<string, string>, plainMap = false): boolean {
  if (!isObject(selector)) return false;
  if (plainMap) {
    const entries = Object.entries(selector);
    if (entries.length === 0) return false; // a Service with an empty selector selects nothing itself
    return entries.every(([k, v]) => labels[k] === String(v));
  }
  const matchLabels = asObject(selector['matchLabels']) ?? {};
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== String(v)) return false;
  for (const expr of asArray(selector['matchExpressions'])) {
    const e = asObject(expr);
    if (e === undefined) return false;
    const key = asString(e['key']) ?? '';
    const values = asArray(e['values']).map(String);
    const has = Object.hasOwn(labels, key);
    switch (e['operator']) {
      case 'In':
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false; // an invalid operator selects nothing (the API server would reject it)
    }
  }
  return true;
}

/** An empty LabelSelector (`{}`) selects every pod in the namespace. */
export function isEmptySelector(selector: unknown): boolean {
  if (!isObject(selector)) return false;
  const ml = asObject(selector['matchLabels']);
  const me = asArray(selector['matchExpressions']);
  return (ml === undefined || Object.keys(ml).length === 0) && me.length === 0;
}
