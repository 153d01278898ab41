%labyrinth-workload 1
%name false-sharing
# Two counters in one line: core 0 owns word 0 of 0x3000, core 1 word 1.
# Neither reads the other's word, yet every store takes the line away.
0 st 0x3000 1
1 st 0x3008 1
0 st 0x3000 2
1 st 0x3008 2
0 st 0x3000 3
1 st 0x3008 3
# Private lines: no traffic.
0 ld 0x5000
1 ld 0x5100
