/** Prints the bosun.yaml JSON Schema; committed as schema/bosun.schema.json (`npm run schema`). */
import { configJsonSchema } from '../src/config/schema.ts';

process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
