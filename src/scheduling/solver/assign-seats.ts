/**
 * Who sits where, at fixed session times: a b-matching (a max-flow with unit edges) from sessions,
 * each needing `need[s]` distinct interviewers, to interviewers, each taking at most `capacity[p]`
 * sessions. Augmenting paths make it exact: when it fails, no assignment exists, and the sessions and
 * interviewers the last search reached are a Hall violator (their need exceeds what those people
 * can give, counting who already sits them), which the solver quotes as the reason.
 */

/** The outcome of one assignment: the seats, or the set of sessions that cannot all be filled. */
export type SeatAssignment = { ok: true; seats: number[][] } | { ok: false; sessions: number[]; interviewers: number[] };

/**
 * Fills every session's seats or proves it impossible.
 * @param need seats per session
 * @param candidates per session, the interviewers who may sit it (free, in its pool)
 * @param capacity per interviewer, how many sessions they may sit
 * @example
 * assignSeats([1, 1], [[0], [0, 1]], [1, 1]) // { ok: true, seats: [[0], [1]] }
 */
export function assignSeats(need: readonly number[], candidates: readonly (readonly number[])[], capacity: readonly number[]): SeatAssignment {
  const seats: number[][] = need.map(() => []);
  const load = new Int32Array(capacity.length);
  // holders[p]: the sessions p currently sits
  const holders: number[][] = capacity.map(() => []);
  let seenPerson = new Uint8Array(capacity.length);
  let seenSession = new Uint8Array(need.length);

  const augment = (s: number): boolean => {
    seenSession[s] = 1;
    const mine = seats[s]!;
    for (const p of candidates[s]!) {
      if (seenPerson[p] || mine.includes(p)) continue;
      seenPerson[p] = 1;
      if (load[p]! < capacity[p]!) {
        mine.push(p);
        holders[p]!.push(s);
        load[p]!++;
        return true;
      }
      // p is full: move one of p's other sessions to someone else, then p takes s.
      for (const other of holders[p]!) {
        if (other === s) continue;
        if (augmentAway(other, p)) {
          mine.push(p);
          holders[p]!.push(s);
          return true;
        }
      }
    }
    return false;
  };
  // Replaces p in session `s` by someone else (p keeps the load it frees for the caller).
  const augmentAway = (s: number, p: number): boolean => {
    if (seenSession[s]) return false;
    seenSession[s] = 1;
    const mine = seats[s]!;
    for (const q of candidates[s]!) {
      if (seenPerson[q] || mine.includes(q)) continue;
      seenPerson[q] = 1;
      if (load[q]! < capacity[q]!) {
        swapIn(s, p, q);
        load[q]!++;
        return true;
      }
      for (const other of holders[q]!) {
        if (other === s) continue;
        if (augmentAway(other, q)) {
          swapIn(s, p, q);
          return true;
        }
      }
    }
    return false;
  };
  const swapIn = (s: number, out: number, inn: number): void => {
    const mine = seats[s]!;
    mine[mine.indexOf(out)] = inn;
    const held = holders[out]!;
    held.splice(held.indexOf(s), 1);
    holders[inn]!.push(s);
  };

  for (let s = 0; s < need.length; s++) {
    for (let k = 0; k < need[s]!; k++) {
      seenPerson = new Uint8Array(capacity.length);
      seenSession = new Uint8Array(need.length);
      if (!augment(s)) {
        const sessions: number[] = [];
        seenSession.forEach((v, i) => v && sessions.push(i));
        // Everyone the search reached, and everyone already sitting the sessions it reached.
        for (const v of sessions) for (const p of seats[v]!) seenPerson[p] = 1;
        const interviewers: number[] = [];
        seenPerson.forEach((v, i) => v && interviewers.push(i));
        return { ok: false, sessions, interviewers };
      }
    }
  }
  return { ok: true, seats };
}
