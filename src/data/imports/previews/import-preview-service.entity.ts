import { Entity, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { WorkspaceImport } from '../workspace-import.entity';

/** A lane in the examples of a preview: null before for an added lane, null after for a removed one. */
export interface LaneExample {
  change: 'ADDED' | 'REMOVED' | 'CHANGED';
  originZip3: string;
  destinationZip3: string;
  before: number | null;
  after: number | null;
}

/**
 * What a preview would change in one carrier service's lanes, computed once when the preview is made,
 * and the service's lanes_version then: applyImport refuses (STALE) when another import has replaced
 * the service's lanes since. Kept with the import after its staged rows are gone (a few rows per import).
 */
@Entity({ tableName: 'import_preview_service' })
export class ImportPreviewService {
  @ManyToOne({ entity: () => WorkspaceImport, primary: true, deleteRule: 'cascade' })
  import!: Rel<WorkspaceImport>;

  @PrimaryKey({ type: 'uuid' })
  carrierServiceId!: string;

  @Property({ type: 'integer', default: 0 })
  lanesVersion: number = 0;

  @Property({ type: 'integer', default: 0 })
  lanesBefore: number = 0;

  @Property({ type: 'integer', default: 0 })
  lanesAfter: number = 0;

  @Property({ type: 'integer', default: 0 })
  lanesAdded: number = 0;

  @Property({ type: 'integer', default: 0 })
  lanesRemoved: number = 0;

  @Property({ type: 'integer', default: 0 })
  lanesChanged: number = 0;

  /** The first lanes of each kind of change (PREVIEW_EXAMPLES each), by origin then destination. */
  @Property({ type: 'jsonb', default: '[]' })
  examples: LaneExample[] = [];
}
