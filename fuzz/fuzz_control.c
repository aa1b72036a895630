/*
 * libFuzzer target: mcastd's side of the control protocol (daemon/control.c,
 * daemon/request.c).  The input is what a client writes to the socket: it
 * is framed as the daemon frames it (the first line, at most
 * CONTROL_MAX_REQUEST - 1 bytes), checked and split into words; the words
 * go through the argument parsers of add/del mroute and join/leave at
 * every offset; and the words, the line and each parser's message are
 * encoded as reply records of every kind of field (strings, numbers,
 * booleans, lists of strings, lists of objects) and read back by mcastctl's
 * parser (ctl/reply.c), which must give back exactly what was sent, as
 * valid JSON too.  Any bytes given as a list's items must not break the
 * protocol either.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "json_check.h"
#include "mcastd.h"
#include "reply.h"
#include "request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CONTROL_MSG   512
#define FUZZ_CONTROL_UNSET 0x01 /* fills msg before each parser */

static void
fuzz_control_check_name(const char *name)
{
	if (memchr(name, '\0', IF_NAMESIZE) == NULL || name[0] == '\0')
		__builtin_trap();
}

static bool
fuzz_control_is_group(struct in_addr g)
{
	return IN_MULTICAST(ntohl(g.s_addr));
}

/* A parser that failed said why: a message, NUL-terminated, in msg. */
static void
fuzz_control_check_message(const char *msg)
{
	if (memchr(msg, '\0', FUZZ_CONTROL_MSG) == NULL || msg[0] == '\0' ||
	    (unsigned char)msg[0] == FUZZ_CONTROL_UNSET)
		__builtin_trap();
}

/*
 * A route that was added meets mcastd.conf's rules, and its own words
 * ("from IF [source S] group G to IF...") parse to the same route.
 */
static void
fuzz_control_check_added(const struct conf_mroute *m)
{
	char words[8 + CONF_MAX_OIFS][INET_ADDRSTRLEN + IF_NAMESIZE];
	char *argv[8 + CONF_MAX_OIFS], msg[FUZZ_CONTROL_MSG];
	struct conf_mroute again;
	uint32_t g = ntohl(m->group.s_addr);
	unsigned i, j;
	int argc = 0;

	fuzz_control_check_name(m->iif);
	if (!fuzz_control_is_group(m->group) ||
	    (m->group_len >= 24 && (g >> 8) == 0xe00000) || m->group_len < 4 ||
	    m->group_len > 32 || (m->has_source && m->group_len != 32) ||
	    m->noifs < 1 || m->noifs > CONF_MAX_OIFS)
		__builtin_trap();
	if (m->has_source &&
	    (IN_MULTICAST(ntohl(m->source.s_addr)) ||
		(ntohl(m->source.s_addr) >> 24) == 127))
		__builtin_trap();
	for (i = 0; i < m->noifs; i++) {
		fuzz_control_check_name(m->oifs[i]);
		if (strcmp(m->oifs[i], m->iif) == 0)
			__builtin_trap();
		for (j = 0; j < i; j++)
			if (strcmp(m->oifs[i], m->oifs[j]) == 0)
				__builtin_trap();
	}
	for (i = 0; i < 8 + CONF_MAX_OIFS; i++)
		argv[i] = words[i];
	snprintf(argv[argc++], sizeof(words[0]), "from");
	snprintf(argv[argc++], sizeof(words[0]), "%s", m->iif);
	if (m->has_source) {
		snprintf(argv[argc++], sizeof(words[0]), "source");
		inet_ntop(AF_INET, &m->source, argv[argc++], sizeof(words[0]));
	}
	snprintf(argv[argc++], sizeof(words[0]), "group");
	inet_ntop(AF_INET, &m->group, argv[argc], sizeof(words[0]));
	if (m->group_len != 32)
		snprintf(argv[argc] + strlen(argv[argc]),
		    sizeof(words[0]) - strlen(argv[argc]), "/%u", m->group_len);
	argc++;
	snprintf(argv[argc++], sizeof(words[0]), "to");
	for (i = 0; i < m->noifs; i++)
		snprintf(argv[argc++], sizeof(words[0]), "%s", m->oifs[i]);
	if (request_parse_route(argc, argv, true, &again, msg, sizeof(msg)) !=
		0 ||
	    memcmp(&again, m, sizeof(again)) != 0)
		__builtin_trap();
}

