import { randomUUID } from 'node:crypto';
import { Check, Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Node } from '../../shared/graphql/node';

/**
 * A customer. `search` matches name or slug with ILIKE '%term%', served by the two trigram GIN indexes
 * below (pg_trgm, created by the migration). They are declared here, not only in the migration, because
 * migrations are diffed against the database: an index the entity does not know would be dropped by the
 * next generated migration.
 */
// simpleResolvers: plain fields are read by graphql's default resolver, without type-graphql's per-field
// wrapper (no field here has middleware or @Authorized); a nested page reads thousands of them.
@ObjectType('Organization', {
  implements: Node,
  simpleResolvers: true,
  description: 'A customer of the back office (primary database); its sites are facilities.',
})
@Entity({ tableName: 'organization' })
@Index({ name: 'organization_name_id_index', properties: ['name', 'id'] })
@Index({ name: 'organization_created_at_id_index', properties: ['createdAt', 'id'] })
@Index({
  name: 'organization_name_trgm_index',
  expression:
    'create index "organization_name_trgm_index" on "core"."organization" using gin ("name" public.gin_trgm_ops)',
})
@Index({
  name: 'organization_slug_trgm_index',
  expression:
    'create index "organization_slug_trgm_index" on "core"."organization" using gin ("slug" public.gin_trgm_ops)',
})
@Check({
  name: 'organization_slug_format_check',
  expression: "slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$' and length(slug) >= 2",
})
export class Organization {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'version';

  @Field(() => ID, {
    description: "Globally unique and opaque (Node.id); every field taking this type's id accepts it.",
  })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field({ description: '1 to 200 characters.' })
  @Property({ type: 'text' })
  name!: string;

  @Field({ description: 'Unique, URL-safe: lower-case letters, digits and inner hyphens, 2 to 63 long.' })
  @Unique({ name: 'organization_slug_unique' })
  @Property({ type: 'text' })
  slug!: string;

  @Field({ description: 'When the organization was created.' })
  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field({ description: 'When its name or slug last changed (each change also bumps version).' })
  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  /** Optimistic lock: every update checks and bumps it, so a concurrent write is refused, not lost. */
  @Field(() => Int, { description: 'Pass as expectedVersion when updating to refuse stale edits.' })
  @Property({ type: 'integer', version: true, default: 1 })
  version: number = 1;
}
