/* The erasure code of mcast file over ISA-L (rmc_fec.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <isa-l/erasure_code.h>

#include "rmc_fec.h"

int
rmc_fec_init(struct rmc_fec *f, unsigned k)
{
	f->k = 0;
	f->matrix = NULL;
	if (k < 1 || k >= RMC_FEC_N)
		return -EINVAL;
	f->matrix = malloc((size_t)RMC_FEC_N * k);
	if (f->matrix == NULL)
		return -ENOMEM;
	f->k = k;
	gf_gen_cauchy1_matrix(f->matrix, RMC_FEC_N, (int)k);
	return 0;
}

void
rmc_fec_fini(struct rmc_fec *f)
{
	free(f->matrix);
	f->matrix = NULL;
	f->k = 0;
}

unsigned
rmc_fec_parity_max(const struct rmc_fec *f)
{
	return RMC_FEC_N - f->k;
}

/* out[i] = the rows (rows x k coefficients) applied to the k inputs. */
static int
rmc_fec_apply(unsigned k, const uint8_t *rows, unsigned n,
    const uint8_t *const *in, size_t len, uint8_t **out)
{
	uint8_t *tbls;

	if (n == 0)
		return 0;
	tbls = malloc((size_t)32 * k * n);
	if (tbls == NULL)
		return -ENOMEM;
	ec_init_tables((int)k, (int)n, (unsigned char *)rows, tbls);
	ec_encode_data((int)len, (int)k, (int)n, tbls, (unsigned char **)in,
	    out);
	free(tbls);
	return 0;
}

int
rmc_fec_encode(const struct rmc_fec *f, const uint8_t *const *src, size_t len,
    const uint8_t *index, unsigned n, uint8_t **out)
{
	uint8_t *rows;
	unsigned i;
	int r;

	for (i = 0; i < n; i++)
		if (index[i] < f->k || index[i] >= RMC_FEC_N)
			return -EINVAL;
	rows = malloc((size_t)f->k * (n ? n : 1));
	if (rows == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		memcpy(rows + (size_t)i * f->k,
		    f->matrix + (size_t)index[i] * f->k, f->k);
	r = rmc_fec_apply(f->k, rows, n, src, len, out);
	free(rows);
	return r;
}

int
rmc_fec_decode(const struct rmc_fec *f, const uint8_t *const *sym,
    const uint8_t *index, size_t len, uint8_t **out)
{
	unsigned k = f->k, i, n = 0;
	uint8_t seen[RMC_FEC_N] = { 0 }, *b, *inv, *rows, **dst;
	int r = -ENOMEM;

	for (i = 0; i < k; i++) {
		if (index[i] >= RMC_FEC_N || seen[index[i]])
			return -EINVAL;
		seen[index[i]] = 1;
	}
	b = malloc((size_t)k * k * 3);
	dst = malloc(sizeof(*dst) * k);
	if (b == NULL || dst == NULL)
		goto out;
	inv = b + (size_t)k * k;
	rows = inv + (size_t)k * k;
	for (i = 0; i < k; i++)
		memcpy(b + (size_t)i * k, f->matrix + (size_t)index[i] * k, k);
	if (gf_invert_matrix(b, inv, (int)k) != 0) {
		r = -EINVAL; /* (cannot happen for a Cauchy matrix) */
		goto out;
	}
	/* A source symbol received is copied; the others are computed. */
	for (i = 0; i < k; i++) {
		if (index[i] < k && out[index[i]] != sym[i])
			memcpy(out[index[i]], sym[i], len);
	}
	for (i = 0; i < k; i++) {
		if (seen[i])
			continue;
		memcpy(rows + (size_t)n * k, inv + (size_t)i * k, k);
		dst[n++] = out[i];
	}
	r = rmc_fec_apply(k, rows, n, sym, len, dst);
out:
	free(b);
	free(dst);
	return r;
}
