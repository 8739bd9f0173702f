// Kept in its own package so that openapi-typescript finds TypeScript 5 (its peer) beside it,
// while the project compiles with TypeScript 7.
import openapiTS, { astToString } from 'openapi-typescript';

/** The TypeScript declarations (paths, components, operations) for an OpenAPI 3 document. */
export async function openapiToTypeScript(spec) {
  const ast = await openapiTS(spec, { alphabetize: true });
  return astToString(ast);
}
