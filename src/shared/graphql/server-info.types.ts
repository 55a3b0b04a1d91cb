import { Field, Float, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One database as the gateway sees it.' })
export class DatabaseInfo {
  @Field({ description: 'The database name on its server.' })
  name!: string;

  @Field({ description: 'The Postgres schema holding this domain.' })
  schema!: string;

  @Field({ description: 'PostgreSQL server version.' })
  serverVersion!: string;

  @Field(() => Float, { description: 'Round trip of this probe in milliseconds.' })
  latencyMs!: number;
}

@ObjectType({ description: 'The running gateway and the layout of its databases.' })
export class ServerInfo {
  @Field({ description: '"single" (one database, two schemas) or "split" (two databases).' })
  mode!: string;

  @Field({ description: "The gateway's release (its package.json version, such as 0.1.0)." })
  version!: string;
}
