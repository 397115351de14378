#include "config.h"

#include "addr.h"
#include "bridge.h"
#include "fdpass/fdpass.h"
#include "log.h"

int
fdpass_run(struct event_base *base, struct addr *left, struct addr *right,
    const struct bridge_conf *conf)
{
	log_err("%s: fdpass is not implemented yet", left->text);
	return (1);
}
