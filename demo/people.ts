/** The made-up tenant, meeting and people of the demo: a Meet Now office hour with a dozen participants. */
export const DEMO_TENANT_ID = 'de000000-0000-4000-8000-00000000de70';
/** The audience the demo's tokens carry and the demo server accepts (a made-up app registration). */
export const DEMO_CLIENT_ID = 'de000000-0000-4000-8000-0000000c11e7';
export const DEMO_BOT_ID = '28:de000000-0000-4000-8000-000000000b07';
export const DEMO_MEETING_TITLE = 'Physics 101 office hour';

export interface DemoPerson {
  /** The Teams user id ("29:…"). */
  id: string;
  /** Entra object id; absent for the anonymous guest. */
  aadObjectId?: string;
  name: string;
  role: 'Organizer' | 'Presenter' | 'Attendee';
}

const person = (number: number, name: string, role: DemoPerson['role'] = 'Attendee'): DemoPerson => {
  const suffix = String(number).padStart(12, '0');
  return { id: `29:1demo${suffix}`, aadObjectId: `de000000-0000-4000-8000-${suffix}`, name, role };
};

export const ana = person(1, 'Ana Teacher', 'Organizer');
export const carol = person(2, 'Carol Assistant', 'Presenter');
export const bob = person(3, 'Bob Student');
export const dan = person(4, 'Dan Okafor');
export const emma = person(5, 'Emma Lindqvist');
export const farid = person(6, 'Farid Haddad');
export const grace = person(7, 'Grace Kim');
export const hiro = person(8, 'Hiro Tanaka');
export const isabel = person(9, 'Isabel Moreno');
export const jonas = person(10, 'Jonas Weber');
export const kavya = person(11, 'Kavya Rao');
export const mia = person(12, 'Mia Novak');
/** Anonymous: no Entra id, so keyed by the Teams user id. */
export const leo: DemoPerson = { id: '29:1demoGuestLeo', name: 'Leo (Guest)', role: 'Attendee' };

/** Whom the side panel preview can be seen as (?demo=…). */
export const PERSONAS: Record<string, DemoPerson> = { organizer: ana, presenter: carol, attendee: bob };
