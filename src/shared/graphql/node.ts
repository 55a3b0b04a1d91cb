import { Field, ID, InterfaceType } from 'type-graphql';

/**
 * Relay's Node: every entity has a globally unique, opaque id that `node(id:)` resolves. The id field of
 * each implementing type is resolved from the row's uuid by installNodeIds (src/graphql/node-ids.ts).
 */
@InterfaceType('Node', {
  description: 'An object with a globally unique id, that node(id:) and nodes(ids:) find again.',
})
export abstract class Node {
  @Field(() => ID, { description: 'Globally unique and opaque; stable for the life of the object.' })
  id!: string;
}
