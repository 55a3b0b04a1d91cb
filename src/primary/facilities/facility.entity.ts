import { randomUUID } from 'node:crypto';
import {
  Check,
  Entity,
  Index,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  type Rel,
  Unique,
} from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Organization } from '../organizations/organization.entity';
import { Node } from '../../shared/graphql/node';

/** A site of an organization. Its code is unique within the organization and stored upper-case. */
// simpleResolvers: plain fields are read by graphql's default resolver, without type-graphql's per-field
// wrapper (no field here has middleware or @Authorized); a nested page reads thousands of them.
@ObjectType('Facility', {
  implements: Node,
  simpleResolvers: true,
  description:
    'A site of an organization, such as a warehouse (primary database). Its postal code is the origin of facilityDeliveryOptions.',
})
@Entity({ tableName: 'facility' })
@Unique({ name: 'facility_organization_id_code_unique', properties: ['organization', 'code'] })
// Lists are per organization: each ordering's index leads with it, and so does the active filter's, in the
// default order. (organization_id, code, id) beside the unique (organization_id, code): a window query
// ordered by code then id reads it in order instead of sorting a whole organization's sites. The search is ILIKE '%term%' on code, name or city through
// pg_trgm (facility-filter.ts says when the planner takes these and when an organization's range).
@Index({ name: 'facility_organization_id_code_id_index', properties: ['organization', 'code', 'id'] })
@Index({ name: 'facility_organization_id_name_id_index', properties: ['organization', 'name', 'id'] })
@Index({
  name: 'facility_organization_id_created_at_id_index',
  properties: ['organization', 'createdAt', 'id'],
})
@Index({
  name: 'facility_organization_id_is_active_code_id_index',
  properties: ['organization', 'isActive', 'code', 'id'],
})
@Index({
  name: 'facility_code_trgm_index',
  expression:
    'create index "facility_code_trgm_index" on "core"."facility" using gin ("code" public.gin_trgm_ops)',
})
@Index({
  name: 'facility_name_trgm_index',
  expression:
    'create index "facility_name_trgm_index" on "core"."facility" using gin ("name" public.gin_trgm_ops)',
})
@Index({
  name: 'facility_city_trgm_index',
  expression:
    'create index "facility_city_trgm_index" on "core"."facility" using gin ("city" public.gin_trgm_ops)',
})
@Check({ name: 'facility_code_upper_check', expression: 'code = upper(code)' })
@Check({ name: 'facility_country_code_check', expression: "country_code ~ '^[A-Z]{2}$'" })
export class Facility {
  [OptionalProps]?:
    'addressLine2' | 'region' | 'postalCode' | 'isActive' | 'createdAt' | 'updatedAt' | 'version';

  @Field(() => ID, {
    description: "Globally unique and opaque (Node.id); every field taking this type's id accepts it.",
  })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  // Restrict, not cascade: deleting an organization must never silently take its facilities with it.
  // The unique (organization_id, code) index leads with organization_id, so it serves the loaders too.
  @ManyToOne({ entity: () => Organization, deleteRule: 'restrict' })
  organization!: Rel<Organization>;

  @Field({ description: 'Unique within the organization; letters, digits, - and _, stored upper-case.' })
  @Property({ type: 'text' })
  code!: string;

  @Field({ description: 'Display name, 1 to 200 characters.' })
  @Property({ type: 'text' })
  name!: string;

  @Field({ description: 'Street address, 1 to 200 characters.' })
  @Property({ type: 'text' })
  addressLine1!: string;

  @Field(() => String, { nullable: true, description: 'Suite, floor or building; null when there is none.' })
  @Property({ type: 'text', nullable: true })
  addressLine2: string | null = null;

  @Field({ description: 'City or town, 1 to 100 characters.' })
  @Property({ type: 'text' })
  city!: string;

  @Field(() => String, { nullable: true, description: 'State, province or county; null when not given.' })
  @Property({ type: 'text', nullable: true })
  region: string | null = null;

  @Field(() => String, {
    nullable: true,
    description:
      'Normalized for its country (e.g. 12345-6789); null only where the country does not require one.',
  })
  @Property({ type: 'text', nullable: true })
  postalCode: string | null = null;

  @Field({ description: 'ISO 3166-1 alpha-2, upper-case.' })
  @Property({ type: 'text' })
  countryCode!: string;

  @Field({ description: 'IANA time zone, e.g. America/Chicago.' })
  @Property({ type: 'text' })
  timezone!: string;

  @Field({ description: 'Whether the site is in use; an inactive facility is kept, not deleted.' })
  @Property({ type: 'boolean', default: true })
  isActive: boolean = true;

  @Field({ description: 'When the facility was created.' })
  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field({ description: 'When it last changed (each change also bumps version).' })
  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Field(() => Int, { description: 'Pass as expectedVersion when updating to refuse stale edits.' })
  @Property({ type: 'integer', version: true, default: 1 })
  version: number = 1;
}
