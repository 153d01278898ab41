%labyrinth-workload 1
%cores 2
# The event-trace goldens (basic.PROTOCOL.tsv): run with --set cache.size=128 --set cache.assoc=1
0 ld 0x1000
1 ld 0x1000
0 st 0x1000 7
1 ld 0x1008
1 st 0x1008 9
0 st 0x2040 1
0 ld 0x20c0
