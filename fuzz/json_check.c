/* A strict JSON checker for the fuzz targets (json_check.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_check.h"

#define JSON_CHECK_MAX_DEPTH 64

struct json_reader {
	const unsigned char *p;
	const unsigned char *end;
	int depth;
};

static bool json_check_value(struct json_reader *r);

static void
json_check_blanks(struct json_reader *r)
{
	while (r->p < r->end &&
	    (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static bool
json_check_literal(struct json_reader *r, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
		return false;
	r->p += n;
	return true;
}

static bool
json_check_hex4(struct json_reader *r)
{
	int i;

	if (r->end - r->p < 4)
		return false;
	for (i = 0; i < 4; i++)
		if (!((r->p[i] >= '0' && r->p[i] <= '9') ||
			(r->p[i] >= 'a' && r->p[i] <= 'f') ||
			(r->p[i] >= 'A' && r->p[i] <= 'F')))
			return false;
	r->p += 4;
	return true;
}

/* One UTF-8 sequence of two bytes or more (RFC 3629 4). */
static bool
json_check_utf8(struct json_reader *r)
{
	unsigned char c = *r->p, lo = 0x80, hi = 0xbf;
	ptrdiff_t n, i;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return false;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (r->end - r->p < n || r->p[1] < lo || r->p[1] > hi)
		return false;
	for (i = 2; i < n; i++)
		if (r->p[i] < 0x80 || r->p[i] > 0xbf)
			return false;
	r->p += n;
	return true;
}

static bool
json_check_string(struct json_reader *r)
{
	if (r->p >= r->end || *r->p != '"')
		return false;
	r->p++;
	while (r->p < r->end && *r->p != '"') {
		if (*r->p == '\\') {
			r->p++;
			if (r->p >= r->end)
				return false;
			if (*r->p == 'u') {
				r->p++;
				if (!json_check_hex4(r))
					return false;
			} else if (strchr("\"\\/bfnrt", *r->p) != NULL &&
			    *r->p != '\0') {
				r->p++;
			} else {
				return false;
			}
		} else if (*r->p < 0x20) {
			return false;
		} else if (*r->p < 0x80) {
			r->p++;
		} else if (!json_check_utf8(r)) {
			return false;
		}
	}
	if (r->p >= r->end)
		return false;
	r->p++;
	return true;
}

static bool
json_check_digits(struct json_reader *r)
{
	const unsigned char *start = r->p;

	while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
		r->p++;
	return r->p > start;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool
json_check_number(struct json_reader *r)
{
	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (r->p < r->end && *r->p == '0')
		r->p++;
	else if (r->p >= r->end || *r->p < '1' || *r->p > '9' ||
	    !json_check_digits(r))
		return false;
	if (r->p < r->end && *r->p == '.') {
		r->p++;
		if (!json_check_digits(r))
			return false;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (!json_check_digits(r))
			return false;
	}
	return true;
}

struct json_key {
	const unsigned char *s;
	size_t len;
};

static bool
json_check_object(struct json_reader *r)
{
	struct json_key *keys = NULL, *grown;
	size_t nkeys = 0, cap = 0, i;
	const unsigned char *key;
	bool ok = false;

	r->p++;
	json_check_blanks(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
		return true;
	}
	for (;;) {
		json_check_blanks(r);
		key = r->p;
		if (!json_check_string(r))
			break;
		for (i = 0; i < nkeys; i++)
			if (keys[i].len == (size_t)(r->p - key) &&
			    memcmp(keys[i].s, key, keys[i].len) == 0)
				goto out; /* a key twice */
		if (nkeys == cap) {
			cap = cap ? cap * 2 : 16;
			grown = realloc(keys, cap * sizeof(*keys));
			if (grown == NULL)
				goto out;
			keys = grown;
		}
		keys[nkeys].s = key;
		keys[nkeys++].len = (size_t)(r->p - key);
		json_check_blanks(r);
		if (r->p >= r->end || *r->p != ':')
			break;
		r->p++;
		if (!json_check_value(r))
			break;
		json_check_blanks(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == '}') {
			r->p++;
			ok = true;
		}
		break;
	}
out:
	free(keys);
	return ok;
}

static bool
json_check_array(struct json_reader *r)
{
	r->p++;
	json_check_blanks(r);
	if (r->p < r->end && *r->p == ']') {
		r->p++;
		return true;
	}
	for (;;) {
		if (!json_check_value(r))
			return false;
		json_check_blanks(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == ']') {
			r->p++;
			return true;
		}
		return false;
	}
}

static bool
json_check_value(struct json_reader *r)
{
	bool ok;

	json_check_blanks(r);
	if (r->p >= r->end)
		return false;
	switch (*r->p) {
	case '{':
	case '[':
		if (++r->depth > JSON_CHECK_MAX_DEPTH)
			return false;
		ok = *r->p == '{' ? json_check_object(r) : json_check_array(r);
		r->depth--;
		return ok;
	case '"':
		return json_check_string(r);
	case 't':
		return json_check_literal(r, "true");
	case 'f':
		return json_check_literal(r, "false");
	case 'n':
		return json_check_literal(r, "null");
	default:
		return json_check_number(r);
	}
}

bool
json_check(const char *text, size_t len)
{
	struct json_reader r = {
		.p = (const unsigned char *)text,
		.end = (const unsigned char *)text + len,
	};

	if (!json_check_value(&r))
		return false;
	json_check_blanks(&r);
	return r.p == r.end;
}

bool
json_check_lines(const char *text, size_t len)
{
	const char *nl;

	while (len > 0) {
		nl = memchr(text, '\n', len);
		if (nl == NULL || !json_check(text, (size_t)(nl - text)))
			return false;
		len -= (size_t)(nl - text) + 1;
		text = nl + 1;
	}
	return true;
}
