import { z } from 'zod';
import { freeText } from '../free-text.js';
import { uuid } from '../uuid.js';
import { MAX_CURSOR_LENGTH } from './cursor.js';

const email = z.string().trim().max(254).pipe(z.email());
const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ().-]{2,31}$/, 'must be a phone number such as +44 20 7946 0958');

/** `:id` of a client route. */
export const clientParams = z.object({ id: uuid() });

/** Body of `POST /v1/clients`. */
export const createClientBody = z.strictObject({
  name: freeText(200),
  email,
  phone: phone.nullish(),
});

/** Body of `PATCH /v1/clients/:id`: at least one field; `phone: null` clears the phone. */
export const patchClientBody = z
  .strictObject({
    name: freeText(200).optional(),
    email: email.optional(),
    phone: phone.nullable().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one field');

/** Query of `GET /v1/clients`. */
export const listClientsQuery = z.object({
  email: z.string().max(254).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(MAX_CURSOR_LENGTH).optional(),
});

/** Headers of the conditional routes (the rest pass through for authentication). */
export const ifMatchHeaders = z.looseObject({ 'if-match': z.string().max(1024).optional() });

/** The Client JSON of the HTTP contract (DESIGN §6). */
export const clientJson = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int().positive(),
});

export type CreateClientInput = z.output<typeof createClientBody>;
export type PatchClientInput = z.output<typeof patchClientBody>;
export type ListClientsQuery = z.output<typeof listClientsQuery>;
export type ClientJson = z.output<typeof clientJson>;
