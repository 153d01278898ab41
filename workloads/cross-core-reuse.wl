%labyrinth-workload 1
%cores 2
%name cross-core-reuse
# cross-core-reuse.wl - core 0 frees a page it wrote; core 1 allocates it.
#
# Core 0 allocates a page, writes eight of its lines and frees it.  Core 1
# waits ten turns, then allocates a page: under policy global the zone
# hands it the very page core 0 freed (the freed block merges back and the
# same split gives the same first page).  Core 0's cache still holds all 64
# lines of that page in M: its own claim took every line, and its stores
# dirtied eight of them.  Core 1's exclusive claim must take every line
# away from core 0 before alloc returns.
#
# Run: labyrinth run workloads/cross-core-reuse.wl --mode functional \
#          --set allocator.policy=global
# What to look for:
#  - claim = zero (default): 64 BusInv for core 1's claim, and
#    allocator.claim_invalidations = 64 (core 0's caches loses 64 lines,
#    its dirty data is discarded, never written back: the page is new);
#    core 1 then reads 0 at r1+0x0.
#  - --set allocator.claim=rfo: the claim fetches each line for ownership
#    instead, 64 cache-to-cache transfers from core 0 (claim_c2c = 64),
#    and core 1 reads core 0's old data (1 at r1+0x0).
#  - the default policy pcp keeps the freed page on core 0's per-CPU list,
#    so core 1 gets another page and its claim invalidates nothing.
#  - in timing mode core 1's ten compute cycles are over long before core
#    0 frees, so it allocates first and gets another page: the scenario
#    needs the turn order of functional mode.
0 alloc r1 GFP_KERNEL
0 st r1+0x0 1
0 st r1+0x40 2
0 st r1+0x80 3
0 st r1+0xc0 4
0 st r1+0x100 5
0 st r1+0x140 6
0 st r1+0x180 7
0 st r1+0x1c0 8
0 free r1
1 compute 1
1 compute 1
1 compute 1
1 compute 1
1 compute 1
1 compute 1
1 compute 1
1 compute 1
1 compute 1
1 compute 1
1 alloc r1 GFP_KERNEL
1 ld r1+0x0
1 ld r1+0x1c0
1 free r1
