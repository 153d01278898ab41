%labyrinth-workload 1
%cores 4
%name quickstart
# A first look: four cores increment a shared counter under one spinlock,
# meet at a barrier, then all read the counter and their neighbour's slot.
#
# What to look for:
#  - the lock line (0x1000) and counter line (0x1040) move between caches:
#    cache-to-cache transfers (c2c) and invalidations under MSI/MESI/MOESI/
#    MESIF, updates (BusUpd) under Dragon;
#  - in timing mode, lock_wait cycles per core and the lock hand-offs;
#  - after the barrier every load hits or is served by another cache.
0 lock 0x1000
0 rmw add 0x1040 1
0 unlock 0x1000
1 lock 0x1000
1 rmw add 0x1040 1
1 unlock 0x1000
2 lock 0x1000
2 rmw add 0x1040 1
2 unlock 0x1000
3 lock 0x1000
3 rmw add 0x1040 1
3 unlock 0x1000
0 st 0x2000 10
1 st 0x2040 11
2 st 0x2080 12
3 st 0x20c0 13
0 compute 20
1 compute 40
2 compute 60
3 compute 80
0 barrier
1 barrier
2 barrier
3 barrier
0 ld 0x1040 =4
1 ld 0x1040 =4
2 ld 0x1040 =4
3 ld 0x1040 =4
0 ld 0x2040 =11
1 ld 0x2080 =12
2 ld 0x20c0 =13
3 ld 0x2000 =10
