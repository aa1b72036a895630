/*
 * For the fuzz targets: is this output JSON?  A strict RFC 8259 reader
 * that keeps nothing: one value, UTF-8 throughout (RFC 3629), no control
 * character unescaped, numbers by the grammar, and no key twice in one
 * object (keys compared as written).
 */
#ifndef MCAST_FUZZ_JSON_CHECK_H
#define MCAST_FUZZ_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/* text[0..len) is exactly one JSON value, blanks around it allowed. */
bool json_check(const char *text, size_t len);
/* Every line of text (each ended by '\n') is one JSON value. */
bool json_check_lines(const char *text, size_t len);

#endif
