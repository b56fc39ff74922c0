import { describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import { looseObject, object } from './zod-object.ts';

const shape = () => ({
  id: z.string(),
  n: z.optional(z.int()),
  tags: z._default(z.array(z.string()), []),
  note: z.nullable(z.string()),
});
const inputs: unknown[] = [
  { id: 'a', note: null },
  { id: 'a', n: 2, tags: ['x'], note: 'y', extra: true },
  { id: 1, n: 'two', note: undefined },
  { n: 1.5 },
  null,
  [],
  'text',
];
const outcome = (schema: z.ZodMiniType, input: unknown) => {
  const r = schema.safeParse(input);
  return r.success ? { data: r.data } : { issues: r.error.issues };
};
/** What a schema is made of, but for the generated parser's own trait. */
const surface = (schema: z.ZodMiniObject) => ({
  traits: [...schema._zod.traits].filter((t) => t !== '$ZodObjectJIT').sort(),
  own: Object.keys(schema).sort(),
  internals: Object.keys(schema._zod).sort(),
  shape: Object.keys(schema.shape),
});

describe('zod/mini objects with the generated parser', () => {
  it('parse with it', () => {
    expect(object(shape())._zod.traits.has('$ZodObjectJIT')).toBe(true);
    expect(z.object(shape())._zod.traits.has('$ZodObjectJIT')).toBe(false);
  });

  it("are mini's objects in all else, so a zod upgrade that changes those fails here", () => {
    expect(surface(object(shape()))).toEqual(surface(z.object(shape())));
    expect(surface(looseObject(shape()))).toEqual(surface(z.looseObject(shape())));
    expect(object(shape())).toBeInstanceOf(z.ZodMiniObject);
  });

  it('parse every input as mini does, loose ones keeping unknown keys', () => {
    for (const input of inputs) {
      expect(outcome(object(shape()), input)).toEqual(outcome(z.object(shape()), input));
      expect(outcome(looseObject(shape()), input)).toEqual(outcome(z.looseObject(shape()), input));
    }
  });

  it('keep the generated parser through extend, partial and checks', () => {
    const base = object(shape());
    const derived = [z.extend(base, { more: z.string() }), z.partial(base), base.check(z.refine(() => true))];
    for (const d of derived) expect(d._zod.traits.has('$ZodObjectJIT')).toBe(true);
  });
});
