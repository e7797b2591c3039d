import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';

const schema = JSON.parse(
  readFileSync(new URL('../../schema/health-response.schema.json', import.meta.url), 'utf8'),
);
const ajv = new Ajv({
  strict: true,
  strictRequired: false,
  allErrors: true,
  validateFormats: false,
});
const validate = ajv.compile(schema);

/** Throws with ajv's error list when `body` does not match the committed health+json schema. */
export function assertHealthBody(body: unknown): void {
  // Round-trip through JSON: what the schema constrains is what goes on the wire.
  const wire = JSON.parse(JSON.stringify(body));
  if (!validate(wire)) {
    throw new Error(`health body does not match schema: ${ajv.errorsText(validate.errors)}`);
  }
}
