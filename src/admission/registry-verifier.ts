/**
 * The webhook's production ImageVerifier: reads the image's signatures from its registry with
 * bosun's `verifyImage` (src/sign) and accepts when one verifies with a trusted key or identity.
 * Registry failures reject (the pipeline turns them into the configured onRegistryError answer).
 */
import type { RegistryOptions } from '../image/sources/registry.ts';
import { verifyImage } from '../sign/image.ts';
import type { TrustedSigner } from './config.ts';
import { RegistryUnavailableError, type ImageVerifier } from './signatures.ts';

export function registryVerifier(options: { trustedRoot?: string; registry?: RegistryOptions }): ImageVerifier {
  return {
    async verify(image: string, signers: readonly TrustedSigner[]) {
      const keys = signers.flatMap((s) => (s.key === undefined ? [] : [s.key]));
      const identities = signers.filter((s) => s.identity !== undefined && s.issuer !== undefined);
      const attempts = [{ keys }, ...identities.map((s) => ({ identity: s.identity!, issuer: s.issuer! }))].filter((p) => !('keys' in p) || p.keys.length > 0);
      let lastDetail = 'no signatures found';
      for (const p of attempts) {
        let result;
        try {
          result = await verifyImage(image, { ...p, ...(options.trustedRoot !== undefined && { trustedRoot: options.trustedRoot }) }, options.registry ?? {});
        } catch (err) {
          const code = (err as { code?: string }).code;
          if (code === 'E_IMAGE_NOT_FOUND') return { verified: false, detail: `image not found in its registry` };
          throw new RegistryUnavailableError((err as Error).message);
        }
        const ok = result.signatures.find((s) => s.verified && s.kind === 'signature');
        const attestations = result.signatures
          .filter((s) => s.verified && s.kind === 'attestation' && s.statement !== undefined)
          .map((s) => ({ predicateType: String(s.statement!['predicateType']), predicate: s.statement!['predicate'] }));
        if (ok !== undefined) return { verified: true, digest: result.digest, ...(result.mediaType !== undefined && { mediaType: result.mediaType }), ...(result.manifests !== undefined && { manifests: result.manifests }), detail: ok.detail, attestations };
        if (result.signatures.length > 0) lastDetail = result.signatures.map((s) => s.detail).join('; ');
      }
      return { verified: false, detail: lastDetail };
    },
  };
}
