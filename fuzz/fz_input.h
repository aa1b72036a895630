/*
 * For the fuzz targets that read their input as a script of steps: the
 * bytes left, taken one at a time (0 once they run out, so that every
 * input is a whole script).
 */
#ifndef MCAST_FUZZ_FZ_INPUT_H
#define MCAST_FUZZ_FZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

struct fz_in {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t
fz_byte(struct fz_in *in)
{
	uint8_t b;

	if (in->n == 0)
		return 0;
	b = *in->p++;
	in->n--;
	return b;
}

/* Four bytes, the first the most significant. */
static inline uint32_t
fz_u32(struct fz_in *in)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 4; i++)
		v = v << 8 | fz_byte(in);
	return v;
}

#endif
