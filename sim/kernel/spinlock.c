/* spinlock.c - the zone lock, spinning in the simulated caches.
 *
 * Two kinds ([allocator] lock):
 *   ticket  Linux's x86 ticket spinlock before qspinlock: take a ticket
 *           with an atomic fetch-and-add on `next`, then spin loading
 *           `owner` until it shows the ticket; release by storing
 *           owner + 1.  Fair (FIFO), and every release invalidates every
 *           waiter's copy of the line, which each then re-reads.
 *   ttas    test-and-test-and-set: load the word until it reads 0, then
 *           try an atomic exchange of 1; release by storing 0.  Unfair,
 *           and a release starts a stampede of exchanges.
 * A failed test returns KSTEP_SPIN: functional mode ends the core's turn,
 * timing mode tests again at once (each test is a real cache access, so a
 * spinning core costs what it costs on the bus).
 *
 * Statistics: acquisitions; contended ones (at least one failed test);
 * wait cycles from the first attempt to the acquisition; hold cycles from
 * the acquisition to the release; hand-offs (the lock taken by another
 * core than the one that took it last).
 */
#include "kpriv.h"

/* spin_lock() */
KStep kz_lock(Kernel *k, KCore *kc, KSpinLockFrame *f)
{
	uint64_t lock = k->l.lock;

	KM_BEGIN(f);
	f->t_start = kc->now;
	f->spun = 0;
	if (k->lock_kind == ALLOC_LOCK_TICKET) {
		RMW_ADD(lock + KL_LOCK_NEXT, 1, "zone_lock.ticket");
		kc->zone_ticket = kc->val;
		for (;;) {
			LOAD(lock + KL_LOCK_OWNER, "zone_lock.spin");
			if (kc->val == kc->zone_ticket)
				break;
			f->spun = 1;
			KM_YIELD(f, KSTEP_SPIN);
		}
	} else {
		for (;;) {
			LOAD(lock + KL_LOCK_NEXT, "zone_lock.test");
			if (kc->val == 0) {
				XCHG(lock + KL_LOCK_NEXT, 1, "zone_lock.set");
				if (kc->val == 0)
					break;
			}
			f->spun = 1;
			KM_YIELD(f, KSTEP_SPIN);
		}
	}
	k->st.lock_acquisitions++;
	k->st.lock_contended += f->spun;
	k->st.lock_wait_cycles += kc->now - f->t_start;
	if (k->lock_holder >= 0 && (unsigned)k->lock_holder != kc->id)
		k->st.lock_handoffs++;
	k->lock_holder = (int)kc->id;
	k->lock_owner = (int)kc->id;
	kc->hold_from = kc->now;
	KM_END(f);
}

/* spin_unlock() */
KStep kz_unlock(Kernel *k, KCore *kc, KSpinUnlockFrame *f)
{
	uint64_t lock = k->l.lock;

	KM_BEGIN(f);
	if (k->lock_kind == ALLOC_LOCK_TICKET)
		STORE(lock + KL_LOCK_OWNER, kc->zone_ticket + 1, "zone_unlock");
	else
		STORE(lock + KL_LOCK_NEXT, 0, "zone_unlock");
	k->st.lock_hold_cycles += kc->now - kc->hold_from;
	/* In timing mode the store reaches the cache before this core hears
	 * it completed, and another core may have taken the lock meanwhile. */
	if (k->lock_owner == (int)kc->id)
		k->lock_owner = -1;
	KM_END(f);
}
