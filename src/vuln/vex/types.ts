/** VEX statements from any format, reduced to what suppression needs. */

/** OpenVEX status names; CycloneDX analysis states are mapped onto them. */
export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';

export interface VexProduct {
  /** A purl (`pkg:npm/lodash@4.17.11`, `pkg:oci/app@sha256:…`), an image digest (`sha256:…`) or an image reference with a digest. */
  id: string;
  /** Packages inside the product (OpenVEX `subcomponents`); empty = the whole product. */
  subcomponents: string[];
}

export interface VexStatement {
  /** Vulnerability ID and its aliases as the document names them. */
  vulnerability: string[];
  products: VexProduct[];
  status: VexStatus;
  justification?: string;
  /** impact_statement / analysis detail / action_statement. */
  detail?: string;
  /** ISO time, for "the latest statement wins". */
  timestamp?: string;
  /** File the statement came from. */
  source: string;
  /** Position in its document (ties on timestamp: later wins). */
  order: number;
}
