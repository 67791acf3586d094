import type { WorldUser } from './world-records.js';

/**
 * A policy can say three things about a user: that they are a member of the tailnet, what their
 * login is, and which synced groups they belong to. Each of those the policy actually mentions
 * becomes an atom, a small integer, so a user's identity is a short list of atoms and a selector
 * is a bitset of atoms: matching is a handful of bit tests, and a membership change only
 * touches the list of the one user it concerns.
 */
export type AtomMeaning =
  | { readonly kind: 'member' }
  | { readonly kind: 'user'; readonly email: string }
  | { readonly kind: 'synced-group'; readonly name: string };

export const MEMBER_ATOM = 0;

export class IdentityAtoms {
  private readonly meanings: AtomMeaning[] = [{ kind: 'member' }];
  private readonly emailAtoms = new Map<string, number>();
  private readonly groupAtoms = new Map<string, number>();

  internEmail(email: string): number {
    return this.intern(this.emailAtoms, email, { kind: 'user', email });
  }

  /** `name` is a synced group's policy name (lowercased, without the domain). */
  internGroupName(name: string): number {
    return this.intern(this.groupAtoms, name, { kind: 'synced-group', name });
  }

  meaningOf(atom: number): AtomMeaning {
    return this.meanings[atom]!;
  }

  /** A user of the world: membership, login, and the synced groups (by current name) they are in. */
  atomsOfUser(user: WorldUser): Int32Array {
    const atoms = [MEMBER_ATOM];
    const emailAtom = this.emailAtoms.get(user.email);
    if (emailAtom !== undefined) atoms.push(emailAtom);
    for (const group of user.groups) {
      const groupAtom = this.groupAtoms.get(group.policyName);
      if (groupAtom !== undefined && !atoms.includes(groupAtom)) atoms.push(groupAtom);
    }
    return Int32Array.from(atoms);
  }

  /** A user the world does not know (yet): a member of the tailnet with that login, in no group. */
  atomsOfUnknownUser(email: string): Int32Array {
    const emailAtom = this.emailAtoms.get(email);
    return Int32Array.from(emailAtom === undefined ? [MEMBER_ATOM] : [MEMBER_ATOM, emailAtom]);
  }

  private intern(atoms: Map<string, number>, key: string, meaning: AtomMeaning): number {
    let atom = atoms.get(key);
    if (atom === undefined) {
      atom = this.meanings.length;
      this.meanings.push(meaning);
      atoms.set(key, atom);
    }
    return atom;
  }
}
