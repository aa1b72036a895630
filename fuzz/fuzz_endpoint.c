/* libFuzzer target: GROUP:PORT parsing and address classification. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mcast/mcast.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mc_endpoint ep;
	struct mc_addr_info info;
	char *text, buf[MC_IP_STRLEN];

	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (mc_endpoint_parse(text, &ep) == 0) {
		mc_addr_classify(&ep.ip, &info);
		mc_ip_str(&ep.ip, buf);
	}
	if (mc_ip_parse(text, &ep.ip) == 0)
		mc_addr_classify(&ep.ip, &info);
	free(text);
	return 0;
}
