/* memory.h - sparse simulated physical memory holding real 8-byte words.
 *
 * Only touched 4 KiB pages cost host memory.  Untouched words read as
 * zero.  Pages are found through a three-level radix table indexed by the
 * address bits (no hashing on the access path); physical addresses are at
 * most 48 bits.
 */
#ifndef LABYRINTH_MEMORY_H
#define LABYRINTH_MEMORY_H

#include <stdint.h>

#define MEM_PAGE_SHIFT 12
#define MEM_PAGE_SIZE (1u << MEM_PAGE_SHIFT)
#define MEM_MAX_ADDR_BITS 48

typedef struct Memory Memory;

Memory *mem_new(uint64_t size);
void mem_free(Memory *mem);
uint64_t mem_size(const Memory *mem);

uint64_t mem_read_word(const Memory *mem, uint64_t addr);
void mem_write_word(Memory *mem, uint64_t addr, uint64_t value);
/* A whole line (nwords 8-byte words from an aligned addr), to or from dst. */
void mem_read_line(const Memory *mem, uint64_t addr, uint64_t *dst, unsigned nwords);
void mem_write_line(Memory *mem, uint64_t addr, const uint64_t *src, unsigned nwords);
/* Host pages of simulated memory in use (for reports and tests). */
uint64_t mem_pages_touched(const Memory *mem);

#endif
