import { Arg, Authorized, ID, Resolver, Root, Subscription } from 'type-graphql';
import { keyOf } from '../../shared/graphql/global-id';
import { Permission } from '../../shared/permissions/permissions';
import type { DataContext } from '../data.context';
import { watchImport, watchImports } from './import-watch';
import { WorkspaceImport } from './workspace-import.entity';

interface SubscribeData {
  args: { id?: string };
  context: DataContext;
}

/**
 * Live imports over graphql-ws (src/graphql/subscriptions). The permission is checked when the subscription
 * starts and again for every event, against the socket's session as it is then.
 */
@Resolver()
export class ImportSubscriptionResolver {
  @Authorized(Permission.ImportsRead)
  @Subscription(() => WorkspaceImport, {
    nullable: true,
    description:
      'One import as it changes: its current state first, then each change (progress a few times a second ' +
      'at most), ending after its final state (SUCCEEDED, FAILED or EXPIRED; a PREVIEWED import goes on ' +
      'until it is applied or expires). One null, then the end, when there is ' +
      'no such import. Over WebSocket only (graphql-transport-ws on /graphql).',
    subscribe: ({ args, context }: SubscribeData) =>
      watchImport(context.services.importFeed, keyOf('Import', args.id ?? '')),
  })
  importUpdated(
    @Root() imp: WorkspaceImport | null,
    @Arg('id', () => ID, { description: 'The id an import mutation returned.' }) _id: string,
  ): WorkspaceImport | null {
    return imp;
  }

  @Authorized(Permission.ImportsRead)
  @Subscription(() => WorkspaceImport, {
    description:
      'Every import you may read (as `imports` lists them) each time it changes; first the current state of ' +
      'the unfinished ones. Never ends by itself. Over WebSocket only (graphql-transport-ws on /graphql).',
    subscribe: ({ context }: SubscribeData) => watchImports(context.services.importFeed),
  })
  importsUpdated(@Root() imp: WorkspaceImport): WorkspaceImport {
    return imp;
  }
}
