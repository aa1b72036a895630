/*
 * Readers for the kernel's membership tables.  The formats, as printed by
 * the seq_show functions of net/ipv4/igmp.c and net/ipv6/mcast.c (checked
 * against a 6.18 kernel):
 *
 * /proc/net/igmp (igmp_mc_seq_show)
 *	"Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n"
 *	"%d\t%-10s: %5d %7s\n"		ifindex, name, group count, V1/V2/V3
 *					(or NONE without CONFIG_IP_MULTICAST),
 *					printed before the interface's first
 *					group
 *	"\t\t\t\t%08X %5d %d:%08lX\t\t%d\n"
 *					group as the raw __be32 (so host byte
 *					order: 224.0.0.1 is 010000E0 on x86),
 *					users, timer running, clock_t ticks to
 *					expiry, reporter
 * /proc/net/igmp6 (igmp6_mc_seq_show), no header
 *	"%-4d %-15s %pi6 %5d %08X %ld\n" ifindex, name, group, users, MAF_*
 *					flags, clock_t ticks to expiry
 * /proc/net/mcfilter (igmp_mcf_seq_show)
 *	"Idx Device        MCA        SRC    INC    EXC\n"
 *	"%3d %6.6s 0x%08x 0x%08x %6lu %6lu\n"
 *					group and source through ntohl()
 *					(224.0.0.1 is 0xe0000001), name cut to
 *					6 characters
 * /proc/net/mcfilter6 (igmp6_mcf_seq_show)
 *	"Idx Device                Multicast Address                   "
 *	"Source Address    INC    EXC\n"
 *	"%3d %6.6s %pi6 %pi6 %6lu %6lu\n"
 *
 * Both timers are clock_t (USER_HZ, sysconf(_SC_CLK_TCK)) on any kernel
 * since 2.6: igmp uses jiffies_delta_to_clock_t(), igmp6
 * jiffies_to_clock_t().  On a CONFIG_HZ=250 kernel both count down by 100
 * a second.
 *
 * The parsers work on a NUL-terminated text, never look past its end,
 * and reject any line that does not have exactly the expected fields.
 * A rejected file leaves the table as it was before the call.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>

#include <mcast/mcast.h>

/* include/net/if_inet6.h */
#define PROCNET_MAF_TIMER_RUNNING 0x01
#define PROCNET_MAF_LAST_REPORTER 0x02

/* mcfilter and mcfilter6 print the device name with %6.6s. */
#define PROCNET_MCF_NAME_LEN 6

/* A range of the text: [p, end). */
struct procnet_span {
	const char *p;
	const char *end;
};

/*
 * Take the next line of *text into *line (without its '\n').  False at the
 * end of the text.
 */
static bool
procnet_next_line(struct procnet_span *text, struct procnet_span *line)
{
	const char *nl;

	if (text->p >= text->end)
		return false;
	nl = memchr(text->p, '\n', (size_t)(text->end - text->p));
	line->p = text->p;
	line->end = nl != NULL ? nl : text->end;
	text->p = nl != NULL ? nl + 1 : text->end;
	return true;
}

static bool
procnet_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void
procnet_skip_blanks(struct procnet_span *s)
{
	while (s->p < s->end && procnet_is_blank(*s->p))
		s->p++;
}

/*
 * Take the next word (a run of characters up to a blank, or up to stop if
 * it is not NUL) into *word.  False if there is none.
 */
static bool
procnet_word(struct procnet_span *s, char stop, struct procnet_span *word)
{
	procnet_skip_blanks(s);
	word->p = s->p;
	while (s->p < s->end && !procnet_is_blank(*s->p) &&
	    (stop == '\0' || *s->p != stop))
		s->p++;
	word->end = s->p;
	return word->end > word->p;
}

/* True if only blanks remain. */
static bool
procnet_at_end(struct procnet_span *s)
{
	procnet_skip_blanks(s);
	return s->p == s->end;
}

