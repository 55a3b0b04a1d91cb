import { Field, InputType } from 'type-graphql';
import { BadUserInputError } from '../../platform/errors/errors';

/** A half-open span of time, [from, to): `from` itself included, `to` itself not. */
@InputType({
  description:
    'A span of time, half-open: from (included) up to to (excluded), so consecutive spans never share a ' +
    'moment. Either end may be left out for an open end.',
})
export class DateTimeRange {
  @Field(() => Date, { nullable: true, description: 'The earliest instant included; open when left out.' })
  from?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'The first instant no longer included (exclusive); open when left out. Must be after from.',
  })
  to?: Date | null;
}

/** The bounds of a range, checked; null when it bounds nothing. */
export function timeBounds(
  range: DateTimeRange | null | undefined,
  field: string,
): { $gte?: Date; $lt?: Date } | null {
  const from = range?.from ?? null;
  const to = range?.to ?? null;
  if (!from && !to) return null;
  if (from && to && to.getTime() <= from.getTime()) {
    throw new BadUserInputError(
      `${field}.to`,
      `must be later than from (${from.toISOString()}); got ${to.toISOString()}, an empty span.`,
    );
  }
  return { ...(from && { $gte: from }), ...(to && { $lt: to }) };
}
