/**
 * No `x!` where x's type already excludes null and undefined: such an assertion says nothing
 * and hides a real one when the type later changes. The same test as typescript-eslint's
 * no-unnecessary-type-assertion, with the TypeScript compiler the project builds with. The
 * assertions left are indexed reads that `noUncheckedIndexedAccess` asks about.
 */
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/oracle.js';

function nullable(type: ts.Type): boolean {
  if (type.isUnion()) return type.types.some(nullable);
  const loose = ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Void | ts.TypeFlags.TypeParameter;
  return (type.flags & loose) !== 0;
}

/** `file:line` of every non-null assertion on a non-nullable operand under `roots`. */
export function unnecessaryNonNullAssertions(roots: readonly string[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(REPO_ROOT, 'tsconfig.test.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (config === undefined) throw new Error('tsconfig.test.json: cannot read');
  const program = ts.createProgram(config.fileNames, config.options);
  const checker = program.getTypeChecker();
  const found: string[] = [];
  for (const sf of program.getSourceFiles()) {
    const rel = path.relative(REPO_ROOT, sf.fileName);
    if (sf.isDeclarationFile || !roots.some((r) => rel.startsWith(`${r}/`))) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isNonNullExpression(node)) {
        // `a[i]! += v` reads the element too; the write target keeps its assertion.
        const writeTarget = ts.isBinaryExpression(node.parent) && node.parent.left === node;
        if (!writeTarget && !nullable(checker.getTypeAtLocation(node.expression))) {
          found.push(`${rel}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText().slice(0, 60)}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

/** `file:line` of every `any` type annotation (explicit or in a generic argument) under `roots`. */
export function anyTypes(roots: readonly string[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(REPO_ROOT, 'tsconfig.test.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (config === undefined) throw new Error('tsconfig.test.json: cannot read');
  const found: string[] = [];
  for (const name of config.fileNames) {
    const rel = path.relative(REPO_ROOT, name);
    if (!roots.some((r) => rel.startsWith(`${r}/`))) continue;
    const sf = ts.createSourceFile(name, ts.sys.readFile(name) ?? '', ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.AnyKeyword) found.push(`${rel}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

describe('boundaries are typed', () => {
  it('no `any` type in src/, pipeline/ or bench/ (the word in prose does not count: this reads the syntax tree)', () => {
    expect(anyTypes(['src', 'pipeline', 'bench'])).toEqual([]);
  });
});

describe('non-null assertions', () => {
  it('none on an operand whose type already excludes null and undefined', () => {
    expect(unnecessaryNonNullAssertions(['src', 'pipeline', 'bench', 'test'])).toEqual([]);
  });
});
