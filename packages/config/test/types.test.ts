import {
  bool,
  bytes,
  type InferConfig,
  json,
  list,
  loadConfig,
  oneOf,
  perEnv,
  port,
  refuseInProduction,
  type Secret,
  secret,
} from '@plinth/config';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';

const schema = z.object({
  OTHER_PORT: port().default(3000),
  DEBUG: bool(),
  LEVEL: oneOf(['debug', 'info']),
  HOSTS: list(),
  PORTS: list(port()),
  FLAGS: json(z.object({ on: z.boolean() })),
  LIMIT: bytes().optional(),
  TOKEN: secret(),
  PIN: secret(z.coerce.number()),
  MAYBE: secret().optional(),
  ISSUER: perEnv(z.string(), { development: 'dev' }),
  PORT: port({ allowZero: true }).default(3000),
  AUTH_JWT_SECRET: secret(z.string().min(32)).optional(),
});

type Config = InferConfig<typeof schema>;

describe('inferred config types', () => {
  it('infers primitives, lists and JSON', () => {
    expectTypeOf<Config['PORT']>().toEqualTypeOf<number>();
    expectTypeOf<Config['OTHER_PORT']>().toEqualTypeOf<number>();
    expectTypeOf<Config['DEBUG']>().toEqualTypeOf<boolean>();
    expectTypeOf<Config['LEVEL']>().toEqualTypeOf<'debug' | 'info'>();
    expectTypeOf<Config['HOSTS']>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<Config['PORTS']>().toEqualTypeOf<readonly number[]>();
    expectTypeOf<Config['FLAGS']>().toEqualTypeOf<{ readonly on: boolean }>();
    expectTypeOf<Config['LIMIT']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Config['ISSUER']>().toEqualTypeOf<string>();
  });

  it('infers secret keys as Secret<T>', () => {
    expectTypeOf<Config['TOKEN']>().toEqualTypeOf<Secret<string>>();
    expectTypeOf<Config['PIN']>().toEqualTypeOf<Secret<number>>();
    expectTypeOf<Config['MAYBE']>().toEqualTypeOf<Secret<string> | undefined>();
    expectTypeOf<Config['AUTH_JWT_SECRET']>().toEqualTypeOf<Secret<string> | undefined>();
    expectTypeOf<Config['TOKEN']['reveal']>().returns.toEqualTypeOf<string>();
  });

  it('returns a read-only config from loadConfig', () => {
    expectTypeOf(loadConfig<typeof schema>).returns.resolves.toEqualTypeOf<Config>();
    expectTypeOf<Config>().toHaveProperty('PORT');
    // @ts-expect-error the config is read-only
    const assign = (config: Config) => (config.PORT = 1);
    expectTypeOf(assign).toBeFunction();
  });

  it('types per-environment defaults by the schema input', () => {
    // @ts-expect-error defaults are env strings for env primitives
    perEnv(port(), { development: 3000 });
    expectTypeOf(perEnv(port(), { development: '3000' })).toEqualTypeOf<ReturnType<typeof port>>();
  });

  it('gives a production guard the parsed output of the schema it wraps and keeps its type', () => {
    const guarded = refuseInProduction(secret(json(z.array(z.number()))), (value) => {
      expectTypeOf(value).toEqualTypeOf<Secret<number[]>>();
      return value.reveal().includes(0);
    });
    expectTypeOf(guarded).toEqualTypeOf<
      ReturnType<typeof secret<ReturnType<typeof json<z.ZodArray<z.ZodNumber>>>>>
    >();
    // @ts-expect-error the guard gets the output (number), not the env string
    refuseInProduction(port(), (value: string) => value === '');
  });
});
