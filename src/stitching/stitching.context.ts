import type { DataContext } from '../data/data.context';
import type { PrimaryContext } from '../primary/primary.context';
import type { ImportRunner } from './imports/import-runner';

/** What a stitching resolver sees: both domains' slices, and the import runner that spans them. */
export type StitchingContext = PrimaryContext & DataContext & { services: { imports: ImportRunner } };
