/**
 * The most bytes one row of a selection can take in the JSON response, from the
 * schema alone: a number, date, enum, id or boolean about 64 bytes with its key, a
 * string 1 KiB (VARCHAR(255) of 4-byte characters), a TEXT column 64 KiB. With the
 * rows a root field can return (schema/row-bounds.ts) this bounds the response the
 * gateway builds before any SQL runs (JSON escapes aside).
 */
import {
  Kind,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

const VALUE_BYTES = 64;
const STRING_BYTES = 1_024;
/** A TEXT column holds up to 65 535 bytes. */
export const TEXT_BYTES = 65_535;
/** The fields read from TEXT columns. */
const TEXT_FIELDS = new Set(['Execution.errorMessage', 'Report.description']);

type Fragments = Record<string, FragmentDefinitionNode>;

/** The bytes of one value of `parent` with this selection; each fragment is measured once. */
export function rowBytes(
  schema: GraphQLSchema,
  parent: GraphQLCompositeType,
  set: SelectionSetNode,
  fragments: Fragments,
  measured = new Map<string, number>(),
): number {
  const within = (type: string | undefined, inner: SelectionSetNode) => {
    const named = type === undefined ? parent : schema.getType(type);
    return isCompositeType(named) ? rowBytes(schema, named, inner, fragments, measured) : 0;
  };
  let total = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      total += within(selection.typeCondition?.name.value, selection.selectionSet);
    } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const name = selection.name.value;
      const fragment = fragments[name];
      // A fragment cannot spread itself (validation): measuring it once is enough.
      if (!measured.has(name)) {
        measured.set(name, 0);
        measured.set(
          name,
          fragment ? within(fragment.typeCondition.name.value, fragment.selectionSet) : 0,
        );
      }
      total += measured.get(name)!;
    } else {
      const field =
        isObjectType(parent) || isInterfaceType(parent)
          ? parent.getFields()[selection.name.value]
          : undefined;
      const type = field && getNamedType(field.type);
      if (type && selection.selectionSet) {
        total += VALUE_BYTES + within(type.name, selection.selectionSet);
      } else if (field && TEXT_FIELDS.has(`${parent.name}.${field.name}`)) {
        total += VALUE_BYTES + TEXT_BYTES;
      } else {
        total += type?.name === 'String' ? STRING_BYTES : VALUE_BYTES;
      }
    }
  }
  return total;
}
