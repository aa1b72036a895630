/*
 * For the fuzz targets of mcast dump: a frame decoded as dump decodes it
 * and printed both ways, with what must hold of the output.
 */
#ifndef MCAST_FUZZ_DUMP_CHECK_H
#define MCAST_FUZZ_DUMP_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

/*
 * Decode frame (caplen bytes of link type linktype, a DLT_ value) and, if
 * it is IGMP, print it as text and as JSON: the text is one line of no
 * other control character, the JSON one valid object and a newline, and
 * a message that decoded lies within the frame.  Traps otherwise.
 */
void dump_check_frame(int linktype, const uint8_t *frame, size_t caplen,
    const struct timeval *ts);

#endif
