import { isObjectType, type GraphQLSchema } from 'graphql';
import { NODE_TYPES, toGlobalId, type NodeType } from '../shared/graphql/global-id';

/**
 * Every Node type's `id` answers the global id of its row's uuid. Installed on the built schema as one
 * plain resolver per type, rather than a type-graphql field resolver per entity: a nested page reads
 * about a thousand ids, and this is the whole of the work for each.
 */
export function installNodeIds(schema: GraphQLSchema): GraphQLSchema {
  for (const name of NODE_TYPES) {
    const type = schema.getType(name);
    if (!isObjectType(type) || !type.getInterfaces().some((i) => i.name === 'Node')) {
      throw new Error(`${name} should be an object type implementing Node`);
    }
    const typeName: NodeType = name;
    type.getFields().id.resolve = (row: { id: string }) => toGlobalId(typeName, row.id);
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const isNode = type.getInterfaces().some((i) => i.name === 'Node');
    if (isNode && !(NODE_TYPES as readonly string[]).includes(type.name)) {
      throw new Error(`${type.name} implements Node but is not in NODE_TYPES`);
    }
  }
  return schema;
}
