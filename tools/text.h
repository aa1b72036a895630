/* Strings from the network made safe to print: text.c. */
#ifndef MCAST_TOOLS_TEXT_H
#define MCAST_TOOLS_TEXT_H

#include <stddef.h>
#include <stdio.h>

/*
 * JSON: a string with escapes, quoted; controls escaped, bytes that are not
 * UTF-8 given as U+FFFD.  NULL: null.
 */
void json_string(FILE *f, const char *s);
/*
 * A string from the network made safe to print: controls (C0, DEL, C1),
 * bytes that are not UTF-8 and the backslash escaped as \xHH and \\; cut
 * to fit cap (with its NUL).  Returns out.
 */
char *text_safe(char *out, size_t cap, const char *s);

#endif
