import type { Flow } from '../flow/schema';
import { personKey } from './notice';

/** A person as the flows' directories know them, once however many flows list them. */
export interface DirectoryPerson {
  /** Their number in E.164 (see personKey): what a notice is kept under. */
  key: string;
  /** As the first flow that lists them writes it. */
  name: string;
  number: string;
  email: string | null;
  /** Where callers reach them: each flow and the extension there. */
  flows: { flowId: string; extension: string }[];
}

/** The people of every flow in service, by key; a person in two flows is one person. */
export function directoryPeople(flows: readonly Flow[]): Map<string, DirectoryPerson> {
  const people = new Map<string, DirectoryPerson>();
  for (const flow of flows) {
    for (const [extension, p] of Object.entries(flow.directory)) {
      const key = personKey(p.number);
      const known = people.get(key);
      if (known) {
        known.flows.push({ flowId: flow.id, extension });
        known.email ??= p.email ?? null;
      } else {
        people.set(key, { key, name: p.name, number: p.number, email: p.email ?? null, flows: [{ flowId: flow.id, extension }] });
      }
    }
  }
  return people;
}
