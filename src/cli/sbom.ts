/**
 * `bosun sbom REF|DIR --format cyclonedx|spdx`: an image (any `bosun image scan` reference) or a
 * directory (lockfiles) as an SBOM. `bosun sbom scan FILE` (matching a stored SBOM against the
 * vulnerability store) belongs to the vulnerability command and is handed over unchanged.
 */
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../core/errors.ts';
import { scanFilesystem } from '../image/fs-scan.ts';
import { parsePlatform } from '../image/platform.ts';
import { scanImage } from '../image/scan.ts';
import { renderSbom, SBOM_FORMATS, type SbomFormat } from '../sbom/index.ts';
import { writeOutput } from './io.ts';
import { runSbom as runSbomScan } from './sbom-scan.ts';

const HELP = `Usage: bosun sbom REF|DIR [flags]
       bosun sbom scan FILE …      (vulnerabilities of a stored SBOM: bosun sbom scan --help)

Writes the inventory of an image (registry reference, oci-layout:DIR, oci-archive:FILE,
docker-archive:FILE, rootfs:DIR) or of a directory's lockfiles as an SBOM, with the image digest and OS as metadata
and dependency relationships where the sources record them.

Flags:
  -f, --format FORMAT    cyclonedx (CycloneDX 1.6 JSON, default) | spdx (SPDX 2.3 JSON)
  -o, --output FILE      write the SBOM to FILE
      --platform OS/ARCH[/VARIANT]
      --insecure         plain HTTP to the registry
`;

export async function runSbomCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'scan') return runSbomScan(argv);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      platform: { type: 'string' },
      insecure: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true || positionals.length === 0) {
    process.stdout.write(HELP);
    return positionals.length === 0 && values.help !== true ? EXIT.badInput : EXIT.passed;
  }
  if (positionals.length !== 1) throw new UsageError('sbom: give exactly one image reference or directory');
  const format = (values.format ?? 'cyclonedx') as SbomFormat;
  if (!(SBOM_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: unknown SBOM format "${values.format}" (one of ${SBOM_FORMATS.join(', ')})`);
  const target = positionals[0]!;
  const isDir = !/^[a-z-]+:/.test(target) && (await stat(target).then((s) => s.isDirectory(), () => false));
  const report = isDir
    ? await scanFilesystem(target, { scanners: [], config: false })
    : await scanImage(target, { scanners: [], config: false, layerCache: true, ...(values.platform !== undefined && { platform: parsePlatform(values.platform) }), ...(values.insecure === true && { insecure: true }) });
  await writeOutput(renderSbom(report, format), values.output);
  for (const e of report.errors) process.stderr.write(`bosun: ${e.message}\n`);
  return report.errors.length > 0 ? EXIT.badInput : EXIT.passed;
}