/* The argument parsers on words[from..]: never a crash, always a verdict. */
static void
fuzz_control_parsers(int argc, char **argv, char *messages, int from)
{
	char *msg = messages;
	struct conf_mroute m;
	struct router_static_group j;
	struct igmp_router_config igmp;
	int k;

	memset(msg, FUZZ_CONTROL_UNSET, FUZZ_CONTROL_MSG);
	if (request_parse_route(argc - from, argv + from, true, &m, msg,
		FUZZ_CONTROL_MSG) == 0) {
		fuzz_control_check_added(&m);
		snprintf(msg, FUZZ_CONTROL_MSG, "route added");
	} else {
		fuzz_control_check_message(msg);
	}
	msg += FUZZ_CONTROL_MSG;
	memset(msg, FUZZ_CONTROL_UNSET, FUZZ_CONTROL_MSG);
	if (request_parse_route(argc - from, argv + from, false, &m, msg,
		FUZZ_CONTROL_MSG) == 0) {
		fuzz_control_check_name(m.iif);
		if (!fuzz_control_is_group(m.group) || m.noifs != 0)
			__builtin_trap();
		snprintf(msg, FUZZ_CONTROL_MSG, "route deleted");
	} else {
		fuzz_control_check_message(msg);
	}
	msg += FUZZ_CONTROL_MSG;
	memset(msg, FUZZ_CONTROL_UNSET, FUZZ_CONTROL_MSG);
	/* A join (the SSM range checked) and a leave (not). */
	igmp_router_config_defaults(&igmp);
	for (k = 0; k < 2; k++) {
		memset(msg, FUZZ_CONTROL_UNSET, FUZZ_CONTROL_MSG);
		if (request_parse_join(argc - from, argv + from,
			k == 0 ? &igmp : NULL, &j, msg,
			FUZZ_CONTROL_MSG) == 0) {
			fuzz_control_check_name(j.ifname);
			if (!fuzz_control_is_group(j.group) ||
			    (ntohl(j.group.s_addr) >> 8) == 0xe00000 ||
			    (k == 0 && !j.has_source &&
				(ntohl(j.group.s_addr) >> 24) == 232))
				__builtin_trap();
			snprintf(msg, FUZZ_CONTROL_MSG, "joined");
		} else {
			fuzz_control_check_message(msg);
		}
	}
}

/*
 * A reply built: mcastctl's parser reads it into in (freed by the caller
 * with reply_free, then out->buf), as valid JSON too.
 */
static void
fuzz_control_read_back(struct control_reply *out, struct reply *in)
{
	char *json = NULL;
	size_t json_len = 0;
	FILE *f;

	if (out->overflow || out->buf == NULL ||
	    memchr(out->buf, '\0', out->len) != NULL)
		__builtin_trap();
	out->buf[out->len] = '\0'; /* control_put keeps a byte spare */
	if (reply_parse(out->buf, in) != 0)
		__builtin_trap();
	f = open_memstream(&json, &json_len);
	if (f == NULL)
		__builtin_trap();
	reply_print_json(f, in);
	if (fclose(f) != 0 || !json_check(json, json_len))
		__builtin_trap();
	free(json);
}

/*
 * The daemon's encoder and mcastctl's parser agree: a "request" record
 * with the line, the number of words, whether there are none, the words
 * as a list and the parsers' messages as its items ("request.verdicts"),
 * a "word" record per word and the END record come back field for field,
 * with the kinds they were sent as.
 */
static void
fuzz_control_round_trip(const char *line, int argc, char **argv,
    const char *messages, int nmessages)
{
	struct control_reply out = { .buf = NULL };
	const struct reply_record *rec, *items;
	const char *status_message = argc > 0 ? argv[0] : "";
	const struct reply_field *words;
	struct reply in;
	size_t n, off;
	int i;

	control_record(&out, "request");
	control_field(&out, "line", "%s", line);
	control_num(&out, "words", "%d", argc);
	control_bool(&out, "empty", argc == 0);
	control_list_begin(&out, "text");
	for (i = 0; i < argc; i++)
		control_list_add(&out, "%s", argv[i]);
	control_list_end(&out);
	control_items(&out, "verdicts");
	for (i = 0; i < nmessages; i++) {
		control_item(&out, "verdicts");
		control_num(&out, "parser", "%d", i);
		control_field(&out, "message", "%s",
		    messages + (size_t)i * FUZZ_CONTROL_MSG);
	}
	for (i = 0; i < argc; i++) {
		control_record(&out, "word");
		control_field(&out, "text", "%s", argv[i]);
	}
	control_end(&out, argc > 0 ? 0 : 2, "%s", status_message);
	fuzz_control_read_back(&out, &in);
	if (!in.ended || in.nrecords != 1 + (size_t)argc ||
	    in.nitems != (size_t)nmessages || in.status != (argc > 0 ? 0 : 2) ||
	    in.dropped_fields != 0 || in.dropped_items != 0 ||
	    strcmp(in.message, status_message) != 0)
		__builtin_trap();
	rec = &in.records[0];
	words = reply_find(rec, "text");
	if (strcmp(rec->type, "request") != 0 || rec->nfields != 5 ||
	    strcmp(reply_get(rec, "line"), line) != 0 ||
	    reply_find(rec, "words")->kind != REPLY_NUMBER ||
	    atoi(reply_get(rec, "words")) != argc ||
	    reply_find(rec, "empty")->kind != REPLY_BOOL ||
	    strcmp(reply_get(rec, "empty"), argc ? "false" : "true") != 0 ||
	    words == NULL || words->kind != REPLY_LIST)
		__builtin_trap();
	/* The words, each ended by 0x1f but the last. */
	for (i = 0, off = 0; i < argc; i++) {
		n = strlen(argv[i]);
		if (strncmp(words->value + off, argv[i], n) != 0 ||
		    words->value[off + n] != (i + 1 < argc ? '\x1f' : '\0'))
			__builtin_trap();
		off += n + 1;
	}
	items = reply_items(&in, rec, "verdicts", &n);
	if (n != (size_t)nmessages)
		__builtin_trap();
	for (i = 0; i < nmessages; i++)
		if (strcmp(items[i].type, "request.verdicts") != 0 ||
		    items[i].nfields != 2 ||
		    atoi(reply_get(&items[i], "parser")) != i ||
		    strcmp(reply_get(&items[i], "message"),
			messages + (size_t)i * FUZZ_CONTROL_MSG) != 0)
			__builtin_trap();
	for (i = 0; i < argc; i++) {
		rec = &in.records[1 + i];
		if (strcmp(rec->type, "word") != 0 || rec->nfields != 1 ||
		    strcmp(reply_get(rec, "text"), argv[i]) != 0)
			__builtin_trap();
	}
	reply_free(&in);
	free(out.buf);
}

