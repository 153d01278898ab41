/* verify_random.c - the random tester (see verify_random.h).
 *
 * Generation: each operation goes to a core drawn at random.  A core
 * outside a critical section draws a load, a store, an rmw, a lock (which
 * opens a section of one to three data accesses closed by its unlock), a
 * barrier or a compute.  Sections never nest and hold no barrier, so no
 * generated workload can deadlock under the rounds schedule: a deadlock
 * is reported as a failure like a broken invariant.  Data words are words
 * 0..3 of each line; the lock words are word 7 of lines 0 and 1, so locks
 * share their lines with data (false sharing) but plain stores never
 * touch them.  Stored values are fresh numbers, so a stale copy never
 * passes for the current one.  Kernel calls: each core uses page registers
 * r0..r2 of its own; it allocates into an empty one (order 0 or 1,
 * GFP_KERNEL or GFP_ATOMIC, zeroed or not), accesses the first lines of a
 * held block through it, takes and at once releases its PG_locked bit, or
 * frees it.  Pages freed by one core are reallocated by others, so the
 * allocator's exclusive claim meets stale copies in other caches.  The
 * PRNG is xorshift64*, seeded from the seed alone, so a seed gives the
 * same workload everywhere.
 *
 * Minimising: ddmin over the operation lines (Zeller): try dropping each
 * of n chunks; keep the first smaller workload that still fails the same
 * way (the same checker error, or the same engine error); otherwise double
 * n.  Dropping half a lock/unlock pair usually makes the candidate fail in
 * another way (a deadlock) and it is then simply not kept.  A budget of
 * simulations bounds the time it takes.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "checker.h"
#include "verify_random.h"
#include "engine/engine.h"
#include "engine/functional.h"
#include "engine/timing.h"
#include "input/workload.h"
#include "kernel/kernel.h"
#include "kernel/layout.h"
#include "machine/machine.h"

G_DEFINE_QUARK(labyrinth-verify-random-error-quark, vr_error)

#define LINE_BASE UINT64_C(0x100000)
#define DATA_WORDS 4   /* words 0..3 of each line hold data */
#define LOCK_WORD 7    /* word 7 of lines 0 and 1 holds a lock */
#define SHRINK_BUDGET 4000 /* simulations delta debugging may spend */
#define N_PAGE_REGS 3      /* r0..r2 of each core take pages */

typedef struct {
	uint64_t s;
} Rng;

static uint64_t rng_next(Rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * UINT64_C(2685821657736338717);
}

static unsigned rng_below(Rng *r, unsigned n)
{
	return (unsigned)(rng_next(r) % n);
}

void vr_config(const VrOptions *o, Config *cfg)
{
	config_init(cfg);
	g_free(cfg->protocol);
	cfg->protocol = g_strdup(o->proto->name);
	cfg->cores = o->cores;
	cfg->mode = o->mode;
	cfg->schedule = SCHED_ROUNDS;
	cfg->seed = o->seed;
	/* The six machines of verify_random.h. */
	static const struct {
		unsigned lines, assoc;
		AllocPolicy policy;
		AllocClaim claim;
	} machines[6] = {
		{ 4, 2, ALLOC_POLICY_PCP, ALLOC_CLAIM_ZERO },
		{ 4, 2, ALLOC_POLICY_GLOBAL, ALLOC_CLAIM_RFO },
		{ 16, 4, ALLOC_POLICY_GLOBAL, ALLOC_CLAIM_ZERO },
		{ 16, 4, ALLOC_POLICY_PCP, ALLOC_CLAIM_RFO },
		{ 128, 8, ALLOC_POLICY_PCP, ALLOC_CLAIM_RFO },
		{ 128, 8, ALLOC_POLICY_GLOBAL, ALLOC_CLAIM_ZERO },
	};
	unsigned f = (unsigned)(o->seed % 6);
	cfg->cache_size = (uint64_t)machines[f].lines * VR_LINE;
	cfg->assoc = machines[f].assoc;
	cfg->line = VR_LINE;
	cfg->alloc_policy = machines[f].policy;
	cfg->alloc_claim = machines[f].claim;
}

char *vr_run_options(const VrOptions *o)
{
	g_auto(Config) cfg = { 0 };
	vr_config(o, &cfg);
	g_autofree char *policy = config_value_string(&cfg, "allocator", "policy");
	g_autofree char *claim = config_value_string(&cfg, "allocator", "claim");
	return g_strdup_printf("--protocol %s --mode %s --cache-size %" PRIu64 " --assoc %u "
			       "--line %u --set allocator.policy=%s --set allocator.claim=%s",
			       o->proto->name, config_mode_name(o->mode), cfg.cache_size, cfg.assoc,
			       cfg.line, policy, claim);
}

