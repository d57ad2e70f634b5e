/**
 * Who a call-record session's caller or callee is. Graph has named people in two fields:
 * - `associatedIdentity` (an identity: id, displayName, tenantId, userPrincipalName), the field to use since
 *   Graph deprecated `identity`; records made after 2026-06-30 name people only here;
 * - `identity` (an identitySet: user, guest, phone, acsUser, application, …), which older records still carry.
 * Only Entra users become people: their object id is the `aadObjectId` Teams' events key people by. Every
 * endpoint is also labelled with its shape, so a record that names nobody can say what it held instead.
 */
import { z } from 'zod';

const ENTRA_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The identity types that name an Entra user; any other declared type (guest, phone, ACS, application, …) does not. */
const USER_IDENTITY_TYPES = new Set(['identity', 'userIdentity', 'communicationsUserIdentity', 'teamworkUserIdentity']);

const text = z.string().min(1).nullish().catch(null);

const identitySchema = z.object({
  '@odata.type': text,
  id: text,
  displayName: text,
  tenantId: text,
  userPrincipalName: text,
});
type Identity = z.infer<typeof identitySchema>;

const endpointSchema = z.object({
  '@odata.type': text,
  associatedIdentity: identitySchema.nullish().catch(null),
  identity: z.record(z.string(), z.unknown()).nullish().catch(null),
});

/** A person as a call record names them. */
export interface CallPerson {
  /** Entra object id. */
  id: string;
  displayName?: string;
  tenantId?: string;
  userPrincipalName?: string;
}

export interface EndpointReading {
  person?: CallPerson;
  /** Where the person came from, or what the endpoint was instead: "associatedIdentity:user", "identity.guest", "serviceEndpoint", … */
  shape: string;
}

export function readEndpoint(value: unknown): EndpointReading {
  if (value === null || value === undefined) return { shape: 'none' };
  const parsed = endpointSchema.safeParse(value);
  if (!parsed.success) return { shape: 'unreadable' };
  const { associatedIdentity, identity } = parsed.data;

  const associatedPerson = associatedIdentity ? associatedUser(associatedIdentity) : undefined;
  if (associatedPerson) return { person: associatedPerson, shape: 'associatedIdentity:user' };
  const identityUser = identity?.['user'] ? identitySchema.safeParse(identity['user']) : undefined;
  if (identityUser?.success && identityUser.data.id) return { person: personOf(identityUser.data.id, identityUser.data), shape: 'identity.user' };

  if (associatedIdentity) return { shape: `associatedIdentity:${shortType(associatedIdentity['@odata.type']) ?? 'not an Entra user'}` };
  if (identity) {
    const named = Object.keys(identity).filter((key) => key !== '@odata.type' && identity[key] !== null && identity[key] !== undefined);
    // A `user` still here was not readable as one (no id): say so rather than look like a person.
    const shapes = named.map((key) => (key === 'user' ? 'identity.user:unreadable' : `identity.${key}`));
    return { shape: shapes.length > 0 ? shapes.join('+') : 'identity:empty' };
  }
  return { shape: shortType(parsed.data['@odata.type']) ?? 'no identity' };
}

/**
 * `associatedIdentity` is typed as a plain identity, so a guest or an application could be written in it too:
 * a declared non-user type is not a person, and an undeclared one must look like an Entra user (an object id,
 * and a tenant or a user principal name, which anonymous guests do not have).
 */
function associatedUser(identity: Identity): CallPerson | undefined {
  const declared = shortType(identity['@odata.type']);
  if (declared !== undefined && !USER_IDENTITY_TYPES.has(declared)) return undefined;
  if (!identity.id || !ENTRA_OBJECT_ID.test(identity.id)) return undefined;
  if (declared === undefined && !identity.tenantId && !identity.userPrincipalName) return undefined;
  return personOf(identity.id, identity);
}

function personOf(id: string, identity: Identity): CallPerson {
  const person: CallPerson = { id };
  if (identity.displayName) person.displayName = identity.displayName;
  if (identity.tenantId) person.tenantId = identity.tenantId;
  if (identity.userPrincipalName) person.userPrincipalName = identity.userPrincipalName;
  return person;
}

/** "#microsoft.graph.callRecords.serviceEndpoint" → "serviceEndpoint". */
function shortType(odataType: string | null | undefined): string | undefined {
  return odataType ? odataType.split('.').pop() : undefined;
}
