%labyrinth-workload 1
%cores 1
%name reserve-exhaustion
# reserve-exhaustion.wl - GFP_ATOMIC dips into the min reserve where
# GFP_NOWAIT may not, and then both fail.
#
# It needs a small zone with explicit watermarks (the kernel's defaults
# for 16 pages would not fit), so run it as:
#   labyrinth run workloads/reserve-exhaustion.wl --mode functional \
#       --set allocator.zone_pages=16 --set allocator.min_free=8 \
#       --set allocator.low=10 --set allocator.high=12 \
#       --set allocator.policy=global
# With min = 8 the floors are: low 10 (the fast path), min 8 for
# GFP_NOWAIT, and for GFP_ATOMIC 8 - 8/2 = 4, then 4 - 4/4 = 3 (3/8 of
# min).  A request passes while free pages > floor.
#
# What to look for (free pages before each alloc):
#  - r0..r7: GFP_NOWAIT succeeds at 16 .. 9 free (the last two through the
#    slow path, below the low watermark): 8 left;
#  - r8: GFP_NOWAIT fails at 8 (not above min): r8 holds 0;
#  - r9..r13: GFP_ATOMIC succeeds at 8, 7, 6, 5, 4: five reserve dips;
#  - r14, r15: GFP_ATOMIC fails at 3, and so does GFP_NOWAIT.
#  Totals: allocs 13, failures 3, reserve_dips 5, slowpath 10, 3 free
#  pages, 13 pages still allocated at the end (nothing is freed).
0 alloc r0 GFP_NOWAIT
0 alloc r1 GFP_NOWAIT
0 alloc r2 GFP_NOWAIT
0 alloc r3 GFP_NOWAIT
0 alloc r4 GFP_NOWAIT
0 alloc r5 GFP_NOWAIT
0 alloc r6 GFP_NOWAIT
0 alloc r7 GFP_NOWAIT
0 alloc r8 GFP_NOWAIT
0 alloc r9 GFP_ATOMIC
0 alloc r10 GFP_ATOMIC
0 alloc r11 GFP_ATOMIC
0 alloc r12 GFP_ATOMIC
0 alloc r13 GFP_ATOMIC
0 alloc r14 GFP_ATOMIC
0 alloc r15 GFP_NOWAIT
