/** CVSS v4.0 base scores (placeholder until the macrovector table lands). */
export function cvss4BaseScore(_vector: string): number | undefined {
  return undefined;
}
