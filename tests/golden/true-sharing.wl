%labyrinth-workload 1
%name true-sharing
# One shared counter at 0x4000, incremented by both cores.
0 rmw add 0x4000 1
1 rmw add 0x4000 1
0 rmw add 0x4000 1
1 rmw add 0x4000 1
0 rmw add 0x4000 1
1 rmw add 0x4000 1
1 ld 0x4000 =6
# Private lines: no traffic.
0 ld 0x5000
1 ld 0x5100
