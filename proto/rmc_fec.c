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

/*
 * Only the L missing source symbols are rebuilt, from an L x L system: with
 * E the missing sources and P the parity rows received, C[P][E] x src[E] =
 * par[P] + C[P][not E] x src[not E] (in GF(2^8), minus is plus), so with
 * D = C[P][E]^-1 each missing source is D x par[P] + (D x C[P][not E]) x
 * src[not E]: an L x L inversion instead of K x K.
 */
int
rmc_fec_decode(const struct rmc_fec *f, const uint8_t *const *sym,
    const uint8_t *index, size_t len, uint8_t **out)
{
	unsigned k = f->k, i, a, b, n = 0, np = 0;
	uint8_t seen[RMC_FEC_N] = { 0 }, pos[RMC_FEC_N], missing[RMC_FEC_N];
	uint8_t parity[RMC_FEC_N], *m, *d, *rows, **dst;
	int r = -ENOMEM;

	for (i = 0; i < k; i++) {
		if (index[i] >= RMC_FEC_N || seen[index[i]])
			return -EINVAL;
		seen[index[i]] = 1;
		if (index[i] >= k) {
			pos[index[i]] = (uint8_t)np;
			parity[np++] = index[i];
		} else if (out[index[i]] != sym[i]) {
			memcpy(out[index[i]], sym[i], len);
		}
	}
	for (i = 0; i < k; i++)
		if (!seen[i])
			missing[n++] = (uint8_t)i;
	if (n == 0)
		return 0;
	m = malloc((size_t)n * n * 2 + (size_t)n * k);
	dst = malloc(sizeof(*dst) * n);
	if (m == NULL || dst == NULL)
		goto out;
	d = m + (size_t)n * n;
	rows = d + (size_t)n * n;
	for (a = 0; a < n; a++)
		for (b = 0; b < n; b++)
			m[a * n + b] =
			    f->matrix[(size_t)parity[a] * k + missing[b]];
	if (gf_invert_matrix(m, d, (int)n) != 0) {
		r = -EINVAL; /* (cannot happen for a Cauchy matrix) */
		goto out;
	}
	for (a = 0; a < n; a++) {
		uint8_t *row = rows + (size_t)a * k;

		for (i = 0; i < k; i++) {
			uint8_t c = 0;

			if (index[i] >= k) {
				c = d[a * n + pos[index[i]]];
			} else {
				for (b = 0; b < n; b++)
					c ^= gf_mul(d[a * n + b],
					    f->matrix[(size_t)parity[b] * k +
						index[i]]);
			}
			row[i] = c;
		}
		dst[a] = out[missing[a]];
	}
	r = rmc_fec_apply(k, rows, n, sym, len, dst);
out:
	free(m);
	free(dst);
	return r;
}
