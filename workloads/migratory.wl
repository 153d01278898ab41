%labyrinth-workload 1
%cores 4
%name migratory
# labyrinth gen migratory --cores 4 --ops 200 --seed 1 --lines 1
# A record of --lines lines is read and then written, word by word, by one
# core at a time in turn (cores 0, 1, ..., N-1, 0, ...); a barrier ends each
# turn. The data migrates from cache to cache, always read before it is
# written.
# Look for: Per turn and record line: one load miss served by the previous
# owner, then an upgrade that invalidates it; the E state never helps.
# Dragon keeps every copy and pays a BusUpd for every store instead. Uses
# barriers, so not for --schedule file.
0 ld 0x100000
0 ld 0x100008
0 ld 0x100010
0 ld 0x100018
0 ld 0x100020
0 ld 0x100028
0 ld 0x100030
0 ld 0x100038
0 st 0x100000
0 st 0x100008
0 st 0x100010
0 st 0x100018
0 st 0x100020
0 st 0x100028
0 st 0x100030
0 st 0x100038
0 barrier
1 barrier
2 barrier
3 barrier
1 ld 0x100000
1 ld 0x100008
1 ld 0x100010
1 ld 0x100018
1 ld 0x100020
1 ld 0x100028
1 ld 0x100030
1 ld 0x100038
1 st 0x100000
1 st 0x100008
1 st 0x100010
1 st 0x100018
1 st 0x100020
1 st 0x100028
1 st 0x100030
1 st 0x100038
0 barrier
1 barrier
2 barrier
3 barrier
2 ld 0x100000
2 ld 0x100008
2 ld 0x100010
2 ld 0x100018
2 ld 0x100020
2 ld 0x100028
2 ld 0x100030
2 ld 0x100038
2 st 0x100000
2 st 0x100008
2 st 0x100010
2 st 0x100018
2 st 0x100020
2 st 0x100028
2 st 0x100030
2 st 0x100038
0 barrier
1 barrier
2 barrier
3 barrier
3 ld 0x100000
3 ld 0x100008
3 ld 0x100010
3 ld 0x100018
3 ld 0x100020
3 ld 0x100028
3 ld 0x100030
3 ld 0x100038
3 st 0x100000
3 st 0x100008
3 st 0x100010
3 st 0x100018
3 st 0x100020
3 st 0x100028
3 st 0x100030
3 st 0x100038
0 barrier
1 barrier
2 barrier
3 barrier
0 ld 0x100000
0 ld 0x100008
0 ld 0x100010
0 ld 0x100018
0 ld 0x100020
0 ld 0x100028
0 ld 0x100030
0 ld 0x100038
0 st 0x100000
0 st 0x100008
0 st 0x100010
0 st 0x100018
0 st 0x100020
0 st 0x100028
0 st 0x100030
0 st 0x100038
0 barrier
1 barrier
2 barrier
3 barrier
1 ld 0x100000
1 ld 0x100008
1 ld 0x100010
1 ld 0x100018
1 ld 0x100020
1 ld 0x100028
1 ld 0x100030
1 ld 0x100038
1 st 0x100000
1 st 0x100008
1 st 0x100010
1 st 0x100018
1 st 0x100020
1 st 0x100028
1 st 0x100030
1 st 0x100038
0 barrier
1 barrier
2 barrier
3 barrier
2 ld 0x100000
2 ld 0x100008
2 ld 0x100010
2 ld 0x100018
2 ld 0x100020
2 ld 0x100028
2 ld 0x100030
2 ld 0x100038
2 st 0x100000
2 st 0x100008
2 st 0x100010
2 st 0x100018
2 st 0x100020
2 st 0x100028
2 st 0x100030
2 st 0x100038
0 barrier
1 barrier
2 barrier
3 barrier
3 ld 0x100000
3 ld 0x100008
3 ld 0x100010
3 ld 0x100018
3 ld 0x100020
3 ld 0x100028
3 ld 0x100030
3 ld 0x100038
3 st 0x100000
3 st 0x100008
3 st 0x100010
3 st 0x100018
3 st 0x100020
3 st 0x100028
3 st 0x100030
3 st 0x100038
0 barrier
1 barrier
2 barrier
3 barrier
0 ld 0x100000
0 ld 0x100008
0 ld 0x100010
0 ld 0x100018
0 ld 0x100020
0 ld 0x100028
0 ld 0x100030
0 ld 0x100038
0 st 0x100000
0 st 0x100008
0 st 0x100010
0 st 0x100018
0 st 0x100020
0 st 0x100028
0 st 0x100030
0 st 0x100038
0 barrier
1 barrier
2 barrier
3 barrier
1 ld 0x100000
1 ld 0x100008
1 ld 0x100010
1 ld 0x100018
1 ld 0x100020
1 ld 0x100028
1 ld 0x100030
1 ld 0x100038
1 st 0x100000
1 st 0x100008
1 st 0x100010
1 st 0x100018
1 st 0x100020
1 st 0x100028
1 st 0x100030
1 st 0x100038
0 barrier
1 barrier
2 barrier
3 barrier
