%labyrinth-workload 1
%cores 2
%name alloc-storm
# labyrinth gen alloc-storm --cores 2 --ops 200 --seed 1 --lines 4 --batch 2 --order 0
# Each core allocates --batch blocks of 2^--order pages (GFP_KERNEL) into
# r0.., stores to --lines lines of each, waits at a barrier, frees them all
# and waits again, over and over. Core 0 starts every other iteration late
# (compute 10000), which rotates the order in which the cores allocate, so a
# block one core wrote and freed is handed to another core when it comes
# back through the zone's free lists; the new owner's claim must then
# invalidate the old owner's lines.
# Look for: The allocator statistics: latency by path, zone-lock contention,
# claim invalidations per allocation. With allocator.policy=pcp (the
# default) freed pages stay on their core's per-CPU list and claims find
# nothing to invalidate; with policy=global, or --order 1, blocks cross
# cores and every claim invalidates the previous owner's copies. Uses
# barriers and the kernel allocator; cores x batch x 2^order pages must fit
# in the zone.
0 alloc r0 GFP_KERNEL
0 st r0+0x0
0 st r0+0x400
0 st r0+0x800
0 st r0+0xc00
0 alloc r1 GFP_KERNEL
0 st r1+0x0
0 st r1+0x400
0 st r1+0x800
0 st r1+0xc00
1 alloc r0 GFP_KERNEL
1 st r0+0x0
1 st r0+0x400
1 st r0+0x800
1 st r0+0xc00
1 alloc r1 GFP_KERNEL
1 st r1+0x0
1 st r1+0x400
1 st r1+0x800
1 st r1+0xc00
0 barrier
1 barrier
0 free r0
0 free r1
1 free r0
1 free r1
0 barrier
1 barrier
0 compute 10000
0 alloc r0 GFP_KERNEL
0 st r0+0x0
0 st r0+0x400
0 st r0+0x800
0 st r0+0xc00
0 alloc r1 GFP_KERNEL
0 st r1+0x0
0 st r1+0x400
0 st r1+0x800
0 st r1+0xc00
1 alloc r0 GFP_KERNEL
1 st r0+0x0
1 st r0+0x400
1 st r0+0x800
1 st r0+0xc00
1 alloc r1 GFP_KERNEL
1 st r1+0x0
1 st r1+0x400
1 st r1+0x800
1 st r1+0xc00
0 barrier
1 barrier
0 free r0
0 free r1
1 free r0
1 free r1
0 barrier
1 barrier
0 alloc r0 GFP_KERNEL
0 st r0+0x0
0 st r0+0x400
0 st r0+0x800
0 st r0+0xc00
0 alloc r1 GFP_KERNEL
0 st r1+0x0
0 st r1+0x400
0 st r1+0x800
0 st r1+0xc00
1 alloc r0 GFP_KERNEL
1 st r0+0x0
1 st r0+0x400
1 st r0+0x800
1 st r0+0xc00
1 alloc r1 GFP_KERNEL
1 st r1+0x0
1 st r1+0x400
1 st r1+0x800
1 st r1+0xc00
0 barrier
1 barrier
0 free r0
0 free r1
1 free r0
1 free r1
0 barrier
1 barrier
0 compute 10000
0 alloc r0 GFP_KERNEL
0 st r0+0x0
0 st r0+0x400
0 st r0+0x800
0 st r0+0xc00
0 alloc r1 GFP_KERNEL
0 st r1+0x0
0 st r1+0x400
0 st r1+0x800
0 st r1+0xc00
1 alloc r0 GFP_KERNEL
1 st r0+0x0
1 st r0+0x400
1 st r0+0x800
1 st r0+0xc00
1 alloc r1 GFP_KERNEL
1 st r1+0x0
1 st r1+0x400
1 st r1+0x800
1 st r1+0xc00
0 barrier
1 barrier
0 free r0
0 free r1
1 free r0
1 free r1
0 barrier
1 barrier
0 alloc r0 GFP_KERNEL
0 st r0+0x0
0 st r0+0x400
0 st r0+0x800
0 st r0+0xc00
0 alloc r1 GFP_KERNEL
0 st r1+0x0
0 st r1+0x400
0 st r1+0x800
0 st r1+0xc00
1 alloc r0 GFP_KERNEL
1 st r0+0x0
1 st r0+0x400
1 st r0+0x800
1 st r0+0xc00
1 alloc r1 GFP_KERNEL
1 st r1+0x0
1 st r1+0x400
1 st r1+0x800
1 st r1+0xc00
0 barrier
1 barrier
0 free r0
0 free r1
1 free r0
1 free r1
0 barrier
1 barrier
0 compute 10000
0 alloc r0 GFP_KERNEL
0 st r0+0x0
0 st r0+0x400
0 st r0+0x800
0 st r0+0xc00
0 alloc r1 GFP_KERNEL
0 st r1+0x0
0 st r1+0x400
0 st r1+0x800
0 st r1+0xc00
1 alloc r0 GFP_KERNEL
1 st r0+0x0
1 st r0+0x400
1 st r0+0x800
1 st r0+0xc00
1 alloc r1 GFP_KERNEL
1 st r1+0x0
1 st r1+0x400
1 st r1+0x800
1 st r1+0xc00
0 barrier
1 barrier
0 free r0
0 free r1
1 free r0
1 free r1
0 barrier
1 barrier
0 alloc r0 GFP_KERNEL
0 st r0+0x0
0 st r0+0x400
0 st r0+0x800
0 st r0+0xc00
0 alloc r1 GFP_KERNEL
0 st r1+0x0
0 st r1+0x400
0 st r1+0x800
0 st r1+0xc00
1 alloc r0 GFP_KERNEL
1 st r0+0x0
1 st r0+0x400
1 st r0+0x800
1 st r0+0xc00
1 alloc r1 GFP_KERNEL
1 st r1+0x0
1 st r1+0x400
1 st r1+0x800
1 st r1+0xc00
0 barrier
1 barrier
0 free r0
0 free r1
1 free r0
1 free r1
0 barrier
1 barrier
