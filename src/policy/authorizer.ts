/**
 * The `authorizer` variable of VAP expressions. Offline there is no API server to ask, so every
 * check is reported as not evaluable (an evaluation error, which then follows the policy's
 * failurePolicy) instead of answering "allowed" silently.
 */
type Obj = Record<string, unknown>;

const NOT_EVALUABLE = 'authorizer checks are not evaluable offline (no API server to ask)';

/** A value whose field accesses and calls all fail with a clear error. */
export function authorizerFor(_objects: readonly Obj[], _user: { username: string }): unknown {
  return new Proxy(
    {},
    {
      get(): never {
        throw new Error(NOT_EVALUABLE);
      },
      has(): never {
        throw new Error(NOT_EVALUABLE);
      },
    },
  );
}
