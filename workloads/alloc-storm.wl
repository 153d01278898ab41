%labyrinth-workload 1
%cores 4
%name alloc-storm
# alloc-storm.wl - every core allocates, touches and frees pages in a loop.
#
# Four cores each run 8 rounds of: allocate four pages (r1..r4), store to
# the first and the second line of each, free the four.  Nothing is shared
# between the cores except the allocator itself, so every invalidation and
# cache-to-cache transfer in the allocator section comes from its metadata
# (zone lock, free lists, NR_FREE_PAGES, per-CPU lists, struct pages) or
# from the claim of a page another core used last.
#
# What to look for (labyrinth run workloads/alloc-storm.wl --mode functional):
#  - default policy pcp: after the first refill each core recycles its own
#    pages through its per-CPU list, so allocs_by_path is mostly pcp_hit,
#    the zone lock is taken once per refill, and claim_invalidations is 0.
#  - --set allocator.policy=global: every alloc and free takes the zone
#    lock (zone_lock.acquisitions = 256, with hand-offs between cores), and
#    a page freed by one core is claimed by another: claim invalidations
#    appear, and per_alloc metadata traffic grows.
#  - in timing mode (--mode timing) with policy global the cores really
#    contend for the zone lock: compare allocator.zone_lock (contended,
#    wait_cycles, handoffs) under --set allocator.lock=ttas and the default
#    ticket lock, and the allocation latency by path.
#  - either way: 128 allocs, 128 frees, 0 failures, 0 pages allocated at the end.
# core c starts c turns late, so that pages freed by one core are
# allocated next by another
1 compute 1
2 compute 1
2 compute 1
3 compute 1
3 compute 1
3 compute 1
# round 0
0 alloc r1 GFP_KERNEL
0 alloc r2 GFP_KERNEL
0 alloc r3 GFP_KERNEL
0 alloc r4 GFP_KERNEL
0 st r1+0x0
0 st r1+0x40
0 st r2+0x0
0 st r2+0x40
0 st r3+0x0
0 st r3+0x40
0 st r4+0x0
0 st r4+0x40
0 free r1
0 free r2
0 free r3
0 free r4
1 alloc r1 GFP_KERNEL
1 alloc r2 GFP_KERNEL
1 alloc r3 GFP_KERNEL
1 alloc r4 GFP_KERNEL
1 st r1+0x0
1 st r1+0x40
1 st r2+0x0
1 st r2+0x40
1 st r3+0x0
1 st r3+0x40
1 st r4+0x0
1 st r4+0x40
1 free r1
1 free r2
1 free r3
1 free r4
2 alloc r1 GFP_KERNEL
2 alloc r2 GFP_KERNEL
2 alloc r3 GFP_KERNEL
2 alloc r4 GFP_KERNEL
2 st r1+0x0
2 st r1+0x40
2 st r2+0x0
2 st r2+0x40
2 st r3+0x0
2 st r3+0x40
2 st r4+0x0
2 st r4+0x40
2 free r1
2 free r2
2 free r3
2 free r4
3 alloc r1 GFP_KERNEL
3 alloc r2 GFP_KERNEL
3 alloc r3 GFP_KERNEL
3 alloc r4 GFP_KERNEL
3 st r1+0x0
3 st r1+0x40
3 st r2+0x0
3 st r2+0x40
3 st r3+0x0
3 st r3+0x40
3 st r4+0x0
3 st r4+0x40
3 free r1
3 free r2
3 free r3
3 free r4
# round 1
0 alloc r1 GFP_KERNEL
0 alloc r2 GFP_KERNEL
0 alloc r3 GFP_KERNEL
0 alloc r4 GFP_KERNEL
0 st r1+0x0
0 st r1+0x40
0 st r2+0x0
0 st r2+0x40
0 st r3+0x0
0 st r3+0x40
0 st r4+0x0
0 st r4+0x40
0 free r1
0 free r2
0 free r3
0 free r4
1 alloc r1 GFP_KERNEL
1 alloc r2 GFP_KERNEL
1 alloc r3 GFP_KERNEL
1 alloc r4 GFP_KERNEL
1 st r1+0x0
1 st r1+0x40
1 st r2+0x0
1 st r2+0x40
1 st r3+0x0
1 st r3+0x40
1 st r4+0x0
1 st r4+0x40
1 free r1
1 free r2
1 free r3
1 free r4
2 alloc r1 GFP_KERNEL
2 alloc r2 GFP_KERNEL
2 alloc r3 GFP_KERNEL
2 alloc r4 GFP_KERNEL
2 st r1+0x0
2 st r1+0x40
2 st r2+0x0
2 st r2+0x40
2 st r3+0x0
2 st r3+0x40
2 st r4+0x0
2 st r4+0x40
2 free r1
2 free r2
2 free r3
2 free r4
3 alloc r1 GFP_KERNEL
3 alloc r2 GFP_KERNEL
3 alloc r3 GFP_KERNEL
3 alloc r4 GFP_KERNEL
3 st r1+0x0
3 st r1+0x40
3 st r2+0x0
3 st r2+0x40
3 st r3+0x0
3 st r3+0x40
3 st r4+0x0
3 st r4+0x40
3 free r1
3 free r2
3 free r3
3 free r4
# round 2
0 alloc r1 GFP_KERNEL
0 alloc r2 GFP_KERNEL
0 alloc r3 GFP_KERNEL
0 alloc r4 GFP_KERNEL
0 st r1+0x0
0 st r1+0x40
0 st r2+0x0
0 st r2+0x40
0 st r3+0x0
0 st r3+0x40
0 st r4+0x0
0 st r4+0x40
0 free r1
0 free r2
0 free r3
0 free r4
1 alloc r1 GFP_KERNEL
1 alloc r2 GFP_KERNEL
1 alloc r3 GFP_KERNEL
1 alloc r4 GFP_KERNEL
1 st r1+0x0
1 st r1+0x40
1 st r2+0x0
1 st r2+0x40
1 st r3+0x0
1 st r3+0x40
1 st r4+0x0
1 st r4+0x40
1 free r1
1 free r2
1 free r3
1 free r4
2 alloc r1 GFP_KERNEL
2 alloc r2 GFP_KERNEL
2 alloc r3 GFP_KERNEL
2 alloc r4 GFP_KERNEL
2 st r1+0x0
2 st r1+0x40
2 st r2+0x0
2 st r2+0x40
2 st r3+0x0
2 st r3+0x40
2 st r4+0x0
2 st r4+0x40
2 free r1
2 free r2
2 free r3
2 free r4
3 alloc r1 GFP_KERNEL
3 alloc r2 GFP_KERNEL
3 alloc r3 GFP_KERNEL
3 alloc r4 GFP_KERNEL
3 st r1+0x0
3 st r1+0x40
3 st r2+0x0
3 st r2+0x40
3 st r3+0x0
3 st r3+0x40
3 st r4+0x0
3 st r4+0x40
3 free r1
3 free r2
3 free r3
3 free r4
# round 3
0 alloc r1 GFP_KERNEL
0 alloc r2 GFP_KERNEL
0 alloc r3 GFP_KERNEL
0 alloc r4 GFP_KERNEL
0 st r1+0x0
0 st r1+0x40
0 st r2+0x0
0 st r2+0x40
0 st r3+0x0
0 st r3+0x40
0 st r4+0x0
0 st r4+0x40
0 free r1
0 free r2
0 free r3
0 free r4
1 alloc r1 GFP_KERNEL
1 alloc r2 GFP_KERNEL
1 alloc r3 GFP_KERNEL
1 alloc r4 GFP_KERNEL
1 st r1+0x0
1 st r1+0x40
1 st r2+0x0
1 st r2+0x40
1 st r3+0x0
1 st r3+0x40
1 st r4+0x0
1 st r4+0x40
1 free r1
1 free r2
1 free r3
1 free r4
2 alloc r1 GFP_KERNEL
2 alloc r2 GFP_KERNEL
2 alloc r3 GFP_KERNEL
2 alloc r4 GFP_KERNEL
2 st r1+0x0
2 st r1+0x40
2 st r2+0x0
2 st r2+0x40
2 st r3+0x0
2 st r3+0x40
2 st r4+0x0
2 st r4+0x40
2 free r1
2 free r2
2 free r3
2 free r4
3 alloc r1 GFP_KERNEL
3 alloc r2 GFP_KERNEL
3 alloc r3 GFP_KERNEL
3 alloc r4 GFP_KERNEL
3 st r1+0x0
3 st r1+0x40
3 st r2+0x0
3 st r2+0x40
3 st r3+0x0
3 st r3+0x40
3 st r4+0x0
3 st r4+0x40
3 free r1
3 free r2
3 free r3
3 free r4
# round 4
0 alloc r1 GFP_KERNEL
0 alloc r2 GFP_KERNEL
0 alloc r3 GFP_KERNEL
0 alloc r4 GFP_KERNEL
0 st r1+0x0
0 st r1+0x40
0 st r2+0x0
0 st r2+0x40
0 st r3+0x0
0 st r3+0x40
0 st r4+0x0
0 st r4+0x40
0 free r1
0 free r2
0 free r3
0 free r4
1 alloc r1 GFP_KERNEL
1 alloc r2 GFP_KERNEL
1 alloc r3 GFP_KERNEL
1 alloc r4 GFP_KERNEL
1 st r1+0x0
1 st r1+0x40
1 st r2+0x0
1 st r2+0x40
1 st r3+0x0
1 st r3+0x40
1 st r4+0x0
1 st r4+0x40
1 free r1
1 free r2
1 free r3
1 free r4
2 alloc r1 GFP_KERNEL
2 alloc r2 GFP_KERNEL
2 alloc r3 GFP_KERNEL
2 alloc r4 GFP_KERNEL
2 st r1+0x0
2 st r1+0x40
2 st r2+0x0
2 st r2+0x40
2 st r3+0x0
2 st r3+0x40
2 st r4+0x0
2 st r4+0x40
2 free r1
2 free r2
2 free r3
2 free r4
3 alloc r1 GFP_KERNEL
3 alloc r2 GFP_KERNEL
3 alloc r3 GFP_KERNEL
3 alloc r4 GFP_KERNEL
3 st r1+0x0
3 st r1+0x40
3 st r2+0x0
3 st r2+0x40
3 st r3+0x0
3 st r3+0x40
3 st r4+0x0
3 st r4+0x40
3 free r1
3 free r2
3 free r3
3 free r4
# round 5
0 alloc r1 GFP_KERNEL
0 alloc r2 GFP_KERNEL
0 alloc r3 GFP_KERNEL
0 alloc r4 GFP_KERNEL
0 st r1+0x0
0 st r1+0x40
0 st r2+0x0
0 st r2+0x40
0 st r3+0x0
0 st r3+0x40
0 st r4+0x0
0 st r4+0x40
0 free r1
0 free r2
0 free r3
0 free r4
1 alloc r1 GFP_KERNEL
1 alloc r2 GFP_KERNEL
1 alloc r3 GFP_KERNEL
1 alloc r4 GFP_KERNEL
1 st r1+0x0
1 st r1+0x40
1 st r2+0x0
1 st r2+0x40
1 st r3+0x0
1 st r3+0x40
1 st r4+0x0
1 st r4+0x40
1 free r1
1 free r2
1 free r3
1 free r4
2 alloc r1 GFP_KERNEL
2 alloc r2 GFP_KERNEL
2 alloc r3 GFP_KERNEL
2 alloc r4 GFP_KERNEL
2 st r1+0x0
2 st r1+0x40
2 st r2+0x0
2 st r2+0x40
2 st r3+0x0
2 st r3+0x40
2 st r4+0x0
2 st r4+0x40
2 free r1
2 free r2
2 free r3
2 free r4
3 alloc r1 GFP_KERNEL
3 alloc r2 GFP_KERNEL
3 alloc r3 GFP_KERNEL
3 alloc r4 GFP_KERNEL
3 st r1+0x0
3 st r1+0x40
3 st r2+0x0
3 st r2+0x40
3 st r3+0x0
3 st r3+0x40
3 st r4+0x0
3 st r4+0x40
3 free r1
3 free r2
3 free r3
3 free r4
# round 6
0 alloc r1 GFP_KERNEL
0 alloc r2 GFP_KERNEL
0 alloc r3 GFP_KERNEL
0 alloc r4 GFP_KERNEL
0 st r1+0x0
0 st r1+0x40
0 st r2+0x0
0 st r2+0x40
0 st r3+0x0
0 st r3+0x40
0 st r4+0x0
0 st r4+0x40
0 free r1
0 free r2
0 free r3
0 free r4
1 alloc r1 GFP_KERNEL
1 alloc r2 GFP_KERNEL
1 alloc r3 GFP_KERNEL
1 alloc r4 GFP_KERNEL
1 st r1+0x0
1 st r1+0x40
1 st r2+0x0
1 st r2+0x40
1 st r3+0x0
1 st r3+0x40
1 st r4+0x0
1 st r4+0x40
1 free r1
1 free r2
1 free r3
1 free r4
2 alloc r1 GFP_KERNEL
2 alloc r2 GFP_KERNEL
2 alloc r3 GFP_KERNEL
2 alloc r4 GFP_KERNEL
2 st r1+0x0
2 st r1+0x40
2 st r2+0x0
2 st r2+0x40
2 st r3+0x0
2 st r3+0x40
2 st r4+0x0
2 st r4+0x40
2 free r1
2 free r2
2 free r3
2 free r4
3 alloc r1 GFP_KERNEL
3 alloc r2 GFP_KERNEL
3 alloc r3 GFP_KERNEL
3 alloc r4 GFP_KERNEL
3 st r1+0x0
3 st r1+0x40
3 st r2+0x0
3 st r2+0x40
3 st r3+0x0
3 st r3+0x40
3 st r4+0x0
3 st r4+0x40
3 free r1
3 free r2
3 free r3
3 free r4
# round 7
0 alloc r1 GFP_KERNEL
0 alloc r2 GFP_KERNEL
0 alloc r3 GFP_KERNEL
0 alloc r4 GFP_KERNEL
0 st r1+0x0
0 st r1+0x40
0 st r2+0x0
0 st r2+0x40
0 st r3+0x0
0 st r3+0x40
0 st r4+0x0
0 st r4+0x40
0 free r1
0 free r2
0 free r3
0 free r4
1 alloc r1 GFP_KERNEL
1 alloc r2 GFP_KERNEL
1 alloc r3 GFP_KERNEL
1 alloc r4 GFP_KERNEL
1 st r1+0x0
1 st r1+0x40
1 st r2+0x0
1 st r2+0x40
1 st r3+0x0
1 st r3+0x40
1 st r4+0x0
1 st r4+0x40
1 free r1
1 free r2
1 free r3
1 free r4
2 alloc r1 GFP_KERNEL
2 alloc r2 GFP_KERNEL
2 alloc r3 GFP_KERNEL
2 alloc r4 GFP_KERNEL
2 st r1+0x0
2 st r1+0x40
2 st r2+0x0
2 st r2+0x40
2 st r3+0x0
2 st r3+0x40
2 st r4+0x0
2 st r4+0x40
2 free r1
2 free r2
2 free r3
2 free r4
3 alloc r1 GFP_KERNEL
3 alloc r2 GFP_KERNEL
3 alloc r3 GFP_KERNEL
3 alloc r4 GFP_KERNEL
3 st r1+0x0
3 st r1+0x40
3 st r2+0x0
3 st r2+0x40
3 st r3+0x0
3 st r3+0x40
3 st r4+0x0
3 st r4+0x40
3 free r1
3 free r2
3 free r3
3 free r4
