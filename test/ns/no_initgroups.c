/* Preloaded into tcpdump when a lab runs in a user namespace made by an
 * ordinary user (test/ns/lib.sh).  Debian's tcpdump, started as uid 0, calls
 * initgroups() before setgid() and setuid() even with -Z root, and such a
 * namespace refuses setgroups(2) (its gid map was written with setgroups
 * "deny"), so tcpdump would exit there.  This initgroups() changes nothing
 * and succeeds: tcpdump keeps the groups it has, then setgid(0) and setuid(0)
 * leave it root of the namespace, as -Z root asks.  Not for anything else. */
#include <grp.h>
#include <sys/types.h>

int
initgroups(const char *user, gid_t group)
{
	(void)user;
	(void)group;
	return 0;
}