static uint64_t data_addr(Rng *r, unsigned lines)
{
	return LINE_BASE + (uint64_t)rng_below(r, lines) * VR_LINE + 8 * rng_below(r, DATA_WORDS);
}

static uint64_t lock_addr(Rng *r, unsigned lines)
{
	return LINE_BASE + (uint64_t)rng_below(r, MIN(lines, 2)) * VR_LINE + 8 * LOCK_WORD;
}

/* One data access by core c: a load, a store of a fresh value, or an rmw. */
static void data_op(GString *out, Rng *r, const VrOptions *o, unsigned c, uint64_t *fresh)
{
	uint64_t a = data_addr(r, o->lines);
	unsigned x = rng_below(r, 100);
	if (x < 45)
		g_string_append_printf(out, "%u ld 0x%" PRIx64 "\n", c, a);
	else if (x < 80)
		g_string_append_printf(out, "%u st 0x%" PRIx64 " %" PRIu64 "\n", c, a, ++*fresh);
	else if (x < 88)
		g_string_append_printf(out, "%u rmw add 0x%" PRIx64 " %u\n", c, a, 1 + rng_below(r, 9));
	else if (x < 94)
		g_string_append_printf(out, "%u rmw xchg 0x%" PRIx64 " %" PRIu64 "\n", c, a, ++*fresh);
	else { /* expects 0 or a recent value, so some succeed */
		uint64_t expect = rng_below(r, 2) ? 0 : *fresh - MIN(*fresh, rng_below(r, 4));
		g_string_append_printf(out, "%u rmw cas 0x%" PRIx64 " %" PRIu64 " %" PRIu64 "\n", c,
				       a, expect, ++*fresh);
	}
}


/* One kernel call by core c, or an access through a page register. */
static void kernel_op(GString *out, Rng *r, unsigned c, unsigned *pages, gboolean *page_locked,
		      uint64_t *fresh)
{
	static const char *const gfp[] = { "GFP_KERNEL", "GFP_ATOMIC", "GFP_KERNEL|__GFP_ZERO",
					   "GFP_ATOMIC|__GFP_ZERO" };
	unsigned reg = rng_below(r, N_PAGE_REGS);
	if (*page_locked) {
		g_string_append_printf(out, "%u unlock_page r%d\n", c, *page_locked - 1);
		*page_locked = 0;
		return;
	}
	if (!(pages[c] & (1u << reg))) {
		unsigned order = rng_below(r, 4) == 0;
		g_string_append_printf(out, "%u alloc r%u %s %u\n", c, reg, gfp[rng_below(r, 4)],
				       order);
		pages[c] |= 1u << reg;
		return;
	}
	uint64_t off = (uint64_t)rng_below(r, 4) * VR_LINE + 8 * rng_below(r, DATA_WORDS);
	unsigned x = rng_below(r, 100);
	if (x < 30)
		g_string_append_printf(out, "%u ld r%u+0x%" PRIx64 "\n", c, reg, off);
	else if (x < 60)
		g_string_append_printf(out, "%u st r%u+0x%" PRIx64 " %" PRIu64 "\n", c, reg, off,
				       ++*fresh);
	else if (x < 70)
		g_string_append_printf(out, "%u rmw add r%u+0x%" PRIx64 " 1\n", c, reg, off);
	else if (x < 80) {
		g_string_append_printf(out, "%u lock_page r%u\n", c, reg);
		*page_locked = reg + 1;
	} else {
		g_string_append_printf(out, "%u free r%u\n", c, reg);
		pages[c] &= ~(1u << reg);
	}
}

