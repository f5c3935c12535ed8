/**
 * AdmissionReview decoding and response shaping (admission.k8s.io/v1, and v1beta1 answered in
 * the version it came in). Facts from k8s.io/api admission/v1 types.go and the apiserver's
 * webhook response validation: the response carries the same apiVersion/kind, `response.uid`
 * must equal `request.uid`, a validating webhook never returns a patch, and a denial's
 * `status.code` below 400 would be forced to 400.
 */
import { isObject } from '../manifests/path.ts';
import type { UserInfo } from '../policy/vap.ts';

export const REVIEW_VERSIONS = ['admission.k8s.io/v1', 'admission.k8s.io/v1beta1'] as const;
export type ReviewVersion = (typeof REVIEW_VERSIONS)[number];

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
const OPERATIONS: readonly string[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/** The fields of `request` the pipeline reads; everything else stays in `raw`. */
export interface AdmissionRequest {
  uid: string;
  kind: GroupVersionKind;
  resource: GroupVersionResource;
  subResource: string;
  name: string;
  namespace: string;
  operation: Operation;
  username: string;
  /** The requester as the apiserver authenticated them (ValidatingAdmissionPolicies read it as request.userInfo). */
  userInfo: UserInfo;
  object: Record<string, unknown> | undefined;
  oldObject: Record<string, unknown> | undefined;
  dryRun: boolean;
  raw: Record<string, unknown>;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: { code: number; message: string; reason?: string };
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
}

/** Why a body is not an AdmissionReview bosun can answer (HTTP 400). `code` is stable. */
export class ReviewDecodeError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ReviewDecodeError';
    this.code = code;
  }
}

export interface DecodedReview {
  apiVersion: ReviewVersion;
  request: AdmissionRequest;
}

/** Parses and checks a request body. Throws ReviewDecodeError for anything that cannot be answered with a uid. */
export function decodeReview(body: string): DecodedReview {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (err) {
    throw new ReviewDecodeError('E_REVIEW_JSON', `body is not JSON: ${(err as Error).message}`);
  }
  if (!isObject(data)) throw new ReviewDecodeError('E_REVIEW_SHAPE', 'body is not an AdmissionReview object');
  const apiVersion = data['apiVersion'];
  if (!REVIEW_VERSIONS.includes(apiVersion as ReviewVersion)) {
    throw new ReviewDecodeError('E_REVIEW_VERSION', `apiVersion must be admission.k8s.io/v1 or v1beta1, got ${JSON.stringify(apiVersion ?? null)}`);
  }
  if (data['kind'] !== 'AdmissionReview') throw new ReviewDecodeError('E_REVIEW_KIND', `kind must be AdmissionReview, got ${JSON.stringify(data['kind'] ?? null)}`);
  const req = data['request'];
  if (!isObject(req)) throw new ReviewDecodeError('E_REVIEW_EMPTY', 'received an empty admission request');
  const uid = req['uid'];
  if (typeof uid !== 'string' || uid === '') throw new ReviewDecodeError('E_REVIEW_UID', 'request.uid is missing');
  const operation = req['operation'];
  if (typeof operation !== 'string' || !OPERATIONS.includes(operation)) {
    throw new ReviewDecodeError('E_REVIEW_OPERATION', `request.operation must be CREATE, UPDATE, DELETE or CONNECT, got ${JSON.stringify(operation ?? null)}`);
  }
  const kind = gvk(req['kind']);
  if (kind === undefined) throw new ReviewDecodeError('E_REVIEW_SHAPE', 'request.kind is missing');
  const userInfo = isObject(req['userInfo']) ? req['userInfo'] : {};
  return {
    apiVersion: apiVersion as ReviewVersion,
    request: {
      uid,
      kind,
      resource: gvr(req['resource']),
      subResource: str(req['subResource']),
      name: str(req['name']),
      namespace: str(req['namespace']),
      operation: operation as Operation,
      username: str(userInfo['username']),
      userInfo: decodeUserInfo(userInfo),
      object: isObject(req['object']) ? req['object'] : undefined,
      oldObject: isObject(req['oldObject']) ? req['oldObject'] : undefined,
      dryRun: req['dryRun'] === true,
      raw: req,
    },
  };
}

/** authentication.k8s.io UserInfo; fields of the wrong type read as absent. */
function decodeUserInfo(u: Record<string, unknown>): UserInfo {
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  // fromEntries keeps a key named __proto__ as data, where assignment would set the prototype.
  const extra: Record<string, string[]> = isObject(u['extra']) ? Object.fromEntries(Object.entries(u['extra']).map(([k, v]) => [k, strings(v)])) : {};
  return { username: str(u['username']), uid: str(u['uid']), groups: strings(u['groups']), extra };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function gvk(v: unknown): GroupVersionKind | undefined {
  if (!isObject(v) || typeof v['kind'] !== 'string' || v['kind'] === '') return undefined;
  return { group: str(v['group']), version: str(v['version']), kind: v['kind'] };
}

function gvr(v: unknown): GroupVersionResource {
  if (!isObject(v)) return { group: '', version: '', resource: '' };
  return { group: str(v['group']), version: str(v['version']), resource: str(v['resource']) };
}

/** The response envelope in the version the request came in. */
export function encodeReview(apiVersion: ReviewVersion, response: AdmissionResponse): string {
  return JSON.stringify({ apiVersion, kind: 'AdmissionReview', response });
}

/** Warnings longer than this are cut (the apiserver truncates longer ones; kubectl prints each on a line). */
export const MAX_WARNING_CHARS = 120;

export function clipWarning(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= MAX_WARNING_CHARS ? oneLine : `${oneLine.slice(0, MAX_WARNING_CHARS - 1)}…`;
}