/*
 * Any bytes as two items of a list: on the wire no control character but
 * the tab and newline that frame it and the 0x1f between the items; read
 * back, each item is the bytes (to the first NUL) with the control
 * characters but tab and newline, 0x1f among them, turned to '?'.
 */
static void
fuzz_control_list_items(const uint8_t *data, size_t size)
{
	struct control_reply out = { .buf = NULL };
	char item[FUZZ_CONTROL_MSG], want[2 * FUZZ_CONTROL_MSG + 1];
	const char *got;
	struct reply in;
	size_t len, i;

	len = size < sizeof(item) - 1 ? size : sizeof(item) - 1;
	memcpy(item, data, len);
	item[len] = '\0';
	len = strlen(item);
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)item[i];

		want[i] = (ch < 0x20 && ch != '\t' && ch != '\n') ||
			ch == 0x7f ?
		    '?' :
		    item[i];
	}
	want[len] = '\x1f';
	memcpy(want + len + 1, want, len);
	want[2 * len + 1] = '\0';
	control_record(&out, "raw");
	control_list_begin(&out, "bytes");
	control_list_add(&out, "%s", item);
	control_list_add(&out, "%s", item);
	control_list_end(&out);
	control_end(&out, 0, "ok");
	for (i = 0; i < out.len; i++) {
		unsigned char ch = (unsigned char)out.buf[i];

		if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != 0x1f) ||
		    ch == 0x7f)
			__builtin_trap();
	}
	fuzz_control_read_back(&out, &in);
	got = in.nrecords == 1 ? reply_get(&in.records[0], "bytes") : NULL;
	if (got == NULL || strcmp(got, want) != 0 ||
	    in.records[0].nfields != 1 || in.dropped_fields != 0)
		__builtin_trap();
	reply_free(&in);
	free(out.buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char req[CONTROL_MAX_REQUEST], line[CONTROL_MAX_REQUEST];
	char messages[3 * 3 * FUZZ_CONTROL_MSG];
	char *argv[CONTROL_MAX_ARGS];
	size_t avail = size < sizeof(req) - 1 ? size : sizeof(req) - 1;
	ssize_t len;
	int argc, from, i;

	fuzz_control_list_items(data, size);
	/* Framing: what the daemon holds after reading avail bytes. */
	memcpy(req, data, avail);
	len = control_request_length(req, avail);
	if (len == CONTROL_INCOMPLETE || len == CONTROL_TOO_LONG) {
		if (memchr(req, '\n', avail) != NULL ||
		    (len == CONTROL_TOO_LONG) != (avail == sizeof(req) - 1))
			__builtin_trap();
		return 0;
	}
	if (len < 0 || (size_t)len >= avail || req[len] != '\n' ||
	    memchr(req, '\n', (size_t)len) != NULL)
		__builtin_trap();
	memcpy(line, req, (size_t)len);
	line[len] = '\0';
	argc = control_parse_request(req, (size_t)len, argv, CONTROL_MAX_ARGS);
	if (argc == CONTROL_NOT_TEXT || argc == CONTROL_TOO_MANY_WORDS)
		return 0;
	if (argc < 0 || argc > CONTROL_MAX_ARGS)
		__builtin_trap();
	for (i = 0; i < argc; i++)
		if (argv[i] < req || argv[i] >= req + len ||
		    argv[i][0] == '\0' || strpbrk(argv[i], " \t\r\n") != NULL)
			__builtin_trap();
	/* As add/del mroute and join/leave pass them, and more. */
	for (from = 0; from < 3; from++) {
		if (from <= argc)
			fuzz_control_parsers(argc, argv,
			    messages + (size_t)from * 3 * FUZZ_CONTROL_MSG,
			    from);
		else
			for (i = 0; i < 3; i++)
				snprintf(messages +
					(size_t)(from * 3 + i) *
					    FUZZ_CONTROL_MSG,
				    FUZZ_CONTROL_MSG, "-");
	}
	fuzz_control_round_trip(line, argc, argv, messages, 9);
	return 0;
}
