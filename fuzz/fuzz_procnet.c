/* libFuzzer target: the four /proc/net membership table parsers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mcast/mcast.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int (*const parsers[])(const char *, struct mc_procnet_table *) = {
		mc_procnet_parse_igmp,
		mc_procnet_parse_igmp6,
		mc_procnet_parse_mcfilter,
		mc_procnet_parse_mcfilter6,
	};
	struct mc_procnet_table t;
	char *text;
	size_t i;

	/* The parsers take NUL-terminated text, as read from /proc. */
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++) {
		memset(&t, 0, sizeof(t));
		parsers[i](text, &t);
		mc_procnet_free(&t);
	}
	free(text);
	return 0;
}
