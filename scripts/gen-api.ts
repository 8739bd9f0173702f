// `npm run gen:api`: regenerates web/src/api/openapi.json and schema.d.ts from the server's routes.
import { writeApiFiles } from './api-client.js';

const written = await writeApiFiles();
process.stdout.write(`wrote ${written.spec}\nwrote ${written.types}\n`);
