%labyrinth-workload 1
%cores 2
%name higher-order
# higher-order.wl - blocks of 2^order pages: split on alloc, merged on free.
#
# The default zone of 4096 pages boots as four free blocks of order 10.
# Order > 0 never uses the per-CPU lists, so each call below takes the
# zone lock and walks the buddy lists (__rmqueue_smallest, expand,
# __free_one_page):
#  - core 0 asks for order 2 (4 pages): the first order-10 block is split
#    down, leaving one free block of each order 9..2; core 0 gets the pages
#    at the bottom of the zone, and stores to the last word of its fourth
#    page (r1+0x3ff8; r1+0x4000 would be outside the block: an error);
#  - core 1 asks for order 3 with __GFP_ZERO: the order-3 block split off
#    just before, eight pages above core 0's;
#  - core 1 asks for order 1 (GFP_ATOMIC): no order-1 block is free, so
#    the order-2 block above core 0's is split;
#  - the frees merge: core 0's block cannot merge yet (its buddy is core
#    1's order-1 block); freeing that one merges three times into an
#    order-3 block; freeing the order-3 block merges up to order 10 again.
# What to look for: 3 allocs, 3 frees, 0 failures; the claims take
# 256 + 512 + 128 = 896 lines (BusInv); at the end the zone is whole again
# (allocator.zone.free_pages = 4096 and no page allocated).
0 alloc r1 GFP_KERNEL 2
0 st r1+0x3ff8 1
1 alloc r2 GFP_KERNEL|__GFP_ZERO 3
1 alloc r3 GFP_ATOMIC 1
0 ld r1+0x3ff8 =1
0 compute 1
0 free r1
1 ld r2+0x7ff8 =0
1 free r3
1 free r2
