/* config.h - every setting of a run, in layers.
 *
 * Defaults first, then a GKeyFile (--config FILE), then --set group.key=value
 * overrides in order; the command line's own options (--protocol, --cores,
 * ...) are --set under another name.  One table of keys (config.c) drives
 * loading, overriding, validation, --dump-config and the JSON "config"
 * section, so a key cannot be known to one and missing from another.
 */
#ifndef LABYRINTH_CONFIG_H
#define LABYRINTH_CONFIG_H

#include <glib.h>
#include <stdint.h>

typedef enum { MODE_FUNCTIONAL, MODE_TIMING } SimMode;
typedef enum { SCHED_ROUNDS, SCHED_FILE } SimSchedule;
typedef enum { ARB_FIFO, ARB_ROUND_ROBIN } BusArbitration;
typedef enum { ALLOC_POLICY_GLOBAL, ALLOC_POLICY_PCP } AllocPolicy;
typedef enum { ALLOC_LOCK_TICKET, ALLOC_LOCK_TTAS } AllocLock;
typedef enum { ALLOC_CLAIM_ZERO, ALLOC_CLAIM_RFO } AllocClaim;

typedef struct {
	/* [system] */
	unsigned cores;      /* 0: the workload's %cores, else its highest core id + 1 */
	char *protocol;      /* a name from protocols/registry.c */
	SimMode mode;
	SimSchedule schedule;
	uint64_t seed;       /* every random choice derives from it */
	/* [cache] one private cache per core */
	uint64_t cache_size; /* bytes; a power of two */
	unsigned assoc;      /* ways per set */
	unsigned line;       /* bytes per line; a power of two, 8 .. 4096 */
	unsigned hit_latency;/* cycles */
	/* [bus] */
	BusArbitration arbitration;
	unsigned snoop_latency; /* cycles of the address/snoop phase */
	unsigned c2c_latency;   /* cycles to move a line cache to cache */
	unsigned bus_width;     /* bytes per bus cycle of a data transfer */
	/* [memory] */
	uint64_t mem_size;      /* bytes of physical memory; at most 2^48 */
	unsigned mem_latency;   /* cycles from request to first data */
	unsigned mem_bandwidth; /* bytes per cycle memory can deliver */
	/* [allocator] 0 where "derived" means the kernel's formula applies */
	uint64_t zone_pages;    /* 4 KiB page frames in the zone */
	uint64_t min_free;      /* min watermark, pages (0: derived) */
	uint64_t wmark_low;     /* low watermark, pages (0: derived) */
	uint64_t wmark_high;    /* high watermark, pages (0: derived) */
	unsigned batch;         /* pcp refill/drain batch (0: derived) */
	unsigned pcp_high;      /* pcp list high mark (0: derived) */
	AllocPolicy alloc_policy;
	AllocLock alloc_lock;
	AllocClaim alloc_claim;
} Config;

#define CONFIG_ERROR (config_error_quark())
GQuark config_error_quark(void);
typedef enum {
	CONFIG_ERROR_FILE,  /* the key file cannot be read or parsed */
	CONFIG_ERROR_KEY,   /* unknown group or key */
	CONFIG_ERROR_VALUE, /* a value of the wrong form or out of range */
} ConfigError;

void config_init(Config *cfg); /* the defaults */
void config_clear(Config *cfg);
/* dst is overwritten, not cleared first: pass a fresh or cleared Config. */
void config_copy(Config *dst, const Config *src);
/* g_auto(Config) cfg = { 0 }; clears it at the end of its scope. */
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Config, config_clear)

/* Loads a key file over cfg.  Unknown groups/keys and bad values are errors
 * naming the file, the group and the key. */
gboolean config_load_file(Config *cfg, const char *path, GError **error);
/* "group.key=value"; errors name the key. */
gboolean config_set(Config *cfg, const char *assignment, GError **error);
gboolean config_set_key(Config *cfg, const char *group, const char *key, const char *value,
			GError **error);
/* Cross-key checks (cache geometry, sizes); run once all layers are in. */
gboolean config_validate(const Config *cfg, GError **error);

/* The effective configuration as a key file that config_load_file() reads
 * back, every key with a comment giving its unit and default. */
char *config_dump(const Config *cfg);
/* One value as text, for reports and the JSON config section. */
char *config_value_string(const Config *cfg, const char *group, const char *key);

/* Iterating the table (for JSON and docs). */
typedef struct {
	const char *group, *key, *doc;
	int is_number; /* 1: the JSON value is an integer; 0: a string */
} ConfigKeyInfo;
int config_n_keys(void);
const ConfigKeyInfo *config_key(int i);

const char *config_mode_name(SimMode m);
const char *config_schedule_name(SimSchedule s);

#endif