char *vr_generate(const VrOptions *o)
{
	Rng r = { o->seed ^ UINT64_C(0x9e3779b97f4a7c15) };
	if (r.s == 0)
		r.s = 1;
	unsigned section[VR_MAX_CORES] = { 0 };   /* accesses left in the open section */
	uint64_t held[VR_MAX_CORES] = { 0 };      /* the lock it holds, or 0 */
	unsigned pages[VR_MAX_CORES] = { 0 };     /* bit r: rN holds a block */
	gboolean page_locked[VR_MAX_CORES] = { 0 }; /* 1 + the register it locked, or 0 */
	uint64_t fresh = 0;
	GString *out = g_string_new(NULL);
	g_string_append_printf(out,
			       "%%labyrinth-workload 1\n%%cores %u\n%%name random-%s-%" PRIu64 "\n",
			       o->cores, o->proto->name, o->seed);
	for (uint64_t i = 0; i < o->ops; i++) {
		unsigned c = rng_below(&r, o->cores);
		if (held[c]) {
			data_op(out, &r, o, c, &fresh);
			if (--section[c] == 0) {
				g_string_append_printf(out, "%u unlock 0x%" PRIx64 "\n", c, held[c]);
				held[c] = 0;
			}
			continue;
		}
		if (page_locked[c]) {
			kernel_op(out, &r, c, pages, &page_locked[c], &fresh);
			continue;
		}
		unsigned x = rng_below(&r, 100);
		if (x >= 90 && !o->no_alloc) {
			kernel_op(out, &r, c, pages, &page_locked[c], &fresh);
		} else if (x < 70) {
			data_op(out, &r, o, c, &fresh);
		} else if (x < 80) {
			held[c] = lock_addr(&r, o->lines);
			section[c] = 1 + rng_below(&r, 3);
			g_string_append_printf(out, "%u lock 0x%" PRIx64 "\n", c, held[c]);
		} else if (x < 83) {
			g_string_append_printf(out, "%u barrier\n", c);
		} else if (x < 86) {
			g_string_append_printf(out, "%u compute %u\n", c, 1 + rng_below(&r, 20));
		} else {
			/* Spinning readers of a lock word, holders or not. */
			g_string_append_printf(out, "%u ld 0x%" PRIx64 "\n", c, lock_addr(&r, o->lines));
		}
	}
	for (unsigned c = 0; c < o->cores; c++) {
		if (held[c])
			g_string_append_printf(out, "%u unlock 0x%" PRIx64 "\n", c, held[c]);
		if (page_locked[c])
			g_string_append_printf(out, "%u unlock_page r%u\n", c, page_locked[c] - 1);
	}
	return g_string_free(out, FALSE);
}

static gboolean write_temp(const char *text, char **path, GError **error)
{
	int fd = g_file_open_tmp("labyrinth-random-XXXXXX.wl", path, error);
	if (fd < 0)
		return FALSE;
	close(fd);
	return g_file_set_contents(*path, text, -1, error);
}

/* ---- Running one workload, in a child process ----
 *
 * Each simulation runs in a forked child, as Check runs each test: the
 * checker there exits at the first violation (CHECKER_EXIT), so the engine
 * never goes on with broken state, and a crash (an assertion in the
 * controller or the allocator) ends only the child and becomes a failure
 * that can be shrunk like any other.  The child reports on a pipe; its
 * stderr (the checker's report, GLib's assertion messages) goes to a
 * temporary file the parent reads afterwards.
 *
 * Child exit statuses: 0 passed (the pipe has the number of accesses
 * checked), CHECKER_EXIT_STATUS a broken invariant or protocol error (the
 * report is on stderr), 1 the engine or the allocator stopped the run (the
 * pipe says why), 2 the workload could not be run at all (likewise).
 */

static G_NORETURN void child_exit(int fd, int status, const char *msg)
{
	gsize len = strlen(msg);
	while (len > 0) {
		gssize n = write(fd, msg, len);
		if (n <= 0)
			break;
		msg += n;
		len -= (gsize)n;
	}
	_exit(status);
}

static G_NORETURN void child_run(const VrOptions *o, const char *path, int fd)
{
	g_auto(Config) cfg = { 0 };
	vr_config(o, &cfg);
	WlLimits limits = {
		.cores = o->cores,
		.mem_size = cfg.mem_size,
		.kernel_base = kernel_region_base(&cfg),
	};
	WlInfo info;
	GError *err = NULL;
	WlFile *wl = wl_open(path, &err);
	if (!wl || !wl_validate(wl, &limits, &info, &err))
		child_exit(fd, 2, err->message);
	Machine *m = machine_new(&cfg, o->proto, info.cores);
	/* A missing row becomes the checker's report instead of an abort. */
	machine_set_record_errors(m, TRUE);
	Kernel *k = NULL;
	if (info.uses_alloc && !(k = kernel_new(&cfg, m, &err)))
		child_exit(fd, 2, err->message);
	Checker *ck = checker_attach(m, CHECKER_EXIT);
	RunResult res;
	run_result_init(&res, info.cores);
	gboolean ran = o->mode == MODE_TIMING
			       ? timing_run_kernel(m, k, wl, &info, &cfg, &res, &err)
			       : functional_run_kernel(m, k, wl, &info, SCHED_ROUNDS, &res, &err);
	if (!ran) {
		const char *who = err->domain == SIM_ERROR	 ? "engine"
				  : err->domain == KERNEL_ERROR ? "kernel"
								 : NULL;
		g_autofree char *msg = g_strdup_printf("%s: %s", who ? who : "error", err->message);
		child_exit(fd, who ? 1 : 2, msg);
	}
	g_autofree char *n = g_strdup_printf("%" PRIu64, checker_n_checked(ck));
	child_exit(fd, 0, n);
}

