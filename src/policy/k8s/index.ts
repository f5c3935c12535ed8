/** The Kubernetes CEL libraries, registered on a cel-js Environment. */
import type { Environment } from '@marcbachmann/cel-js';
import { registerStrings } from './strings.ts';
import { registerComprehensions } from './comprehensions.ts';
import { registerLists } from './lists.ts';
import { registerSets } from './sets.ts';
import { registerNet } from './net.ts';
import { registerQuantity } from './quantity.ts';
import { registerSemver } from './semver.ts';
import { registerURL } from './url.ts';
import { registerRegex } from './regex.ts';
import { registerFormat } from './format.ts';
import { registerOptionalEquality } from './common.ts';
import { registerStringFormat } from './strformat.ts';
import { registerOptionals, registerOptionalLiterals } from './optionals.ts';
import { registerAuthorizer } from '../authorizer.ts';

export function registerKubernetesLibrary(env: Environment): void {
  registerStrings(env);
  registerComprehensions(env);
  registerLists(env);
  registerSets(env);
  registerNet(env);
  registerQuantity(env);
  registerSemver(env);
  registerURL(env);
  registerRegex(env);
  registerFormat(env);
  registerOptionalEquality(env);
  registerStringFormat(env);
  registerOptionals(env);
  registerOptionalLiterals(env);
  registerAuthorizer(env);
}
