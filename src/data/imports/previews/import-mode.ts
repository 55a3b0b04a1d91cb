import { registerEnumType } from 'type-graphql';

/** Whether a matrix upload replaces the matrix now, or is staged to show what it would change first. */
export enum ImportMode {
  APPLY = 'APPLY',
  PREVIEW = 'PREVIEW',
}
registerEnumType(ImportMode, {
  name: 'ImportMode',
  description: 'What an upload does once every row is valid: apply it at once, or stage it as a preview.',
  valuesConfig: {
    APPLY: { description: 'Apply the file in one transaction as soon as it is validated (the default).' },
    PREVIEW: {
      description:
        'Validate and stage the file, and report per carrier service the lanes it adds, removes and changes, ' +
        'without touching the matrix; applyImport applies exactly that file later.',
    },
  },
});