static char *read_all(int fd)
{
	GString *s = g_string_new(NULL);
	char buf[4096];
	gssize n;
	while ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			g_string_append_len(s, buf, n);
	return g_string_free(s, FALSE);
}

/* Runs the workload file at path; *failure as for vr_run_text(). */
static gboolean simulate(const VrOptions *o, const char *path, char **failure, uint64_t *checked,
			 GError **error)
{
	int fds[2];
	FILE *err_file = tmpfile();
	if (!err_file || pipe(fds) != 0) {
		g_set_error(error, VR_ERROR, VR_ERROR_INTERNAL, "cannot run a child: %s",
			    g_strerror(errno));
		if (err_file)
			fclose(err_file);
		return FALSE;
	}
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		dup2(fileno(err_file), STDERR_FILENO);
		child_run(o, path, fds[1]);
	}
	close(fds[1]);
	g_autofree char *said = pid > 0 ? read_all(fds[0]) : NULL;
	close(fds[0]);
	int status = 0;
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	rewind(err_file);
	g_autofree char *err_text = read_all(fileno(err_file));
	fclose(err_file);
	g_strstrip(err_text);
	if (pid < 0) {
		g_set_error(error, VR_ERROR, VR_ERROR_INTERNAL, "cannot fork: %s", g_strerror(errno));
		return FALSE;
	}
	if (WIFSIGNALED(status)) {
		/* An assertion or a fault: what GLib printed says where. */
		*failure = g_strdup_printf("crash: %s (signal %d)%s%s", g_strsignal(WTERMSIG(status)),
					   WTERMSIG(status), *err_text ? "\n" : "", err_text);
		return TRUE;
	}
	switch (WEXITSTATUS(status)) {
	case 0:
		if (checked)
			*checked = g_ascii_strtoull(said, NULL, 10);
		return TRUE;
	case CHECKER_EXIT_STATUS:
		*failure = g_strdup(g_str_has_prefix(err_text, "labyrinth: ")
					    ? err_text + strlen("labyrinth: ")
					    : err_text);
		return TRUE;
	case 1:
		*failure = g_steal_pointer(&said);
		return TRUE;
	}
	g_set_error(error, VR_ERROR, VR_ERROR_INTERNAL, "%s", *said ? said : err_text);
	return FALSE;
}

gboolean vr_run_text(const VrOptions *o, const char *text, char **failure, uint64_t *checked,
		     GError **error)
{
	g_autofree char *path = NULL;
	*failure = NULL;
	if (checked)
		*checked = 0;
	if (!write_temp(text, &path, error))
		return FALSE;
	gboolean ok = simulate(o, path, failure, checked, error);
	g_unlink(path);
	if (!ok && error && *error)
		g_prefix_error(error, "verify random: internal error running a generated workload: ");
	return ok;
}

/* ---- Delta debugging ---- */

typedef struct {
	const VrOptions *o;
	char *header;      /* the lines before the first operation */
	const char *kind;  /* what the failure must start with to count as the same */
	gsize kind_len;
	unsigned runs;
	char *last_failure;
} Shrink;

static char *compose(const Shrink *sh, GPtrArray *ops)
{
	GString *s = g_string_new(sh->header);
	for (guint i = 0; i < ops->len; i++) {
		g_string_append(s, g_ptr_array_index(ops, i));
		g_string_append_c(s, '\n');
	}
	return g_string_free(s, FALSE);
}

/* Does the workload of these operations fail the same way? */
static gboolean still_fails(Shrink *sh, GPtrArray *ops)
{
	g_autofree char *text = compose(sh, ops);
	char *failure = NULL;
	sh->runs++;
	if (!vr_run_text(sh->o, text, &failure, NULL, NULL) || !failure)
		return FALSE;
	if (strncmp(failure, sh->kind, sh->kind_len) != 0) {
		g_free(failure);
		return FALSE;
	}
	g_free(sh->last_failure);
	sh->last_failure = failure;
	return TRUE;
}

/* ops without the n entries from start. */
static GPtrArray *without(GPtrArray *ops, guint start, guint n)
{
	GPtrArray *c = g_ptr_array_sized_new(ops->len);
	for (guint i = 0; i < ops->len; i++)
		if (i < start || i >= start + n)
			g_ptr_array_add(c, g_ptr_array_index(ops, i));
	return c;
}

