import path from 'node:path';
import ts from 'typescript';

const NODE_MODULES = path.resolve(__dirname, '..', '..', 'node_modules');

/**
 * The compiler options of a browser app built with a bundler (Vite's template, say): strict, DOM types, no
 * Node or jest globals. Packages resolve from the project's node_modules, wherever the files lie.
 */
export const CLIENT_COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  types: [],
  isolatedModules: true,
  verbatimModuleSyntax: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noFallthroughCasesInSwitch: true,
  noImplicitReturns: true,
  skipLibCheck: true,
  paths: { '*': [`${NODE_MODULES}/*`] },
};

/** Type-checks these files (and what they import); the diagnostics formatted for a person, or '' when none. */
export function typeCheck(files: string[], options: ts.CompilerOptions = CLIENT_COMPILER_OPTIONS): string {
  const program = ts.createProgram(files, options);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => path.dirname(files[0]),
    getNewLine: () => '\n',
  });
}
