/**
 * The people of the integration tests, as Teams describes them on the wire (join/leave members, chat
 * members, roster entries). Ana and the guest match the shared fixtures.
 */
export const TENANT_ID = '9f2c1a7e-1111-4b2c-9d3e-5a6b7c8d9e0f';

export interface TeamsPerson {
  /** The Teams user id ("29:…"). */
  id: string;
  /** Entra object id; absent for anonymous guests. */
  aadObjectId?: string;
  name: string;
  email?: string;
  /** The meeting role Teams reports for this person. */
  role: string;
}

export const ana: TeamsPerson = {
  id: '29:1AnaTeacher1',
  aadObjectId: '5d3c2b1a-0000-4000-8000-000000000101',
  name: 'Ana Teacher',
  email: 'ana@contoso.test',
  role: 'Organizer',
};

export const bob: TeamsPerson = {
  id: '29:1BobStudent2',
  aadObjectId: '5d3c2b1a-0000-4000-8000-000000000202',
  name: 'Bob Student',
  email: 'bob@contoso.test',
  role: 'Attendee',
};

export const carol: TeamsPerson = {
  id: '29:1CarolAssistant3',
  aadObjectId: '5d3c2b1a-0000-4000-8000-000000000303',
  name: 'Carol Assistant',
  email: 'carol@contoso.test',
  role: 'Presenter',
};

export const dan: TeamsPerson = {
  id: '29:1DanStudent4',
  aadObjectId: '5d3c2b1a-0000-4000-8000-000000000404',
  name: 'Dan Student',
  email: 'dan@contoso.test',
  role: 'Attendee',
};

/** In the tenant, never in the test meetings. */
export const eve: TeamsPerson = {
  id: '29:1EveOutsider5',
  aadObjectId: '5d3c2b1a-0000-4000-8000-000000000505',
  name: 'Eve Outsider',
  email: 'eve@contoso.test',
  role: 'Attendee',
};

/** Anonymous: no Entra id, keyed by the Teams user id. */
export const guest: TeamsPerson = {
  id: '29:1GuestVisitor9',
  name: 'Guest Visitor',
  role: 'Attendee',
};

/** A join/leave member as Teams sends it in `value.members[]`. */
export function memberOf(person: TeamsPerson, inMeeting: boolean): object {
  return {
    user: {
      id: person.id,
      name: person.name,
      ...(person.aadObjectId ? { aadObjectId: person.aadObjectId, tenantId: TENANT_ID, userRole: 'user' } : {}),
    },
    meeting: { inMeeting, role: person.role },
  };
}
