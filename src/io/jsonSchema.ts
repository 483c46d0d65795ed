/**
 * JSON files checked against the JSON Schemas shipped in configs/ — the schemas are the one
 * source of truth for what a config may hold (Ajv, draft 2020-12). Errors name the file, the
 * JSON path of the value and the rule it breaks, on one line.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { InputError } from '../errors.js';
import { packageFile } from './packageFiles.js';

const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true, verbose: true });
const compiled = new Map<string, ValidateFunction>();

function validatorFor(schemaPath: readonly string[]): ValidateFunction {
  const key = schemaPath.join('/');
  let validate = compiled.get(key);
  if (!validate) {
    const schema = JSON.parse(readFileSync(packageFile(...schemaPath), 'utf8')) as Record<string, unknown>;
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  return validate;
}

/** `/train/tasks/1` → `train.tasks[1]` (the root is `(root)`). */
export function jsonPathOf(instancePath: string): string {
  if (instancePath === '') return '(root)';
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc === '' ? part : `${acc}.${part}`), '');
}

function describe(e: ErrorObject): string {
  const at = jsonPathOf(e.instancePath);
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return `${at === '(root)' ? '' : `${at}: `}unknown key '${String(params['additionalProperty'])}' (rule additionalProperties)`;
  const got = `, got ${JSON.stringify(e.data)}`;
  if (e.keyword === 'enum') return `${at} must be one of ${(params['allowedValues'] as unknown[]).map((v) => String(v)).join('|')}${got} (rule enum)`;
  return `${at} ${e.message ?? 'is invalid'}${got} (rule ${e.keyword})`;
}

/**
 * Checks `value` (read from `file`) against the schema at `schemaPath` inside the package
 * (e.g. ['configs', 'config.schema.json']).
 * @throws InputError naming the file, the JSON path and the rule
 */
export function assertMatchesSchema(value: unknown, schemaPath: readonly string[], file: string): void {
  const validate = validatorFor(schemaPath);
  if (validate(value)) return;
  const first = validate.errors?.[0];
  throw new InputError(file, first ? describe(first) : 'does not match its schema');
}
