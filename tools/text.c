/*
 * Strings from the network made safe for a terminal and for JSON (text.h):
 * what announcements, packets and peers name is printed through here.
 */
#include <stdint.h>
#include <string.h>

#include "text.h"

/*
 * The length of the UTF-8 character at p (RFC 3629 4: shortest form, no
 * surrogates, at most U+10FFFF) when it is printable text: 0 for an invalid
 * sequence and for a control (C0, DEL, C1), which strings from the network
 * (SDP's s= of an announcement) must not put on a terminal or into JSON.
 */
static size_t
utf8_text_len(const unsigned char *p)
{
	uint32_t cp;
	size_t n, i;

	if (p[0] < 0x80)
		return p[0] >= 0x20 && p[0] != 0x7f;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1fu;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0fu;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07u;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80) /* the NUL ends it too */
			return 0;
		cp = cp << 6 | (p[i] & 0x3fu);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff ||
	    (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return n;
}

void
json_string(FILE *f, const char *s)
{
	const unsigned char *p;
	size_t n;

	if (s == NULL) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p += n) {
		n = utf8_text_len(p);
		if (n > 0) {
			if (*p == '"' || *p == '\\')
				fputc('\\', f);
			fwrite(p, 1, n, f);
			continue;
		}
		n = 1;
		if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x80)
			fprintf(f, "\\u%04x", *p); /* C0 or DEL */
		else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			fprintf(f, "\\u%04x", p[1]); /* C1 */
			n = 2;
		} else
			fputs("\\ufffd", f); /* not UTF-8 */
	}
	fputc('"', f);
}

char *
text_safe(char *out, size_t cap, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = 0, n;

	if (cap == 0)
		return out;
	for (; *p; p += n) {
		n = utf8_text_len(p);
		if (n > 0 && *p != '\\') {
			if (len + n >= cap)
				break;
			memcpy(out + len, p, n);
			len += n;
			continue;
		}
		if (len + 4 >= cap)
			break;
		if (*p == '\\')
			memcpy(out + len, "\\\\", 2), len += 2;
		else
			len += (size_t)snprintf(out + len, cap - len, "\\x%02x",
			    *p);
		n = 1;
	}
	out[len] = '\0';
	return out;
}
