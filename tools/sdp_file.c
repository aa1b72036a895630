/* Reading SDP files and describing sessions, for mcast sdp and sap (sap.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sap.h"
#include "tool.h"

long
sdp_file_read(const char *path, char **text, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	*text = NULL;
	if (f == NULL) {
		snprintf(err, errlen, "cannot read %s: %s", path,
		    strerror(errno));
		return -1;
	}
	buf = malloc(SDP_MAX_TEXT + 1);
	if (buf == NULL) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	n = fread(buf, 1, SDP_MAX_TEXT + 1, f);
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read %s: %s", path,
		    strerror(errno));
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	*text = buf;
	return (long)n;
}

void
sdp_print_diags(FILE *f, const char *path, const struct sdp_session *s)
{
	unsigned i;

	for (i = 0; i < s->ndiags; i++) {
		const struct sdp_diag *d = &s->diags[i];

		fprintf(f, "%s:", path);
		if (d->line)
			fprintf(f, "%u:", d->line);
		fprintf(f, " ");
		if (d->warning)
			fprintf(f, "warning: ");
		if (d->field)
			fprintf(f, "%c=: ", d->field);
		fprintf(f, "%s\n", d->text);
	}
	if (s->nerrors + s->nwarnings > s->ndiags)
		fprintf(f, "%s: %u more not shown\n", path,
		    s->nerrors + s->nwarnings - s->ndiags);
}

static void
sdp_json_filters(FILE *f, const struct sdp_attrs *a)
{
	char buf[MC_IP_STRLEN];
	unsigned i, j;

	fprintf(f, "[");
	for (i = 0; i < a->nfilters; i++) {
		const struct sdp_source_filter *sf = &a->filters[i];

		fprintf(f, "%s{\"mode\":\"%s\",\"dest\":\"%s\",\"sources\":[",
		    i ? "," : "", sf->exclude ? "excl" : "incl",
		    sf->any_dest ? "*" : mc_ip_str(&sf->dest, buf));
		for (j = 0; j < sf->nsrc; j++)
			fprintf(f, "%s\"%s\"", j ? "," : "",
			    mc_ip_str(&sf->src[j], buf));
		fprintf(f, "]}");
	}
	fprintf(f, "]");
}

void
sdp_json_media(FILE *f, const struct sdp_session *s)
{
	char buf[MC_IP_STRLEN];
	unsigned i, j;

	fprintf(f, "[");
	for (i = 0; i < s->nmedia; i++) {
		const struct sdp_media *m = &s->media[i];
		const struct sdp_conn *c = sdp_media_conn(s, i);
		const struct sdp_attrs *a = sdp_media_attrs(s, i);

		fprintf(f, "%s{\"media\":", i ? "," : "");
		json_string(f, m->media);
		fprintf(f,
		    ",\"group\":\"%s\",\"ttl\":%d,\"addresses\":%u,"
		    "\"port\":%u,\"ports\":%u,\"proto\":",
		    c->present ? mc_ip_str(&c->addr, buf) : "", c->ttl,
		    c->naddr, m->port, m->nports);
		json_string(f, m->proto);
		fprintf(f, ",\"formats\":[");
		for (j = 0; j < m->nformats; j++) {
			fprintf(f, "%s", j ? "," : "");
			json_string(f, m->formats[j]);
		}
		fprintf(f, "],\"rtpmap\":[");
		for (j = 0; j < m->nrtpmap; j++) {
			fprintf(f, "%s{\"pt\":%u,\"encoding\":", j ? "," : "",
			    m->rtpmap[j].pt);
			json_string(f, m->rtpmap[j].encoding);
			fprintf(f, ",\"clock_rate\":%u,\"channels\":%u}",
			    m->rtpmap[j].clock_rate, m->rtpmap[j].channels);
		}
		fprintf(f, "],\"source_filters\":");
		sdp_json_filters(f, a);
		if (m->attrs.ts_refclk || s->attrs.ts_refclk) {
			fprintf(f, ",\"ts_refclk\":");
			json_string(f,
			    m->attrs.ts_refclk ? m->attrs.ts_refclk :
						 s->attrs.ts_refclk);
		}
		if (m->attrs.mediaclk || s->attrs.mediaclk) {
			fprintf(f, ",\"mediaclk\":");
			json_string(f,
			    m->attrs.mediaclk ? m->attrs.mediaclk :
						s->attrs.mediaclk);
		}
		fprintf(f, "}");
	}
	fprintf(f, "]");
}

void
sdp_media_summary(const struct sdp_session *s, char *buf, size_t len)
{
	char a[MC_IP_STRLEN], src[MC_IP_STRLEN];
	size_t off = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < s->nmedia && off < len; i++) {
		const struct sdp_media *m = &s->media[i];
		const struct sdp_conn *c = sdp_media_conn(s, i);
		const struct sdp_attrs *at = sdp_media_attrs(s, i);
		int n;

		n = snprintf(buf + off, len - off, "%s%s%s%s:%u %s %s %s",
		    i ? ", " : "", c->addr.family == AF_INET6 ? "[" : "",
		    c->present ? mc_ip_str(&c->addr, a) : "?",
		    c->addr.family == AF_INET6 ? "]" : "", m->port, m->media,
		    m->proto, m->nformats ? m->formats[0] : "");
		if (n < 0)
			break;
		off += (size_t)n;
		if (at->nfilters && at->filters[0].nsrc && off < len) {
			n = snprintf(buf + off, len - off, " %s %s",
			    at->filters[0].exclude ? "not from" : "from",
			    mc_ip_str(&at->filters[0].src[0], src));
			if (n < 0)
				break;
			off += (size_t)n;
		}
	}
}
