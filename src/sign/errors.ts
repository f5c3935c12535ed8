/**
 * Why a signature did not verify. `code` is machine-readable and stable: bosun's own codes
 * (BUNDLE_PARSE_ERROR, TRUSTED_ROOT_ERROR, SUBJECT_MISMATCH, POLICY_MISMATCH, KEY_DECRYPT_ERROR, …)
 * and the ones @sigstore/verify reports (TLOG_BODY_ERROR, CERTIFICATE_ERROR, TIMESTAMP_ERROR, …),
 * passed through unchanged.
 */
export class SignatureError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SignatureError';
    this.code = code;
  }
}
