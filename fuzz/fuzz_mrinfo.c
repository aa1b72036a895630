/*
 * libFuzzer target: mrinfo's reply gatherer (tools/mrinfo_fmt.c).  The
 * input is a run of messages, each a length byte and that many bytes,
 * checksummed here so the body is reached; every one that decodes as
 * Neighbors 2 is matched against a target address and added to one
 * reply, which is then printed as text and as JSON.  The invariants: the
 * JSON is JSON, a message taken twice is dropped the second time, a
 * message that answers lists the target or comes from it, and the text
 * ends with a newline.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "json_check.h"
#include "mrinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fz_print(const struct mrinfo_reply *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return;
	fputc('{', f);
	mrinfo_print_json_members(f, r);
	fputc('}', f);
	fclose(f);
	if (!json_check(buf, len))
		abort();
	free(buf);
	f = open_memstream(&buf, &len);
	if (f == NULL)
		return;
	mrinfo_print_text(f, r, NULL);
	fclose(f);
	if (len == 0 || buf[len - 1] != '\n')
		abort();
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in_addr target = { htonl(0xc6120202) }; /* 198.18.2.2 */
	struct in_addr from;
	struct mrinfo_reply r;
	struct dvmrp_msg m;
	uint8_t msg[256];
	size_t off = 0, n;
	int rc;

	mrinfo_reply_init(&r);
	while (off < size) {
		n = data[off++];
		if (n > size - off)
			n = size - off;
		memcpy(msg, data + off, n);
		off += n;
		if (n >= 4)
			dvmrp_seal(msg, n);
		if (dvmrp_decode(msg, n, &m) != DVMRP_OK ||
		    m.code != DVMRP_NEIGHBORS2)
			continue;
		/* The source: the target or, by the reserved byte, another. */
		from.s_addr = (msg[4] & 1) ? target.s_addr : htonl(0xc6120301);
		if (mrinfo_msg_answers(&m, from, target) &&
		    from.s_addr != target.s_addr) {
			/* Then the target is a local address of the message. */
			struct mrinfo_reply one;

			mrinfo_reply_init(&one);
			if (mrinfo_reply_add(&one, from, msg, n, &m) < 0)
				abort();
			if (!mrinfo_reply_has_local(&one, target))
				abort();
			mrinfo_reply_fini(&one);
		}
		rc = mrinfo_reply_add(&r, from, msg, n, &m);
		if (rc < 0)
			abort();
		if (rc == 1 && mrinfo_reply_add(&r, from, msg, n, &m) != 0)
			abort(); /* the same message again is a copy */
	}
	if (r.nmsgs > 0)
		fz_print(&r);
	mrinfo_reply_fini(&r);
	return 0;
}
