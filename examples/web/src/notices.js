// One-time notices for Post/Redirect/Get: the answer to a form POST is a
// redirect whose URL carries a random notice id; the page it leads to shows
// the reader's held comment once and forgets it, so a reload or a shared
// link shows nothing. Kept in this process's memory (bounded, expiring); a
// site with several processes keeps them in its session store instead.

import { randomUUID } from "node:crypto";

export function createNoticeStore({ ttlMs = 10 * 60 * 1000, maxEntries = 10000, now = Date.now } = {}) {
  const entries = new Map();
  const prune = () => {
    const cutoff = now() - ttlMs;
    for (const [id, entry] of entries) {
      if (entry.created > cutoff && entries.size <= maxEntries) break;
      entries.delete(id);
    }
  };
  return {
    put(notice) {
      const id = randomUUID();
      entries.set(id, { notice, created: now() });
      prune();
      return id;
    },
    take(id) {
      const entry = entries.get(id);
      entries.delete(id);
      if (!entry || entry.created <= now() - ttlMs) return undefined;
      return entry.notice;
    },
  };
}