static int
procnet_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decimal digits only, at most max. */
static bool
procnet_dec(const struct procnet_span *w, unsigned long max, unsigned long *out)
{
	const char *p;
	unsigned long v = 0, d;

	if (w->p == w->end)
		return false;
	for (p = w->p; p < w->end; p++) {
		if (*p < '0' || *p > '9')
			return false;
		d = (unsigned long)(*p - '0');
		if (v > max / 10 || (v == max / 10 && d > max % 10))
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static bool
procnet_dec_uint(const struct procnet_span *w, unsigned *out)
{
	unsigned long v;

	if (!procnet_dec(w, UINT_MAX, &v))
		return false;
	*out = (unsigned)v;
	return true;
}

/* Hex digits only: between min and max of them. */
static bool
procnet_hex(const struct procnet_span *w, size_t min, size_t max,
    unsigned long *out)
{
	const char *p;
	unsigned long v = 0;
	size_t n = (size_t)(w->end - w->p);
	int d;

	if (n < min || n > max || n > sizeof(v) * 2)
		return false;
	for (p = w->p; p < w->end; p++) {
		if ((d = procnet_hex_digit(*p)) < 0)
			return false;
		v = v << 4 | (unsigned long)d;
	}
	*out = v;
	return true;
}

/* Exactly 8 hex digits (%08X of a 32-bit value), optionally after "0x". */
static bool
procnet_hex32(struct procnet_span w, bool prefix, uint32_t *out)
{
	unsigned long v;

	if (prefix) {
		if (w.end - w.p < 2 || w.p[0] != '0' || w.p[1] != 'x')
			return false;
		w.p += 2;
	}
	if (!procnet_hex(&w, 8, 8, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

/* %pi6: 32 hex digits, no colons. */
static bool
procnet_in6(const struct procnet_span *w, struct mc_ip *out)
{
	int hi, lo;
	size_t i;

	if (w->end - w->p != 32)
		return false;
	memset(out, 0, sizeof(*out));
	out->family = AF_INET6;
	for (i = 0; i < 16; i++) {
		hi = procnet_hex_digit(w->p[2 * i]);
		lo = procnet_hex_digit(w->p[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out->u.v6.s6_addr[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

static bool
procnet_ifname(const struct procnet_span *w, char name[IF_NAMESIZE])
{
	size_t n = (size_t)(w->end - w->p);

	if (n == 0 || n >= IF_NAMESIZE)
		return false;
	memcpy(name, w->p, n);
	name[n] = '\0';
	return true;
}

/* Does text (one line, without '\n') begin with prefix? */
static bool
procnet_starts_with(const struct procnet_span *line, const char *prefix)
{
	size_t n = strlen(prefix);

	return (size_t)(line->end - line->p) >= n &&
	    memcmp(line->p, prefix, n) == 0;
}

/*
 * Make room for one more element of size size in *array holding n.  The
 * capacity is implied by n: 8, 16, 32 ... so we grow when n reaches one of
 * them.  Returns the new (zeroed) element or NULL without memory.
 */
static void *
procnet_append(void **array, size_t n, size_t size)
{
	size_t cap;
	void *p;
	char *elem;

	if (n == 0 || (n >= 8 && (n & (n - 1)) == 0)) {
		cap = n == 0 ? 8 : n * 2;
		if (cap > SIZE_MAX / size)
			return NULL;
		if ((p = realloc(*array, cap * size)) == NULL)
			return NULL;
		*array = p;
	}
	elem = (char *)*array + n * size;
	memset(elem, 0, size);
	return elem;
}

static struct mc_membership *
procnet_add_group(struct mc_procnet_table *t)
{
	struct mc_membership *m;

	m = procnet_append((void **)&t->groups, t->ngroups, sizeof(*m));
	if (m != NULL)
		t->ngroups++;
	return m;
}

static struct mc_source_filter *
procnet_add_source(struct mc_procnet_table *t)
{
	struct mc_source_filter *sf;

	sf = procnet_append((void **)&t->sources, t->nsources, sizeof(*sf));
	if (sf != NULL)
		t->nsources++;
	return sf;
}

/*
 * mcfilter and mcfilter6 cut the name to 6 characters.  A shorter one is
 * whole.  A 6-character one may be the start of a longer name: take the
 * full name from the memberships already read (igmp, igmp6) or from
 * if_indextoname(), if either starts with the text; else keep the text.
 */
static void
procnet_mcf_ifname(const struct mc_procnet_table *t, unsigned ifindex,
    char name[IF_NAMESIZE])
{
	char full[IF_NAMESIZE];
	size_t i;

	if (strlen(name) < PROCNET_MCF_NAME_LEN)
		return;
	for (i = 0; i < t->ngroups; i++) {
		if (t->groups[i].ifindex == ifindex &&
		    strncmp(t->groups[i].ifname, name, PROCNET_MCF_NAME_LEN) ==
			0) {
			memcpy(name, t->groups[i].ifname, IF_NAMESIZE);
			return;
		}
	}
	if (if_indextoname(ifindex, full) != NULL &&
	    strncmp(full, name, PROCNET_MCF_NAME_LEN) == 0)
		memcpy(name, full, IF_NAMESIZE);
}

/* The interface line of /proc/net/igmp, filling the fields of *cur. */
static bool
procnet_igmp_iface(struct procnet_span line, struct mc_membership *cur)
{
	struct procnet_span w;

	if (!procnet_word(&line, ':', &w) ||
	    !procnet_dec_uint(&w, &cur->ifindex))
		return false;
	if (!procnet_word(&line, ':', &w) || !procnet_ifname(&w, cur->ifname))
		return false;
	procnet_skip_blanks(&line);
	if (line.p == line.end || *line.p != ':')
		return false;
	line.p++;
	if (!procnet_word(&line, '\0', &w) ||
	    !procnet_dec_uint(&w, &cur->iface_groups))
		return false;
	if (!procnet_word(&line, '\0', &w))
		return false;
	if (w.end - w.p == 2 && w.p[0] == 'V' && w.p[1] >= '1' && w.p[1] <= '3')
		cur->querier_version = (unsigned)(w.p[1] - '0');
	else if (w.end - w.p == 4 && memcmp(w.p, "NONE", 4) == 0)
		cur->querier_version = 0;
	else
		return false;
	return procnet_at_end(&line);
}

/* A group line of /proc/net/igmp into *m. */
static bool
procnet_igmp_group(struct procnet_span line, struct mc_membership *m)
{
	struct procnet_span w, running;
	unsigned long v;
	uint32_t addr;

	if (!procnet_word(&line, '\0', &w) || !procnet_hex32(w, false, &addr))
		return false;
	/* The kernel printed the __be32 as a number: same bytes here. */
	m->group.family = AF_INET;
	m->group.u.v4.s_addr = addr;
	if (!procnet_word(&line, '\0', &w) || !procnet_dec_uint(&w, &m->users))
		return false;
	if (!procnet_word(&line, ':', &running) ||
	    !procnet_dec(&running, 1, &v))
		return false;
	m->timer_running = v != 0;
	if (line.p == line.end || *line.p != ':')
		return false;
	line.p++;
	if (line.p == line.end || procnet_is_blank(*line.p))
		return false;
	if (!procnet_word(&line, '\0', &w) ||
	    !procnet_hex(&w, 1, sizeof(unsigned long) * 2, &m->timer_ticks))
		return false;
	if (!procnet_word(&line, '\0', &w) || !procnet_dec(&w, 1, &v))
		return false;
	m->reporter = v != 0;
	return procnet_at_end(&line);
}

int
mc_procnet_parse_igmp(const char *text, struct mc_procnet_table *t)
{
	struct procnet_span all, line;
	struct mc_membership cur, *m;
	size_t n0 = t->ngroups;
	bool have_iface = false;
	int rc = MC_E_PARSE;

	all.p = text;
	all.end = text + strlen(text);
	if (!procnet_next_line(&all, &line))
		return 0;
	if (!procnet_starts_with(&line, "Idx\tDevice"))
		goto fail;
	memset(&cur, 0, sizeof(cur));
	while (procnet_next_line(&all, &line)) {
		if (line.p < line.end && *line.p == '\t') {
			if (!have_iface)
				goto fail;
			if ((m = procnet_add_group(t)) == NULL) {
				rc = -ENOMEM;
				goto fail;
			}
			*m = cur;
			if (!procnet_igmp_group(line, m))
				goto fail;
		} else {
			memset(&cur, 0, sizeof(cur));
			if (!procnet_igmp_iface(line, &cur))
				goto fail;
			have_iface = true;
		}
	}
	return 0;
fail:
	t->ngroups = n0;
	return rc;
}

/* A line of /proc/net/igmp6 into *m. */
static bool
procnet_igmp6_line(struct procnet_span line, struct mc_membership *m)
{
	struct procnet_span w;
	unsigned long flags, ticks;
	bool negative = false;

	if (!procnet_word(&line, '\0', &w) ||
	    !procnet_dec_uint(&w, &m->ifindex))
		return false;
	if (!procnet_word(&line, '\0', &w) || !procnet_ifname(&w, m->ifname))
		return false;
	if (!procnet_word(&line, '\0', &w) || !procnet_in6(&w, &m->group))
		return false;
	if (!procnet_word(&line, '\0', &w) || !procnet_dec_uint(&w, &m->users))
		return false;
	if (!procnet_word(&line, '\0', &w) || !procnet_hex(&w, 8, 8, &flags))
		return false;
	if (!procnet_word(&line, '\0', &w))
		return false;
	/* %ld of an expiry just passed can come out negative. */
	if (*w.p == '-') {
		negative = true;
		w.p++;
	}
	if (!procnet_dec(&w, LONG_MAX, &ticks))
		return false;
	m->timer_running = (flags & PROCNET_MAF_TIMER_RUNNING) != 0;
	m->timer_ticks = m->timer_running && !negative ? ticks : 0;
	m->reporter = (flags & PROCNET_MAF_LAST_REPORTER) != 0;
	return procnet_at_end(&line);
}

int
mc_procnet_parse_igmp6(const char *text, struct mc_procnet_table *t)
{
	struct procnet_span all, line;
	struct mc_membership *m;
	size_t n0 = t->ngroups;
	int rc = MC_E_PARSE;

	all.p = text;
	all.end = text + strlen(text);
	while (procnet_next_line(&all, &line)) {
		if ((m = procnet_add_group(t)) == NULL) {
			rc = -ENOMEM;
			goto fail;
		}
		if (!procnet_igmp6_line(line, m))
			goto fail;
	}
	return 0;
fail:
	t->ngroups = n0;
	return rc;
}

/* The index, name, group and source of a filter line; the counts after. */
static bool
procnet_mcf_line(struct procnet_span line, bool v6,
    const struct mc_procnet_table *t, struct mc_source_filter *sf)
{
	struct procnet_span w;
	uint32_t addr;

	if (!procnet_word(&line, '\0', &w) ||
	    !procnet_dec_uint(&w, &sf->ifindex))
		return false;
	if (!procnet_word(&line, '\0', &w) || !procnet_ifname(&w, sf->ifname) ||
	    w.end - w.p > PROCNET_MCF_NAME_LEN)
		return false;
	if (v6) {
		if (!procnet_word(&line, '\0', &w) ||
		    !procnet_in6(&w, &sf->group))
			return false;
		if (!procnet_word(&line, '\0', &w) ||
		    !procnet_in6(&w, &sf->source))
			return false;
	} else {
		if (!procnet_word(&line, '\0', &w) ||
		    !procnet_hex32(w, true, &addr))
			return false;
		sf->group.family = AF_INET;
		sf->group.u.v4.s_addr = htonl(addr);
		if (!procnet_word(&line, '\0', &w) ||
		    !procnet_hex32(w, true, &addr))
			return false;
		sf->source.family = AF_INET;
		sf->source.u.v4.s_addr = htonl(addr);
	}
	if (!procnet_word(&line, '\0', &w) ||
	    !procnet_dec(&w, ULONG_MAX, &sf->include_count))
		return false;
	if (!procnet_word(&line, '\0', &w) ||
	    !procnet_dec(&w, ULONG_MAX, &sf->exclude_count))
		return false;
	if (!procnet_at_end(&line))
		return false;
	procnet_mcf_ifname(t, sf->ifindex, sf->ifname);
	return true;
}

static int
procnet_parse_mcf(const char *text, struct mc_procnet_table *t, bool v6)
{
	struct procnet_span all, line;
	struct mc_source_filter *sf;
	size_t n0 = t->nsources;
	int rc = MC_E_PARSE;

	all.p = text;
	all.end = text + strlen(text);
	if (!procnet_next_line(&all, &line))
		return 0;
	if (!procnet_starts_with(&line, "Idx Device"))
		goto fail;
	while (procnet_next_line(&all, &line)) {
		if ((sf = procnet_add_source(t)) == NULL) {
			rc = -ENOMEM;
			goto fail;
		}
		if (!procnet_mcf_line(line, v6, t, sf))
			goto fail;
	}
	return 0;
fail:
	t->nsources = n0;
	return rc;
}

int
mc_procnet_parse_mcfilter(const char *text, struct mc_procnet_table *t)
{
	return procnet_parse_mcf(text, t, false);
}

int
mc_procnet_parse_mcfilter6(const char *text, struct mc_procnet_table *t)
{
	return procnet_parse_mcf(text, t, true);
}

/* /proc files report size 0: read until EOF, growing the buffer. */
int
mc_procnet_read_file(const char *path, char **text)
{
	char *buf = NULL, *p;
	size_t cap = 0, len = 0;
	ssize_t n;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	for (;;) {
		if (cap - len < 2) {
			if (cap > SIZE_MAX / 2) {
				rc = -ENOMEM;
				goto fail;
			}
			cap = cap == 0 ? 4096 : cap * 2;
			if ((p = realloc(buf, cap)) == NULL) {
				rc = -ENOMEM;
				goto fail;
			}
			buf = p;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*text = buf;
	return 0;
fail:
	close(fd);
	free(buf);
	return rc;
}

int
mc_procnet_read_all(struct mc_procnet_table *t)
{
	/* igmp and igmp6 first: mcfilter names are completed from them. */
	static const struct {
		const char *path;
		int (*parse)(const char *, struct mc_procnet_table *);
	} files[] = {
		{ "/proc/net/igmp", mc_procnet_parse_igmp },
		{ "/proc/net/igmp6", mc_procnet_parse_igmp6 },
		{ "/proc/net/mcfilter", mc_procnet_parse_mcfilter },
		{ "/proc/net/mcfilter6", mc_procnet_parse_mcfilter6 },
	};
	char *text;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		rc = mc_procnet_read_file(files[i].path, &text);
		if (rc == -ENOENT)
			continue;
		if (rc < 0)
			return rc;
		rc = files[i].parse(text, t);
		free(text);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void
mc_procnet_free(struct mc_procnet_table *t)
{
	if (t == NULL)
		return;
	free(t->groups);
	free(t->sources);
	t->groups = NULL;
	t->ngroups = 0;
	t->sources = NULL;
	t->nsources = 0;
}