static GPtrArray *ddmin(Shrink *sh, GPtrArray *ops)
{
	guint n = 2;
	while (ops->len >= 2 && sh->runs < SHRINK_BUDGET) {
		guint chunk = (ops->len + n - 1) / n;
		gboolean reduced = FALSE;
		for (guint start = 0; start < ops->len && sh->runs < SHRINK_BUDGET; start += chunk) {
			GPtrArray *cand = without(ops, start, chunk);
			if (cand->len < ops->len && still_fails(sh, cand)) {
				g_ptr_array_free(ops, TRUE);
				ops = cand;
				n = MAX(n - 1, 2);
				reduced = TRUE;
				break;
			}
			g_ptr_array_free(cand, TRUE);
		}
		if (!reduced) {
			if (n >= ops->len)
				break;
			n = MIN(n * 2, ops->len);
		}
	}
	return ops;
}

/* The failure's kind: its text up to the first ':' after the prefix. */
static gsize failure_kind_len(const char *failure)
{
	const char *p = strchr(failure, ':');
	if (p && g_str_has_prefix(failure, "invariant violated: ")) {
		p = strchr(failure + strlen("invariant violated: "), ':');
	}
	return p ? (gsize)(p - failure) : strlen(failure);
}

static void minimise(const VrOptions *o, const char *text, const char *failure, VrResult *r)
{
	Shrink sh = { .o = o, .kind = failure, .kind_len = failure_kind_len(failure) };
	GString *header = g_string_new(NULL);
	/* Entries point into lines; the array only frees the containers. */
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	GPtrArray *ops = g_ptr_array_new();
	for (char **l = lines; *l; l++) {
		if (**l == '%' || **l == '#') {
			g_string_append_printf(header, "%s\n", *l);
		} else if (**l) {
			g_ptr_array_add(ops, *l);
		}
	}
	sh.header = g_string_free(header, FALSE);
	ops = ddmin(&sh, ops);
	r->minimised_ops = ops->len;
	r->shrink_runs = sh.runs;
	g_autofree char *body = compose(&sh, ops);
	g_autofree char *run = vr_run_options(o);
	GString *out = g_string_new(NULL);
	g_string_append_printf(
		out,
		"# Minimised by labyrinth verify random --protocol %s --cores %u --seed %" PRIu64
		" --ops %" PRIu64 " --lines %u --mode %s%s\n"
		"# (%u of %" PRIu64 " operations kept).  Reproduce with:\n"
		"#   labyrinth run THIS_FILE --check %s\n"
		"# The failure:\n",
		o->proto->name, o->cores, o->seed, o->ops, o->lines, config_mode_name(o->mode),
		o->no_alloc ? " --no-alloc" : "", ops->len, r->generated_ops, run);
	g_auto(GStrv) flines = g_strsplit(sh.last_failure ? sh.last_failure : failure, "\n", -1);
	for (char **l = flines; *l; l++)
		g_string_append_printf(out, "#   %s\n", *l);
	g_string_append(out, body);
	r->workload = g_string_free(out, FALSE);
	g_ptr_array_free(ops, TRUE);
	g_free(sh.header);
	g_free(sh.last_failure);
}

static gboolean check_options(const VrOptions *o, GError **error)
{
	if (o->cores < 1 || o->cores > VR_MAX_CORES || o->lines < 1 || o->lines > VR_MAX_LINES ||
	    o->ops < 1) {
		g_set_error(error, VR_ERROR, VR_ERROR_OPTION,
			    "verify random: cores must be 1..%d, lines 1..%d and ops at least 1",
			    VR_MAX_CORES, VR_MAX_LINES);
		return FALSE;
	}
	return TRUE;
}

gboolean vr_run(const VrOptions *o, VrResult *r, GError **error)
{
	memset(r, 0, sizeof *r);
	if (!check_options(o, error))
		return FALSE;
	g_autofree char *text = vr_generate(o);
	for (const char *l = text; *l; l = strchr(l, '\n') + 1)
		r->generated_ops += *l != '%' && *l != '#';
	if (!vr_run_text(o, text, &r->failure, &r->checked, error))
		return FALSE;
	if (r->failure && !o->no_minimise)
		minimise(o, text, r->failure, r);
	else if (r->failure)
		r->workload = g_strdup(text);
	return TRUE;
}

void vr_result_clear(VrResult *r)
{
	g_free(r->failure);
	g_free(r->workload);
	memset(r, 0, sizeof *r);
}
